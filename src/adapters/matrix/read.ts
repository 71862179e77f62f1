/**
 * Reading Matrix events: what a room event says to the guide (text, something it cannot read, or nothing), with
 * the quoted message of a reply dropped. Pure: no client, no state.
 */
import type { InboundInput, UnsupportedKind } from '../../engine/types.js';

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
  return { kind: 'input', input: { kind: 'unsupported', what: MSGTYPE_KINDS[msgtype] ?? 'other' } };
}

/** A user id's localpart ("@alice:example.org" → "alice"): a name when no display name is set. */
export function localpart(userId: string): string {
  return userId.replace(/^@/, '').replace(/:.*$/, '') || userId;
}
