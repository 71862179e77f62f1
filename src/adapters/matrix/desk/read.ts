/** Reading the desk room's events: what volunteers say to the desk, and which event a reply answers. Pure. */
import type { DeskInbound } from '../../../desk/port.js';
import { readMedia, relationOf, stripReplyFallback, type RawEvent, type Relation } from '../read.js';

/** The event a reply answers (not a thread's fallback reply), if any. */
export function repliedTo(relation: Relation | undefined): string | undefined {
  const target = relation?.['m.in_reply_to']?.event_id;
  return typeof target === 'string' && relation?.is_falling_back !== true ? target : undefined;
}

const UNSUPPORTED_TYPES = new Set(['m.sticker', 'm.poll.start', 'org.matrix.msc3381.poll.start']);

/**
 * What an event of the desk room says to the desk: text, a file for the person (an image, a document, a voice
 * message, with its caption), something not relayable (a sticker, an encrypted file, a place…), or null for what is not addressed to it — state, notices (bots), edits, reactions, redactions, unknown types.
 * An encrypted event is `unsupported` (the adapter only asks when it cannot decrypt it).
 */
export function readDeskEvent(event: RawEvent): DeskInbound['input'] | null {
  if (typeof event.state_key === 'string') return null;
  if (event.type === 'm.room.encrypted' || UNSUPPORTED_TYPES.has(event.type)) return { kind: 'unsupported' };
  if (event.type !== 'm.room.message') return null;
  const content = event.content ?? {};
  const relation = relationOf(event);
  if (relation?.rel_type === 'm.replace') return null;
  const msgtype = content.msgtype;
  if (typeof msgtype !== 'string' || msgtype === 'm.notice') return null;
  if (msgtype === 'm.text' || msgtype === 'm.emote') {
    if (typeof content.body !== 'string') return null;
    const text = repliedTo(relation) ? stripReplyFallback(content.body) : content.body;
    return text.trim() ? { kind: 'text', text } : null;
  }
  const file = readMedia(content);
  if (file?.kind === 'media') return file;
  return { kind: 'unsupported' };
}
