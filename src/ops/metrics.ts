/**
 * Prometheus metrics (prom-client), served as text on METRICS_PORT (GET /metrics, on 127.0.0.1 unless
 * METRICS_HOST says otherwise). What is measured, and from where:
 *
 *   demailbot_turns_total{platform,outcome}          each message handled: replied, silent (a duplicate, a message
 *                                                    relayed to a volunteer) or failed (its reply not delivered)
 *   demailbot_turn_duration_seconds{platform}        receive → reply delivered (the turn, its commit, the send)
 *   demailbot_turns_in_progress                      messages being handled or waiting behind their conversation
 *   demailbot_deliveries_failed_total{platform}      replies a platform refused or could not take (kept, re-sent)
 *   demailbot_telegram_api_calls_total{method,result} Telegram calls as the bot made them (after retries)
 *   demailbot_telegram_api_attempts_total{method,result} each attempt (retries included): attempts − calls = retried
 *   demailbot_telegram_rate_limited_total{method}    answers 429 Too Many Requests
 *   demailbot_telegram_outgoing_queued               Telegram calls waiting for the throttler (Telegram's limits)
 *   demailbot_tickets{state}                         the desk's tickets by state (read from SQLite at each scrape)
 *   demailbot_deadline_lag_seconds                   how late the oldest due deadline is (0: none overdue)
 *   demailbot_funnel_events{step}                    the anonymous funnel counts, all days together (stats_daily)
 *   demailbot_log_events_total{event,level}          log events (warnings and errors say what went wrong)
 *   demailbot_process_* / demailbot_nodejs_*          prom-client's default process metrics (memory, event loop…)
 *
 * Labels are only ever fixed words: a platform, a method, an outcome, a state, a funnel step, an event name. Never
 * a chat id, a name, a text or anything else about a person.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Transformer } from 'grammy';
import type { Engine } from '../engine/engine.js';
import type { Log } from '../log.js';
import type { Db } from '../store/database.js';
import { METRICS as FUNNEL } from '../stats/counters.js';

export class Metrics {
  readonly registry = new Registry();
  readonly turns = new Counter({ name: 'demailbot_turns_total', help: 'Messages handled, by platform and outcome (replied, silent, failed).', labelNames: ['platform', 'outcome'] as const, registers: [this.registry] });
  readonly turnSeconds = new Histogram({
    name: 'demailbot_turn_duration_seconds',
    help: 'Time from receiving a message to its reply delivered, by platform.',
    labelNames: ['platform'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly inProgress = new Gauge({ name: 'demailbot_turns_in_progress', help: 'Messages being handled or waiting behind an earlier one of their conversation.', registers: [this.registry] });
  readonly deliveriesFailed = new Counter({ name: 'demailbot_deliveries_failed_total', help: 'Replies the platform refused or could not take (kept and re-sent later).', labelNames: ['platform'] as const, registers: [this.registry] });
  readonly telegramCalls = new Counter({ name: 'demailbot_telegram_api_calls_total', help: 'Telegram API calls (after retries), by method and result (ok or the error code).', labelNames: ['method', 'result'] as const, registers: [this.registry] });
  readonly telegramAttempts = new Counter({ name: 'demailbot_telegram_api_attempts_total', help: 'Telegram API attempts, retries included, by method and result.', labelNames: ['method', 'result'] as const, registers: [this.registry] });
  readonly rateLimited = new Counter({ name: 'demailbot_telegram_rate_limited_total', help: 'Telegram answers 429 Too Many Requests, by method.', labelNames: ['method'] as const, registers: [this.registry] });
  readonly logEvents = new Counter({ name: 'demailbot_log_events_total', help: 'Log events, by name and level.', labelNames: ['event', 'level'] as const, registers: [this.registry] });

  private queueSource?: () => number;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'demailbot_' });
    const metrics = this;
    new Gauge({
      name: 'demailbot_telegram_outgoing_queued',
      help: "Telegram calls waiting for the throttler (Telegram's rate limits).",
      registers: [this.registry],
      collect() {
        this.set(metrics.queueSource?.() ?? 0);
      },
    });
  }

  /** Where the count of outgoing calls waiting comes from (the Telegram adapter's pacing). */
  watchQueue(source: () => number): void {
    this.queueSource = source;
  }

  /** Gauges read from SQLite at each scrape: tickets by state, the deadline lag, the funnel. */
  watch(db: Db): void {
    const table = (name: string) => Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
    const tickets = table('tickets') ? db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status') : undefined;
    const oldestDue = db.prepare<[number], { due: number | null }>('SELECT MIN(due_at) AS due FROM deadlines WHERE due_at <= ?');
    const funnel = db.prepare<[], { metric: string; n: number }>('SELECT metric, SUM(count) AS n FROM stats_daily GROUP BY metric');
    new Gauge({
      name: 'demailbot_tickets',
      help: "The volunteers' desk tickets, by state.",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const state of ['asked', 'queued', 'claimed', 'closed']) this.set({ state }, 0);
        for (const row of tickets?.all() ?? []) this.set({ state: row.status }, row.n);
      },
    });
    new Gauge({
      name: 'demailbot_deadline_lag_seconds',
      help: 'How late the oldest due deadline (check-in, ticket reminder) is; 0 when none is overdue.',
      registers: [this.registry],
      collect() {
        const now = Date.now();
        const due = oldestDue.get(now)?.due;
        this.set(due ? (now - due) / 1000 : 0);
      },
    });
    new Gauge({
      name: 'demailbot_funnel_events',
      help: 'Anonymous funnel counts (README, "Numbers for the association"), all days together.',
      labelNames: ['step'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const step of FUNNEL) this.set({ step }, 0);
        for (const row of funnel.all()) if ((FUNNEL as readonly string[]).includes(row.metric)) this.set({ step: row.metric }, row.n);
      },
    });
  }

  /** A log that also counts its events (by name and level: fixed words). */
  countingLog(log: Log): Log {
    return (event, details, level = 'info') => {
      this.logEvents.inc({ event, level });
      log(event, details, level);
    };
  }

  /**
   * Times every message the adapters hand the engine. Done by wrapping `engine.receive` on this one instance (what
   * every adapter calls), so the engine itself needs no knowledge of metrics.
   */
  instrument(engine: Engine): void {
    const receive = engine.receive.bind(engine);
    engine.receive = async (inbound) => {
      const platform = inbound.conversation.platform;
      const end = this.turnSeconds.startTimer({ platform });
      this.inProgress.inc();
      try {
        const reply = await receive(inbound);
        this.turns.inc({ platform, outcome: reply ? 'replied' : 'silent' });
        return reply;
      } catch (error) {
        this.turns.inc({ platform, outcome: 'failed' });
        this.deliveriesFailed.inc({ platform });
        throw error;
      } finally {
        end();
        this.inProgress.dec();
      }
    };
  }

  /** For the Telegram adapter: counts each attempt (installed inside the retries) and each call (outside them). */
  telegramObservers(): { eachAttempt: Transformer; eachCall: Transformer } {
    const observe = (counter: Counter<'method' | 'result'>, withRateLimits: boolean): Transformer => async (prev, method, payload, signal) => {
      try {
        const result = await prev(method, payload, signal);
        counter.inc({ method, result: result.ok ? 'ok' : String(result.error_code) });
        if (withRateLimits && !result.ok && result.error_code === 429) this.rateLimited.inc({ method });
        return result;
      } catch (error) {
        counter.inc({ method, result: 'unreachable' });
        throw error;
      }
    };
    return { eachAttempt: observe(this.telegramAttempts, true), eachCall: observe(this.telegramCalls, false) };
  }

  /** Serves GET /metrics on `port` (0: any free one); resolves with the port once listening. */
  async serve(port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('demailbot serves its metrics at /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return {
      port: (server.address() as AddressInfo).port,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
