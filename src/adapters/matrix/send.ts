/**
 * Putting events in rooms: one event with a transaction id of its own kept across retries, encrypted first where
 * the room and the client are; a document as an `m.file`, or as notices when it cannot be uploaded.
 */
import type { MatrixClient } from 'matrix-bot-sdk';
import type { OutMessage } from '../../engine/types.js';
import type { Log } from '../../log.js';
import { describeError, retryable } from './errors.js';
import { fileAsNotices } from './format.js';

export interface TransportOptions {
  /** Attempts per event when rate-limited or the network fails. */
  attempts: number;
  /** True once the platform is stopping: no more waiting to retry. */
  stopping: () => boolean;
  log: Log;
}

export class Transport {
  private txnCounter = 0;

  constructor(
    private readonly client: () => MatrixClient | undefined,
    private readonly options: TransportOptions,
  ) {}

  /**
   * One event, with a transaction id of its own kept across retries (the homeserver answers a repeated one with
   * the event it already has); encrypted first where the room and the client are. Returns the event's id.
   */
  async event(roomId: string, content: object): Promise<string> {
    const client = this.client();
    if (!client) throw new Error('the Matrix adapter is not started');
    const txnId = `demailbot.${Date.now().toString(36)}.${(++this.txnCounter).toString(36)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        let type = 'm.room.message';
        let body: object = content;
        if (client.crypto && (await client.crypto.isRoomEncrypted(roomId))) {
          body = await client.crypto.encryptRoomEvent(roomId, type, content);
          type = 'm.room.encrypted';
          // Relations (threads, edits) stay readable by the server, as the spec asks.
          const relation = (content as { 'm.relates_to'?: unknown })['m.relates_to'];
          if (relation) body = { ...body, 'm.relates_to': relation };
        }
        const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
        const response = (await client.doRequest('PUT', path, null, body)) as { event_id: string };
        return response.event_id;
      } catch (error) {
        if (attempt >= this.options.attempts || !retryable(error) || this.options.stopping()) {
          this.options.log('matrix_send_failed', { attempts: attempt, ...describeError(error) }, 'warn');
          throw error;
        }
        const after = (error as { retryAfterMs?: number }).retryAfterMs;
        await new Promise((resolve) => setTimeout(resolve, Math.min(after ?? 500 * 2 ** (attempt - 1), 30_000)));
      }
    }
  }

  /**
   * A document as an `m.file` (uploaded to the media repository; encrypted first in an encrypted room). If the
   * upload is refused, its content in code blocks instead.
   */
  async attachment(roomId: string, file: NonNullable<OutMessage['attachment']>): Promise<void> {
    const client = this.client()!;
    const data = Buffer.from(file.content, 'utf8');
    const info = { mimetype: file.mimeType, size: data.length };
    let content: object;
    try {
      if (client.crypto && (await client.crypto.isRoomEncrypted(roomId))) {
        const encrypted = await client.crypto.encryptMedia(data);
        const url = await client.uploadContent(encrypted.buffer, 'application/octet-stream');
        content = { msgtype: 'm.file', body: file.filename, filename: file.filename, info, file: { ...encrypted.file, url } };
      } else {
        const url = await client.uploadContent(data, file.mimeType, file.filename);
        content = { msgtype: 'm.file', body: file.filename, filename: file.filename, info, url };
      }
    } catch (error) {
      this.options.log('matrix_upload_failed', describeError(error), 'warn');
      for (const notice of fileAsNotices(file)) await this.event(roomId, notice);
      return;
    }
    await this.event(roomId, content);
  }
}
