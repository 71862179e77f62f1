/**
 * The web chat as a platform: an HTTP server (node:http) for the page and the widget (./http.ts), and WebSockets
 * (`ws`) for the conversation, on WEB_CHAT_PORT.
 *
 *   upgrade  → /ws, Origin in WEB_CHAT_ORIGINS (else 403), room left (else "busy")
 *   hello    → resume by secret / carry code / a new conversation (limited per address)
 *   say, choose → limits (per connection, per address, size) → the person's words numbered and kept → engine
 *   send()   → the reply numbered and kept in AdapterState('web') → to every open tab of the conversation
 *   ack      → shown: no longer owed (only the last ones kept, to redraw the page)
 *   files    → POST /upload (the person's picture or PDF, kept in memory: ./uploads.ts) then a `file` frame;
 *              GET /media/<seq> (a volunteer's file, fetched from its platform on each request): ./files.ts
 *
 * It knows the conversation only through PlatformEngine, and the store only through AdapterState('web').
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Platform, PlatformDeps } from '../platform.js';
import { MediaGoneError, type MediaFile, type MediaRef, type OutMessage } from '../../engine/types.js';
import { linesOf, parseMarkup } from '../../render/markup.js';
import type { WebConfig } from './config.js';
import { buildAssets, type WebAssets } from './assets.js';
import { serveHttp } from './http.js';
import { Lifecycle } from '../kit/lifecycle.js';
import { chatIdOf, isSecret, newSecret, WebConversations, type WireMessage } from './conversations.js';
import { ActionLimit, takeAll } from './limits.js';
import { parseFrame, type ClientFrame, type RefusalReason } from './protocol.js';
import { UploadStore } from './uploads.js';
import { serveFiles, type FilesContext } from './files.js';

export const WEB_PLATFORM = 'web';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How often what the retention erased (and expired codes) is looked for. */
const SWEEP_EVERY_MS = 10 * MINUTE;
/** At a stop, how long the turns under way get to finish (their replies are kept before they are sent anyway). */
const STOP_GRACE_MS = 5_000;
/** Pings every so often, so connections that died silently are closed and stop counting against the limits. */
const HEARTBEAT_MS = 30_000;

interface Client {
  ws: WebSocket;
  /** Answered the last ping (a phone gone to sleep, a cut network never say goodbye: they stop answering). */
  alive: boolean;
  id: number;
  address: string;
  chatId?: string;
  secret?: string;
}

export interface WebChatOptions {
  now?: () => number;
}

export class WebChat implements Platform {
  readonly name = WEB_PLATFORM;
  private readonly lifecycle = new Lifecycle();
  readonly done = this.lifecycle.done;
  private server?: Server;
  private readonly wss: WebSocketServer;
  private assets?: WebAssets;
  private readonly conversations: WebConversations;
  /** The person's files, in memory only, until the desk has them or their time is up. */
  private readonly uploads: UploadStore;
  private readonly clients = new Set<Client>();
  private readonly tabs = new Map<string, Set<Client>>();
  private readonly perAddress = new Map<string, number>();
  private readonly connectionRate: ActionLimit;
  private readonly addressRate: ActionLimit;
  private readonly newConversationRate: ActionLimit;
  /** New conversations whose first turn is under way: the engine does not know them yet, the sweep must keep them. */
  private readonly starting = new Set<string>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private nextId = 1;

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
    this.connectionRate = new ActionLimit(limits.messagesPerMinute, MINUTE);
    this.addressRate = new ActionLimit(limits.addressMessagesPerMinute, MINUTE);
    this.newConversationRate = new ActionLimit(limits.newConversationsPerHour, HOUR);
    // A frame can be a few times longer than its text (JSON escapes); anything much bigger is not ours.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageChars * 6 + 4096, clientTracking: false });
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
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
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
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        if (!client.alive) client.ws.terminate();
        else {
          client.alive = false;
          client.ws.ping();
        }
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop({
      graceMs: STOP_GRACE_MS,
      // No new connection or frame; the pages reconnect to the next process on their own.
      halt: async () => {
        clearInterval(this.timer);
        clearInterval(this.heartbeat);
        for (const client of this.clients) client.ws.close(1001, 'server stopping');
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
    const tabs = this.tabs.get(chatId);
    for (const client of tabs ?? []) this.frame(client, { t: 'msg', m: forPage(numbered) });
    if (message.erased) {
      // Forgotten: nothing of theirs stays here either, and the browser drops its secret (the message says so).
      this.conversations.forget(chatId);
      this.uploads.dropConversation(chatId);
      for (const client of tabs ?? []) {
        client.chatId = undefined;
        client.secret = undefined;
      }
      this.tabs.delete(chatId);
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
    return this.clients.size;
  }

  private addressOf(req: IncomingMessage): string {
    const forwarded = this.config.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]!.trim() : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  // ─────────────── WebSocket ───────────────

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const origin = req.headers.origin;
    if (path !== '/ws' || !origin || !this.config.origins.includes(origin) || this.lifecycle.isStopping) {
      this.deps.log('web_origin_refused', { origin: origin ?? null, path }, 'warn');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nThis site is not allowed to open the chat (WEB_CHAT_ORIGINS).\n');
      return;
    }
    const address = this.addressOf(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, address));
  }

  private connected(ws: WebSocket, address: string): void {
    const { limits } = this.config;
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.clients.size >= limits.maxConnections || fromAddress >= limits.connectionsPerAddress) {
      this.deps.log('web_limit', { limit: 'connections', open: this.clients.size }, 'warn');
      ws.send(JSON.stringify({ t: 'refused', reason: 'busy', retryAfterMs: 30_000 }));
      ws.close(1013, 'busy');
      return;
    }
    const client: Client = { ws, alive: true, id: this.nextId++, address };
    ws.on('pong', () => (client.alive = true));
    this.clients.add(client);
    this.perAddress.set(address, fromAddress + 1);
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? undefined : parseFrame(data.toString());
      if (!frame) return this.refuse(client, 'badFrame');
      void this.lifecycle
        .track(() => this.handle(client, frame))
        .catch((error: unknown) => this.deps.log('web_turn_failed', { error: (error as Error).message }, 'error'));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.clients.delete(client);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
      if (client.chatId) this.detach(client);
    });
  }

  private async handle(client: Client, frame: ClientFrame): Promise<void> {
    if (frame.t === 'hello') return this.hello(client, frame);
    const chatId = client.chatId;
    if (!chatId) return this.refuse(client, 'badFrame');
    switch (frame.t) {
      case 'ack':
        this.conversations.ack(chatId, frame.seq);
        return;
      case 'carry': {
        const { code, expiresAt } = this.conversations.carry(client.secret!, this.config.carryMinutes);
        const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
        this.frame(client, { t: 'carry', code: shown, link: `${this.config.publicUrl}/#carry=${shown}`, expiresAt });
        return;
      }
      case 'file':
        return this.file(client, chatId, frame);
      case 'say':
      case 'choose': {
        const text = frame.t === 'say' ? frame.text : frame.label;
        if (frame.t === 'say' && text.length > this.config.limits.maxMessageChars) {
          return this.refuse(client, 'tooLong', { id: frame.id, max: this.config.limits.maxMessageChars });
        }
        const wait = await takeAll([
          [this.connectionRate, `c${client.id}`],
          [this.addressRate, client.address],
        ]);
        if (wait > 0) {
          this.deps.log('web_limit', { limit: 'messages' }, 'warn');
          return this.refuse(client, 'tooFast', { id: frame.id, retryAfterMs: wait });
        }
        if (text.trim() === '') {
          this.frame(client, { t: 'accepted', id: frame.id });
          return;
        }
        // Their turn is numbered like the rest; what they typed is not kept here (the data promise: nothing typed is
        // stored but what the guide keeps) — the open tabs get it live, and the browser keeps its own words.
        const line = [[{ kind: 'text' as const, text }]];
        const mine = this.conversations.append(chatId, {
          from: 'me',
          lines: frame.t === 'say' ? [] : line,
          choices: [],
          promptSeq: 0,
          clientId: frame.id,
          ...(frame.t === 'say' ? { typed: true as const } : {}),
        });
        // Sent again after a reconnect (`mine` undefined): already shown, but still handed to the engine, which
        // knows by the message id whether its turn ran — so a crash between here and the turn loses nothing.
        if (mine) for (const tab of this.tabs.get(chatId) ?? []) this.frame(tab, { t: 'msg', m: { ...mine, lines: line } });
        await this.deps.engine.receive({
          conversation: { platform: WEB_PLATFORM, chatId },
          messageId: frame.id,
          input: frame.t === 'say' ? { kind: 'text', text } : { kind: 'choice', choice: frame.choice, promptSeq: frame.promptSeq },
        });
        // Only now may the page forget it: the turn is committed (and its reply kept before it was sent).
        this.frame(client, { t: 'accepted', id: frame.id });
        return;
      }
    }
  }

  /** A file sent by POST /upload, now said in the conversation: numbered like typed words, then to the engine. */
  private async file(client: Client, chatId: string, frame: Extract<ClientFrame, { t: 'file' }>): Promise<void> {
    const caption = frame.caption?.trim() ?? '';
    if (caption.length > this.config.limits.maxMessageChars) {
      return this.refuse(client, 'tooLong', { id: frame.id, max: this.config.limits.maxMessageChars });
    }
    const wait = await takeAll([
      [this.connectionRate, `c${client.id}`],
      [this.addressRate, client.address],
    ]);
    if (wait > 0) {
      this.deps.log('web_limit', { limit: 'messages' }, 'warn');
      return this.refuse(client, 'tooFast', { id: frame.id, retryAfterMs: wait });
    }
    // Only this conversation's own upload: an id from another conversation opens nothing.
    const upload = this.uploads.get(frame.upload, chatId);
    if (!upload) return this.refuse(client, 'uploadGone', { id: frame.id });
    // Numbered like typed words and, like them, not kept here (the file's name and the caption are the person's).
    const mine = this.conversations.append(chatId, { from: 'me', lines: [], choices: [], promptSeq: 0, clientId: frame.id, typed: true });
    const line = [[{ kind: 'text' as const, text: `📎 ${upload.filename}${caption ? ` — ${caption}` : ''}` }]];
    if (mine) for (const tab of this.tabs.get(chatId) ?? []) this.frame(tab, { t: 'msg', m: { ...mine, lines: line } });
    await this.deps.engine.receive({
      conversation: { platform: WEB_PLATFORM, chatId },
      messageId: frame.id,
      input: {
        kind: 'media',
        media: { platform: WEB_PLATFORM, id: upload.id, kind: upload.kind, mimeType: upload.mimeType, size: upload.data.length, filename: upload.filename },
        ...(caption ? { caption } : {}),
      },
    });
    this.frame(client, { t: 'accepted', id: frame.id });
  }

  private async hello(client: Client, frame: Extract<ClientFrame, { t: 'hello' }>): Promise<void> {
    if (client.chatId) return this.refuse(client, 'badFrame');
    let secret = frame.secret;
    if (frame.carry !== undefined) {
      const wait = await this.newConversationRate.take(client.address);
      if (wait > 0) return this.refuse(client, 'tooManyConversations', { retryAfterMs: wait });
      secret = this.conversations.redeem(frame.carry);
      if (!secret) return this.refuse(client, 'badCode');
    }
    if (secret !== undefined) {
      if (!isSecret(secret)) return this.refuse(client, 'badFrame');
      const chatId = chatIdOf(secret);
      if (!this.conversations.exists(chatId)) {
        if (!this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`)) {
          this.frame(client, { t: 'forgotten' });
          return;
        }
        this.conversations.create(chatId);
      }
      this.attach(client, chatId, secret, false);
      for (const m of this.conversations.after(chatId, frame.lastSeq)) this.frame(client, { t: 'msg', m: forPage(m) });
      return;
    }
    const wait = await this.newConversationRate.take(client.address);
    if (wait > 0) {
      this.deps.log('web_limit', { limit: 'newConversations' }, 'warn');
      return this.refuse(client, 'tooManyConversations', { retryAfterMs: wait });
    }
    const fresh = newSecret();
    const chatId = chatIdOf(fresh);
    this.conversations.create(chatId);
    this.starting.add(chatId);
    this.attach(client, chatId, fresh, true);
    try {
      await this.deps.engine.receive({
        conversation: { platform: WEB_PLATFORM, chatId },
        messageId: `start:${chatId}`,
        ...(frame.lang ? { langHint: frame.lang } : {}),
        input: { kind: 'start', ...(frame.payload ? { payload: frame.payload } : {}) },
      });
    } finally {
      this.starting.delete(chatId);
    }
  }

  private attach(client: Client, chatId: string, secret: string, fresh: boolean): void {
    client.chatId = chatId;
    client.secret = secret;
    const tabs = this.tabs.get(chatId) ?? new Set<Client>();
    tabs.add(client);
    this.tabs.set(chatId, tabs);
    this.frame(client, { t: 'ready', secret, fresh });
  }

  private detach(client: Client): void {
    const tabs = this.tabs.get(client.chatId!);
    tabs?.delete(client);
    if (tabs?.size === 0) this.tabs.delete(client.chatId!);
    client.chatId = undefined;
  }

  private refuse(client: Client, reason: RefusalReason, extra: { id?: string; retryAfterMs?: number; max?: number } = {}): void {
    this.frame(client, { t: 'refused', reason, ...extra });
  }

  private frame(client: Client, frame: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(frame));
  }

  private sweep(): void {
    const keep = (chatId: string) => this.starting.has(chatId) || this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`);
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
      exists: (chatId) => this.conversations.exists(chatId) || this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`),
      mediaOf: (chatId, seq) => this.conversations.mediaOf(chatId, seq),
      addressOf: (req) => this.addressOf(req),
    };
  }
}

/** A kept message as the page gets it: a volunteer's file as what is needed to draw it, never the platform's id. */
function forPage(message: WireMessage): WireMessage {
  if (!message.mediaRef) return message;
  const { mediaRef, ...rest } = message;
  return {
    ...rest,
    media: {
      kind: mediaRef.kind,
      ...(mediaRef.mimeType !== undefined ? { mimeType: mediaRef.mimeType } : {}),
      ...(mediaRef.size !== undefined ? { size: mediaRef.size } : {}),
      ...(mediaRef.filename !== undefined ? { filename: mediaRef.filename } : {}),
    },
  };
}
