/**
 * Counting windows for the web chat's limits (messages per minute, new conversations per hour). A refused action
 * is answered, never queued: the page tells the person to wait `retryAfterMs` and keeps what they typed.
 *
 * Hand-written because the libraries at hand (bottleneck, grammY's throttler) delay work rather than refuse it,
 * and this is a dozen lines: the times of the last `limit` actions per key, forgotten when they leave the window.
 */
export class RateWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one action for `key`: 0 when allowed, else how long to wait (ms) before the next one is. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return recent[0]! + this.windowMs - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }

  /** Drops keys with nothing left in their window (called now and then, so the map stays small). */
  prune(): void {
    const now = this.now();
    for (const [key, times] of this.hits) if (times.every((t) => t <= now - this.windowMs)) this.hits.delete(key);
  }
}
