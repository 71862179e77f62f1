/**
 * What the desk needs of the guide that hosts it — and nothing more. The desk used to hold the whole `Engine`
 * (its repositories, its queues, its senders); this is the narrow side of it the desk really asks for, so the desk
 * can be read, tested and replaced without the engine's insides. The `Engine` has exactly these members
 * (src/engine/engine.ts), so `host: engine` is all the wiring there is.
 *
 * Every `key` is a conversation key ("telegram:1234"): the person a ticket is about.
 */
import type { EngineDesk, TurnResult } from '../engine/engine.js';
import type { GuideContext, GuideEvent } from '../flows/guide.types.js';
import type { MediaRef } from '../engine/media.js';

export interface DeskHost {
  /**
   * The person's guide view, to read (their language now, their time zone, their plan's steps); undefined when the
   * person was forgotten.
   */
  guideView(key: string): { value: unknown; context: GuideContext } | undefined;
  /** Runs `work` in the person's queue: never at the same time as a turn of theirs (a volunteer's act, a deadline). */
  runInQueue<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * A system event (a ticket's news) as a turn of the person's conversation. Synchronous: call it inside the
   * desk's transaction, in the person's queue, then `deliverTurn` after commit. Null when the person was forgotten.
   */
  systemTurn(key: string, event: GuideEvent): TurnResult | null;
  /** Delivers a turn's result once its transaction committed. Throws RecipientGoneError (engine/types.ts). */
  deliverTurn(result: TurnResult): Promise<void>;
  /**
   * Sends the person words that are not a turn of the guide (a volunteer's message, maybe with a file): no
   * choices, the buttons they have stay valid. False when there is nobody or no platform to send to; throws what
   * the platform throws (MediaGoneError when the file cannot be had any more).
   */
  sendWords(key: string, text: string, media?: MediaRef): Promise<boolean>;
  /**
   * Sets one of the person's durable deadlines (a ticket's, kind "ticket:<id>:<deadline>"), inside the caller's
   * transaction: the engine's scheduler fires it back through `EngineDesk.fireDeadlines`.
   */
  setDeadline(key: string, kind: string, at: number): void;
  /** Cancels one of the person's deadlines, inside the caller's transaction. */
  cancelDeadline(key: string, kind: string): void;
  /** The desk hands itself over once built: the guide then calls it for ticket intents, /mydata, /forget, deadlines. */
  attachDesk(desk: EngineDesk): void;
}
