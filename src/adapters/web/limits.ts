/**
 * The web chat's limits (messages per minute, new conversations per hour), counted by `rate-limiter-flexible`'s
 * RateLimiterMemory. A refused action is answered, never queued: the page tells the person to wait `retryAfterMs`
 * and keeps what they typed — which is why this is a limiter that rejects (`consume` → RateLimiterRes with
 * `msBeforeNext`) and not one that delays work (bottleneck, grammY's throttler).
 *
 * The windows are fixed: they start with a key's first action and reset `windowMs` later. Keys left alone expire
 * on their own (the library's timers, unref'd), so nothing needs pruning.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export class ActionLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(limit: number, windowMs: number) {
    // The library counts its windows in seconds.
    this.limiter = new RateLimiterMemory({ points: limit, duration: windowMs / 1000 });
  }

  /** Counts one action for `key`: 0 when allowed, else how long to wait (ms) before the next one is. */
  async take(key: string): Promise<number> {
    try {
      await this.limiter.consume(key);
      return 0;
    } catch (refusal) {
      // Over the limit: the library rejects with the window's state. Anything else is a real failure.
      if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
      throw refusal;
    }
  }
}

/**
 * Counts one action against every limit (this connection's and its address's): the longest wait, or 0.
 * (Not the library's RateLimiterUnion: it counts one key against all its limiters, and here each has its own key.)
 */
export async function takeAll(takes: ReadonlyArray<[ActionLimit, string]>): Promise<number> {
  const waits = await Promise.all(takes.map(([limit, key]) => limit.take(key)));
  return Math.max(0, ...waits);
}
