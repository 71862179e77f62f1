/**
 * Reading the anonymous daily counts back, for the associations: the funnel (totals and step-to-step conversion)
 * and the per-day series the chart draws. Everything here but `readStats` is a pure function of the rows; nothing
 * here knows about a person, because the table holds nothing about one.
 */
import type { Db } from '../store/database.js';
import { METRICS, type Metric } from './counters.js';
import { isDeskMetric } from './desk-counters.js';

/** One stored row of `stats_daily`. */
export interface StatsRow {
  day: string;
  metric: string;
  detail: string;
  count: number;
}

/** An inclusive range of UTC days, `YYYY-MM-DD`; either end may be open. */
export interface DayRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** What each metric counts, in a few words (legend of the chart, README). */
export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  started: 'started',
  answered: 'answered the questions',
  recommended: 'got a recommendation',
  chose: 'chose a host',
  finishedPlan: 'finished the plan',
  remindersOn: 'turned reminders on',
  switched: 'switched for good',
  escalated: 'asked for a volunteer',
  ticketsClosed: 'tickets closed',
};

const DAY_MS = 86_400_000;

/** True for a real calendar day written `YYYY-MM-DD` (2025-02-30 is not one). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

function checkRange(range: DayRange): void {
  for (const end of [range.from, range.to]) {
    if (end !== undefined && !isDay(end)) throw new RangeError(`not a day (YYYY-MM-DD): ${JSON.stringify(end)}`);
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new RangeError(`the range ends (${range.to}) before it starts (${range.from})`);
  }
}

/** The rows of `stats_daily` within the range, sorted by day, metric (funnel order), detail. */
export function readStats(db: Db, range: DayRange = {}): StatsRow[] {
  checkRange(range);
  const rows = db
    .prepare<[string, string], StatsRow>(
      `SELECT day, metric, detail, count FROM stats_daily WHERE day >= ? AND day <= ?`,
    )
    .all(range.from ?? '', range.to ?? '\uffff');
  return sortRows(rows);
}

function metricRank(metric: string): number {
  const index = (METRICS as readonly string[]).indexOf(metric);
  return index === -1 ? METRICS.length : index;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Day, then metric in funnel order (unknown metrics last, by name), then detail: a total order, so output is stable. */
export function sortRows(rows: readonly StatsRow[]): StatsRow[] {
  return [...rows].sort(
    (a, b) =>
      compareStrings(a.day, b.day) ||
      metricRank(a.metric) - metricRank(b.metric) ||
      compareStrings(a.metric, b.metric) ||
      compareStrings(a.detail, b.detail),
  );
}

/**
 * The step each metric converts from: the previous one in METRICS, except "escalated" — anyone who started can ask
 * for a volunteer, at any step, so a share of "switched" would be a meaningless number; it is a share of "started".
 */
export function baseOf(metric: Metric): Metric | undefined {
  if (metric === 'escalated') return 'started';
  const index = METRICS.indexOf(metric);
  return index > 0 ? METRICS[index - 1] : undefined;
}

export interface FunnelStep {
  metric: Metric;
  total: number;
  /** The step this one converts from (see baseOf); undefined for the first. */
  base: Metric | undefined;
  /** total / base's total, as a fraction; null for the first step or when the base total is 0. */
  rate: number | null;
  /** The rate as text: "62.5%"; "—" when the base total is 0; "" for the first step, which has no base. */
  conversion: string;
  /** Per detail (for "chose": per provider id), most counted first; empty when the metric has no details. */
  details: Array<{ detail: string; count: number }>;
}

export interface Funnel {
  steps: FunnelStep[];
  /** Metrics found in the rows that this version does not know (they are not in the steps). */
  unknownMetrics: string[];
}

/** Renders a fraction as a percentage with one decimal; "—" when there was nothing to convert from. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** Totals per metric over all the rows, in METRICS order, with the conversion from the step before (baseOf). */
export function funnel(rows: readonly StatsRow[]): Funnel {
  const totals = new Map<string, number>();
  const details = new Map<string, Map<string, number>>();
  for (const row of rows) {
    totals.set(row.metric, (totals.get(row.metric) ?? 0) + row.count);
    if (row.detail !== '') {
      const perDetail = details.get(row.metric) ?? new Map<string, number>();
      perDetail.set(row.detail, (perDetail.get(row.detail) ?? 0) + row.count);
      details.set(row.metric, perDetail);
    }
  }
  const steps: FunnelStep[] = METRICS.map((metric) => {
    const total = totals.get(metric) ?? 0;
    const base = baseOf(metric);
    const baseTotal = base === undefined ? undefined : (totals.get(base) ?? 0);
    const rate = baseTotal === undefined || baseTotal === 0 ? null : total / baseTotal;
    return {
      metric,
      total,
      base,
      rate,
      conversion: base === undefined ? '' : formatRate(rate),
      details: [...(details.get(metric) ?? new Map<string, number>())]
        .map(([detail, count]) => ({ detail, count }))
        .sort((a, b) => b.count - a.count || compareStrings(a.detail, b.detail)),
    };
  });
  // The per-desk counts are known, not part of the funnel: ./desk-report.ts reads them.
  const unknownMetrics = [...totals.keys()]
    .filter((metric) => metricRank(metric) === METRICS.length && !isDeskMetric(metric))
    .sort(compareStrings);
  return { steps, unknownMetrics };
}

export interface DailySeries {
  /** Every day from the first to the last, none missing. */
  days: string[];
  /** Per metric, the count of each day (all details added up); 0 on a day with no row. */
  counts: Record<Metric, number[]>;
}

/** Every day of `from`..`to` (inclusive). */
export function daysBetween(from: string, to: string): string[] {
  checkRange({ from, to });
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= end; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/**
 * Per day, per metric counts, zeros filled. The days run over the range when it is given, otherwise from the first
 * to the last day present in the rows (one open end is taken from the rows). Rows outside the range are ignored.
 */
export function dailySeries(rows: readonly StatsRow[], range: DayRange = {}): DailySeries {
  checkRange(range);
  const present = rows.map((row) => row.day).sort(compareStrings);
  const from = range.from ?? present[0] ?? range.to;
  const to = range.to ?? present[present.length - 1] ?? range.from;
  const days = from !== undefined && to !== undefined && from <= to ? daysBetween(from, to) : [];
  const indexOf = new Map(days.map((day, index) => [day, index]));
  const counts = Object.fromEntries(METRICS.map((metric) => [metric, days.map(() => 0)])) as Record<Metric, number[]>;
  for (const row of rows) {
    const index = indexOf.get(row.day);
    const metric = row.metric as Metric;
    if (index === undefined || !(metric in counts)) continue;
    counts[metric][index]! += row.count;
  }
  return { days, counts };
}

/** The funnel as an aligned plain-text table, then the per-detail breakdowns (the choices per provider). */
export function formatFunnelTable(result: Funnel): string {
  const table = [
    ['metric', 'total', 'conversion', 'of'],
    ...result.steps.map((s) => [s.metric, String(s.total), s.conversion, s.base ?? '']),
  ];
  const lines = alignColumns(table, ['left', 'right', 'right', 'left']);
  for (const step of result.steps) {
    if (step.details.length === 0) continue;
    const title = step.metric === 'chose' ? 'chose, per provider' : `${step.metric}, per detail`;
    const rows = step.details.map(({ detail, count }) => [
      detail,
      String(count),
      step.total === 0 ? '—' : formatRate(count / step.total),
    ]);
    lines.push('', ...alignColumns([[title, 'count', 'share'], ...rows], ['left', 'right', 'right']));
  }
  if (result.unknownMetrics.length > 0) {
    lines.push('', `not shown (unknown metrics): ${result.unknownMetrics.join(', ')}`);
  }
  return lines.join('\n');
}

function alignColumns(rows: string[][], align: Array<'left' | 'right'>): string[] {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        return align[column] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  return [render(header!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(render)];
}
