/**
 * Files on Matrix, both ways (src/engine/media.ts): the events that carry a file the other side showed — to a
 * person (OutMessage.media) or in a desk thread (DeskPost.media) — and the bytes of a file a Matrix user sent, for
 * another platform to upload.
 *
 * - A Matrix file (`media.platform` is "matrix") is sent again by its mxc URI: nothing is downloaded or uploaded,
 *   the homeserver already has it.
 * - A Matrix file's bytes, for another platform: downloaded from the authenticated media endpoint (Matrix 1.11),
 *   or the older one on an older server (see `download`).
 * - Any other (a Telegram photo) is fetched through `PlatformDeps.media` and uploaded with the SDK's
 *   `uploadContent` (encrypted first in an encrypted room, as documents are: ./send.ts), in memory only.
 * - The text goes with the file as its caption, as Matrix 1.10 has it (MSC2530): `filename` is the file's name,
 *   `body` the caption, `format`/`formatted_body` its HTML as in our notices. A caption too long for one event:
 *   the file with its name as `body`, then the text as notices.
 * - A homeserver that takes no uploads (M_UNRECOGNIZED) or not this size (413 M_TOO_LARGE): an UploadRefusedError
 *   that says so and how to fix it (the core retries, then tells the volunteer). A MediaGoneError from the fetch
 *   goes through unchanged (the core says it in words).
 */
import type { MatrixClient } from 'matrix-bot-sdk';
import { MAX_MEDIA_BYTES, MediaGoneError, type MediaFile, type MediaKind, type MediaRef, type MediaSource } from '../../engine/media.js';
import type { Log } from '../../log.js';
import { describeError, errcodeOf, notFound } from './errors.js';
import { CONTENT_LIMIT, noticeContents, type NoticeContent } from './format.js';
import { MATRIX_PLATFORM, VOICE_KEY } from './read.js';

const MSGTYPES: Record<MediaKind, string> = { photo: 'm.image', document: 'm.file', voice: 'm.audio', audio: 'm.audio', video: 'm.video' };

/** The homeserver does not take the upload: said with the fix, for the operator (and the volunteer, by the core). */
export class UploadRefusedError extends Error {
  override name = 'UploadRefusedError';
}

/** Where an event finds its file: the mxc URI, or the encrypted file's keys and URI (an encrypted room). */
type Placed = { url: string } | { file: Record<string, unknown> & { url: string } };

export interface MatrixMediaDeps {
  /** The started client (throws before start). */
  client: () => MatrixClient;
  /** The files other platforms hold (PlatformDeps.media). */
  source: MediaSource;
  log: Log;
}

/** A name for a file that came without one ("photo.jpg", "voice.ogg"): clients show it, and some need an extension. */
export function defaultFilename(kind: MediaKind, mimeType: string | undefined): string {
  const subtype = mimeType?.toLowerCase().split(';')[0]!.trim().split('/')[1]?.replace(/^x-/, '');
  const extension = subtype === 'jpeg' ? 'jpg' : subtype === 'quicktime' ? 'mov' : subtype === 'mpeg' ? 'mp3' : subtype;
  return extension && /^[a-z0-9]{1,8}$/.test(extension) ? `${kind}.${extension}` : kind;
}

export class MatrixMedia {
  constructor(private readonly deps: MatrixMediaDeps) {}

  /**
   * The contents of the events that show `media` in `roomId` with `caption` (our markup) under it: one almost
   * always; the file then notices when the caption is too long to go in the file's event. Uploads the file first
   * when Matrix does not hold it.
   */
  async contents(roomId: string, media: MediaRef, caption: string): Promise<object[]> {
    const { placed, info, filename } = await this.place(roomId, media);
    const file = {
      msgtype: MSGTYPES[media.kind],
      filename,
      info,
      ...placed,
      // MSC3245: Element and FluffyChat show it as a voice message (a waveform), others as an audio file.
      ...(media.kind === 'voice' ? { [VOICE_KEY]: {} } : {}),
    };
    const notices: NoticeContent[] = caption.trim() ? noticeContents({ text: caption, choices: [] }) : [];
    if (notices.length === 1) {
      const { body, format, formatted_body } = notices[0]!;
      const captioned = { ...file, body, format, formatted_body };
      if (Buffer.byteLength(JSON.stringify(captioned), 'utf8') <= CONTENT_LIMIT) return [captioned];
    }
    // No words, or too many for the file's event: the file under its name, the words after it.
    return [{ ...file, body: filename }, ...notices];
  }

  /**
   * The bytes of a file a Matrix user sent (its mxc URI), downloaded with the SDK, in memory. Throws MediaGoneError
   * when the homeserver no longer has it (404) or when it is over MAX_MEDIA_BYTES (no other platform would take it).
   */
  async fetch(ref: MediaRef): Promise<MediaFile> {
    if (ref.platform !== MATRIX_PLATFORM || !/^mxc:\/\/[^/]+\/[^/]+$/.test(ref.id)) {
      throw new MediaGoneError(`not a Matrix file (a ${ref.platform} file, or not an mxc:// URI): the Matrix platform cannot fetch it`);
    }
    const tooBig = (size: number) => new MediaGoneError(`the Matrix file is too big to relay (${size} bytes, more than ${MAX_MEDIA_BYTES})`);
    if (ref.size !== undefined && ref.size > MAX_MEDIA_BYTES) throw tooBig(ref.size);
    let downloaded: { data: Buffer; contentType?: string };
    try {
      downloaded = await this.download(ref.id);
    } catch (error) {
      this.deps.log('matrix_download_failed', describeError(error), 'warn');
      if (notFound(error)) throw new MediaGoneError('the Matrix homeserver no longer has this file (404)');
      throw new Error(`the Matrix homeserver did not give the file (${JSON.stringify(describeError(error))})`);
    }
    const data = Buffer.isBuffer(downloaded.data) ? downloaded.data : Buffer.from(downloaded.data);
    if (data.length > MAX_MEDIA_BYTES) throw tooBig(data.length);
    const served = downloaded.contentType?.split(';')[0]?.trim();
    return {
      data,
      mimeType: ref.mimeType ?? (served || 'application/octet-stream'),
      filename: ref.filename ?? defaultFilename(ref.kind, ref.mimeType ?? served),
    };
  }

  /**
   * The file's bytes, from the authenticated media endpoint of Matrix 1.11 (MSC3916) first: Synapse serves files
   * uploaded since 1.120 only there, and answers the older `/_matrix/media/v3/download` — the one matrix-bot-sdk
   * 0.7's `downloadContent` asks (turt2live/matrix-bot-sdk#377, fixed after 0.7) — with 404 M_NOT_FOUND. A server
   * older than 1.11 does not know the new endpoint (M_UNRECOGNIZED): the SDK's `downloadContent` then.
   */
  private async download(mxc: string): Promise<{ data: Buffer; contentType?: string }> {
    const client = this.deps.client();
    const [server, mediaId] = mxc.slice('mxc://'.length).split('/') as [string, string];
    const path = `/_matrix/client/v1/media/download/${encodeURIComponent(server)}/${encodeURIComponent(mediaId)}`;
    try {
      const response = (await client.doRequest('GET', path, { allow_redirect: true }, null, 60_000, true, 'application/json', true)) as {
        body: Buffer;
        headers: Record<string, string | undefined>;
      };
      return { data: response.body, ...(response.headers['content-type'] ? { contentType: response.headers['content-type'] } : {}) };
    } catch (error) {
      if (!endpointUnknown(error)) throw withErrcode(error);
    }
    return client.downloadContent(mxc);
  }

  /** Where the event finds the file: its own mxc URI, or the one of the bytes just uploaded. */
  private async place(roomId: string, media: MediaRef): Promise<{ placed: Placed; info: Record<string, unknown>; filename: string }> {
    if (media.platform === MATRIX_PLATFORM) {
      return {
        placed: { url: media.id },
        info: { ...(media.mimeType ? { mimetype: media.mimeType } : {}), ...(media.size !== undefined ? { size: media.size } : {}) },
        filename: media.filename ?? defaultFilename(media.kind, media.mimeType),
      };
    }
    const got = await this.deps.source.fetch(media); // a MediaGoneError goes through as it is
    const filename = media.filename ?? got.filename;
    const info = { mimetype: got.mimeType, size: got.data.length };
    const client = this.deps.client();
    try {
      if (client.crypto && (await client.crypto.isRoomEncrypted(roomId))) {
        const encrypted = await client.crypto.encryptMedia(got.data);
        const url = await client.uploadContent(encrypted.buffer, 'application/octet-stream');
        return { placed: { file: { ...(encrypted.file as unknown as Record<string, unknown>), url } }, info, filename };
      }
      return { placed: { url: await client.uploadContent(got.data, got.mimeType, filename) }, info, filename };
    } catch (error) {
      this.deps.log('matrix_upload_failed', describeError(error), 'warn');
      // Worth a retry otherwise (rate-limited, the server failing): said by its code only, never a body.
      throw refused(error, got.data.length) ?? new Error(`the Matrix homeserver did not take the upload (${JSON.stringify(describeError(error))})`);
    }
  }
}

/**
 * A binary request's error keeps its JSON body unread (the SDK parses errors only of text requests): its errcode
 * is read here, so that 404 M_NOT_FOUND (no such file) and 404 M_UNRECOGNIZED (no such endpoint) can be told apart.
 */
function withErrcode(error: unknown): unknown {
  const e = error as { body?: unknown; errcode?: unknown } | null;
  if (!e || typeof e !== 'object' || e.errcode !== undefined || !Buffer.isBuffer(e.body)) return error;
  try {
    const parsed = JSON.parse(e.body.toString('utf8')) as { errcode?: unknown };
    if (typeof parsed.errcode === 'string') return Object.assign(e, { errcode: parsed.errcode });
  } catch {
    // not JSON: the status says what it can
  }
  return error;
}

/**
 * The homeserver has no authenticated media endpoint (older than Matrix 1.11): it says M_UNRECOGNIZED, or answers
 * a bare 404 / 405 / 400 without a Matrix error (a proxy in front of it). M_NOT_FOUND there means no such file.
 */
function endpointUnknown(error: unknown): boolean {
  const e = withErrcode(error) as { errcode?: unknown; statusCode?: unknown } | null;
  if (e?.errcode !== undefined) return e.errcode === 'M_UNRECOGNIZED';
  return e?.statusCode === 404 || e?.statusCode === 405 || e?.statusCode === 400;
}

/** An upload refused for good, in words that say what to change; undefined for a failure worth retrying. */
function refused(error: unknown, size: number): UploadRefusedError | undefined {
  const code = errcodeOf(error);
  if (code === 'M_TOO_LARGE' || code === 413) {
    return new UploadRefusedError(`the Matrix homeserver refuses a file this big (M_TOO_LARGE, ${size} bytes): raise its upload limit (max_upload_size in Synapse's homeserver.yaml)`);
  }
  if (code === 'M_UNRECOGNIZED' || code === 404 || code === 405) {
    return new UploadRefusedError(`the Matrix homeserver takes no uploads (${String(code)}): files cannot be posted on Matrix until its media repository is on`);
  }
  if (code === 'M_FORBIDDEN' || code === 403) {
    return new UploadRefusedError(`the Matrix homeserver does not let the bot's account upload files (${String(code)}): check its media permissions`);
  }
  return undefined;
}
