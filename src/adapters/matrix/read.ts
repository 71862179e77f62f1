/**
 * Reading Matrix events: what a room event says to the guide (text, a file, something it cannot read, or nothing),
 * with the quoted message of a reply dropped. Pure: no client, no state.
 */
import type { MediaKind, MediaRef } from '../../engine/media.js';
import type { InboundInput, UnsupportedKind } from '../../engine/types.js';

/** The platform's name: the first part of its conversations' keys ("matrix:!room:server @user:server"). */
export const MATRIX_PLATFORM = 'matrix';

/** A client-server API event as /sync gives it (only what we read). */
export interface RawEvent {
  type: string;
  event_id: string;
  sender: string;
  state_key?: string;
  content?: Record<string, unknown>;
  unsigned?: { prev_content?: Record<string, unknown> };
}

export type EventReading =
  | { kind: 'input'; input: InboundInput }
  /** An encrypted event: unreadable when encryption is off. */
  | { kind: 'encrypted' };

/** An event's `m.relates_to` (threads, replies, edits), as far as we read it. */
export type Relation = {
  rel_type?: unknown;
  event_id?: unknown;
  is_falling_back?: unknown;
  'm.in_reply_to'?: { event_id?: unknown };
};

export function relationOf(event: Pick<RawEvent, 'content'>): Relation | undefined {
  const relation = event.content?.['m.relates_to'];
  return relation && typeof relation === 'object' ? (relation as Relation) : undefined;
}

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

/** The key MSC3245 adds to an `m.audio` recorded as a voice message (Element's, FluffyChat's). */
export const VOICE_KEY = 'org.matrix.msc3245.voice';

const MEDIA_MSGTYPES = new Set(['m.image', 'm.file', 'm.audio', 'm.video']);

function mediaKind(msgtype: string, content: Record<string, unknown>): MediaKind {
  if (msgtype === 'm.image') return 'photo';
  if (msgtype === 'm.video') return 'video';
  if (msgtype === 'm.audio') return content[VOICE_KEY] !== undefined ? 'voice' : 'audio';
  return 'document';
}

/** A file event as it reads: the file's reference and the words sent with it; or encrypted; or not a file. */
export type MediaReading = { kind: 'media'; media: MediaRef; caption?: string } | { kind: 'encrypted' } | undefined;

/**
 * An `m.image` / `m.file` / `m.audio` / `m.video` event's file: its mxc URI as the platform's id, its type and size
 * from `info`, its name. Since Matrix 1.10 (MSC2530), `body` is a caption when `filename` is set and differs from
 * it, and the file's name otherwise. An encrypted file (`file` instead of `url`) cannot be read without crypto.
 */
export function readMedia(content: Record<string, unknown>): MediaReading {
  const msgtype = content.msgtype;
  if (typeof msgtype !== 'string' || !MEDIA_MSGTYPES.has(msgtype)) return undefined;
  const url = content.url;
  if (typeof url !== 'string' || !url.startsWith('mxc://')) return content.file && typeof content.file === 'object' ? { kind: 'encrypted' } : undefined;
  const info = content.info && typeof content.info === 'object' ? (content.info as Record<string, unknown>) : {};
  const body = typeof content.body === 'string' ? content.body : undefined;
  const filename = typeof content.filename === 'string' && content.filename ? content.filename : undefined;
  const media: MediaRef = {
    platform: MATRIX_PLATFORM,
    id: url,
    kind: mediaKind(msgtype, content),
    ...(typeof info.mimetype === 'string' && info.mimetype ? { mimeType: info.mimetype } : {}),
    ...(typeof info.size === 'number' && Number.isFinite(info.size) && info.size >= 0 ? { size: info.size } : {}),
    ...((filename ?? body) ? { filename: filename ?? body } : {}),
  };
  const relation = content['m.relates_to'] as Relation | undefined;
  const said = filename !== undefined && body !== undefined && body !== filename ? (relation?.['m.in_reply_to'] ? stripReplyFallback(body) : body).trim() : '';
  return { kind: 'media', media, ...(said ? { caption: said } : {}) };
}

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
  const relation = relationOf(event);
  if (relation?.rel_type === 'm.replace') return { kind: 'input', input: { kind: 'unsupported', what: 'edit' } };
  const msgtype = content.msgtype;
  if (typeof msgtype !== 'string' || msgtype === 'm.notice') return null;
  if (msgtype === 'm.text' || msgtype === 'm.emote') {
    if (typeof content.body !== 'string') return null;
    const text = relation?.['m.in_reply_to'] ? stripReplyFallback(content.body) : content.body;
    return { kind: 'input', input: { kind: 'text', text } };
  }
  const file = readMedia(content);
  if (file?.kind === 'media') return { kind: 'input', input: file };
  return { kind: 'input', input: { kind: 'unsupported', what: MSGTYPE_KINDS[msgtype] ?? 'other' } };
}

/** A user id's localpart ("@alice:example.org" → "alice"): a name when no display name is set. */
export function localpart(userId: string): string {
  return userId.replace(/^@/, '').replace(/:.*$/, '') || userId;
}
