/**
 * Anonymous daily counts for the associations: how many people started, got a recommendation, chose each
 * provider, finished the plan… The table holds a day, a metric, an optional detail (a provider id) and a count —
 * never a chat id, a key or anything else about a person. The engine counts inside the turn's transaction, so a
 * count is never lost nor doubled by a crash.
 */
import type { Db } from '../store/database.js';

/** The funnel, in order. `detail` is only ever a provider id (for "chose"). */
export const METRICS = [
  'started',
  'answered',
  'recommended',
  'chose',
  'finishedPlan',
  'remindersOn',
  'switched',
  'escalated',
  'ticketsClosed',
] as const;
export type Metric = (typeof METRICS)[number];

export function isMetric(value: string): value is Metric {
  return (METRICS as readonly string[]).includes(value);
}

/** The UTC day of a timestamp, as stored. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function createCounters(db: Db) {
  const increment = db.prepare<[string, string, string]>(
    `INSERT INTO stats_daily (day, metric, detail, count) VALUES (?, ?, ?, 1)
     ON CONFLICT(day, metric, detail) DO UPDATE SET count = count + 1`,
  );
  return {
    count(metric: Metric, at: number, detail = ''): void {
      increment.run(dayOf(at), metric, detail);
    },
  };
}

export type Counters = ReturnType<typeof createCounters>;
