/**
 * What the web chat keeps for each conversation, in AdapterState('web'):
 *
 *   "conv:<chatId>"  → { seq, acked, created, clientIds, messages }  the numbered messages of the conversation:
 *                      every one the browser has not acknowledged yet (a volunteer's reply while the tab was closed),
 *                      and the last `historyKept` to redraw the page on return. Nothing older. The person's own
 *                      typed words are numbered but not kept (the browser keeps them); a button's label is.
 *   "carry:<sha256(code)>" → a code to carry the conversation to another device: the browser's secret sealed with
 *                      a key derived from the code (the database alone cannot open it), an expiry; used once.
 *
 * The chat id is a SHA-256 of the browser's random secret: the database never holds the secret itself, and
 * knowing a chat id (in a log, on a ticket) does not let anyone into the conversation.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, scryptSync } from 'node:crypto';
import type { AdapterState } from '../../store/adapter-state.js';
import type { Span } from '../../render/markup.js';
import type { OutChoice } from '../../engine/types.js';
import type { MediaKind, MediaRef } from '../../engine/media.js';
import type { Lang } from '../../render/i18n.js';

/** The platform's name: its conversations are "web:<chatId>" to the engine, its store AdapterState('web'). */
export const WEB_PLATFORM = 'web';

/** One message as the page shows it (and as it goes over the wire). */
export interface WireMessage {
  seq: number;
  from: 'bot' | 'me';
  /** Lines of spans (src/render/markup.ts): the page builds elements from them, never HTML. */
  lines: Span[][];
  choices: OutChoice[];
  promptSeq: number;
  lang?: Lang;
  /** A document to download (/mesdonnees); its content is dropped once the browser has it. */
  attachment?: { filename: string; mimeType: string; content?: string };
  /** The conversation was erased (/oublier): the browser forgets its secret. */
  erased?: true;
  /**
   * A file a volunteer showed (OutMessage.media): kept here only as the platform's reference to it, never its
   * bytes. It stays on the server: the page gets `media` instead and asks GET /media/<seq> (./files.ts).
   */
  mediaRef?: MediaRef;
  /** What the page knows of that file: enough to draw it (an image, or a link with its name and size). */
  media?: { kind: MediaKind; mimeType?: string; size?: number; filename?: string };
  /** The browser's id of the message it sent (its own words), so that it replaces its "sending…" bubble. */
  clientId?: string;
  /**
   * Words the person typed: kept here without them (`lines` empty) — nothing typed is stored on the server beyond
   * what the guide itself keeps; the browser that typed them keeps them to redraw its page.
   */
  typed?: true;
}

/** A kept message as the page gets it: a volunteer's file as what is needed to draw it, never the platform's id. */
export function forPage(message: WireMessage): WireMessage {
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

interface Stored {
  seq: number;
  acked: number;
  created: number;
  /** The browser's ids of the last messages it sent: one sent again after a reconnect is not written twice. */
  clientIds: string[];
  messages: WireMessage[];
}

const CONV = 'conv:';
const CARRY = 'carry:';
const CLIENT_IDS_KEPT = 50;
/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A secret the browser keeps: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function isSecret(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function chatIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** "ABCD-EFGH" or "abcdefgh" → "ABCDEFGH"; undefined when it cannot be a code. */
export function normalizeCode(code: string): string | undefined {
  const plain = code.toUpperCase().replace(/[\s-]/g, '');
  return plain.length === 8 && [...plain].every((c) => CODE_ALPHABET.includes(c)) ? plain : undefined;
}

function sealKey(code: string, salt: Buffer): Buffer {
  return scryptSync(code, salt, 32, { N: 1 << 14, r: 8, p: 1 });
}

export class WebConversations {
  constructor(
    private readonly state: AdapterState,
    private readonly historyKept: number,
    private readonly now: () => number = Date.now,
  ) {}

  exists(chatId: string): boolean {
    return this.state.get(CONV + chatId) !== undefined;
  }

  create(chatId: string): void {
    if (!this.exists(chatId)) this.save(chatId, { seq: 0, acked: 0, created: this.now(), clientIds: [], messages: [] });
  }

  /** Appends a message under the next number; returns it numbered. Undefined for a client id already written. */
  append(chatId: string, message: Omit<WireMessage, 'seq'>): WireMessage | undefined {
    const stored = this.load(chatId) ?? { seq: 0, acked: 0, created: this.now(), clientIds: [], messages: [] };
    if (message.clientId !== undefined) {
      if (stored.clientIds.includes(message.clientId)) return undefined;
      stored.clientIds = [...stored.clientIds, message.clientId].slice(-CLIENT_IDS_KEPT);
    }
    stored.seq += 1;
    const numbered: WireMessage = { ...message, seq: stored.seq };
    stored.messages.push(numbered);
    this.prune(stored);
    this.save(chatId, stored);
    return numbered;
  }

  /** The messages after `seq` (all that are kept when the browser has none). */
  after(chatId: string, seq: number): WireMessage[] {
    const stored = this.load(chatId);
    if (!stored) return [];
    // A browser claiming more than there is (a database restored from a backup) gets everything kept.
    const from = seq > stored.seq ? 0 : seq;
    return stored.messages.filter((m) => m.seq > from);
  }

  /** The reference of the file shown in message `seq`, while that message is kept. */
  mediaOf(chatId: string, seq: number): MediaRef | undefined {
    return this.load(chatId)?.messages.find((m) => m.seq === seq)?.mediaRef;
  }

  lastSeq(chatId: string): number {
    return this.load(chatId)?.seq ?? 0;
  }

  /** The browser showed everything up to `seq`: those are no longer owed, only kept (bounded) to redraw. */
  ack(chatId: string, seq: number): void {
    const stored = this.load(chatId);
    if (!stored || seq <= stored.acked) return;
    stored.acked = Math.min(seq, stored.seq);
    for (const message of stored.messages) {
      // The person has their data file: it is not kept here any longer.
      if (message.seq <= stored.acked && message.attachment?.content !== undefined) message.attachment = { filename: message.attachment.filename, mimeType: message.attachment.mimeType };
    }
    this.prune(stored);
    this.save(chatId, stored);
  }

  /** Unacknowledged messages count (for tests and the load test). */
  owed(chatId: string): number {
    const stored = this.load(chatId);
    return stored ? stored.messages.filter((m) => m.seq > stored.acked).length : 0;
  }

  forget(chatId: string): void {
    this.state.delete(CONV + chatId);
  }

  /** A short code (and its expiry) that opens this conversation on another device, once. */
  carry(secret: string, minutes: number): { code: string; expiresAt: number } {
    let code = '';
    for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey(code, salt), iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const expiresAt = this.now() + minutes * 60_000;
    this.state.set(
      CARRY + createHash('sha256').update(code).digest('base64url'),
      JSON.stringify({ salt: salt.toString('base64url'), iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), sealed: sealed.toString('base64url'), expiresAt }),
    );
    return { code, expiresAt };
  }

  /** The secret a code carries, if the code is valid and not expired; the code is spent either way. */
  redeem(code: string): string | undefined {
    const plain = normalizeCode(code);
    if (!plain) return undefined;
    const key = CARRY + createHash('sha256').update(plain).digest('base64url');
    const raw = this.state.get(key);
    if (raw === undefined) return undefined;
    this.state.delete(key);
    const entry = JSON.parse(raw) as { salt: string; iv: string; tag: string; sealed: string; expiresAt: number };
    if (entry.expiresAt < this.now()) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', sealKey(plain, Buffer.from(entry.salt, 'base64url')), Buffer.from(entry.iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(entry.sealed, 'base64url')), decipher.final()]).toString('utf8');
  }

  /**
   * Deletes what is kept for conversations the engine no longer has (erased by the retention, RETENTION_DAYS) and
   * expired codes. `keep` says which conversations exist (the engine knows them, or their first turn is under way).
   */
  sweep(keep: (chatId: string) => boolean): { conversations: number; codes: number } {
    let conversations = 0;
    let codes = 0;
    const now = this.now();
    for (const key of this.state.keys()) {
      if (key.startsWith(CONV)) {
        const chatId = key.slice(CONV.length);
        if (!keep(chatId)) {
          this.state.delete(key);
          conversations++;
        }
      } else if (key.startsWith(CARRY)) {
        const raw = this.state.get(key);
        if (raw !== undefined && (JSON.parse(raw) as { expiresAt: number }).expiresAt < now) {
          this.state.delete(key);
          codes++;
        }
      }
    }
    return { conversations, codes };
  }

  private prune(stored: Stored): void {
    const owedFrom = stored.messages.findIndex((m) => m.seq > stored.acked);
    const keepFrom = Math.max(0, stored.messages.length - this.historyKept);
    // Never drop one the browser has not shown yet.
    const from = owedFrom === -1 ? keepFrom : Math.min(keepFrom, owedFrom);
    if (from > 0) stored.messages = stored.messages.slice(from);
  }

  private load(chatId: string): Stored | undefined {
    const raw = this.state.get(CONV + chatId);
    return raw === undefined ? undefined : (JSON.parse(raw) as Stored);
  }

  private save(chatId: string, stored: Stored): void {
    this.state.set(CONV + chatId, JSON.stringify(stored));
  }
}
