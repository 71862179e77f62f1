/**
 * The bytes of a file Telegram holds (Platform.fetchMedia), for another platform to upload (a Telegram screenshot
 * posted on a Matrix desk) or for a Telegram file that must be uploaded again (./files.ts). In memory only.
 *
 * getFile gives the file's size and path; a file over MAX_MEDIA_BYTES is refused before anything is downloaded
 * (and a body that grows past it is cut). The bytes come from `<apiRoot>/file/bot<token>/<file_path>`: that URL
 * holds the token, so it is never logged nor put in an error — errors say what happened, never where.
 */
import { GrammyError, type Api } from 'grammy';
import { MAX_MEDIA_BYTES, MAX_MEDIA_MEGABYTES, MediaGoneError, type MediaFile, type MediaRef } from '../../engine/media.js';

/** Telegram's own api root, when TELEGRAM_API_ROOT does not name another (grammY's default too). */
export const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** How long one download may take: 10 MB on a slow link, with room. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Telegram no longer gives the file (a bot may download files of up to 20 MB; ids of another bot are unknown). */
const GONE = /file is too big|wrong file_id|invalid file_id|wrong file identifier|file_id_invalid|wrong remote file/i;

/** What a file is when Telegram does not say: photos are JPEG, voice messages OGG/Opus, videos mp4. */
const DEFAULT_TYPE: Record<MediaRef['kind'], string> = {
  photo: 'image/jpeg',
  voice: 'audio/ogg',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  document: 'application/octet-stream',
};

export interface DownloadOptions {
  api: Api;
  /** grammY's apiRoot (TELEGRAM_API_ROOT, or Telegram's own), without a trailing slash. */
  apiRoot: string;
  token: string;
  timeoutMs?: number;
}

export async function downloadFile(ref: MediaRef, options: DownloadOptions): Promise<MediaFile> {
  if (ref.size !== undefined && ref.size > MAX_MEDIA_BYTES) throw tooBig();
  const file = await options.api.getFile(ref.id).catch((error: unknown) => {
    if (error instanceof GrammyError && error.error_code === 400 && GONE.test(error.description)) {
      throw new MediaGoneError(`telegram: ${error.description}`);
    }
    throw error;
  });
  if (file.file_size !== undefined && file.file_size > MAX_MEDIA_BYTES) throw tooBig();
  if (!file.file_path) throw new MediaGoneError('telegram: getFile gave no file_path (the file cannot be downloaded any more)');
  const data = await fetchBytes(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`, options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  return {
    data,
    mimeType: ref.mimeType ?? DEFAULT_TYPE[ref.kind],
    filename: ref.filename ?? file.file_path.split('/').pop() ?? `${ref.kind}`,
  };
}

function tooBig(): MediaGoneError {
  return new MediaGoneError(`telegram: the file is over ${MAX_MEDIA_MEGABYTES} MB, the most relayed`);
}

/** The body, at most MAX_MEDIA_BYTES. `url` holds the token: no error below quotes it. */
async function fetchBytes(url: string, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`telegram: the file could not be downloaded (${cause})`);
  }
  if (response.status === 404) throw new MediaGoneError('telegram: the file is no longer there (404)');
  if (!response.ok || !response.body) throw new Error(`telegram: the file's download answered ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_MEDIA_BYTES) {
    await response.body.cancel();
    throw tooBig();
  }
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      length += read.value.byteLength;
      if (length > MAX_MEDIA_BYTES) {
        await reader.cancel();
        throw tooBig();
      }
      chunks.push(Buffer.from(read.value));
    }
  } catch (error) {
    if (error instanceof MediaGoneError) throw error;
    throw new Error(`telegram: the file's download was cut (${(error as Error).name})`);
  }
  return Buffer.concat(chunks, length);
}
