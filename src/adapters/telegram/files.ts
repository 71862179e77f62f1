/**
 * Sending a file on Telegram, for the person (a volunteer's file, OutMessage.media) and on the desk (the person's
 * file in a ticket's topic, DeskPost.media), with its caption in the same HTML as any text (./format.ts).
 *
 *  - A file Telegram holds (`media.platform` is "telegram") is sent again by its file_id: file ids belong to the
 *    bot that received them, and one bot serves both the people and the desk. Nothing is downloaded.
 *  - A file another platform holds (a Matrix screenshot) is fetched through `PlatformDeps.media` and uploaded
 *    from memory with grammY's InputFile, under its name. Nothing is written to disk.
 *
 * Telegram's file ids are typed: a video_note or an animation, read as a video, is refused by sendVideo ("type
 * of file mismatch"). Such a file is fetched from Telegram and uploaded as a real video instead.
 *
 * Telegram captions hold at most 1024 characters. A longer text goes as ordinary message(s) first, then the file
 * with no caption: the ids come back in posting order, and the desk port returns them all (comma-separated) so
 * that /oublier and the retention purge delete the words with the file.
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import { MediaGoneError, type MediaFile, type MediaRef, type MediaSource } from '../../engine/media.js';
import { partsOf, toHtml } from './format.js';
import { TELEGRAM_PLATFORM } from './read.js';

/** Telegram's limit for a caption, in characters. We measure the HTML, never shorter than what Telegram counts. */
export const CAPTION_LIMIT = 1024;

/** The chat, thread or reply a message goes to, and how a call is made (the desk follows a group's migration). */
export interface FileTarget {
  chat: number | string;
  /** message_thread_id (a topic) or reply_parameters (reply mode): added to every call. */
  where?: Record<string, unknown>;
  /** Wraps each API call; the desk's `chat.call` retries under a migrated group's new id. Direct when absent. */
  call?: <T>(send: (chat: number | string) => Promise<T>) => Promise<T>;
}

/** Telegram refused a file_id as the wrong kind of file for the method (an animation sent with sendVideo). */
const TYPE_MISMATCH = /type of file mismatch|can't use file of type/i;
/** Telegram does not know the file_id (another bot's, or a file it no longer keeps). */
const WRONG_FILE = /wrong file identifier|wrong remote file|file_id_invalid|file reference|invalid file_id|wrong file_id/i;
/** An uploaded picture Telegram cannot show as a photo (too large a side, an odd ratio): sent as a document. */
const NOT_A_PHOTO = /photo_invalid_dimensions|image_process_failed|photo_ext_invalid|photo_save_file_invalid|PHOTO_INVALID/i;

type Method = 'sendPhoto' | 'sendDocument' | 'sendVoice' | 'sendAudio' | 'sendVideo';

const BY_KIND: Record<MediaRef['kind'], Method> = {
  photo: 'sendPhoto',
  document: 'sendDocument',
  voice: 'sendVoice',
  audio: 'sendAudio',
  video: 'sendVideo',
};

/** The field each method takes its file in. */
const FIELD: Record<Method, string> = { sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice', sendAudio: 'audio', sendVideo: 'video' };

/**
 * How uploaded bytes are sent: Telegram shows a photo only for JPEG, PNG and WebP, plays a voice message only in
 * OGG/Opus, MP3 or M4A, an audio only in MP3 or M4A; anything else would be refused or mangled, so it goes as a
 * document (the volunteer or the person still opens it).
 */
export function uploadMethod(media: MediaRef, file: MediaFile): Method {
  const type = file.mimeType.toLowerCase().split(';')[0]!.trim();
  switch (media.kind) {
    case 'photo':
      return /^image\/(jpeg|png|webp)$/.test(type) ? 'sendPhoto' : 'sendDocument';
    case 'voice':
      return /^audio\/(ogg|opus|mpeg|mp3|mp4|m4a|x-m4a)$/.test(type) ? 'sendVoice' : 'sendDocument';
    case 'audio':
      return /^audio\/(mpeg|mp3|mp4|m4a|x-m4a)$/.test(type) ? 'sendAudio' : 'sendDocument';
    case 'video':
      return /^video\/mp4$/.test(type) ? 'sendVideo' : 'sendDocument';
    default:
      return 'sendDocument';
  }
}

export class TelegramFiles {
  /**
   * `source`: `PlatformDeps.media`, for files other platforms hold. `own`: the platform's own fetchMedia, for a
   * Telegram file that must be uploaded again (a video_note as a video).
   */
  constructor(
    private readonly api: Api,
    private readonly source: MediaSource,
    private readonly own: (ref: MediaRef) => Promise<MediaFile>,
  ) {}

  /**
   * Sends `media` with `markup` (our markup, src/render/markup.ts) as its caption, or — past 1024 characters —
   * the words first as message(s), then the file alone. Returns the ids of every message sent, in order. Telegram's
   * errors are thrown as they are (the callers map them); a MediaGoneError from fetching too.
   */
  async send(target: FileTarget, media: MediaRef, markup: string): Promise<number[]> {
    const call = target.call ?? ((send) => send(target.chat));
    const caption = markup.trim() ? toHtml(markup) : '';
    const ids: number[] = [];
    const fits = caption.length <= CAPTION_LIMIT;
    if (!fits) {
      for (const part of partsOf(markup)) {
        const sent = await call((chat) =>
          this.api.sendMessage(chat, part, { ...target.where, parse_mode: 'HTML', link_preview_options: { is_disabled: true } }),
        );
        ids.push(sent.message_id);
      }
    }
    const other = { ...target.where, ...(fits && caption ? { caption, parse_mode: 'HTML' as const } : {}) };
    const sent = await this.sendFile(call, media, other);
    ids.push(sent.message_id);
    return ids;
  }

  private async sendFile(call: NonNullable<FileTarget['call']>, media: MediaRef, other: Record<string, unknown>): Promise<Message> {
    if (media.platform === TELEGRAM_PLATFORM) {
      try {
        return await call((chat) => this.method(BY_KIND[media.kind], chat, media.id, other));
      } catch (error) {
        if (refused(error, WRONG_FILE)) throw new MediaGoneError(`telegram: ${(error as GrammyError).description}`);
        if (!refused(error, TYPE_MISMATCH)) throw error;
        // A video_note or an animation read as a video: Telegram's bytes, uploaded as a real video.
        return this.upload(call, media, await this.own(media), other);
      }
    }
    return this.upload(call, media, await this.source.fetch(media), other);
  }

  private async upload(call: NonNullable<FileTarget['call']>, media: MediaRef, file: MediaFile, other: Record<string, unknown>): Promise<Message> {
    const method = uploadMethod(media, file);
    const input = () => new InputFile(file.data, file.filename);
    try {
      return await call((chat) => this.method(method, chat, input(), other));
    } catch (error) {
      if (method !== 'sendPhoto' || !refused(error, NOT_A_PHOTO)) throw error;
      return call((chat) => this.method('sendDocument', chat, input(), other));
    }
  }

  /** One of the five send methods: they differ only in the name of the file's field. */
  private method(method: Method, chat: number | string, file: string | InputFile, other: Record<string, unknown>): Promise<Message> {
    return this.api.raw[method]({ chat_id: chat, [FIELD[method]]: file, ...other } as never) as Promise<Message>;
  }
}

function refused(error: unknown, pattern: RegExp): boolean {
  return error instanceof GrammyError && error.error_code === 400 && pattern.test(error.description);
}
