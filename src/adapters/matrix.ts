/**
 * The Matrix chat, with matrix-bot-sdk: direct chats only (silent in rooms with more members), replies as
 * `m.notice` with an HTML `formatted_body` and a plain `body`, choices as a numbered list. It knows nothing of the
 * conversation itself: events become `Inbound`s (the event id as message id, so a replayed event is never answered
 * twice), `OutMessage`s become notices; the engine decides everything else.
 *
 *   /sync batch → readEvent() → per-room queue → engine.receive() → … → send(): noticeContents() → PUT …/send
 *
 * - A conversation belongs to the person, not to the room: its chat id is "<room id> <user id>" of the person who
 *   was in the direct chat when the bot joined it (user and room ids never hold a space). Only their events are
 *   answered. When they leave, the bot leaves too: whoever stays (a relative they invited) inherits nothing — not
 *   their /mydata, not their volunteer, not /forget — and a reply to them throws RecipientGoneError.
 * - Invitations are accepted; the welcome is sent when the bot's join arrives, in a room of two (the person and
 *   the bot). A room that is not a direct chat when the bot joins (nor the desk) is left at once. In a direct chat
 *   where a third person came in, the bot stays silent; left alone in a room, it leaves.
 * - The sync token is saved in SQLite (./matrix-storage.ts) only once every event of its batch has been handled:
 *   a crash replays the batch, and the engine's record of event ids turns the replay into nothing.
 * - Encryption: on where the SDK's native crypto module loads (./matrix-sdk.ts), with the Rust crypto store in
 *   `<database folder>/matrix-crypto/`. Off otherwise, said once in the log at start; in an encrypted room the
 *   person is then told, plainly, how to reach the bot in an unencrypted one, and nothing else happens there.
 * - The volunteers' desk (option `desk`, MATRIX_DESK_ROOM_ID): the bot joins that room at start (it must be invited,
 *   or start fails); everything said there goes to the desk core (DeskRegistry.receive) through ./matrix-desk.ts,
 *   never to the guide, in the room's order; no welcome there, and the bot never leaves it.
 * - A reply to a person who left their room (or whose room the bot is no longer in) throws RecipientGoneError.
 * - Logs carry event names and Matrix error codes: never a message, a token, a room or a user id.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IFilterInfo, MatrixClient } from 'matrix-bot-sdk';
import type { Engine } from '../engine/engine.js';
import { KeyedQueue } from '../engine/keyed-queue.js';
import type { InboundInput, OutChoice, OutMessage, Sender, UnsupportedKind } from '../engine/types.js';
import { LANGUAGES, type Lang, type Texts } from '../render/i18n.js';
import { linesOf, parseMarkup, type Span, type Line } from '../render/markup.js';
import { escapeHtml } from './kit/html.js';
import { RecipientGoneError, type DeskInbound, type DeskRegistry } from '../desk/port.js';
import { MATRIX_DESK, MatrixDesk, readDeskEvent } from './matrix-desk.js';

export { escapeHtml };
import type { Db } from '../store/database.js';
import type { Log } from '../log.js';
import { loadMatrixSdk, type CryptoStatus, type MatrixSdk } from './matrix-sdk.js';
import { SqliteStorageProvider } from './matrix-storage.js';

export const MATRIX_PLATFORM = 'matrix';

/** The conversation of `userId` in `roomId`: the chat id the engine knows it by. */
export function matrixChatId(roomId: string, userId: string): string {
  return `${roomId} ${userId}`;
}

/** "<room> <user>" → both; a chat id from before conversations had an owner is a room id alone. */
export function parseMatrixChatId(chatId: string): { roomId: string; owner?: string } {
  const space = chatId.indexOf(' ');
  return space < 0 ? { roomId: chatId } : { roomId: chatId.slice(0, space), owner: chatId.slice(space + 1) };
}

const conversationOf = (roomId: string, userId: string) => `${MATRIX_PLATFORM}:${matrixChatId(roomId, userId)}`;
/**
 * Matrix refuses events over 65,536 bytes (the whole event, signatures and all): the content of one of ours stays
 * under this many bytes of JSON, longer replies are cut into several notices.
 */
export const CONTENT_LIMIT = 48_000;
/** `StoreType.Sqlite` of @matrix-org/matrix-sdk-crypto-nodejs (a const enum, not importable as a value). */
const RUST_STORE_SQLITE = 1;
/** What the operator can do when the native crypto module is missing. */
export const ENCRYPTION_FIX = 'npm rebuild @matrix-org/matrix-sdk-crypto-nodejs (downloads its binary; needs access to github.com)';

/** A client-server API event as /sync gives it (only what we read). */
export interface RawEvent {
  type: string;
  event_id: string;
  sender: string;
  state_key?: string;
  content?: Record<string, unknown>;
  unsigned?: { prev_content?: Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading events
// ---------------------------------------------------------------------------------------------------------------

type DeskInboundInput = DeskInbound['input'];

export type EventReading =
  | { kind: 'input'; input: InboundInput }
  /** An encrypted event: unreadable when encryption is off. */
  | { kind: 'encrypted' };

const MSGTYPE_KINDS: Record<string, UnsupportedKind> = {
  'm.image': 'photo',
  'm.video': 'video',
  'm.audio': 'voice',
  'm.file': 'document',
  'm.location': 'location',
};

const EVENT_KINDS: Record<string, UnsupportedKind> = {
  'm.sticker': 'sticker',
  'm.reaction': 'reaction',
  'm.poll.start': 'poll',
  'org.matrix.msc3381.poll.start': 'poll',
  'm.call.invite': 'other',
};

/** A reply's body starts with the quoted message ("> <@a:b> …" lines, then a blank line): keep only the answer. */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('>')) i++;
  if (i === 0) return body;
  if (i < lines.length && lines[i]!.trim() === '') i++;
  return lines.slice(i).join('\n');
}

/**
 * What a room event (not a state event) says to the guide, or null for what is not addressed to it: notices (what
 * bots send: never answered, so two bots cannot loop), redactions, receipts, calls' signalling, unknown types.
 */
export function readEvent(event: RawEvent): EventReading | null {
  if (typeof event.state_key === 'string') return null;
  const content = event.content ?? {};
  if (event.type === 'm.room.encrypted') return { kind: 'encrypted' };
  const kind = EVENT_KINDS[event.type];
  if (kind) return { kind: 'input', input: { kind: 'unsupported', what: kind } };
  if (event.type !== 'm.room.message') return null;
  const relation = content['m.relates_to'] as { rel_type?: unknown; 'm.in_reply_to'?: unknown } | undefined;
  if (relation?.rel_type === 'm.replace') return { kind: 'input', input: { kind: 'unsupported', what: 'edit' } };
  const msgtype = content.msgtype;
  if (typeof msgtype !== 'string' || msgtype === 'm.notice') return null;
  if (msgtype === 'm.text' || msgtype === 'm.emote') {
    if (typeof content.body !== 'string') return null;
    const text = relation?.['m.in_reply_to'] ? stripReplyFallback(content.body) : content.body;
    return { kind: 'input', input: { kind: 'text', text } };
  }
  return { kind: 'input', input: { kind: 'unsupported', what: MSGTYPE_KINDS[msgtype] ?? 'other' } };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing messages
// ---------------------------------------------------------------------------------------------------------------

export interface NoticeContent {
  msgtype: 'm.notice';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
}


function spanHtml(span: Span): string {
  const text = escapeHtml(span.text);
  if (span.kind === 'code') return span.text.includes('\n') ? `<pre><code>${text}</code></pre>` : `<code>${text}</code>`;
  const lines = text.replace(/\n/g, '<br>');
  return span.kind === 'bold' ? `<strong>${lines}</strong>` : lines;
}

/** Our markup → Matrix HTML (`<strong>`, `<code>`, `<br>`), every span's text escaped. */
export function toHtml(spans: readonly Span[]): string {
  return spans.map(spanHtml).join('');
}

export function toPlain(spans: readonly Span[]): string {
  return spans.map((span) => span.text).join('');
}

function choicesHtml(choices: readonly OutChoice[]): string {
  return choices.length ? `<ol>${choices.map((c) => `<li>${escapeHtml(c.label)}</li>`).join('')}</ol>` : '';
}

function choicesPlain(choices: readonly OutChoice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

function notice(spans: readonly Span[], choices: readonly OutChoice[]): NoticeContent {
  const text = toPlain(spans).trim();
  const list = choicesPlain(choices);
  return {
    msgtype: 'm.notice',
    body: [text, list].filter(Boolean).join('\n\n') || '…',
    format: 'org.matrix.custom.html',
    formatted_body: (toHtml(trimSpans(spans)) + choicesHtml(choices)) || '…',
  };
}

/** Leading and trailing blank lines dropped (they would be `<br>`s). */
function trimSpans(spans: readonly Span[]): Span[] {
  const out = spans.map((s) => ({ ...s }));
  while (out.length && out[0]!.kind === 'text' && !out[0]!.text.trim()) out.shift();
  while (out.length && out[out.length - 1]!.kind === 'text' && !out[out.length - 1]!.text.trim()) out.pop();
  if (out[0]?.kind === 'text') out[0].text = out[0].text.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text = last.text.replace(/\s+$/, '');
  return out;
}

function bytes(content: object): number {
  return Buffer.byteLength(JSON.stringify(content), 'utf8');
}

/** A line too long for one notice, cut between code points into pieces under `limit`. */
function cutLine(line: Line, limit: number): Line[] {
  const pieces: Line[] = [];
  let piece: Line = [];
  let size = 0;
  for (const span of line) {
    let text = '';
    for (const char of span.text) {
      const charSize = Buffer.byteLength(char, 'utf8') * 6; // escaped in HTML and JSON, twice: generous
      if (size + charSize > limit && (text || piece.length)) {
        if (text) piece.push({ kind: span.kind, text } as Span);
        pieces.push(piece);
        piece = [];
        text = '';
        size = 0;
      }
      text += char;
      size += charSize;
    }
    if (text) piece.push({ kind: span.kind, text } as Span);
  }
  if (piece.length) pieces.push(piece);
  return pieces;
}

/**
 * A reply → the contents of its notices: one, almost always; several under `limit` bytes each when it is long, cut
 * between paragraphs, else between lines. The numbered choices end the last one.
 */
export function noticeContents(message: Pick<OutMessage, 'text' | 'choices'>, limit = CONTENT_LIMIT): NoticeContent[] {
  return spanNotices(parseMarkup(message.text), message.choices, limit);
}

/** Parsed markup → the contents of its notices (see noticeContents): for texts put together from spans. */
export function spanNotices(spans: readonly Span[], choices: readonly OutChoice[] = [], limit = CONTENT_LIMIT): NoticeContent[] {
  const message = { choices };
  const whole = notice(spans, message.choices);
  if (bytes(whole) <= limit) return [whole];

  const room = limit - bytes(notice([], message.choices)); // what the text may take in the last notice
  const budget = Math.max(1_000, Math.min(limit - 200, room));
  const size = (line: Line) => bytes(notice(line, []));
  const glue = (text: string): Span => ({ kind: 'text', text });

  // Units to pack: whole paragraphs; the lines of a paragraph too long; pieces of a line too long.
  const units: Array<{ spans: Span[]; before: string }> = [];
  const paragraphs: Line[][] = [[]];
  for (const line of linesOf(spans)) {
    if (line.every((span) => !span.text.trim())) paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  for (const paragraph of paragraphs.filter((p) => p.length > 0)) {
    const whole = paragraph.flatMap((line, i) => (i === 0 ? line : [glue('\n'), ...line]));
    if (size(whole) <= budget) {
      units.push({ spans: whole, before: '\n\n' });
      continue;
    }
    paragraph.forEach((line, i) => {
      const before = i === 0 ? '\n\n' : '\n';
      if (size(line) <= budget) units.push({ spans: line, before });
      else cutLine(line, budget / 2).forEach((piece, k) => units.push({ spans: piece, before: k === 0 ? before : '' }));
    });
  }

  const parts: Span[][] = [];
  let current: Span[] = [];
  for (const unit of units) {
    const joined = current.length ? [...current, ...(unit.before ? [glue(unit.before)] : []), ...unit.spans] : unit.spans;
    if (current.length && size(joined) > budget) {
      parts.push(current);
      current = unit.spans;
    } else current = joined;
  }
  if (current.length || parts.length === 0) parts.push(current);
  return parts.map((part, i) => notice(part, i === parts.length - 1 ? message.choices : []));
}

/** A document as notices, when it cannot be uploaded: its name, then its content in code blocks. */
export function fileAsNotices(file: NonNullable<OutMessage['attachment']>, chunkChars = 12_000): NoticeContent[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const line of file.content.split('\n')) {
    const pieces = line.length > chunkChars ? line.match(new RegExp(`[\\s\\S]{1,${chunkChars}}`, 'g'))! : [line];
    for (const piece of pieces) {
      if (chunk && chunk.length + piece.length + 1 > chunkChars) {
        chunks.push(chunk);
        chunk = '';
      }
      chunk = chunk ? `${chunk}\n${piece}` : piece;
    }
  }
  chunks.push(chunk);
  return chunks.map((text, i) => ({
    msgtype: 'm.notice',
    body: i === 0 ? `${file.filename}\n\n${text}` : text,
    format: 'org.matrix.custom.html',
    formatted_body: `${i === 0 ? `<p><strong>${escapeHtml(file.filename)}</strong></p>` : ''}<pre><code>${escapeHtml(text)}</code></pre>`,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and logs
// ---------------------------------------------------------------------------------------------------------------

/** A safe description of an error: Matrix's error code and HTTP status, or the kind of failure — never a body. */
export function describeError(error: unknown): Record<string, unknown> {
  const e = error as { errcode?: unknown; statusCode?: unknown; code?: unknown; name?: unknown } | null;
  if (e && typeof e.errcode === 'string') return { errcode: e.errcode, status: e.statusCode };
  if (e && typeof e.statusCode === 'number') return { status: e.statusCode };
  if (e && typeof e.code === 'string') return { error: e.code };
  return { error: error instanceof Error ? error.name : typeof error };
}

const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Worth trying again: rate-limited, the server failing, the network failing. */
function retryable(error: unknown): boolean {
  const e = error as { errcode?: unknown; statusCode?: unknown; code?: unknown } | null;
  if (!e) return false;
  if (e.errcode === 'M_LIMIT_EXCEEDED') return true;
  if (typeof e.statusCode === 'number') return e.statusCode === 429 || e.statusCode >= 500;
  return typeof e.code === 'string' && NETWORK_ERRORS.has(e.code);
}

/** Matrix ids (`@user:server`, `!room:server`, `#alias:server`, `$event`), plain or URL-encoded, masked in SDK logs. */
function maskIds(text: string): string {
  return text
    .replace(/[@!#+][^\s:'",/]+:[A-Za-z0-9.\-[\]:]+/g, '<id>')
    .replace(/\$[A-Za-z0-9_\-+/=.]+/g, '<id>')
    .replace(/%(?:21|23|24|40)[^\s/?&'"]+/gi, '<id>')
    .replace(/access_token=[^&\s]+/g, 'access_token=<redacted>');
}

function sdkMessage(parts: unknown[]): string {
  return maskIds(
    parts
      .map((part) =>
        part instanceof Error
          ? `${part.name}: ${(part as { errcode?: string }).errcode ?? part.message}`
          : typeof part === 'object' && part !== null
            ? String((part as { errcode?: unknown }).errcode ?? '[object]')
            : String(part),
      )
      .join(' '),
  ).slice(0, 300);
}

/** matrix-bot-sdk's own log lines, into ours: masked, and its HTTP client's (every failed request) at debug. */
function routeSdkLogs(sdk: MatrixSdk, log: Log): void {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (module: string, ...parts: unknown[]) =>
    log('matrix_sdk', { module, message: sdkMessage(parts) }, module === 'MatrixHttpClient' ? 'debug' : level);
  sdk.LogService.setLogger({ trace: () => {}, debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') });
  sdk.LogService.setLevel(sdk.LogLevel.INFO);
}

// ---------------------------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------------------------

export interface MatrixOptions {
  engine: Engine;
  texts: Texts;
  /** The database the engine uses: the SDK's state (sync token, filter) goes in its `adapter_state` table. */
  db: Db;
  /** MATRIX_HOMESERVER_URL: the client-server API's base URL, e.g. https://matrix.example.org. */
  homeserverUrl: string;
  /** MATRIX_ACCESS_TOKEN of the bot's account. Never logged. */
  accessToken: string;
  log?: Log;
  /** The Rust crypto store's folder: `<database folder>/matrix-crypto` by default; null for no encryption. */
  cryptoDir?: string | null;
  /** Stands for what loading the SDK found about its native crypto module (tests play a machine without it). */
  crypto?: CryptoStatus;
  /** Long-polling timeout of /sync, in ms (30 s). */
  syncTimeoutMs?: number;
  /** How long stop() lets the events in hand finish. */
  stopGraceMs?: number;
  /** Attempts per event sent when rate-limited or the network fails (4). */
  sendAttempts?: number;
  /**
   * The volunteers' desk (MATRIX_DESK_ROOM_ID): its room, and the desk core to register the port with and hand
   * what volunteers say.
   */
  desk?: { roomId: string; registry: DeskRegistry };
}

/** A room as far as the guide cares: who is in it (joined or invited), and whether it is encrypted. */
interface RoomInfo {
  members: Map<string, string>;
  /** Display names from the members' state (the desk shows who said what). */
  names: Map<string, string>;
  encrypted: boolean;
}

/**
 * The crypto store holds the bot device's keys (whoever reads them reads the encrypted chats): its folder is made
 * owner-only before the SDK creates it with the default mode, and files an older run left readable are narrowed.
 */
function protectFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o700 : 0o600);
  }
}

/** A user id's localpart ("@alice:example.org" → "alice"): a name when no display name is set. */
function localpart(userId: string): string {
  return userId.replace(/^@/, '').replace(/:.*$/, '') || userId;
}

export class MatrixStartError extends Error {
  override name = 'MatrixStartError';
}

/** The sync filter: no presence, typing or receipts; room timelines and state as they come. */
export const SYNC_FILTER = {
  presence: { not_types: ['*'] },
  room: { ephemeral: { not_types: ['*'] }, timeline: { limit: 50 } },
} as const;

const NOTICED_KEPT = 1_000;

export class MatrixAdapter implements Sender {
  private readonly sdk: MatrixSdk;
  private readonly log: Log;
  private readonly storage: SqliteStorageProvider;
  private readonly queue = new KeyedQueue();
  private readonly rooms = new Map<string, RoomInfo>();
  /** The language of the last reply in each room (for the encrypted-room notice). */
  private readonly langs = new Map<string, Lang>();
  /** Encrypted events already answered with the notice (they never reach the engine and its record of ids). */
  private readonly noticed = new Set<string>();
  /** Events of the batch in hand not to answer: before the bot's join, or the whole first sync's history. */
  private readonly skipped = new Set<string>();
  private client?: MatrixClient;
  private userId = '';
  private encryption: { on: true } | { on: false; reason: string };
  private txnCounter = 0;
  /** The desk's port, when the desk is configured. */
  private readonly deskPort?: MatrixDesk;
  private deskEncryptedSaid = false;
  /** Rooms the bot left or was removed from (a reply there cannot arrive). */
  private readonly leftRooms = new Set<string>();
  private catchingUp = false;
  /** Started: the client (and its crypto) prepared, replies can go out. */
  private ready = false;
  private stopping = false;
  private stopped?: Promise<void>;
  private finish!: () => void;
  /** Settles when the adapter has stopped. */
  readonly done: Promise<void>;

  constructor(private readonly options: MatrixOptions) {
    this.log = options.log ?? (() => {});
    const loaded = loadMatrixSdk();
    this.sdk = loaded.sdk;
    routeSdkLogs(this.sdk, this.log);
    const crypto = options.crypto ?? loaded.crypto;
    const cryptoDir = this.cryptoDir();
    this.encryption = !crypto.available
      ? { on: false, reason: crypto.reason }
      : cryptoDir
        ? { on: true }
        : { on: false, reason: 'no folder for the crypto store (the database is in memory)' };
    if (this.encryption.on && cryptoDir) protectFolder(cryptoDir);
    this.storage = new SqliteStorageProvider(options.db);
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
    options.engine.register(MATRIX_PLATFORM, this);
    if (options.desk) {
      const roomId = options.desk.roomId;
      this.deskPort = new MatrixDesk(() => this.requireClient(), roomId, {
        db: options.db,
        log: this.log,
        send: (room, content) => this.sendContent(room, content),
        // The room's whole state is read once, then kept up to date by /sync: someone absent from it never joined.
        membership: async (userId) => (this.ready ? ((await this.room(roomId)).members.get(userId) ?? 'leave') : undefined),
      });
      options.desk.registry.register(this.deskPort);
    }
  }

  /** The desk's port (registered with the desk core at construction), when `desk` is set. */
  get desk(): MatrixDesk | undefined {
    return this.deskPort;
  }

  private requireClient(): MatrixClient {
    if (!this.client || !this.ready) throw new Error('the Matrix adapter is not started yet');
    return this.client;
  }

  private isDesk(roomId: string): boolean {
    return roomId === this.options.desk?.roomId;
  }

  /** Whether encryption is on (known after start: it may have failed to prepare). */
  get encrypted(): boolean {
    return this.encryption.on;
  }

  /** The bot's user id (after start). */
  get botUserId(): string {
    return this.userId;
  }

  private cryptoDir(): string | null {
    if (this.options.cryptoDir !== undefined) return this.options.cryptoDir;
    const db = this.options.db;
    return db.memory ? null : join(dirname(db.name), 'matrix-crypto');
  }

  /**
   * Checks the token (whoami), prepares encryption where it is on (falling back to off if that fails), re-sends
   * replies left undelivered by the last run, then syncs. Resolves once syncing has started.
   */
  async start(): Promise<void> {
    const probe = this.makeClient(false);
    let whoami: { user_id: string; device_id?: string };
    try {
      whoami = await probe.getWhoAmI();
    } catch (error) {
      const detail = describeError(error);
      this.log('matrix_whoami_failed', detail, 'error');
      throw new MatrixStartError(
        detail.errcode
          ? `the Matrix homeserver refused the access token (${String(detail.errcode)}): check MATRIX_ACCESS_TOKEN`
          : `cannot reach the Matrix homeserver at MATRIX_HOMESERVER_URL (${String(detail.error ?? detail.status)})`,
      );
    }
    this.userId = whoami.user_id;
    if (this.options.desk) await this.joinDesk(probe, this.options.desk.roomId);
    if (this.encryption.on && !whoami.device_id) {
      this.encryption = { on: false, reason: 'the access token is not tied to a device (whoami gives no device_id)' };
    }
    this.catchingUp = !this.storage.getSyncToken();

    if (this.encryption.on) {
      this.client = this.makeClient(true);
      try {
        await this.startSyncing();
      } catch (error) {
        this.client.stop();
        this.encryption = { on: false, reason: `preparing encryption failed (${JSON.stringify(describeError(error))})` };
        this.client = undefined;
      }
    }
    if (!this.client) {
      this.client = probe;
      if (!this.encryption.on) {
        // Once per start, and plainly: the operator must know encrypted rooms are not served, and how to fix it.
        this.log('matrix_encryption_off', { reason: this.encryption.reason, fix: ENCRYPTION_FIX }, 'warn');
      }
      await this.startSyncing();
    }
    this.ready = true;
    this.log('matrix_started', { encryption: this.encryption.on ? 'on' : 'off' });
    // Replies a crash left undelivered, once the client (and its crypto) is ready; the sync runs meanwhile.
    await this.options.engine.flushOutbox().catch((error: unknown) => this.log('matrix_outbox_failed', describeError(error), 'warn'));
  }

  /** The bot must be in the desk room: joined already, or invited (it joins now). Start fails otherwise. */
  private async joinDesk(client: MatrixClient, roomId: string): Promise<void> {
    if (!/^![^:]+:.+$/.test(roomId)) {
      throw new MatrixStartError('MATRIX_DESK_ROOM_ID is not a Matrix room id (it looks like !abc:example.org; see the room settings, Advanced)');
    }
    try {
      await client.joinRoom(roomId);
      this.log('matrix_desk_joined');
    } catch (error) {
      const detail = describeError(error);
      this.log('matrix_desk_join_failed', detail, 'error');
      throw new MatrixStartError(
        `the bot cannot join the desk room MATRIX_DESK_ROOM_ID (${String(detail.errcode ?? detail.error ?? detail.status)}): invite the bot's account to that room, or check the id`,
      );
    }
  }

  private async startSyncing(): Promise<void> {
    const client = this.client!;
    this.attach(client);
    await client.start(SYNC_FILTER as unknown as IFilterInfo['filter']);
  }

  private makeClient(withCrypto: boolean): MatrixClient {
    const hooks = {
      before: (raw: unknown) => this.beforeBatch(raw),
      after: () => this.queue.idle(),
    };
    const cryptoStore = withCrypto ? new this.sdk.RustSdkCryptoStorageProvider(this.cryptoDir()!, RUST_STORE_SQLITE as never) : undefined;
    const Client = guideClientClass(this.sdk);
    const client = new Client(this.options.homeserverUrl, this.options.accessToken, this.storage, cryptoStore, hooks);
    client.syncingTimeout = this.options.syncTimeoutMs ?? 30_000;
    return client;
  }

  private attach(client: MatrixClient): void {
    client.on('room.invite', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => this.onInvite(roomId)));
    client.on('room.join', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => this.onJoin(roomId, event)));
    client.on('room.leave', (roomId: string) => {
      this.rooms.delete(roomId);
      this.leftRooms.add(roomId);
      if (this.isDesk(roomId)) this.log('matrix_desk_room_left', {}, 'error');
    });
    client.on('room.event', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => this.onEvent(roomId, event)));
    client.on('room.failed_decryption', (roomId: string, event: RawEvent) =>
      this.enqueue(roomId, event, () =>
        this.isDesk(roomId) ? this.toDesk(roomId, event, { kind: 'unsupported' }) : this.toEngine(roomId, event, { kind: 'unsupported', what: 'other' }),
      ),
    );
  }

  /**
   * Before the SDK hands out a batch's events: on a stop, refuse it (the token is not saved, the next run gets it
   * again); mark what not to answer — the history of a first sync, and what was said before the bot joined.
   */
  private beforeBatch(raw: unknown): void {
    if (this.stopping) throw new Error('stopping');
    this.skipped.clear();
    const joined = (raw as { rooms?: { join?: Record<string, { timeline?: { events?: RawEvent[]; limited?: boolean } }> } })?.rooms?.join ?? {};
    for (const [roomId, room] of Object.entries(joined)) {
      // A gap in the desk room's timeline may hide membership changes: its members are read afresh when needed.
      if (room.timeline?.limited && this.isDesk(roomId)) {
        this.rooms.delete(roomId);
        this.deskPort?.timelineGap(); // and its redactions: thread roots are looked up again
      }
      const events = room.timeline?.events ?? [];
      let until = this.catchingUp ? events.length : 0;
      events.forEach((event, i) => {
        const ours = event.type === 'm.room.member' && event.state_key === this.userId;
        if (ours && event.content?.membership === 'join' && event.unsigned?.prev_content?.membership !== 'join') until = Math.max(until, i);
      });
      for (const event of events.slice(0, until)) if (typeof event.state_key !== 'string' || this.catchingUp) this.skipped.add(event.event_id);
    }
    this.catchingUp = false;
  }

  /** Queues an event's handling behind its room's previous ones; a failure is logged, never thrown. */
  private enqueue(roomId: string, event: RawEvent | undefined, task: () => Promise<void>): void {
    if (this.stopping || (event && this.skipped.has(event.event_id))) return;
    void this.queue.run(roomId, async () => {
      try {
        await task();
      } catch (error) {
        this.log('matrix_event_failed', { type: event?.type, ...describeError(error) }, 'error');
      }
    });
  }

  private async onInvite(roomId: string): Promise<void> {
    try {
      await this.client!.joinRoom(roomId);
      this.log('matrix_invite_accepted');
    } catch (error) {
      this.log('matrix_join_failed', describeError(error), 'warn');
    }
  }

  private async onJoin(roomId: string, event: RawEvent): Promise<void> {
    this.rooms.delete(roomId); // fresh state: who else is here, encrypted or not
    this.leftRooms.delete(roomId);
    if (this.isDesk(roomId)) return; // no welcome on the desk
    const room = await this.room(roomId);
    // A group room is not a place for someone's e-mail move (nor worth syncing): the bot does not stay.
    if (!this.isDirect(room)) return this.leave(roomId, 'matrix_left_not_direct');
    if (room.encrypted && !this.encryption.on) return this.tellEncrypted(roomId, event.event_id);
    const owner = this.otherMember(room)!;
    await this.options.engine.receive({ conversation: { platform: MATRIX_PLATFORM, chatId: matrixChatId(roomId, owner) }, messageId: event.event_id, input: { kind: 'start' } });
  }

  private async leave(roomId: string, why: string): Promise<void> {
    this.rooms.delete(roomId);
    this.leftRooms.add(roomId);
    try {
      await this.client!.leaveRoom(roomId);
      this.log(why);
    } catch (error) {
      this.log('matrix_leave_failed', describeError(error), 'warn');
    }
  }

  /** The one person with the bot in a direct chat. */
  private otherMember(room: RoomInfo): string | undefined {
    return [...room.members].find(([user, m]) => user !== this.userId && (m === 'join' || m === 'invite'))?.[0];
  }

  /** Someone who had a conversation here and is no longer in the room: the room is theirs, not the newcomer's. */
  private ownerGone(roomId: string, room: RoomInfo): boolean {
    const repos = this.options.engine.repos;
    return [...room.members].some(
      ([user, m]) => user !== this.userId && m !== 'join' && m !== 'invite' && repos.conversation(conversationOf(roomId, user)) !== undefined,
    );
  }

  private async onEvent(roomId: string, event: RawEvent): Promise<void> {
    if (typeof event.state_key === 'string') return this.onState(roomId, event);
    if (this.isDesk(roomId)) return this.onDeskEvent(roomId, event);
    if (event.sender === this.userId) return;
    const reading = readEvent(event);
    if (!reading) return;
    if (reading.kind === 'encrypted' && this.encryption.on) return; // the SDK decrypts it, or reports a failure
    const room = await this.room(roomId);
    if (!this.isDirect(room)) return;
    if (reading.kind === 'encrypted' || (room.encrypted && !this.encryption.on)) return this.tellEncrypted(roomId, event.event_id);
    await this.toEngine(roomId, event, reading.input);
  }

  /** An event of the desk room: thread bookkeeping (the bot's own events too), then to the desk core. */
  private async onDeskEvent(roomId: string, event: RawEvent): Promise<void> {
    this.deskPort!.observe(event);
    if (event.sender === this.userId) return;
    if (event.type === 'm.room.encrypted') {
      if (this.encryption.on) return; // the SDK decrypts it, or reports a failure
      if (!this.deskEncryptedSaid) this.log('matrix_desk_encrypted', { fix: ENCRYPTION_FIX }, 'warn'); // once: relayed as unsupported
      this.deskEncryptedSaid = true;
    }
    const input = readDeskEvent(event);
    if (input) await this.toDesk(roomId, event, input);
  }

  private async toDesk(roomId: string, event: RawEvent, input: DeskInboundInput): Promise<void> {
    if (event.sender === this.userId) return;
    const threadId = await this.deskPort!.threadOf(event);
    const room = await this.room(roomId);
    await this.options.desk!.registry.receive({
      desk: MATRIX_DESK,
      ...(threadId ? { threadId } : {}),
      messageId: event.event_id,
      from: { id: event.sender, name: room.names.get(event.sender) || localpart(event.sender) },
      input,
    });
  }

  private async toEngine(roomId: string, event: RawEvent, input: InboundInput): Promise<void> {
    if (event.sender === this.userId) return;
    const room = await this.room(roomId);
    if (!this.isDirect(room)) return;
    // The person who had this room left it (the bot learnt it late: a restart, a gap): not handed to whoever is here.
    if (this.ownerGone(roomId, room)) return this.leave(roomId, 'matrix_left_owner_gone');
    const chatId = matrixChatId(roomId, event.sender);
    // A conversation from before they had an owner (keyed by the room): it becomes the person's, who is alone
    // with the bot in it — as it was read before.
    const legacy = `${MATRIX_PLATFORM}:${roomId}`;
    if (this.options.engine.repos.conversation(legacy)) this.options.engine.renameConversation(legacy, `${MATRIX_PLATFORM}:${chatId}`);
    // The display name goes no further than this turn unless the person agrees to show it to a volunteer.
    const displayName = room.names.get(event.sender) || undefined;
    await this.options.engine.receive({
      conversation: { platform: MATRIX_PLATFORM, chatId },
      messageId: event.event_id,
      ...(displayName ? { displayName } : {}),
      input,
    });
  }

  /** Membership and encryption kept up to date; left alone in a room, the bot leaves it. */
  private async onState(roomId: string, event: RawEvent): Promise<void> {
    const membership = event.type === 'm.room.member' ? String(event.content?.membership ?? 'leave') : undefined;
    const desk = this.isDesk(roomId);
    const someoneLeft = membership !== undefined && membership !== 'join' && membership !== 'invite' && event.state_key !== this.userId && !desk;
    // Not known yet: read afresh when next needed — unless someone left, which may leave the bot alone.
    const room = someoneLeft ? await this.room(roomId) : this.rooms.get(roomId);
    if (!room) return;
    if (event.type === 'm.room.encryption') room.encrypted = true;
    if (membership === undefined) return;
    room.members.set(event.state_key!, membership);
    const name = event.content?.displayname;
    if (typeof name === 'string' && name.trim()) room.names.set(event.state_key!, name.trim());
    else room.names.delete(event.state_key!);
    if (desk) return; // the bot stays on the desk, even alone
    const present = [...room.members].filter(([, m]) => m === 'join' || m === 'invite');
    if (event.state_key !== this.userId && present.length === 1 && present[0]![0] === this.userId) {
      return this.leave(roomId, 'matrix_left_empty_room');
    }
    // The person whose conversation this room holds left: the bot leaves with them, never staying for the others.
    if (someoneLeft && this.options.engine.repos.conversation(conversationOf(roomId, event.state_key!))) {
      return this.leave(roomId, 'matrix_left_owner_gone');
    }
  }

  private async room(roomId: string): Promise<RoomInfo> {
    let room = this.rooms.get(roomId);
    if (!room) {
      const state = (await this.client!.getRoomState(roomId)) as RawEvent[];
      room = { members: new Map(), names: new Map(), encrypted: false };
      for (const event of state) {
        if (event.type === 'm.room.member' && typeof event.state_key === 'string') {
          room.members.set(event.state_key, String(event.content?.membership));
          const name = event.content?.displayname;
          if (typeof name === 'string' && name.trim()) room.names.set(event.state_key, name.trim());
        }
        if (event.type === 'm.room.encryption') room.encrypted = true;
      }
      this.rooms.set(roomId, room);
    }
    return room;
  }

  /** A direct chat: the bot and one other person (joined or invited). */
  private isDirect(room: RoomInfo): boolean {
    const present = [...room.members].filter(([, m]) => m === 'join' || m === 'invite').map(([user]) => user);
    return present.length === 2 && present.includes(this.userId);
  }

  /** In an encrypted room without encryption: how to reach the bot, in the person's language if known. */
  private async tellEncrypted(roomId: string, eventId: string): Promise<void> {
    if (this.noticed.has(eventId)) return;
    this.noticed.add(eventId);
    if (this.noticed.size > NOTICED_KEPT) this.noticed.delete(this.noticed.values().next().value as string);
    const known = this.langs.get(roomId);
    const text = (known ? [known] : [...LANGUAGES]).map((lang) => this.options.texts.t(lang)('common:matrix.encrypted', { bot: this.userId })).join('\n\n');
    await this.sendContent(roomId, noticeContents({ text, choices: [] })[0]!);
    this.log('matrix_encrypted_room_notice');
  }

  /**
   * Delivers one reply: its notice(s), then its document. Throws if the homeserver refuses (the engine keeps the
   * reply for a retry) — an error saying only Matrix's error code: the engine logs its message.
   */
  async send(chatId: string, message: OutMessage): Promise<void> {
    if (!this.ready) throw new Error('the Matrix adapter is not started yet'); // its own start re-sends it
    const { roomId, owner } = parseMatrixChatId(chatId);
    if (this.leftRooms.has(roomId) || this.aloneIn(roomId) || (owner && this.gone(roomId, owner))) {
      throw new RecipientGoneError('the person left the Matrix room');
    }
    this.langs.set(roomId, message.lang);
    try {
      for (const content of noticeContents(message)) await this.sendContent(roomId, content);
      if (message.attachment) await this.sendAttachment(roomId, message.attachment);
    } catch (error) {
      const detail = describeError(error);
      if (detail.errcode === 'M_FORBIDDEN' && !(await this.botIsIn(roomId))) throw new RecipientGoneError('the bot is no longer in the Matrix room');
      throw new Error(`Matrix refused the reply (${JSON.stringify(detail)})`);
    }
  }

  /** The person is known to have left the room (their words must not go to whoever stayed). */
  private gone(roomId: string, userId: string): boolean {
    const membership = this.rooms.get(roomId)?.members.get(userId);
    return membership !== undefined && membership !== 'join' && membership !== 'invite';
  }

  /** Known to hold nobody but the bot (the person left, the bot not yet). */
  private aloneIn(roomId: string): boolean {
    const room = this.rooms.get(roomId);
    return !!room && ![...room.members].some(([user, m]) => user !== this.userId && (m === 'join' || m === 'invite'));
  }

  /** After a refusal: whether the bot is still in the room (true when it cannot even ask: not known to be gone). */
  private async botIsIn(roomId: string): Promise<boolean> {
    try {
      return (await this.client!.getJoinedRooms()).includes(roomId);
    } catch {
      return true;
    }
  }

  /**
   * One event, with a transaction id of its own kept across retries (the homeserver answers a repeated one with
   * the event it already has); encrypted first where the room and the client are.
   */
  private async sendContent(roomId: string, content: object): Promise<string> {
    const client = this.client;
    if (!client) throw new Error('the Matrix adapter is not started');
    const txnId = `demailbot.${Date.now().toString(36)}.${(++this.txnCounter).toString(36)}`;
    const attempts = this.options.sendAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        let type = 'm.room.message';
        let body: object = content;
        if (client.crypto && (await client.crypto.isRoomEncrypted(roomId))) {
          body = await client.crypto.encryptRoomEvent(roomId, type, content);
          type = 'm.room.encrypted';
          // Relations (threads, edits) stay readable by the server, as the spec asks.
          const relation = (content as { 'm.relates_to'?: unknown })['m.relates_to'];
          if (relation) body = { ...body, 'm.relates_to': relation };
        }
        const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
        const response = (await client.doRequest('PUT', path, null, body)) as { event_id: string };
        return response.event_id;
      } catch (error) {
        if (attempt >= attempts || !retryable(error) || this.stopping) {
          this.log('matrix_send_failed', { attempts: attempt, ...describeError(error) }, 'warn');
          throw error;
        }
        const after = (error as { retryAfterMs?: number }).retryAfterMs;
        await new Promise((resolve) => setTimeout(resolve, Math.min(after ?? 500 * 2 ** (attempt - 1), 30_000)));
      }
    }
  }

  /**
   * A document as an `m.file` (uploaded to the media repository; encrypted first in an encrypted room). If the
   * upload is refused, its content in code blocks instead.
   */
  private async sendAttachment(roomId: string, file: NonNullable<OutMessage['attachment']>): Promise<void> {
    const client = this.client!;
    const data = Buffer.from(file.content, 'utf8');
    const info = { mimetype: file.mimeType, size: data.length };
    let content: object;
    try {
      if (client.crypto && (await client.crypto.isRoomEncrypted(roomId))) {
        const encrypted = await client.crypto.encryptMedia(data);
        const url = await client.uploadContent(encrypted.buffer, 'application/octet-stream');
        content = { msgtype: 'm.file', body: file.filename, filename: file.filename, info, file: { ...encrypted.file, url } };
      } else {
        const url = await client.uploadContent(data, file.mimeType, file.filename);
        content = { msgtype: 'm.file', body: file.filename, filename: file.filename, info, url };
      }
    } catch (error) {
      this.log('matrix_upload_failed', describeError(error), 'warn');
      for (const notice of fileAsNotices(file)) await this.sendContent(roomId, notice);
      return;
    }
    await this.sendContent(roomId, content);
  }

  /** Stops syncing, lets the events in hand finish (up to the grace period). The database stays open. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.client?.stop();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? 10_000)));
      await Promise.race([this.queue.idle(), grace]);
      clearTimeout(timer);
      this.log('matrix_stopped');
      this.finish();
    })();
    return this.stopped;
  }

  /** Resolves when no event is being handled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}

interface BatchHooks {
  before(raw: unknown): void;
  after(): Promise<void>;
}

type GuideClientClass = new (
  homeserverUrl: string,
  accessToken: string,
  storage: SqliteStorageProvider,
  cryptoStore: InstanceType<MatrixSdk['RustSdkCryptoStorageProvider']> | undefined,
  hooks: BatchHooks,
) => MatrixClient;

const clientClasses = new WeakMap<MatrixSdk, GuideClientClass>();

/**
 * MatrixClient, with the sync token saved only after a batch was handled: the SDK's `persistTokenAfterSync`, and
 * `processSync` waiting for the adapter's queues (the SDK's event emitter does not wait for async listeners).
 */
function guideClientClass(sdk: MatrixSdk): GuideClientClass {
  let Client = clientClasses.get(sdk);
  if (!Client) {
    Client = class GuideClient extends sdk.MatrixClient {
      constructor(homeserverUrl: string, accessToken: string, storage: SqliteStorageProvider, cryptoStore: never, private readonly hooks: BatchHooks) {
        super(homeserverUrl, accessToken, storage, cryptoStore);
        this.persistTokenAfterSync = true;
      }

      protected override async processSync(raw: unknown, emitFn?: (type: string, ...payload: unknown[]) => Promise<unknown>): Promise<unknown> {
        this.hooks.before(raw);
        const result: unknown = await super.processSync(raw, emitFn);
        await this.hooks.after();
        return result;
      }
    } as unknown as GuideClientClass;
    clientClasses.set(sdk, Client);
  }
  return Client;
}

/** Makes the adapter (it registers with the engine at once) and starts it. */
export async function startMatrix(options: MatrixOptions): Promise<MatrixAdapter> {
  const adapter = new MatrixAdapter(options);
  await adapter.start();
  return adapter;
}
