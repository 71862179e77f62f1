/**
 * `npm run bench`: demailbot's performance figures as one table. Targets are checked here, not in timed tests.
 *
 *   persisted turns (./turns.ts) · Telegram end to end against a bare grammY echo bot (./telegram.ts) ·
 *   start-up time and memory with 100,000 and 1,000,000 stored conversations, compiled (./startup.ts) ·
 *   a rush through Telegram's limits: 2,000 people within a minute, 100 tickets at once (./rush.ts; BENCH_RUSH=0 skips it) ·
 *   the web chat's widget size, gzipped (./web.ts)
 *
 * Options: BENCH_RUNS (default 1): measure everything this many times and keep each row's best run (the machine's
 * noise only ever makes a figure worse); BENCH_TURNS (default 60000), BENCH_CONVERSATIONS (default 1000); for the
 * Telegram rows, BENCH_TELEGRAM_MESSAGES (default 5000 per round), BENCH_TELEGRAM_USERS (default 50),
 * BENCH_TELEGRAM_ROUNDS (default 3); for start-up, BENCH_STARTUP_CONVERSATIONS (default "100000,1000000": one set of
 * rows per size), BENCH_STARTUP_RUNS (default 5, the median is kept).
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { benchStartup } from './startup.js';
import { benchTelegram } from './telegram.js';
import { benchTurns, type Row } from './turns.js';
import { benchRush } from './rush.js';
import { benchWidget } from './web.js';

function table(rows: Row[]): string {
  const header = ['measure', 'value', 'target', 'met'];
  const cells = rows.map((r) => [r.measure, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((v, i) => v.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}

/** Which way a row is better, from its target or its unit; undefined for a row that is not a measure of speed. */
function better(row: Row): 'higher' | 'lower' | undefined {
  if (row.target?.startsWith('≥')) return 'higher';
  if (row.target?.startsWith('≤')) return 'lower';
  if (/\/s$/.test(row.value)) return 'higher';
  if (/^[\d.]+\s*(µs|ms|s|MB)$/.test(row.value)) return 'lower';
  return undefined;
}

/** Each row's best run (by its measure's name); rows that are not speeds (sizes, breakdowns) from the best run of the row above them. */
function bestOf(runs: Row[][]): Row[] {
  let previousBest = 0;
  return runs[0]!.map((first, i) => {
    const candidates = runs.map((rows) => rows.find((r) => r.measure === first.measure) ?? rows[i]!);
    const direction = better(first);
    if (!direction) return candidates[previousBest] ?? first;
    const values = candidates.map((r) => parseFloat(r.value));
    let best = 0;
    values.forEach((v, k) => {
      if (direction === 'higher' ? v > values[best]! : v < values[best]!) best = k;
    });
    previousBest = best;
    return candidates[best]!;
  });
}

const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const loadAtStart = loadavg()[0]!;
const turns = Number(process.env.BENCH_TURNS ?? 60_000);
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1_000);
const all: Row[][] = [];
for (let run = 0; run < runs; run++) {
  if (runs > 1) process.stderr.write(`bench: run ${run + 1} of ${runs}…\n`);
  const result = await benchTurns({ turns, conversations });
  const telegram = await benchTelegram({
    messages: Number(process.env.BENCH_TELEGRAM_MESSAGES ?? 5_000),
    users: Number(process.env.BENCH_TELEGRAM_USERS ?? 50),
    rounds: Number(process.env.BENCH_TELEGRAM_ROUNDS ?? 3),
  });
  const startup = await benchStartup({
    conversations: (process.env.BENCH_STARTUP_CONVERSATIONS ?? '100000,1000000').split(',').map(Number),
    runs: Number(process.env.BENCH_STARTUP_RUNS ?? 5),
  });
  const rush = process.env.BENCH_RUSH === '0' ? [] : await benchRush();
  all.push([...result.rows, ...telegram, ...startup, ...rush, ...benchWidget()]);
}

const cpu = cpus();
console.log(
  `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, ` +
    `${platform()} ${release()}, node ${process.version}; load average (1 min) at start ${loadAtStart.toFixed(2)}`,
);
console.log(
  `demailbot bench — ${turns} turns over ${conversations} conversations; ` +
    (runs > 1 ? `best of ${runs} runs for each row (each row from the run where it did best)` : 'one run') +
    '\n',
);
console.log(table(runs > 1 ? bestOf(all) : all[0]!));
