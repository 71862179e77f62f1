/**
 * Files over HTTP, beside the WebSocket:
 *
 *   POST /upload        the person's picture or PDF. Headers: Authorization: Bearer <the conversation's secret>,
 *                       Content-Type (as the browser says), X-Filename (encodeURIComponent of the name). Answers
 *                       { upload, filename, size, kind } — the page then sends a `file` frame over the WebSocket
 *                       with that id (and its caption), which goes to the engine like a typed message, with the
 *                       same outbox, "sent once" and limits.
 *   GET  /media/<seq>   the file a volunteer showed in message <seq> of the conversation (Authorization as above),
 *                       fetched from the platform that holds it on each request (`deps.media.fetch`): never kept.
 *
 * Why HTTP and not WebSocket binary frames: the WebSocket's frames are capped at a few kilobytes (a typed message),
 * and raising that cap for a file would raise it for every frame of every connection; an HTTP body can be refused
 * on its Content-Length before a byte is read, streamed under a cap otherwise, and the browser sends a File as it
 * is (no base64). It is checked like the WebSocket: the Origin (WEB_CHAT_ORIGINS, with CORS for the sites embedding
 * the widget), the conversation's secret, the per-address message limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_MEDIA_BYTES, MediaGoneError, type MediaRef, type MediaSource } from '../../engine/media.js';
import type { Log } from '../../log.js';
import type { WebConfig } from './config.js';
import { chatIdOf, isSecret } from './conversations.js';
import type { ActionLimit } from './limits.js';
import { cleanFilename, isAcceptedDeclaredType, sniff, type UploadStore } from './uploads.js';

/** What the page is told when a file is refused (it says it in the person's words: web.json "refused.*"). */
export type UploadRefusal = 'fileTooBig' | 'fileType' | 'tooFast' | 'forgotten' | 'badRequest';

export interface FilesContext {
  config: WebConfig;
  uploads: UploadStore;
  media: MediaSource;
  log: Log;
  addressRate: ActionLimit;
  /** Volunteers' files asked per address (MEDIA_FETCHES_PER_MINUTE): each one is a call to another platform. */
  mediaRate: ActionLimit;
  /** Whether a conversation still exists (the web chat keeps it, or the engine knows it). */
  exists(chatId: string): boolean;
  /** The file a volunteer showed in a conversation's message, while that message is kept. */
  mediaOf(chatId: string, seq: number): MediaRef | undefined;
  addressOf(req: IncomingMessage): string;
}

/**
 * A page asks each file once (it keeps it as a blob while open): 60 a minute per address is far above any person,
 * and keeps a leaked secret from making the bot hammer Telegram's or the homeserver's file API.
 */
export const MEDIA_FETCHES_PER_MINUTE = 60;

/** Pictures a browser may show inline from this server; every other file is only ever a download. */
const INLINE_IMAGES = /^image\/(png|jpeg|gif|webp)$/;

/** True when the request was one of these (answered here); false for any other path. */
export function serveFiles(req: IncomingMessage, res: ServerResponse, context: FilesContext): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const upload = path === '/upload';
  const media = /^\/media\/\d{1,9}$/.test(path);
  if (!upload && !media) return false;
  const origin = req.headers.origin;
  // A browser always sends Origin on a POST and on any cross-site request; a same-origin GET may come without it.
  if ((origin !== undefined && !context.config.origins.includes(origin)) || (upload && origin === undefined)) {
    context.log('web_origin_refused', { origin: origin ?? null, path }, 'warn');
    refuse(req, res, 403, { error: 'badRequest' }, {});
    return true;
  }
  const cors: Record<string, string> = origin
    ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Content-Disposition' }
    : { Vary: 'Origin' };
  if (req.method === 'OPTIONS') {
    res
      .writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': upload ? 'POST' : 'GET',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Filename',
        'Access-Control-Max-Age': '600',
      })
      .end();
    return true;
  }
  if (req.method !== (upload ? 'POST' : 'GET')) {
    refuse(req, res, 405, { error: 'badRequest' }, { ...cors, Allow: upload ? 'POST, OPTIONS' : 'GET, OPTIONS' });
    return true;
  }
  const secret = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const chatId = isSecret(secret) ? chatIdOf(secret) : undefined;
  if (!chatId || !context.exists(chatId)) {
    refuse(req, res, 403, { error: 'forgotten' }, cors);
    return true;
  }
  const failed = (error: unknown) => {
    context.log('web_file_failed', { error: (error as Error).message }, 'error');
    if (!res.headersSent) refuse(req, res, 500, { error: 'badRequest' }, cors);
  };
  if (upload) receiveUpload(req, res, context, chatId, cors).catch(failed);
  else sendMedia(req, res, context, chatId, Number(path.slice('/media/'.length)), cors).catch(failed);
  return true;
}

async function receiveUpload(req: IncomingMessage, res: ServerResponse, context: FilesContext, chatId: string, cors: Record<string, string>): Promise<void> {
  const wait = await context.addressRate.take(context.addressOf(req));
  if (wait > 0) {
    context.log('web_limit', { limit: 'uploads' }, 'warn');
    return refuse(req, res, 429, { error: 'tooFast', retryAfterMs: wait }, cors);
  }
  if (!isAcceptedDeclaredType(req.headers['content-type'])) return refuse(req, res, 415, { error: 'fileType' }, cors);
  const declared = Number(req.headers['content-length'] ?? NaN);
  // Said too big: refused before a byte of the body is read.
  if (declared > MAX_MEDIA_BYTES) return refuse(req, res, 413, { error: 'fileTooBig', max: MAX_MEDIA_BYTES }, cors);
  const data = await readCapped(req, MAX_MEDIA_BYTES);
  // The browser went away mid-file (a tab closed, the network cut): nobody to answer.
  if (data === 'cut') return void res.destroy();
  if (data === 'tooBig') return refuse(req, res, 413, { error: 'fileTooBig', max: MAX_MEDIA_BYTES }, cors);
  // What the bytes are, not what the name or the browser says: a text renamed .png is not a picture.
  const type = sniff(data);
  if (!type || data.length === 0) return answer(res, 415, { error: 'fileType' }, cors);
  const header = req.headers['x-filename'];
  const filename = cleanFilename(Array.isArray(header) ? header[0] : header, type.kind, type.extension);
  const kept = context.uploads.put(chatId, { data, mimeType: type.mimeType, kind: type.kind, filename });
  context.log('web_upload', { kind: type.kind, mimeType: type.mimeType, size: data.length });
  answer(res, 200, { upload: kept.id, filename, size: data.length, kind: type.kind, mimeType: type.mimeType }, cors);
}

async function sendMedia(req: IncomingMessage, res: ServerResponse, context: FilesContext, chatId: string, seq: number, cors: Record<string, string>): Promise<void> {
  const wait = await context.mediaRate.take(context.addressOf(req));
  if (wait > 0) {
    context.log('web_limit', { limit: 'media' }, 'warn');
    return refuse(req, res, 429, { error: 'tooFast', retryAfterMs: wait }, cors);
  }
  const ref = context.mediaOf(chatId, seq);
  if (!ref) return answer(res, 404, { error: 'gone' }, cors);
  let file;
  try {
    file = await context.media.fetch(ref);
  } catch (error) {
    if (error instanceof MediaGoneError) return answer(res, 410, { error: 'gone' }, cors);
    context.log('web_media_fetch_failed', { platform: ref.platform, error: (error as Error).message }, 'warn');
    return answer(res, 502, { error: 'unavailable' }, cors);
  }
  if (file.data.length > MAX_MEDIA_BYTES) return answer(res, 410, { error: 'gone' }, cors);
  const type = file.mimeType.toLowerCase().split(';')[0]!.trim();
  const inline = INLINE_IMAGES.test(type);
  res.writeHead(200, {
    ...cors,
    'Content-Type': inline ? type : type || 'application/octet-stream',
    'Content-Length': String(file.data.length),
    // Never read as anything but what it says, and nothing in it may run even when opened on its own.
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(inline ? {} : { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename || ref.filename || 'document')}` }),
  });
  res.end(file.data);
}

/**
 * The body, up to `max` bytes; 'tooBig' as soon as it goes over (a body sent without Content-Length, or one that
 * lies about it). Nothing past the cap is kept.
 */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | 'tooBig' | 'cut'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve('tooBig');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => resolve('cut'));
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Answers a request whose body is refused unread. What the client is still sending is let through and thrown away
 * (never kept), so that it reads the answer — closing at once would reset the connection and lose the answer with
 * it — but only up to another MAX_MEDIA_BYTES or DISCARD_MS: then the connection is cut.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string>): void {
  answer(res, status, body, headers);
  let discarded = 0;
  const cut = setTimeout(() => req.socket.destroy(), DISCARD_MS).unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_MEDIA_BYTES) req.socket.destroy();
  });
  req.once('end', () => clearTimeout(cut));
  req.once('close', () => clearTimeout(cut));
  req.resume();
}

/** How long a refused body is let through (thrown away) for the client to read the answer. */
const DISCARD_MS = 10_000;
