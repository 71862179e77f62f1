/**
 * Writes that may land a moment late: "this Telegram update was handled" (its inbox row deleted). It used to be a
 * commit of its own after each update; now it rides along the next commit the engine makes anyway — the next
 * turn's transaction, or the "delivered" mark of the next reply — or, when none comes first, goes on the next tick
 * with the others pending.
 *
 * Why the crash guarantees allow it: the mark only stops an update from being handled again at the next start.
 * Lost in a crash, the update is replayed and recognised by its message id — stored in the turn's own commit — so it
 * is not processed twice. What does not wait: the turn (committed before its reply is sent) and the delivered mark
 * (committed as soon as the platform took the reply, so that a crash never sends a delivered reply again).
 */
import type { Db } from './database.js';

export class LateWrites {
  private pending: Array<() => void> = [];
  /** Taken into the transaction under way, until it commits or rolls back. */
  private riding: Array<() => void> | undefined;
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /** Queues a write for the next transaction, or the next tick at the latest. */
  add(write: () => void): void {
    this.pending.push(write);
    this.schedule();
  }

  /** Inside an open transaction: makes what is pending part of it. Then `committed()` or `rolledBack()`. */
  writeHere(): void {
    if (this.pending.length === 0) return;
    this.riding = this.pending;
    this.pending = [];
    for (const write of this.riding) write();
  }

  committed(): void {
    this.riding = undefined;
  }

  /** The transaction failed: what rode along is pending again. */
  rolledBack(): void {
    if (!this.riding) return;
    this.pending.unshift(...this.riding);
    this.riding = undefined;
    this.schedule();
  }

  /** Commits `write` at once, with what is pending in the same transaction. */
  commitWith(write: () => void): void {
    const writes = this.pending;
    this.pending = [];
    try {
      this.db.transaction(() => {
        write();
        for (const late of writes) late();
      })();
    } catch (error) {
      this.pending.unshift(...writes);
      throw error;
    }
  }

  /** Writes what is pending now, in one transaction (before a read that must see it, and before closing). */
  flush(): void {
    if (this.pending.length === 0 || !this.db.open) return;
    const writes = this.pending;
    this.pending = [];
    try {
      this.db.transaction(() => {
        for (const write of writes) write();
      })();
    } catch (error) {
      this.pending.unshift(...writes);
      throw error;
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.flush();
      } catch {
        // Kept pending (a busy database): the next turn or the next tick writes them.
        if (this.pending.length) this.schedule();
      }
    });
  }
}
