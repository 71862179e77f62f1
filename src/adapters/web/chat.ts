/**
 * The web chat as a platform: an HTTP server (node:http) for the page and the widget (./http.ts), and WebSockets
 * (`ws`) for the conversation, on WEB_CHAT_PORT. This file is its life (start, listen, stop, send, fetchMedia, the
 * sweep) and its wiring; each concern has its module:
 *
 *   ./connections.ts  upgrade → /ws, Origin in WEB_CHAT_ORIGINS (else 403), room left (else "busy"), the heartbeat,
 *                     the tabs open on each conversation
 *   ./dialogue.ts     hello → resume by secret / carry code / a new conversation (limited per address);
 *                     say, choose, file → limits → the person's words numbered and kept → engine; ack, carry
 *   send()            the reply numbered and kept in AdapterState('web') (./conversations.ts) → to every open tab
 *   ./files.ts        POST /upload (the person's picture or PDF, kept in memory: ./uploads.ts) then a `file` frame;
 *                     GET /media/<seq> (a volunteer's file, fetched from its platform on each request)
 *   ./limits.ts       the per-connection, per-address and new-conversation limits
 *
 * It knows the conversation only through PlatformEngine, and the store only through AdapterState('web').
 */
import { createServer, type Server } from 'node:http';
import type { Platform, PlatformDeps } from '../platform.js';
import type { OutMessage } from '../../engine/types.js';
import { MediaGoneError, type MediaFile, type MediaRef } from '../../engine/media.js';
import { linesOf, parseMarkup } from '../../render/markup.js';
import type { WebConfig } from './config.js';
import { buildAssets, type WebAssets } from './assets.js';
import { serveHttp } from './http.js';
import { Lifecycle } from '../kit/lifecycle.js';
import { forPage, WEB_PLATFORM, WebConversations, type WireMessage } from './conversations.js';
import { WebConnections } from './connections.js';
import { WebDialogue } from './dialogue.js';
import { ActionLimit } from './limits.js';
import { UploadStore } from './uploads.js';
import { MEDIA_FETCHES_PER_MINUTE, serveFiles, type FilesContext } from './files.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How often what the retention erased (and expired codes) is looked for. */
const SWEEP_EVERY_MS = 10 * MINUTE;
/** At a stop, how long the turns under way get to finish (their replies are kept before they are sent anyway). */
const STOP_GRACE_MS = 5_000;

export interface WebChatOptions {
  now?: () => number;
}

export class WebChat implements Platform {
  readonly name = WEB_PLATFORM;
  private readonly lifecycle = new Lifecycle();
  readonly done = this.lifecycle.done;
  private server?: Server;
  private assets?: WebAssets;
  private readonly conversations: WebConversations;
  /** The person's files, in memory only, until the desk has them or their time is up. */
  private readonly uploads: UploadStore;
  private readonly connections: WebConnections;
  private readonly dialogue: WebDialogue;
  /** Shared by the frames (./dialogue.ts) and the files (./files.ts): one address's messages, however sent. */
  private readonly addressRate: ActionLimit;
  private readonly mediaRate = new ActionLimit(MEDIA_FETCHES_PER_MINUTE, MINUTE);
  private timer?: NodeJS.Timeout;

  constructor(
    readonly config: WebConfig,
    private readonly deps: PlatformDeps,
    options: WebChatOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.conversations = new WebConversations(deps.state(WEB_PLATFORM), config.historyKept, now);
    this.uploads = new UploadStore(config.media, now, (reason, upload) => deps.log('web_upload_dropped', { reason, kind: upload.kind }));
    const { limits } = config;
    // The limits run on the wall clock (the library's own): `now` moves what is kept, not how fast people type.
    this.addressRate = new ActionLimit(limits.addressMessagesPerMinute, MINUTE);
    this.connections = new WebConnections(config, deps.log, this.lifecycle, (client, frame) => this.dialogue.handle(client, frame));
    this.dialogue = new WebDialogue(config, deps, this.conversations, this.uploads, this.connections, {
      connectionRate: new ActionLimit(limits.messagesPerMinute, MINUTE),
      addressRate: this.addressRate,
      newConversationRate: new ActionLimit(limits.newConversationsPerHour, HOUR),
    });
  }

  /** The address the server listens on (its port is chosen by the system when WEB_CHAT_PORT is 0, in tests). */
  address(): { host: string; port: number } {
    const address = this.server?.address();
    return typeof address === 'object' && address ? { host: address.address, port: address.port } : { host: this.config.host, port: this.config.port };
  }

  async start(): Promise<void> {
    // Replies can be kept from here on: send() needs no open port, only the store.
    this.assets = buildAssets(this.deps.texts);
  }

  async listen(): Promise<void> {
    if (this.lifecycle.isStopping) return;
    const files = this.filesContext();
    const server = createServer((req, res) => {
      if (!serveFiles(req, res, files)) serveHttp(req, res, this.assets!, this.config);
    });
    server.on('upgrade', (req, socket, head) => this.connections.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      // Marked as the web chat's, so that the operator is told which port is taken (Telegram's webhook has one too).
      const refused = (error: NodeJS.ErrnoException) => reject(Object.assign(error, { webChat: true }));
      server.once('error', refused);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', refused);
        resolve();
      });
    });
    this.server = server;
    this.deps.log('web_listening', { host: this.address().host, port: this.address().port, origins: this.config.origins });
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
    this.connections.startHeartbeat();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop({
      graceMs: STOP_GRACE_MS,
      // No new connection or frame; the pages reconnect to the next process on their own.
      halt: async () => {
        clearInterval(this.timer);
        this.connections.closeAll();
        const server = this.server;
        if (server) {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
        }
      },
    });
  }

  /** The engine's reply (or a volunteer's words, a check-in): numbered, kept, then shown in every open tab. */
  async send(chatId: string, message: OutMessage): Promise<void> {
    const wire: Omit<WireMessage, 'seq'> = {
      from: 'bot',
      lines: linesOf(parseMarkup(message.text)),
      choices: message.choices,
      promptSeq: message.promptSeq,
      lang: message.lang,
      ...(message.attachment ? { attachment: message.attachment } : {}),
      ...(message.erased ? { erased: true as const } : {}),
      // Only the reference: the bytes stay with the platform that holds them, fetched when the page asks.
      ...(message.media ? { mediaRef: message.media } : {}),
    };
    const numbered = this.conversations.append(chatId, wire)!;
    this.connections.toTabs(chatId, { t: 'msg', m: forPage(numbered) });
    if (message.erased) {
      // Forgotten: nothing of theirs stays here either, and the browser drops its secret (the message says so).
      this.conversations.forget(chatId);
      this.uploads.dropConversation(chatId);
      this.connections.forgetTabs(chatId);
    }
  }

  /** A file a person sent here, for the platform that relays it (the desk's). Gone: MediaGoneError. */
  async fetchMedia(ref: MediaRef): Promise<MediaFile> {
    if (ref.platform !== WEB_PLATFORM) throw new MediaGoneError(`the web chat holds only its own files, not a ${ref.platform} one`);
    return this.uploads.fetch(ref.id);
  }

  /** The files kept in memory: how many, how many bytes (tests, the bench). */
  uploadsKept(): { count: number; bytes: number } {
    return { count: this.uploads.count(), bytes: this.uploads.bytes() };
  }

  /** Messages kept and not yet shown for a conversation (tests, the load test). */
  owed(chatId: string): number {
    return this.conversations.owed(chatId);
  }

  openConnections(): number {
    return this.connections.count();
  }

  private sweep(): void {
    const keep = (chatId: string) => this.dialogue.isStarting(chatId) || this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`);
    const swept = this.conversations.sweep(keep);
    // A conversation the retention erased takes its files with it, as its messages here.
    const uploads = this.uploads.sweep(keep);
    if (swept.conversations > 0 || swept.codes > 0 || uploads > 0) this.deps.log('web_swept', { ...swept, uploads });
  }

  private filesContext(): FilesContext {
    return {
      config: this.config,
      uploads: this.uploads,
      media: this.deps.media,
      log: this.deps.log,
      addressRate: this.addressRate,
      mediaRate: this.mediaRate,
      exists: (chatId) => this.conversations.exists(chatId) || this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`),
      mediaOf: (chatId, seq) => this.conversations.mediaOf(chatId, seq),
      addressOf: (req) => this.connections.addressOf(req),
    };
  }
}
