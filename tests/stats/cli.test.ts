/** `npm run stats` end to end: the real command in a child process, on a real database filled by the counters. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/stats/counters.js';
import { METRIC_LABELS } from '../../src/stats/report.js';
import { ROOT, runScript } from '../support/process.js';
import { checkXml, fill, openTemp } from './helpers.js';

function stats(args: string[], env: Record<string, string>) {
  return runScript('src/stats/cli.ts', args, { env: { ...process.env, ...env } });
}

let tmp: ReturnType<typeof openTemp>;
beforeEach(() => {
  tmp = openTemp();
  fill(tmp.db, [
    ['2025-03-01', 'started', 12],
    ['2025-03-01', 'answered', 9],
    ['2025-03-01', 'recommended', 8],
    ['2025-03-01', 'chose', 3, 'posteo'],
    ['2025-03-03', 'started', 8],
    ['2025-03-03', 'answered', 6],
    ['2025-03-03', 'recommended', 6],
    ['2025-03-03', 'chose', 2, 'mailo'],
    ['2025-03-03', 'chose', 1, 'posteo'],
    ['2025-03-03', 'finishedPlan', 3],
    ['2025-03-03', 'escalated', 1],
    ['2025-03-05', 'started', 4],
  ]);
  tmp.db.close();
});
afterEach(() => tmp.cleanup());

describe('npm run stats', () => {
  it('prints the funnel table and the choices per provider, and writes funnel.csv and funnel.svg', async () => {
    const out = join(tmp.dir, 'out');
    const { code, stdout, stderr } = await stats(['--from', '2025-03-01', '--to', '2025-03-04', '--out', out], { DEMAILBOT_DB: tmp.path });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Funnel, 2025-03-01 to 2025-03-04 (UTC days, anonymous counts)');
    for (const expected of [
      'started           20',
      'answered          15       75.0%  started',
      'recommended       14       93.3%  answered',
      'chose              6       42.9%  recommended',
      'finishedPlan       3       50.0%  chose',
      'remindersOn        0        0.0%  finishedPlan',
      'switched           0           —  remindersOn',
      'escalated          1        5.0%  started',
      'ticketsClosed      0        0.0%  escalated',
      'posteo                   4  66.7%',
      'mailo                    2  33.3%',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(stdout).toContain('chose, per provider');
    expect(lines).toContain(`wrote ${join(out, 'funnel.csv')}`);
    expect(lines).toContain(`wrote ${join(out, 'funnel.svg')}`);

    expect(readFileSync(join(out, 'funnel.csv'), 'utf8')).toBe(
      [
        'day,metric,detail,count',
        '2025-03-01,started,,12',
        '2025-03-01,answered,,9',
        '2025-03-01,recommended,,8',
        '2025-03-01,chose,posteo,3',
        '2025-03-03,started,,8',
        '2025-03-03,answered,,6',
        '2025-03-03,recommended,,6',
        '2025-03-03,chose,mailo,2',
        '2025-03-03,chose,posteo,1',
        '2025-03-03,finishedPlan,,3',
        '2025-03-03,escalated,,1',
        '',
      ].join('\r\n'),
    );
    const svg = readFileSync(join(out, 'funnel.svg'), 'utf8');
    checkXml(svg);
    expect(svg.match(/<path /g)).toHaveLength(METRICS.length);
    expect(svg).toContain('2025-03-01 to 2025-03-04');
    expect(svg).toContain('>2025-03-04</text>'); // the range runs to --to, past the last day counted
    for (const metric of METRICS) expect(svg).toContain(`>${METRIC_LABELS[metric]}</text>`);
  });

  it('takes the whole table when no range is given', async () => {
    const out = join(tmp.dir, 'all');
    const { code, stdout } = await stats(['--out', out], { DEMAILBOT_DB: tmp.path });
    expect(code).toBe(0);
    expect(stdout).toContain('Funnel, 2025-03-01 to 2025-03-05');
    expect(stdout.split('\n')).toContain('started           24');
    expect(existsSync(join(out, 'funnel.svg'))).toBe(true);
  });

  it('exits 1 with a clear message on a bad option, a bad day or a reversed range', async () => {
    for (const [args, message] of [
      [['--since', '2025-03-01'], /Unknown option '--since'/],
      [['--from', '2025-02-30'], /--from must be a day written YYYY-MM-DD/],
      [['--to', '03/01/2025'], /--to must be a day written YYYY-MM-DD/],
      [['--from', '2025-03-05', '--to', '2025-03-01'], /--from \(2025-03-05\) is after --to \(2025-03-01\)/],
      [['--out'], /argument missing/],
    ] as const) {
      const { code, stdout, stderr } = await stats([...args], { DEMAILBOT_DB: tmp.path });
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr).toContain('usage: npm run stats');
      expect(stdout).toBe('');
    }
  });

  it('prints its usage on --help', async () => {
    const { code, stdout } = await stats(['--help'], { DEMAILBOT_DB: tmp.path });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run stats -- \[--from YYYY-MM-DD\] \[--to YYYY-MM-DD\] \[--out DIR\]\n$/);
  });

  it('exits 1 when there is no database, or the file is not one — and creates none', async () => {
    const missing = join(tmp.dir, 'missing.db');
    const none = await stats(['--out', join(tmp.dir, 'x')], { DEMAILBOT_DB: missing });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(tmp.dir, 'x'))).toBe(false);

    const garbage = join(tmp.dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database, just some text long enough to have a header\n'.repeat(20));
    const bad = await stats([], { DEMAILBOT_DB: garbage });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot open the database at .*garbage\.db/);
  });
});
