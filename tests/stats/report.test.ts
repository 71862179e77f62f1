import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/stats/counters.js';
import {
  baseOf,
  dailySeries,
  daysBetween,
  formatFunnelTable,
  formatRate,
  funnel,
  isDay,
  readStats,
  type StatsRow,
} from '../../src/stats/report.js';
import { fill, openTemp } from './helpers.js';

const row = (day: string, metric: string, count: number, detail = ''): StatsRow => ({ day, metric, detail, count });

describe('funnel', () => {
  it('adds up each metric over the days, in METRICS order, with the conversion from the step before', () => {
    const result = funnel([
      row('2025-03-01', 'started', 6),
      row('2025-03-02', 'started', 4),
      row('2025-03-01', 'answered', 8),
      row('2025-03-02', 'recommended', 6),
      row('2025-03-02', 'chose', 2, 'posteo'),
      row('2025-03-03', 'chose', 1, 'mailo'),
      row('2025-03-03', 'chose', 1, 'posteo'),
      row('2025-03-03', 'finishedPlan', 1),
      row('2025-03-03', 'escalated', 1),
    ]);
    expect(result.steps.map((s) => s.metric)).toEqual([...METRICS]);
    const step = (metric: string) => result.steps.find((s) => s.metric === metric)!;
    expect(step('started')).toMatchObject({ total: 10, base: undefined, rate: null, conversion: '' });
    expect(step('answered')).toMatchObject({ total: 8, base: 'started', rate: 0.8, conversion: '80.0%' });
    expect(step('recommended')).toMatchObject({ total: 6, conversion: '75.0%' });
    expect(step('chose')).toMatchObject({ total: 4, conversion: '66.7%' });
    expect(step('finishedPlan')).toMatchObject({ total: 1, conversion: '25.0%' });
    expect(step('remindersOn')).toMatchObject({ total: 0, rate: 0, conversion: '0.0%' });
    // Nothing to convert from: honest "—", not 0% nor NaN nor Infinity.
    expect(step('switched')).toMatchObject({ total: 0, rate: null, conversion: '—' });
    // Anyone who started may ask for a volunteer: a share of "started", not of "switched".
    expect(step('escalated')).toMatchObject({ total: 1, base: 'started', conversion: '10.0%' });
    expect(step('ticketsClosed')).toMatchObject({ total: 0, base: 'escalated', conversion: '0.0%' });
  });

  it('breaks "chose" down per provider, most chosen first, ties by id', () => {
    const { steps } = funnel([
      row('2025-03-01', 'chose', 2, 'posteo'),
      row('2025-03-02', 'chose', 3, 'mailo'),
      row('2025-03-02', 'chose', 1, 'posteo'),
      row('2025-03-02', 'chose', 1, 'disroot'),
      row('2025-03-03', 'chose', 1, 'zaclys'),
    ]);
    expect(steps.find((s) => s.metric === 'chose')!.details).toEqual([
      { detail: 'mailo', count: 3 },
      { detail: 'posteo', count: 3 },
      { detail: 'disroot', count: 1 },
      { detail: 'zaclys', count: 1 },
    ]);
    expect(steps.find((s) => s.metric === 'started')!.details).toEqual([]);
  });

  it('shows "—" everywhere on an empty table, and a rate above 100% when the data says so', () => {
    const empty = funnel([]);
    expect(empty.steps.every((s) => s.total === 0)).toBe(true);
    expect(empty.steps.slice(1).every((s) => s.conversion === '—')).toBe(true);
    // Counts of one day may follow starts of an earlier one, outside the range: the number is shown as it is.
    const over = funnel([row('2025-03-01', 'started', 2), row('2025-03-01', 'answered', 3)]);
    expect(over.steps[1]!.conversion).toBe('150.0%');
  });

  it('keeps metrics it does not know out of the steps, and says so', () => {
    const result = funnel([row('2025-03-01', 'started', 1), row('2025-03-01', 'zzNew', 4), row('2025-03-01', 'aaNew', 1)]);
    expect(result.unknownMetrics).toEqual(['aaNew', 'zzNew']);
    expect(result.steps.reduce((sum, s) => sum + s.total, 0)).toBe(1);
    expect(formatFunnelTable(result)).toContain('not shown (unknown metrics): aaNew, zzNew');
  });

  it('every metric but the first converts from an earlier one', () => {
    for (const [index, metric] of METRICS.entries()) {
      const base = baseOf(metric);
      if (index === 0) expect(base).toBeUndefined();
      else expect(METRICS.indexOf(base!)).toBeLessThan(index);
    }
    expect(formatRate(null)).toBe('—');
    expect(formatRate(1 / 3)).toBe('33.3%');
  });

  it('formats an aligned table, then the choices per provider', () => {
    const table = formatFunnelTable(
      funnel([row('2025-03-01', 'started', 120), row('2025-03-01', 'answered', 90), row('2025-03-01', 'chose', 7, 'infomaniak'), row('2025-03-01', 'chose', 3, 'posteo')]),
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^metric\s+total\s+conversion\s+of$/);
    expect(lines).toContain('started          120');
    expect(lines).toContain('answered          90       75.0%  started');
    expect(lines).toContain('recommended        0        0.0%  answered');
    expect(lines).toContain('chose             10           —  recommended');
    expect(lines).toContain('chose, per provider  count  share');
    expect(lines).toContain('infomaniak               7  70.0%');
    expect(lines).toContain('posteo                   3  30.0%');
    // The columns line up: every row of the first table has its total ending at the same column.
    const totalsEnd = lines.slice(2, 2 + METRICS.length).map((line) => line.search(/\d\s|\d$/) + 1);
    expect(new Set(totalsEnd).size).toBe(1);
  });
});

describe('dailySeries', () => {
  it('has every day from the first to the last, zeros filled, details added up', () => {
    const series = dailySeries([
      row('2025-02-27', 'started', 3),
      row('2025-03-02', 'started', 1),
      row('2025-03-02', 'chose', 2, 'posteo'),
      row('2025-03-02', 'chose', 1, 'mailo'),
    ]);
    expect(series.days).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(series.counts.started).toEqual([3, 0, 0, 1]);
    expect(series.counts.chose).toEqual([0, 0, 0, 3]);
    for (const metric of METRICS) expect(series.counts[metric]).toHaveLength(4);
    expect(series.counts.switched).toEqual([0, 0, 0, 0]);
  });

  it('runs over the whole range when given, even where nothing was counted, and ignores rows outside it', () => {
    const series = dailySeries([row('2025-03-02', 'started', 5), row('2025-03-09', 'started', 7)], { from: '2025-03-01', to: '2025-03-04' });
    expect(series.days).toEqual(['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']);
    expect(series.counts.started).toEqual([0, 5, 0, 0]);
    expect(dailySeries([], { from: '2025-03-01', to: '2025-03-02' }).counts.answered).toEqual([0, 0]);
    expect(dailySeries([], { from: '2025-03-01' }).days).toEqual(['2025-03-01']);
    expect(dailySeries([]).days).toEqual([]);
    expect(dailySeries([row('2025-03-03', 'started', 1)], { from: '2025-03-01' }).days).toHaveLength(3);
  });

  it('crosses months, leap days and years', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysBetween('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
    expect(daysBetween('2025-01-01', '2025-12-31')).toHaveLength(365);
  });

  it('refuses days that are not days', () => {
    expect(isDay('2025-03-01')).toBe(true);
    for (const bad of ['2025-02-30', '2025-3-1', '01/03/2025', '2025-03-01T00:00', '', 'yesterday']) expect(isDay(bad)).toBe(false);
    expect(() => dailySeries([], { from: '2025-02-30' })).toThrow(/not a day/);
    expect(() => dailySeries([], { from: '2025-03-02', to: '2025-03-01' })).toThrow(/before it starts/);
  });
});

describe('readStats', () => {
  let tmp: ReturnType<typeof openTemp>;
  beforeEach(() => {
    tmp = openTemp();
  });
  afterEach(() => tmp.cleanup());

  it('reads what the counters wrote, within an inclusive range, sorted', () => {
    fill(tmp.db, [
      ['2025-03-02', 'chose', 2, 'posteo'],
      ['2025-03-01', 'started', 3],
      ['2025-03-02', 'started', 1],
      ['2025-03-02', 'chose', 1, 'mailo'],
      ['2025-03-03', 'started', 4],
    ]);
    expect(readStats(tmp.db)).toEqual([
      { day: '2025-03-01', metric: 'started', detail: '', count: 3 },
      { day: '2025-03-02', metric: 'started', detail: '', count: 1 },
      { day: '2025-03-02', metric: 'chose', detail: 'mailo', count: 1 },
      { day: '2025-03-02', metric: 'chose', detail: 'posteo', count: 2 },
      { day: '2025-03-03', metric: 'started', detail: '', count: 4 },
    ]);
    expect(readStats(tmp.db, { from: '2025-03-02', to: '2025-03-02' }).map((r) => r.count)).toEqual([1, 1, 2]);
    expect(readStats(tmp.db, { from: '2025-03-03' })).toHaveLength(1);
    expect(readStats(tmp.db, { to: '2025-03-01' })).toHaveLength(1);
    expect(() => readStats(tmp.db, { to: 'tomorrow' })).toThrow(/not a day/);
  });
});
