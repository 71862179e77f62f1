/**
 * Files, EMULATED because telegram-test-api has none of it: no sendPhoto, sendDocument, sendVoice, sendAudio,
 * sendVideo, no getFile, no file download (its express app answers "not supported" / "Route not found"). Answered
 * from the harness's API transformer (tests/telegram/harness.ts) before a call reaches the emulator, like the forum
 * (./forum.ts, which also refuses a file into a deleted or closed topic, as for sendMessage):
 *
 *  - the files users "sent" are registered here first (`photo()`, `document()`…: the Message fields a Telegram app
 *    would carry, and the bytes Telegram would keep), each under a file_id of its own type;
 *  - a file sent by file_id must be one this bot knows (else Telegram's "wrong file identifier/HTTP URL specified"),
 *    of the method's own type (else "type of file mismatch": a video_note with sendVideo);
 *  - a file uploaded (grammY's InputFile: the transformer sees it before the multipart body is made) is read to its
 *    bytes and name, recorded in `uploads`, and kept under a new file_id, as Telegram does;
 *  - every file sent is stored in the emulator's storage as a bot message (`addBotMessage`: its id from the
 *    emulator's counter), so that deleteMessage and the harness's inspection helpers (`messagesTo`) see it;
 *  - getFile answers a file_path ("file is too big" past Telegram's 20 MB), and GET /file/bot<token>/<path> is
 *    served on the emulator's own loopback port, with the registered bytes (`downloads` counts them).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { InputFile } from 'grammy';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';

/** What Telegram calls the file in a message, and in a file_id's type. */
export type FileType = 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'video_note' | 'animation';

export interface StoredFile {
  id: string;
  type: FileType;
  data: Buffer;
  /** What getFile says (the real size unless a test says otherwise). */
  size: number;
  path: string;
  mimeType?: string;
  name?: string;
}

export interface Upload {
  method: string;
  filename: string | undefined;
  data: Buffer;
  fileId: string;
}

type ApiAnswer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

const METHOD_TYPE: Record<string, FileType> = { sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice', sendAudio: 'audio', sendVideo: 'video' };
/** Telegram lets a bot download files of up to 20 MB. */
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const fail = (description: string, error_code = 400): ApiAnswer => ({ ok: false, error_code, description });

export class FakeFiles {
  readonly files = new Map<string, StoredFile>();
  readonly uploads: Upload[] = [];
  /** Files served by the download route. */
  downloads = 0;
  private next = 1;

  constructor(
    private readonly server: Emulator,
    private readonly token: string,
  ) {}

  /**
   * Serves GET /file/bot<token>/<path> on the emulator's own port: its http server's request listener (the express
   * app) is kept for every other path.
   */
  serveDownloads(http: Server): void {
    const [app] = http.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    http.removeAllListeners('request');
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const prefix = `/file/bot${this.token}/`;
      const url = req.url ?? '';
      if (!url.startsWith('/file/')) return app!(req, res);
      const file = url.startsWith(prefix) && req.method === 'GET' ? [...this.files.values()].find((f) => f.path === decodeURIComponent(url.slice(prefix.length))) : undefined;
      if (!file) return void res.writeHead(404).end();
      this.downloads++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length }).end(file.data);
    });
  }

  /** Registers a file Telegram keeps, as if someone had sent it. */
  add(type: FileType, data: Buffer, options: { size?: number; mimeType?: string; name?: string } = {}): StoredFile {
    const n = this.next++;
    const extension = type === 'photo' ? 'jpg' : type === 'voice' ? 'oga' : type === 'document' ? (options.name?.split('.').pop() ?? 'bin') : 'mp4';
    const file: StoredFile = {
      id: `${type}-file-${n}`,
      type,
      data,
      size: options.size ?? data.length,
      path: `${type === 'photo' ? 'photos' : `${type}s`}/file_${n}.${extension}`,
      ...(options.mimeType ? { mimeType: options.mimeType } : {}),
      ...(options.name ? { name: options.name } : {}),
    };
    this.files.set(file.id, file);
    return file;
  }

  /** The Message fields a photo carries: three sizes, smallest first (the largest is the registered file). */
  photo(data: Buffer, options: { size?: number } = {}): { fields: Record<string, unknown>; file: StoredFile } {
    const small = this.add('photo', data.subarray(0, 1));
    const medium = this.add('photo', data.subarray(0, 2));
    const file = this.add('photo', data, options);
    const size = (f: StoredFile, side: number) => ({ file_id: f.id, file_unique_id: `u-${f.id}`, width: side, height: side, file_size: f.size });
    return { fields: { photo: [size(small, 90), size(medium, 320), size(file, 1280)] }, file };
  }

  /** The Message fields of any other file (document, voice, audio, video, video_note, animation). */
  other(type: Exclude<FileType, 'photo'>, data: Buffer, options: { size?: number; mimeType?: string; name?: string } = {}): { fields: Record<string, unknown>; file: StoredFile } {
    const file = this.add(type, data, options);
    const fields = {
      file_id: file.id,
      file_unique_id: `u-${file.id}`,
      file_size: file.size,
      ...(file.mimeType ? { mime_type: file.mimeType } : {}),
      ...(file.name ? { file_name: file.name } : {}),
      ...(type === 'voice' || type === 'audio' || type === 'video' || type === 'video_note' || type === 'animation' ? { duration: 3 } : {}),
    };
    // Telegram gives an animation as `document` too, for old clients.
    return { fields: { [type]: fields, ...(type === 'animation' ? { document: fields } : {}) }, file };
  }

  /** The answer to a file call, or undefined when the call is not about files. */
  async handle(method: string, payload: Record<string, unknown>): Promise<ApiAnswer | undefined> {
    if (method === 'getFile') {
      const file = this.files.get(String(payload.file_id));
      if (!file) return fail('Bad Request: invalid file_id');
      if (file.size > DOWNLOAD_LIMIT) return fail('Bad Request: file is too big');
      return { ok: true, result: { file_id: file.id, file_unique_id: `u-${file.id}`, file_size: file.size, file_path: file.path } };
    }
    const type = METHOD_TYPE[method];
    if (!type) return undefined;
    const given = payload[type];
    let file: StoredFile;
    if (given instanceof InputFile) {
      const raw = await given.toRaw();
      if (!(raw instanceof Uint8Array)) throw new Error('the harness reads uploads from bytes only (the adapter uploads Buffers)');
      file = this.add(type, Buffer.from(raw), given.filename ? { name: given.filename } : {});
      this.uploads.push({ method, filename: given.filename, data: file.data, fileId: file.id });
    } else {
      const known = this.files.get(String(given));
      if (!known) return fail('Bad Request: wrong file identifier/HTTP URL specified');
      if (known.type !== type) return fail('Bad Request: type of file mismatch');
      file = known;
    }
    const attached = type === 'photo' ? [{ file_id: file.id, file_unique_id: `u-${file.id}`, width: 1280, height: 1280, file_size: file.size }] : { file_id: file.id, file_unique_id: `u-${file.id}`, file_size: file.size };
    const { [type]: _file, ...rest } = payload;
    const stored = this.server.addBotMessage({ ...rest, [type]: attached } as never, this.token);
    return { ok: true, result: stored };
  }
}
