/**
 * What a person sees of a platform, for the platform contract suite (./contract.test.ts): the scenarios are written
 * once against this interface and run by every platform's driver (./drivers/*.ts).
 *
 * A driver plays one person in one conversation with the bot on a real platform (or its emulator), on a real
 * SQLite file, and reads back what that person was shown. It says nothing of how the platform works inside: a
 * browser-less WebSocket client (the web chat) implements it as easily as a Bot API emulator does.
 */
import type { OutChoice } from '../../src/engine/types.js';

/** One message the person received, as they see it. */
export interface Reply {
  /** The visible text: markup and HTML gone, entities decoded (a numbered list of choices may be part of it). */
  text: string;
  /** The choices offered with it, in order, by their labels: buttons, or the lines of a numbered list. */
  choices: string[];
  /** Its size as the platform counts it against `messageLimit` (characters of HTML, bytes of JSON…). */
  size: number;
  /** A document sent with it (the person's data from /mesdonnees), as the person receives it. */
  document?: { filename: string; content: string };
  /** The driver's handle on the platform's message (to press a button under it later). */
  readonly handle?: unknown;
}

/** The volunteers' side of the desk (the same in-memory desk port for every platform: the person's side is tested). */
export interface Volunteer {
  /** Takes the only open request (/claim). */
  claim(): Promise<void>;
  /** Writes in the request's thread: relayed to the person. */
  say(text: string): Promise<void>;
  /** What the desk thread shows, oldest first (the person's relayed words among them). */
  posts(): string[];
  /** How many requests reached the desk (threads opened). */
  requests(): number;
}

export interface PlatformDriver {
  readonly name: string;
  /** How choices are offered: buttons to press, or a numbered list to answer by number. */
  readonly choicesAs: 'buttons' | 'numbers';
  /** The longest message the platform takes, in `Reply.size` units; undefined when it takes any (nothing is split). */
  readonly messageLimit?: number;

  /** Opens the conversation (/start, a direct chat, the chat window) and returns the replies. */
  open(): Promise<Reply[]>;
  /** Types and sends a text. */
  say(text: string): Promise<Reply[]>;
  /**
   * Chooses `label` among the choices of `on` (by default the latest reply with choices): presses its button, or
   * types its number in that reply's list.
   */
  press(label: string, on?: Reply): Promise<Reply[]>;
  /** Sends something that is not text (a sticker); undefined where a person cannot (the terminal). */
  sendNonText?(): Promise<Reply[]>;
  /** The platform hands the bot the person's last message again (after a crash); undefined where it never does. */
  redeliver?(): Promise<Reply[]>;
  /** A new process on the same database file (the old one stopped); returns what the person got at the start. */
  restart(): Promise<Reply[]>;
  /**
   * Stops the platform, sends `text` while it is stopped (the platform keeps it, as Telegram and a homeserver do),
   * starts it again on the same file and returns the replies; undefined where nothing can be sent meanwhile.
   */
  sayWhileStopped?(text: string): Promise<Reply[]>;
  /** The platform refuses the next reply the bot sends (an outage); undefined where it cannot. */
  refuseNextReply?(): void;
  /** The engine sends the person a message outside a turn (a volunteer's words, a reminder). */
  deliver(message: { text: string; choices: OutChoice[] }): Promise<Reply[]>;
  /** What arrived since the last look without the person doing anything (a volunteer's words), once settled. */
  news(): Promise<Reply[]>;
  /** Every reply so far, oldest first. */
  replies(): Reply[];
  /** The volunteers' desk the requests go to. */
  readonly volunteer: Volunteer;
  /** What the bot, the engine and the desk logged as errors (none expected). */
  errors(): string[];
  close(): Promise<void>;
}

/** The latest reply with choices: what the person would answer. */
export function lastWithChoices(replies: readonly Reply[]): Reply {
  const found = [...replies].reverse().find((r) => r.choices.length > 0);
  if (!found) throw new Error('no reply with choices yet');
  return found;
}

/** The number of `label` in a reply's choices ("1" for its first), as a person answering a numbered list types it. */
export function numberOf(reply: Reply, label: string): string {
  const index = reply.choices.indexOf(label);
  if (index < 0) throw new Error(`no choice "${label}" in ${JSON.stringify(reply.choices)}`);
  return String(index + 1);
}
