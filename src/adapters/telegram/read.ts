/**
 * Reading Telegram's updates: what a person did in a private chat becomes the `Inbound` the engine receives. The
 * guide lives in private chats only: groups, channels and service messages are not for it (the desk group's updates
 * are the desk's, ./desk/updates.ts).
 */
import type { Message, Update } from 'grammy/types';
import type { Inbound, UnsupportedKind } from '../../engine/types.js';
import type { MediaRef } from '../../engine/media.js';

/** The platform's name: the first part of its conversations' keys ("telegram:42"). */
export const TELEGRAM_PLATFORM = 'telegram';
/** Telegram's limit for a button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/** The only updates we ask for: messages, edits (answered kindly) and button presses. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** A button's callback_data: the prompt number and the choice id, `12:provider:posteo`. */
export function encodeChoice(promptSeq: number, choice: string): string {
  const data = `${promptSeq}:${choice}`;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) {
    throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes for choice "${choice}"`);
  }
  return data;
}

/**
 * The choice a button carries. Data we did not write (another bot version, a forged query) becomes a press with
 * no prompt number, which the engine answers as a stale button: the current question again.
 */
export function decodeChoice(data: string | undefined): { choice: string; promptSeq: number } {
  const match = /^(\d{1,15}):(.+)$/s.exec(data ?? '');
  return match ? { promptSeq: Number(match[1]), choice: match[2]! } : { promptSeq: -1, choice: '' };
}

/** What a message that is neither text nor a file we relay (./mediaOf) is, or undefined for a service message (pinned, timer changed…): not answered. */
export function unsupportedKind(message: Message): UnsupportedKind | undefined {
  const has = (key: string) => key in message && (message as unknown as Record<string, unknown>)[key] !== undefined;
  if (has('sticker')) return 'sticker';
  if (has('photo')) return 'photo';
  if (has('voice') || has('audio')) return 'voice';
  if (has('video') || has('video_note') || has('animation')) return 'video';
  if (has('document')) return 'document';
  if (has('location') || has('venue')) return 'location';
  if (has('contact')) return 'contact';
  if (has('poll')) return 'poll';
  for (const key of ['dice', 'game', 'story', 'invoice', 'paid_media', 'giveaway', 'checklist']) if (has(key)) return 'other';
  return undefined;
}

/**
 * A file someone sent, as the engine and the desk take it: its Telegram file_id (valid for this bot only, and
 * re-sent as it is: see ./files.ts), kind, type, size and name; undefined for a message that carries no file we
 * relay. A photo comes in several sizes: the largest is the one a volunteer can read. A round video message
 * (video_note) and an animation (a GIF, an mp4 without sound) are videos for the other side.
 */
export function mediaOf(message: Message): { media: MediaRef; caption?: string } | undefined {
  const ref = fileOf(message);
  if (!ref) return undefined;
  const caption = message.caption?.trim();
  return { media: ref, ...(caption ? { caption } : {}) };
}

function fileOf(message: Message): MediaRef | undefined {
  const ref = (
    kind: MediaRef['kind'],
    file: { file_id: string; file_size?: number; mime_type?: string; file_name?: string },
    mimeType = file.mime_type,
  ): MediaRef => ({
    platform: TELEGRAM_PLATFORM,
    id: file.file_id,
    kind,
    ...(mimeType ? { mimeType } : {}),
    ...(file.file_size !== undefined ? { size: file.file_size } : {}),
    ...(file.file_name ? { filename: file.file_name } : {}),
  });
  if (message.photo?.length) {
    // Telegram lists the sizes smallest first; by area, in case a server does not.
    const largest = message.photo.reduce((a, b) => (b.width * b.height >= a.width * a.height ? b : a));
    return ref('photo', largest, 'image/jpeg'); // Telegram re-encodes every photo as JPEG
  }
  // An animation also carries `document` (for old clients): it is read as what it is, a video.
  if (message.animation) return ref('video', message.animation);
  if (message.document) return ref('document', message.document);
  if (message.voice) return ref('voice', message.voice);
  if (message.audio) return ref('audio', message.audio);
  if (message.video) return ref('video', message.video);
  if (message.video_note) return ref('video', message.video_note, 'video/mp4'); // always mp4; Telegram gives no type
  return undefined;
}

const START = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** An update → what the engine receives, or null when it is not for the guide (groups, channels, service messages). */
export function inboundOf(update: Update): Inbound | null {
  const messageId = String(update.update_id);
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (!chat || chat.type !== 'private') return null;
    return {
      conversation: { platform: TELEGRAM_PLATFORM, chatId: String(chat.id) },
      messageId,
      ...hint(query.from.language_code),
      ...nameOf(query.from),
      input: { kind: 'choice', ...decodeChoice(query.data) },
    };
  }
  const message = update.message ?? update.edited_message;
  if (!message || message.chat.type !== 'private') return null;
  const base = {
    conversation: { platform: TELEGRAM_PLATFORM, chatId: String(message.chat.id) },
    messageId,
    ...hint(message.from?.language_code),
    ...nameOf(message.from),
  };
  if (update.edited_message) return { ...base, input: { kind: 'unsupported', what: 'edit' } };
  if (typeof message.text === 'string') {
    const start = START.exec(message.text.trim());
    if (start) {
      const payload = start[1]?.trim();
      return { ...base, input: { kind: 'start', ...(payload ? { payload } : {}) } };
    }
    return { ...base, input: { kind: 'text', text: message.text } };
  }
  const file = mediaOf(message);
  if (file) return { ...base, input: { kind: 'media', ...file } };
  const what = unsupportedKind(message);
  return what ? { ...base, input: { kind: 'unsupported', what } } : null;
}

function hint(languageCode: string | undefined): { langHint?: string } {
  return languageCode ? { langHint: languageCode } : {};
}

/** Used only if the person agrees to show it to a volunteer (never stored otherwise). */
function nameOf(from: { first_name: string; last_name?: string } | undefined): { displayName?: string } {
  const name = [from?.first_name, from?.last_name].filter(Boolean).join(' ').trim();
  return name ? { displayName: name } : {};
}

/** A chat id as the Bot API takes it: a number when it is one (every real chat id), else the string (@channel). */
export function chatArg(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}
