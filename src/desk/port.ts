/**
 * What the escalation desk needs of a volunteers' platform, and what such a platform hands back.
 *
 * The desk core (./desk.ts and the parts it composes) knows tickets, volunteers' commands and the people behind
 * them; a desk port (the Telegram and the Matrix adapter each have one) only knows how to keep one *thread* per ticket on its
 * platform — a forum topic in a Telegram supergroup, a thread in a Matrix room — and how to tell who is a member.
 * Either desk serves users of either platform: a port never sees a user, only texts the core composed.
 *
 * Texts are in the small markup of src/render/markup.ts (**bold**, `code`): the port formats and escapes them.
 */
import type { MediaRef } from '../engine/media.js';

/** A post on the desk: a ticket's card, a relayed message, a notice to the volunteers. */
export interface DeskPost {
  /** Our markup (render/markup.ts). */
  text: string;
  /** Buttons under the post where the platform has them (the card's "Claim"); elsewhere the text says the command. */
  buttons?: DeskButton[];
  /**
   * A file the person showed (src/engine/media.ts), posted with `text` as its caption: by its id when the port's
   * platform holds it, else fetched through `PlatformDeps.media` and uploaded. Never with buttons.
   */
  media?: MediaRef;
}

export interface DeskButton {
  /** Comes back as `{ kind: 'button', id }` when pressed (e.g. "claim"). */
  id: string;
  label: string;
}

/** A ticket's place on a desk: its thread, and the card message at its top (kept up to date). */
export interface DeskThread {
  threadId: string;
  cardId: string;
}

/** Something a volunteer (or anyone in the desk room) did. */
export interface DeskInbound {
  /** The port's name ("telegram", "matrix"). */
  desk: string;
  /** The ticket's thread it happened in; undefined in the desk's main timeline (outside any ticket's thread). */
  threadId?: string;
  /** The platform's id for the message or button press: a redelivered one is not handled twice. */
  messageId: string;
  /** Who: the platform's user id and a name to show other volunteers. */
  from: { id: string; name: string };
  input:
    | { kind: 'text'; text: string }
    | { kind: 'button'; id: string }
    /** A photo, a screenshot, a document, a voice message for the person; `caption`: the words sent with it. */
    | { kind: 'media'; media: MediaRef; caption?: string }
    /** A sticker, a poll, an encrypted event…: not relayed (the volunteer is told). */
    | { kind: 'unsupported' };
}

export type DeskHandler = (inbound: DeskInbound) => Promise<void>;

export interface DeskPort {
  /** "telegram" or "matrix": stored with each ticket's thread. */
  readonly name: string;
  /**
   * Opens a ticket's thread: a topic named `title` whose first message is `card`, pinned (Telegram); a thread
   * whose root is `card`, its first line the title (Matrix).
   */
  openThread(title: string, card: DeskPost): Promise<DeskThread>;
  /** Keeps a thread's title and card up to date (rename the topic, edit the card). Throws ThreadGoneError. */
  updateThread(thread: DeskThread, title: string, card: DeskPost): Promise<void>;
  /** Posts in a ticket's thread; returns the message id. Throws ThreadGoneError when the thread is gone. */
  post(threadId: string, message: DeskPost): Promise<string>;
  /** Posts in the desk's main timeline (outside any thread), e.g. "ticket #12 still waits". Returns the message id. */
  announce(message: DeskPost): Promise<string>;
  /** Deletes a message the bot posted. False where the platform or its rights do not allow it. */
  deleteMessage(threadId: string, messageId: string): Promise<boolean>;
  /** Marks a thread as finished where the platform has that (Telegram closes the topic); otherwise does nothing. */
  closeThread(threadId: string): Promise<void>;
  /** Opens a finished thread again (a reopened ticket). */
  reopenThread(threadId: string): Promise<void>;
  /** Whether this platform user is a member of the desk group/room (the allow-list is the core's business). */
  isMember(userId: string): Promise<boolean>;
}

/**
 * The ticket's thread no longer exists on the desk (a Telegram topic deleted — "message thread not found",
 * TOPIC_DELETED — or closed by hand — TOPIC_CLOSED; a Matrix thread root redacted). The core opens a new
 * thread with the card and carries on there.
 */
export class ThreadGoneError extends Error {
  override name = 'ThreadGoneError';
}

/**
 * The desk core as an adapter sees it: the adapter registers its port when its desk is configured
 * (TELEGRAM_DESK_CHAT_ID, MATRIX_DESK_ROOM_ID) and hands it everything that happens in the desk group/room.
 */
export interface DeskRegistry {
  register(port: DeskPort): void;
  receive(inbound: DeskInbound): Promise<void>;
}
