/**
 * The frames between the page (./client/widget.js) and the server, one JSON object per WebSocket message.
 *
 * Page → server:
 *   hello   { t, secret?, carry?, lastSeq, lang?, payload? }  first frame: resume (secret), carry from another
 *           device (carry code), or open a new conversation (neither); `lastSeq` is the last message it shows
 *   say     { t, id, text }                           something typed; `id` is the page's, for "sent once"
 *   choose  { t, id, choice, promptSeq, label }       a button pressed
 *   file    { t, id, upload, caption? }               a file sent by POST /upload (./files.ts) under that id, with
 *                                                     the words typed with it; like `say` otherwise
 *   ack     { t, seq }                                everything up to `seq` is on screen
 *   carry   { t }                                     "continue on another device": asks for a code
 * Server → page:
 *   ready   { t, secret, fresh }                      the conversation is open (`fresh`: a new one)
 *   msg     { t, m: WireMessage }                     a numbered message (the person's own words come back too);
 *                                                     a volunteer's file is `m.media`, fetched at GET /media/<seq>
 *   accepted { t, id }                                a say/choose was received and kept: the page may forget it
 *   refused { t, reason, id?, retryAfterMs?, max? }   a limit or a bad frame, said in the person's words by the page
 *   carry   { t, code, link, expiresAt }
 *   forgotten { t }                                   the secret it sent opens nothing (erased): start afresh
 */
import { z } from 'zod';

const id = z.string().min(1).max(64);

export const ClientFrame = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    secret: z.string().max(64).optional(),
    carry: z.string().max(16).optional(),
    lastSeq: z.number().int().min(0).default(0),
    lang: z.string().max(35).optional(),
    payload: z.string().max(64).optional(),
  }),
  z.object({ t: z.literal('say'), id, text: z.string() }),
  z.object({ t: z.literal('choose'), id, choice: z.string().min(1).max(128), promptSeq: z.number().int().min(0), label: z.string().max(300) }),
  z.object({ t: z.literal('file'), id, upload: z.string().min(1).max(64), caption: z.string().optional() }),
  z.object({ t: z.literal('ack'), seq: z.number().int().min(0) }),
  z.object({ t: z.literal('carry') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export type RefusalReason =
  /** Too many messages in the last minute (this connection or this address). */
  | 'tooFast'
  /** A message longer than WEB_CHAT_MAX_MESSAGE_CHARS. */
  | 'tooLong'
  /** Too many new conversations (or codes tried) from this address in the last hour. */
  | 'tooManyConversations'
  /** The server has as many connections as it takes (in all, or from this address). */
  | 'busy'
  /** A code to carry the conversation that is wrong, spent or expired. */
  | 'badCode'
  /** A `file` frame whose upload is no longer kept (its time is over, or the chat restarted): to be sent again. */
  | 'uploadGone'
  /** A frame the page would never send (or a message before hello). */
  | 'badFrame';

/** Parses a frame; undefined when it is not one (the page is told `badFrame`, the connection stays). */
export function parseFrame(data: string): ClientFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = ClientFrame.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
