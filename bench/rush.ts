/**
 * The rush (tests/ops/rush.ts): BENCH_RUSH_PEOPLE (2,000) people start within BENCH_RUSH_SPREAD_MS (60,000) while
 * BENCH_RUSH_TICKETS (100) of them ask for a volunteer at the same moment, against the Bot API emulator enforcing
 * Telegram's limits with 429 + retry_after (30 messages a second in all, one a second per private chat, 20 per
 * group window for the desk). Rows: time to first reply (p50/p95/p99), 429s met, the desk's drain.
 *
 * The desk's window is BENCH_RUSH_GROUP_WINDOW_MS (default 6,000: Telegram's minute divided by 10, for the bot's
 * pacing and the gate alike), because at Telegram's real 20 messages a minute 100 tickets (a topic, a card, its
 * pin and a notice each) take about 20 minutes to reach the desk; the row says the real-time equivalent.
 */
import { percentile, runRush } from '../tests/ops/rush.js';
import type { Row } from './turns.js';

export async function benchRush(): Promise<Row[]> {
  const people = Number(process.env.BENCH_RUSH_PEOPLE ?? 2_000);
  const spreadMs = Number(process.env.BENCH_RUSH_SPREAD_MS ?? 60_000);
  const tickets = Number(process.env.BENCH_RUSH_TICKETS ?? 100);
  const groupWindowMs = Number(process.env.BENCH_RUSH_GROUP_WINDOW_MS ?? 6_000);
  const result = await runRush({ people, spreadMs, tickets, groupWindowMs, timeoutMs: 30 * 60_000 });
  if (result.problems.length) throw new Error(`rush: ${result.problems.length} chats went wrong, e.g. ${result.problems.slice(0, 3).join('; ')}`);
  const ms = (p: number) => `${percentile(result.firstReply, p).toFixed(0)} ms`;
  const refused = Object.entries(result.refused).map(([limit, n]) => `${n} ${limit}`).join(', ') || 'none';
  const scale = 60_000 / groupWindowMs;
  return [
    { measure: `rush: ${people.toLocaleString('en')} people within ${spreadMs / 1000} s, ${tickets} tickets at once — first reply p50`, value: ms(50) },
    { measure: '  first reply p95 / p99', value: `${ms(95)} / ${ms(99)}` },
    {
      measure: '  429s met (of calls), peaks: all chats /s, a person /s, the desk /window',
      value: `${refused} (of ${result.sent}); ${result.peaks.global}, ${result.peaks.privateChat}, ${result.peaks.desk}`,
    },
    {
      measure: `  desk: every card posted after (window ${groupWindowMs / 1000} s for 60 s)`,
      value: `${(result.deskDrainMs / 1000).toFixed(0)} s${scale !== 1 ? ` (≈ ${((result.deskDrainMs * scale) / 60_000).toFixed(0)} min at Telegram's real rate)` : ''}`,
    },
  ];
}
