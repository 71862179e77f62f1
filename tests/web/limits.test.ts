/**
 * The web chat's limits over rate-limiter-flexible, on the wall clock with small windows (the library keeps its own
 * time): allowed up to the limit, then refused with how long to wait, then allowed again once the window is over.
 */
import { describe, expect, it } from 'vitest';
import { ActionLimit, takeAll } from '../../src/adapters/web/limits.js';

describe('ActionLimit', () => {
  it('allows `limit` actions per key in a window, refuses the next with the wait, and opens again after it', async () => {
    const limit = new ActionLimit(2, 300);
    expect(await limit.take('a')).toBe(0);
    expect(await limit.take('a')).toBe(0);
    const wait = await limit.take('a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(300);
    expect(await limit.take('b'), 'another key has its own window').toBe(0);
    await new Promise((resolve) => setTimeout(resolve, wait + 20));
    expect(await limit.take('a')).toBe(0);
  });

  it('takeAll counts against every limit and answers the longest wait', async () => {
    const connection = new ActionLimit(1, 200);
    const address = new ActionLimit(5, 60_000);
    expect(await takeAll([[connection, 'c1'], [address, 'ip']])).toBe(0);
    const wait = await takeAll([[connection, 'c1'], [address, 'ip']]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(200);
    // The address counted both: three more from it, then its own (longer) wait.
    for (let i = 0; i < 3; i++) await address.take('ip');
    expect(await takeAll([[connection, 'c2'], [address, 'ip']])).toBeGreaterThan(50_000);
  });
});
