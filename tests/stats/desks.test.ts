/** Per-desk statistics: counted through the real counters into a real SQLite file, read back, and `npm run stats`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, createDeskCounters, DESK_METRICS } from '../../src/stats/desk-counters.js';
import { deskStats, formatDeskTable, formatMedian, medianOfBuckets, renderDeskChart } from '../../src/stats/desk-report.js';
import { funnel, readStats } from '../../src/stats/report.js';
import { runScript } from '../support/process.js';
import { at, checkXml, fill, openTemp } from './helpers.js';

let tmp: ReturnType<typeof openTemp>;
beforeEach(() => {
  tmp = openTemp();
});
afterEach(() => tmp.cleanup());

/** ARN: 4 tickets, waits 10, 20, 50, 100 open minutes; 3 closed; rated helped, helped, partly. Girofle: 1, unclaimed. */
function fillDesks(): void {
  const desks = createDeskCounters(tmp.db);
  const day = at('2026-12-01');
  for (const wait of [10, 20, 50, 100]) {
    desks.ticketArrived('arn', day);
    desks.firstClaimed('arn', day, wait);
  }
  for (const toClose of [30, 200, 5000]) desks.closed('arn', day, toClose);
  desks.rated('arn', day, 'helped');
  desks.rated('arn', at('2026-12-02'), 'helped');
  desks.rated('arn', day, 'partly');
  desks.ticketArrived('girofle', day);
}

describe('desk counters', () => {
  it('store a desk id, a bucket and a rating, nothing else', () => {
    fillDesks();
    const rows = readStats(tmp.db);
    expect(rows.every((row) => (DESK_METRICS as readonly string[]).includes(row.metric))).toBe(true);
    for (const row of rows) {
      expect(row.detail).toMatch(/^[a-z0-9-]+(:(le\d+|more|helped|partly|not))?$/);
    }
    expect(rows.filter((r) => r.metric === 'desk.wait').map((r) => r.detail).sort()).toEqual(['arn:le120', 'arn:le15', 'arn:le30', 'arn:le60']);
  });

  it('refuse a detail that is not a desk id (a volunteer or chat id would be a leak) and a rating we do not know', () => {
    const desks = createDeskCounters(tmp.db);
    expect(() => desks.ticketArrived('telegram:12345', at('2026-12-01'))).toThrow(/not a desk id/);
    expect(() => desks.rated('arn', at('2026-12-01'), 'great' as never)).toThrow(/not a rating/);
    expect(readStats(tmp.db)).toEqual([]);
  });

  it('buckets: at most 15 open minutes, … more than 32 open hours', () => {
    expect(bucketOf(0)).toBe('le15');
    expect(bucketOf(15)).toBe('le15');
    expect(bucketOf(16)).toBe('le30');
    expect(bucketOf(1920)).toBe('le1920');
    expect(bucketOf(1921)).toBe('more');
    expect(BUCKETS).toHaveLength(9);
  });
});

describe('per-desk report', () => {
  it('tickets, closed, medians as ranges, ratings and the share helped', () => {
    fillDesks();
    const [arn, girofle] = deskStats(readStats(tmp.db));
    expect(arn).toMatchObject({ desk: 'arn', tickets: 4, closed: 3, ratings: { helped: 2, partly: 1, not: 0 } });
    expect(arn!.shareHelped).toBeCloseTo(2 / 3);
    // Waits 10, 20 | 50, 100: the middle two are in le30 and le60, so the median lies between 15 and 60 minutes.
    expect(formatMedian(arn!.wait)).toBe('15 min–1 h');
    // To close 30, 200, 5000: the middle one is in le240.
    expect(formatMedian(arn!.toClose)).toBe('2 h–4 h');
    expect(girofle).toMatchObject({ desk: 'girofle', tickets: 1, closed: 0, wait: undefined, shareHelped: null });
  });

  it('the median of buckets', () => {
    expect(medianOfBuckets(new Map())).toBeUndefined();
    expect(formatMedian(medianOfBuckets(new Map([['le15', 3]])))).toBe('≤ 15 min');
    expect(formatMedian(medianOfBuckets(new Map([['le15', 1], ['more', 2]])))).toBe('> 32 h');
    expect(medianOfBuckets(new Map([['le60', 1], ['le120', 1], ['le240', 1]]))).toEqual({ count: 3, after: 60, upTo: 120 });
  });

  it('leaves the funnel alone: desk metrics are not "unknown" there', () => {
    fillDesks();
    fill(tmp.db, [['2026-12-01', 'started', 2]]);
    const result = funnel(readStats(tmp.db));
    expect(result.unknownMetrics).toEqual([]);
    expect(result.steps.find((s) => s.metric === 'started')!.total).toBe(2);
  });

  it('a table per desk and a chart, no volunteer in either', () => {
    fillDesks();
    const stats = deskStats(readStats(tmp.db));
    const table = formatDeskTable(stats).split('\n');
    expect(table[2]).toMatch(/^desk\s+tickets\s+closed\s+median wait \(open h\)\s+median to close \(open h\)\s+rated\s+helped\s+partly\s+not\s+share helped$/);
    expect(table[4]).toMatch(/^arn\s+4\s+3\s+15 min–1 h\s+2 h–4 h\s+3\s+2\s+1\s+0\s+66\.7%$/);
    expect(table[5]).toMatch(/^girofle\s+1\s+0\s+—\s+—\s+0\s+0\s+0\s+0\s+—$/);
    const svg = renderDeskChart(stats);
    checkXml(svg);
    expect(svg).toContain('>arn<');
    expect(svg).toContain('<title>helped: 2</title>');
    expect(renderDeskChart(stats)).toBe(svg);
    expect(formatDeskTable([])).toBe('Desks: no ticket counted yet.');
  });
});

describe('npm run stats, with desks', () => {
  it('prints the per-desk table after the funnel and writes desks.svg', async () => {
    fillDesks();
    tmp.db.close();
    const out = join(tmp.dir, 'out');
    const { code, stdout, stderr } = await runScript('src/stats/cli.ts', ['--out', out], { env: { ...process.env, DEMAILBOT_DB: tmp.path } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Per desk (medians are ranges');
    expect(stdout).toMatch(/\narn\s+4\s+3\s+15 min–1 h/);
    expect(stdout).not.toContain('unknown metrics');
    expect(stdout).toContain(`wrote ${join(out, 'desks.svg')}`);
    checkXml(readFileSync(join(out, 'desks.svg'), 'utf8'));
  });
});
