/**
 * Files people and volunteers show each other while a volunteer holds a ticket: a screenshot of an error, a photo
 * of a letter from the ISP, a PDF, a voice message.
 *
 * Images cannot be masked the way words are, so nothing of a file is ever stored by demailbot: only the platform's
 * own id for it (a Telegram file_id, a Matrix mxc:// URI, a web chat upload's id), for as long as a relay needs it.
 * The bytes only cross this process when a file goes from one platform to another (a Matrix screenshot to a
 * Telegram desk): the receiving platform asks `MediaSource.fetch` and uploads what it gets, in memory.
 */

export type MediaKind = 'photo' | 'document' | 'voice' | 'audio' | 'video';

/** A file as a platform holds it. The id is only meaningful to `platform`. */
export interface MediaRef {
  /** The platform that holds the file ("telegram", "matrix", "web"): only it can read `id`. */
  platform: string;
  /** The platform's own id for the file. Never the bytes. */
  id: string;
  kind: MediaKind;
  /** As the platform says it ("image/png"); unknown when it does not. */
  mimeType?: string;
  /** In bytes, when the platform says. */
  size?: number;
  /** The file's name as sent (documents), shown to the other side. */
  filename?: string;
}

/** A file's bytes, fetched from the platform that holds it to be uploaded to another. Never written anywhere. */
export interface MediaFile {
  data: Buffer;
  mimeType: string;
  filename: string;
}

/** Reads a file from whichever platform holds it. */
export interface MediaSource {
  /** Throws when the platform that holds it is not running here, or cannot give it any more. */
  fetch(ref: MediaRef): Promise<MediaFile>;
}

/**
 * The largest file relayed. Telegram lets a bot download files of up to 20 MB (getFile), and many Matrix servers
 * cap uploads at 10 MB or more: 10 MB goes everywhere, and a phone's screenshot or a scanned letter is far smaller.
 */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;

/**
 * What a volunteer can safely open: pictures, PDFs, plain text, sound and video. Anything else (an archive, a
 * program, an office document with macros) is refused with a word: a screenshot or a PDF shows the same.
 */
const ALLOWED_TYPES = [/^image\/(png|jpeg|gif|webp|heic|heif)$/, /^application\/pdf$/, /^text\/plain$/, /^audio\//, /^video\/(mp4|webm|quicktime|ogg)$/];

export type MediaRefusal = 'tooBig' | 'type';

/**
 * Why a file is not relayed, or undefined when it is. A photo or a voice message without a stated type is what
 * the platform made of the camera or the microphone: taken as it is. A document must say what it is.
 */
export function mediaRefusal(media: MediaRef): MediaRefusal | undefined {
  if (media.size !== undefined && media.size > MAX_MEDIA_BYTES) return 'tooBig';
  if (media.mimeType === undefined) return media.kind === 'document' ? 'type' : undefined;
  const type = media.mimeType.toLowerCase().split(';')[0]!.trim();
  return ALLOWED_TYPES.some((allowed) => allowed.test(type)) ? undefined : 'type';
}

/** The limit in whole megabytes, for the words that tell it ("10 Mo"). */
export const MAX_MEDIA_MEGABYTES = Math.round(MAX_MEDIA_BYTES / (1024 * 1024));

/**
 * The file cannot be had any more: the platform that holds it is not running here, or no longer gives it (a web
 * chat upload past its time, a file the platform deleted). Retrying would not help: the relay says so in words.
 */
export class MediaGoneError extends Error {
  override name = 'MediaGoneError';
}
