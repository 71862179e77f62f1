/**
 * `npm run bench`: demailbot's performance figures as one table. Targets are checked here, not in timed tests.
 * Options: BENCH_TURNS (default 60000), BENCH_CONVERSATIONS (default 1000); for the Telegram rows,
 * BENCH_TELEGRAM_MESSAGES (default 5000 per round), BENCH_TELEGRAM_USERS (default 50), BENCH_TELEGRAM_ROUNDS (default 3).
 */
import { benchTelegram } from './telegram.js';
import { benchTurns, type Row } from './turns.js';

function table(rows: Row[]): string {
  const header = ['measure', 'value', 'target', 'met'];
  const cells = rows.map((r) => [r.measure, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((v, i) => v.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}

const turns = Number(process.env.BENCH_TURNS ?? 60_000);
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1_000);
const result = await benchTurns({ turns, conversations });
const telegram = await benchTelegram({
  messages: Number(process.env.BENCH_TELEGRAM_MESSAGES ?? 5_000),
  users: Number(process.env.BENCH_TELEGRAM_USERS ?? 50),
  rounds: Number(process.env.BENCH_TELEGRAM_ROUNDS ?? 3),
});
console.log(`demailbot bench — node ${process.version}, ${result.turns} turns over ${result.conversations} conversations\n`);
console.log(table([...result.rows, ...telegram]));
