/**
 * What the page's frames (./protocol.ts) do to the conversation, once ./connections.ts has parsed them:
 *
 *   hello       → resume by secret / carry code (limited per address) / a new conversation (limited per address),
 *                 then the messages the page does not show yet
 *   say, choose → limits (per connection, per address, size) → the person's words numbered and kept → engine
 *   file        → a file sent by POST /upload (./files.ts), its caption: the same limits, numbered → engine as media
 *   ack         → shown: no longer owed (only the last ones kept, to redraw the page)
 *   carry       → a code to continue on another device
 *
 * Every frame but `hello` needs an open conversation (else `badFrame`). `accepted` goes back only once the turn
 * is committed, so that the page keeps what it sent until nothing can lose it.
 */
import type { PlatformDeps } from '../platform.js';
import type { WebConfig } from './config.js';
import type { Client, WebConnections } from './connections.js';
import { chatIdOf, forPage, isSecret, newSecret, WEB_PLATFORM, type WebConversations } from './conversations.js';
import { takeAll, type ActionLimit } from './limits.js';
import type { ClientFrame } from './protocol.js';
import type { UploadStore } from './uploads.js';

/** The limits the frames count against (the address's is shared with ./files.ts). */
export interface DialogueRates {
  connectionRate: ActionLimit;
  addressRate: ActionLimit;
  newConversationRate: ActionLimit;
}

export class WebDialogue {
  /** New conversations whose first turn is under way: the engine does not know them yet, the sweep must keep them. */
  private readonly starting = new Set<string>();

  constructor(
    private readonly config: WebConfig,
    private readonly deps: Pick<PlatformDeps, 'engine' | 'log'>,
    private readonly conversations: WebConversations,
    private readonly uploads: UploadStore,
    private readonly connections: WebConnections,
    private readonly rates: DialogueRates,
  ) {}

  /** Whether a new conversation's first turn is under way (the engine does not know it yet). */
  isStarting(chatId: string): boolean {
    return this.starting.has(chatId);
  }

  async handle(client: Client, frame: ClientFrame): Promise<void> {
    if (frame.t === 'hello') return this.hello(client, frame);
    const chatId = client.chatId;
    if (!chatId) return this.connections.refuse(client, 'badFrame');
    switch (frame.t) {
      case 'ack':
        this.conversations.ack(chatId, frame.seq);
        return;
      case 'carry': {
        const { code, expiresAt } = this.conversations.carry(client.secret!, this.config.carryMinutes);
        const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
        this.connections.frame(client, { t: 'carry', code: shown, link: `${this.config.publicUrl}/#carry=${shown}`, expiresAt });
        return;
      }
      case 'file':
        return this.file(client, chatId, frame);
      case 'say':
      case 'choose': {
        const text = frame.t === 'say' ? frame.text : frame.label;
        if (frame.t === 'say' && text.length > this.config.limits.maxMessageChars) {
          return this.connections.refuse(client, 'tooLong', { id: frame.id, max: this.config.limits.maxMessageChars });
        }
        if (await this.tooFast(client, frame.id)) return;
        if (text.trim() === '') {
          this.connections.frame(client, { t: 'accepted', id: frame.id });
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
        if (mine) this.connections.toTabs(chatId, { t: 'msg', m: { ...mine, lines: line } });
        await this.deps.engine.receive({
          conversation: { platform: WEB_PLATFORM, chatId },
          messageId: frame.id,
          input: frame.t === 'say' ? { kind: 'text', text } : { kind: 'choice', choice: frame.choice, promptSeq: frame.promptSeq },
        });
        // Only now may the page forget it: the turn is committed (and its reply kept before it was sent).
        this.connections.frame(client, { t: 'accepted', id: frame.id });
        return;
      }
    }
  }

  /** Counts a message against this connection's and this address's limits; over them, the page is told to wait. */
  private async tooFast(client: Client, id: string): Promise<boolean> {
    const wait = await takeAll([
      [this.rates.connectionRate, `c${client.id}`],
      [this.rates.addressRate, client.address],
    ]);
    if (wait <= 0) return false;
    this.deps.log('web_limit', { limit: 'messages' }, 'warn');
    this.connections.refuse(client, 'tooFast', { id, retryAfterMs: wait });
    return true;
  }

  /** A file sent by POST /upload, now said in the conversation: numbered like typed words, then to the engine. */
  private async file(client: Client, chatId: string, frame: Extract<ClientFrame, { t: 'file' }>): Promise<void> {
    const caption = frame.caption?.trim() ?? '';
    if (caption.length > this.config.limits.maxMessageChars) {
      return this.connections.refuse(client, 'tooLong', { id: frame.id, max: this.config.limits.maxMessageChars });
    }
    if (await this.tooFast(client, frame.id)) return;
    // Only this conversation's own upload: an id from another conversation opens nothing.
    const upload = this.uploads.get(frame.upload, chatId);
    if (!upload) return this.connections.refuse(client, 'uploadGone', { id: frame.id });
    // Numbered like typed words and, like them, not kept here (the file's name and the caption are the person's).
    const mine = this.conversations.append(chatId, { from: 'me', lines: [], choices: [], promptSeq: 0, clientId: frame.id, typed: true });
    const line = [[{ kind: 'text' as const, text: `📎 ${upload.filename}${caption ? ` — ${caption}` : ''}` }]];
    if (mine) this.connections.toTabs(chatId, { t: 'msg', m: { ...mine, lines: line } });
    await this.deps.engine.receive({
      conversation: { platform: WEB_PLATFORM, chatId },
      messageId: frame.id,
      input: {
        kind: 'media',
        media: { platform: WEB_PLATFORM, id: upload.id, kind: upload.kind, mimeType: upload.mimeType, size: upload.data.length, filename: upload.filename },
        ...(caption ? { caption } : {}),
      },
    });
    this.connections.frame(client, { t: 'accepted', id: frame.id });
  }

  private async hello(client: Client, frame: Extract<ClientFrame, { t: 'hello' }>): Promise<void> {
    if (client.chatId) return this.connections.refuse(client, 'badFrame');
    let secret = frame.secret;
    if (frame.carry !== undefined) {
      const wait = await this.rates.newConversationRate.take(client.address);
      if (wait > 0) return this.connections.refuse(client, 'tooManyConversations', { retryAfterMs: wait });
      secret = this.conversations.redeem(frame.carry);
      if (!secret) return this.connections.refuse(client, 'badCode');
    }
    if (secret !== undefined) {
      if (!isSecret(secret)) return this.connections.refuse(client, 'badFrame');
      const chatId = chatIdOf(secret);
      if (!this.conversations.exists(chatId)) {
        if (!this.deps.engine.knows(`${WEB_PLATFORM}:${chatId}`)) {
          this.connections.frame(client, { t: 'forgotten' });
          return;
        }
        this.conversations.create(chatId);
      }
      this.connections.attach(client, chatId, secret, false);
      for (const m of this.conversations.after(chatId, frame.lastSeq)) this.connections.frame(client, { t: 'msg', m: forPage(m) });
      return;
    }
    const wait = await this.rates.newConversationRate.take(client.address);
    if (wait > 0) {
      this.deps.log('web_limit', { limit: 'newConversations' }, 'warn');
      return this.connections.refuse(client, 'tooManyConversations', { retryAfterMs: wait });
    }
    const fresh = newSecret();
    const chatId = chatIdOf(fresh);
    this.conversations.create(chatId);
    this.starting.add(chatId);
    this.connections.attach(client, chatId, fresh, true);
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
}
