/**
 * The files people send from the web chat (a screenshot, a photo of a letter, a PDF), kept in this process's memory
 * only — never on disk, never in SQLite (src/engine/media.ts: images cannot be masked like words) — until the desk
 * has fetched them (`WebChat.fetchMedia`) or their time is up.
 *
 * Bounded three ways: a time to live (24 h by default, so that the retries of a desk that was down a night still
 * find the file), a cap per conversation and a cap for all conversations together. Over a cap, the oldest files go
 * first (the ones most surely relayed already); a file that is gone is a MediaGoneError, which the core says in words.
 */
import { randomBytes } from 'node:crypto';
import { MediaGoneError, type MediaFile, type MediaKind } from '../../engine/media.js';

export interface UploadLimits {
  /** All the files kept, all conversations together (WEB_CHAT_MEDIA_TOTAL_MB). */
  totalBytes: number;
  /** The files one conversation keeps (WEB_CHAT_MEDIA_CONVERSATION_MB). */
  conversationBytes: number;
  /** How long a file is kept (WEB_CHAT_MEDIA_HOURS). */
  ttlMs: number;
}

export interface Upload {
  id: string;
  chatId: string;
  data: Buffer;
  /** What the bytes are (their magic number), not what the browser said. */
  mimeType: string;
  kind: MediaKind;
  filename: string;
  expiresAt: number;
}

/**
 * The types the web chat takes, by the bytes they start with: a picture or a PDF, as the attach button says. (Five
 * fixed signatures: a library of thousands of types would only be asked these five.)
 */
const SIGNATURES: ReadonlyArray<{ mimeType: string; kind: MediaKind; extension: string; test(head: Buffer): boolean }> = [
  { mimeType: 'image/png', kind: 'photo', extension: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mimeType: 'image/jpeg', kind: 'photo', extension: 'jpg', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/gif', kind: 'photo', extension: 'gif', test: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { mimeType: 'image/webp', kind: 'photo', extension: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mimeType: 'application/pdf', kind: 'document', extension: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

/** What a file's first bytes say it is; undefined when it is none of the types the chat takes. */
export function sniff(head: Buffer): { mimeType: string; kind: MediaKind; extension: string } | undefined {
  const found = SIGNATURES.find((signature) => signature.test(head));
  return found && { mimeType: found.mimeType, kind: found.kind, extension: found.extension };
}

/** The declared types the page may send (its `accept`): anything else is refused before a byte is read. */
export function isAcceptedDeclaredType(type: string | undefined): boolean {
  const plain = (type ?? '').toLowerCase().split(';')[0]!.trim();
  return /^image\/[a-z0-9.+-]+$/.test(plain) || plain === 'application/pdf';
}

/**
 * A file name fit to show a volunteer: no folder, no control or bidi character, at most 120 characters, with the
 * extension of what the file really is. A name that says nothing becomes "image.png" / "document.pdf".
 */
export function cleanFilename(raw: string | undefined, kind: MediaKind, extension: string): string {
  let name = '';
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    name = '';
  }
  name = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 110).trim();
  return `${stem || (kind === 'photo' ? 'image' : 'document')}.${extension}`;
}

export class UploadStore {
  private readonly files = new Map<string, Upload>();
  private total = 0;

  constructor(
    readonly limits: UploadLimits,
    private readonly now: () => number = Date.now,
    private readonly onEvict: (reason: 'expired' | 'conversationFull' | 'full', upload: Upload) => void = () => {},
  ) {}

  /** Keeps a file for a conversation; returns its unguessable id. The caps make room by dropping the oldest. */
  put(chatId: string, file: { data: Buffer; mimeType: string; kind: MediaKind; filename: string }): Upload {
    this.expire();
    const size = file.data.length;
    // Map order is insertion order: the first ones met are the oldest.
    for (const old of this.files.values()) {
      if (this.bytesOf(chatId) + size <= this.limits.conversationBytes) break;
      if (old.chatId === chatId) this.drop(old, 'conversationFull');
    }
    for (const old of this.files.values()) {
      if (this.total + size <= this.limits.totalBytes) break;
      this.drop(old, 'full');
    }
    const upload: Upload = { id: randomBytes(24).toString('base64url'), chatId, ...file, expiresAt: this.now() + this.limits.ttlMs };
    this.files.set(upload.id, upload);
    this.total += size;
    return upload;
  }

  /** The file under `id`, when it is still kept (and, with `chatId`, only if it is that conversation's). */
  get(id: string, chatId?: string): Upload | undefined {
    const upload = this.files.get(id);
    if (!upload) return undefined;
    if (upload.expiresAt <= this.now()) {
      this.drop(upload, 'expired');
      return undefined;
    }
    return chatId === undefined || upload.chatId === chatId ? upload : undefined;
  }

  /** The bytes for the platform that relays it; MediaGoneError when the file is no longer kept. */
  fetch(id: string): MediaFile {
    const upload = this.get(id);
    if (!upload) throw new MediaGoneError('this web chat file is no longer kept (its 24 hours are over, the person erased the conversation, or the chat restarted)');
    return { data: upload.data, mimeType: upload.mimeType, filename: upload.filename };
  }

  /** /oublier, or the conversation is gone: its files go at once. */
  dropConversation(chatId: string): number {
    let dropped = 0;
    for (const upload of [...this.files.values()]) {
      if (upload.chatId === chatId) {
        this.remove(upload);
        dropped++;
      }
    }
    return dropped;
  }

  /** Drops what is past its time, and the files of conversations `keep` no longer has. */
  sweep(keep: (chatId: string) => boolean): number {
    this.expire();
    let dropped = 0;
    for (const upload of [...this.files.values()]) {
      if (!keep(upload.chatId)) {
        this.remove(upload);
        dropped++;
      }
    }
    return dropped;
  }

  bytes(): number {
    return this.total;
  }

  count(): number {
    return this.files.size;
  }

  private bytesOf(chatId: string): number {
    let sum = 0;
    for (const upload of this.files.values()) if (upload.chatId === chatId) sum += upload.data.length;
    return sum;
  }

  private expire(): void {
    const now = this.now();
    for (const upload of [...this.files.values()]) if (upload.expiresAt <= now) this.drop(upload, 'expired');
  }

  private drop(upload: Upload, reason: 'expired' | 'conversationFull' | 'full'): void {
    this.remove(upload);
    this.onEvict(reason, upload);
  }

  private remove(upload: Upload): void {
    if (this.files.delete(upload.id)) this.total -= upload.data.length;
  }
}
