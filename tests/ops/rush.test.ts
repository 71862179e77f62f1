/**
 * The rush, smaller than `npm run bench`'s (2,000 people within a minute, 100 tickets at once, which takes minutes
 * at Telegram's real rates): 300 people within 10 s and 20 tickets opened at the same moment, against the
 * emulator enforcing Telegram's limits with 429 and retry_after (tests/ops/rush.ts), the desk's minute scaled down
 * to 3 s (20 messages per 3 s, and the bot's pacing told the same) so the test takes seconds, not minutes.
 */
import { describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { Harness, TOKEN, createTelegram } from '../telegram/harness.js';
import { BotApiGate, TELEGRAM_LIMITS } from './bot-api-gate.js';
import { percentile, runRush } from './rush.js';

describe('a rush through Telegram limits', () => {
  it('delivers every reply once and in order, keeps the desk under its limit, and nearly never meets a 429', { timeout: 120_000 }, async () => {
    const result = await runRush({ people: 300, spreadMs: 10_000, tickets: 20, groupWindowMs: 3_000, timeoutMs: 90_000 });
    expect(result.problems).toEqual([]);
    expect(result.tickets).toBe(20);
    expect(result.firstReply).toHaveLength(300);
    // The gate refuses anything over the limits, so what went through is under them; the bot's pacing keeps the
    // refusals to the jitter of a loopback (a call delayed in flight arriving close behind the next one).
    expect(result.peaks.desk).toBeLessThanOrEqual(20);
    expect(result.peaks.privateChat).toBe(1);
    expect(result.peaks.global).toBeLessThanOrEqual(30);
    // On a loaded machine a few calls arrive too close behind one another; without pacing, most would (below).
    const refused = Object.values(result.refused).reduce((a, b) => a + b, 0);
    expect(refused).toBeLessThanOrEqual(Math.ceil((3 * result.sent) / 100));
    console.log(
      `rush (test size): ${result.sent} calls in ${result.seconds.toFixed(1)} s, first reply p50 ${percentile(result.firstReply, 50).toFixed(0)} ms, ` +
        `p95 ${percentile(result.firstReply, 95).toFixed(0)} ms, p99 ${percentile(result.firstReply, 99).toFixed(0)} ms; ` +
        `desk drained in ${(result.deskDrainMs / 1000).toFixed(1)} s; 429s ${JSON.stringify(result.refused)}`,
    );
  });

  it('the emulator really refuses what goes over the limits: without pacing, a burst meets 429s (and is retried)', { timeout: 60_000 }, async () => {
    const h = await Harness.start();
    const gate = await BotApiGate.start(h.apiRoot, TOKEN);
    gate.limits = TELEGRAM_LIMITS;
    const tmp = tempDbPath();
    const { engine, db } = makeEngine(tmp.path);
    const adapter = createTelegram({ token: TOKEN, apiRoot: gate.url, pacing: false }, engine);
    try {
      const message = { text: 'Bonjour', choices: [], promptSeq: 1, lang: 'fr' as const };
      await Promise.all(Array.from({ length: 60 }, (_, i) => adapter.send(String(900_000 + i), message)));
      expect(gate.refused.filter((r) => r.limit === 'global').length).toBeGreaterThan(0);
      expect(gate.passed).toHaveLength(60);
      expect(gate.peak(950)).toBeLessThanOrEqual(30);
    } finally {
      await engine.idle();
      db.close();
      tmp.cleanup();
      await gate.stop();
      await h.stop();
    }
  });
});
