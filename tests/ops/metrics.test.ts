/**
 * METRICS_PORT's Prometheus text, scraped over loopback HTTP: turns and their duration from a real engine on a
 * SQLite file, tickets by state, deadline lag and the funnel read from that file, and the Telegram counters
 * (calls, attempts, 429s) from the real adapter sending through the Bot API emulator behind the gate, which
 * refuses a second message within a second to one chat as Telegram does. No label ever holds a chat id or a text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';

import { makeEngine, tempDbPath } from '../support/engine.js';
import { Harness, TOKEN, createTelegram } from '../telegram/harness.js';
import { BotApiGate } from './bot-api-gate.js';

const tmp = tempDbPath();
afterAll(() => tmp.cleanup());

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one sample, `name{labels}`, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('counts turns and their duration, reads tickets, deadline lag and the funnel from SQLite, serves them as text', async () => {
    const { engine, db, sender, chat } = makeEngine(tmp.path);
    const metrics = new Metrics();
    metrics.instrument(engine);
    metrics.watch(db);
    const server = await metrics.serve(0);
    try {
      const alice = chat('4242424242');
      await alice.start();
      await alice.press('begin');
      sender.failNext = 1;
      await expect(chat('5151515151').start()).rejects.toThrow('platform unavailable');
      const now = Date.now();
      db.prepare('INSERT INTO deadlines (conversation_key, kind, due_at) VALUES (?, ?, ?)').run('test:4242424242', 'checkin:7', now - 90_000);
      const ticket = db.prepare('INSERT INTO tickets (conversation_key, status, version, snapshot, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)');
      for (const status of ['queued', 'queued', 'claimed', 'closed']) ticket.run('test:4242424242', status, '{}', now, now);

      const text = await scrape(server.port);
      expect(sample(text, 'demailbot_turns_total{platform="test",outcome="replied"}')).toBe(2);
      expect(sample(text, 'demailbot_turns_total{platform="test",outcome="failed"}')).toBe(1);
      expect(sample(text, 'demailbot_deliveries_failed_total{platform="test"}')).toBe(1);
      expect(sample(text, 'demailbot_turn_duration_seconds_count{platform="test"}')).toBe(3);
      expect(sample(text, 'demailbot_turn_duration_seconds_sum{platform="test"}')).toBeGreaterThan(0);
      expect(sample(text, 'demailbot_turns_in_progress')).toBe(0);
      expect(sample(text, 'demailbot_tickets{state="queued"}')).toBe(2);
      expect(sample(text, 'demailbot_tickets{state="claimed"}')).toBe(1);
      expect(sample(text, 'demailbot_tickets{state="asked"}')).toBe(0);
      expect(sample(text, 'demailbot_deadline_lag_seconds')).toBeGreaterThanOrEqual(90);
      const started = (db.prepare("SELECT SUM(count) AS n FROM stats_daily WHERE metric = 'started'").get() as { n: number }).n;
      expect(started).toBeGreaterThan(0);
      expect(sample(text, 'demailbot_funnel_events{step="started"}')).toBe(started);
      expect(sample(text, 'demailbot_funnel_events{step="switched"}')).toBe(0);
      expect(sample(text, 'demailbot_process_resident_memory_bytes')).toBeGreaterThan(0);
      // No chat id, key or text anywhere: labels are fixed words.
      for (const secret of ['4242424242', '5151515151', 'test:', 'Bonjour']) expect(text).not.toContain(secret);
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    } finally {
      await server.close();
      await engine.idle();
      db.close();
    }
  });

  it("counts Telegram calls, attempts and 429s as the adapter sends under Telegram's limits", async () => {
    const h = await Harness.start();
    const gate = await BotApiGate.start(h.apiRoot, TOKEN);
    gate.limits = { global: { max: 30, ms: 1_000 }, privateChat: { max: 1, ms: 1_000 }, group: { max: 20, ms: 60_000 } };
    const { engine, db } = makeEngine(`${tmp.path}-telegram`);
    const metrics = new Metrics();
    const log = metrics.countingLog(() => {});
    // No pacing: two messages in a row to one chat, the second refused 429 then retried after retry_after.
    const adapter = createTelegram({ token: TOKEN, apiRoot: gate.url, pacing: false }, engine, { log, metrics });
    const server = await metrics.serve(0);
    try {
      const message = { text: 'Bonjour', choices: [], promptSeq: 1, lang: 'fr' as const };
      await adapter.send('777000111', message);
      await adapter.send('777000111', message);
      const text = await scrape(server.port);
      expect(sample(text, 'demailbot_telegram_api_calls_total{method="sendMessage",result="ok"}')).toBe(2);
      expect(sample(text, 'demailbot_telegram_api_attempts_total{method="sendMessage",result="ok"}')).toBe(2);
      expect(sample(text, 'demailbot_telegram_api_attempts_total{method="sendMessage",result="429"}')).toBe(1);
      expect(sample(text, 'demailbot_telegram_rate_limited_total{method="sendMessage"}')).toBe(1);
      expect(sample(text, 'demailbot_log_events_total{event="telegram_api_error",level="warn"}')).toBe(1);
      expect(gate.passedTo('777000111', 'sendMessage')).toHaveLength(2);
      expect(text).not.toContain('777000111');
    } finally {
      await server.close();
      await engine.idle();
      db.close();
      await gate.stop();
      await h.stop();
    }
  });
});
