/**
 * Reply mode (the desk group is not a forum): a ticket's thread is its card's message id, and the map from each
 * bot message to the thread it belongs to tells which ticket a volunteer's reply is for. Kept in the desk's state
 * (key "replies"), the oldest entries pruned past REPLY_MAP_LIMIT.
 */
import { readJson, type DeskState } from './state.js';

/** How many bot messages the reply map remembers. */
export const REPLY_MAP_LIMIT = 2_000;

export class ReplyMap {
  /** Bot message id → the thread (card message id) it belongs to, oldest first. */
  private readonly threads = new Map<number, number>();

  constructor(private readonly state: DeskState) {
    for (const [message, thread] of readJson<Array<[number, number]>>(state, 'replies') ?? []) this.threads.set(message, thread);
  }

  threadOf(messageId: number): number | undefined {
    return this.threads.get(messageId);
  }

  remember(messageId: number, threadId: number): void {
    this.threads.delete(messageId);
    this.threads.set(messageId, threadId);
    while (this.threads.size > REPLY_MAP_LIMIT) this.threads.delete(this.threads.keys().next().value!);
    this.state.set('replies', JSON.stringify([...this.threads]));
  }
}
