/**
 * What crosses the line between an adapter and the engine. Adapters turn platform messages into `Inbound` and
 * `OutMessage` into platform messages; they know nothing of the conversation itself.
 */
import type { Lang } from '../render/i18n.js';
import type { MediaRef } from './media.js';

/** Who is talking: a platform name ("terminal", "telegram", "matrix") and that platform's chat id. */
export interface ConversationRef {
  platform: string;
  chatId: string;
}

export type UnsupportedKind =
  | 'sticker'
  | 'photo'
  | 'voice'
  | 'video'
  | 'document'
  | 'location'
  | 'contact'
  | 'poll'
  | 'edit'
  | 'reaction'
  | 'other';

export type InboundInput =
  /** Something typed. A leading "/" makes it a command; otherwise it is matched against the current choices. */
  | { kind: 'text'; text: string }
  /** A button pressed: the choice id and the number of the prompt the button belonged to. */
  | { kind: 'choice'; choice: string; promptSeq: number }
  /** The conversation opened (Telegram /start, a Matrix invite, the terminal starting), maybe with a deep link. */
  | { kind: 'start'; payload?: string }
  /**
   * A photo, a screenshot, a document, a voice message: relayed to the volunteer holding the ticket (./media.ts);
   * elsewhere answered like what the guide cannot read. `caption`: the words sent with it.
   */
  | { kind: 'media'; media: MediaRef; caption?: string }
  /** Anything we cannot read: stickers, locations, edits… answered kindly, never lost. */
  | { kind: 'unsupported'; what: UnsupportedKind };

export interface Inbound {
  conversation: ConversationRef;
  /** The platform's id for this message/update: a redelivered id is never processed twice. */
  messageId?: string;
  /** The platform's idea of the user's language ("fr-FR"), used on first contact. */
  langHint?: string;
  /**
   * The person's display name on the platform. Never stored — unless they agree to show it to a volunteer, and
   * then only on their ticket's card.
   */
  displayName?: string;
  input: InboundInput;
}

export interface OutChoice {
  id: string;
  /** Label text (markup-free). */
  label: string;
}

export interface OutMessage {
  /** Text in our small markup (render/markup.ts): adapters format and escape it for their platform. */
  text: string;
  /** The choices of the prompt this message ends on: buttons, or a numbered list. */
  choices: OutChoice[];
  /** Number of this prompt, to put in buttons so a press on an old one is recognised as stale. */
  promptSeq: number;
  lang: Lang;
  /** A document to send with the message (e.g. the person's data as JSON): a file where the platform has them. */
  attachment?: { filename: string; mimeType: string; content: string };
  /**
   * A file a volunteer showed the person (./media.ts), sent with `text` as its caption. The platform sends it by
   * its id when it holds it (`media.platform` is its own name), else fetches it through `PlatformDeps.media` and
   * uploads it. A message with `media` never has choices.
   */
  media?: MediaRef;
  /**
   * Set on the last reply to /oublier: the conversation is erased. A platform that keeps something of its own for
   * the person (the web chat: the browser's secret, the messages kept to redraw the page) forgets it too.
   */
  erased?: true;
}

/** What an adapter gives the engine to deliver replies. Throwing makes the engine keep the reply for a retry. */
export interface Sender {
  /** Throws RecipientGoneError when the person cannot be reached any more; anything else is retried later. */
  send(chatId: string, message: OutMessage): Promise<void>;
}

/**
 * The person can no longer be reached on their platform (Telegram 403: they blocked the bot; Matrix: they left
 * the room). Part of the engine's contract with a Sender: the reply is kept as undelivered like any failure, and
 * the desk shows it on the person's ticket.
 */
export class RecipientGoneError extends Error {
  override name = 'RecipientGoneError';
}

export function conversationKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.chatId}`;
}
