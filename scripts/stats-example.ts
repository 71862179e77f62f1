/**
 * Makes docs/stats-example.svg, the example chart of the README: a plausible 30-day funnel (invented people, a
 * press article on day 8), counted through the real counters into a temporary database, then read back and drawn
 * like `npm run stats` does. Seeded pseudo-random numbers: the same file every time.
 *
 *   npx tsx scripts/stats-example.ts [output.svg]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from '../src/stats/chart.js';
import { createCounters, type Metric } from '../src/stats/counters.js';
import { dailySeries, daysBetween, formatFunnelTable, funnel, readStats } from '../src/stats/report.js';
import { openDatabase } from '../src/store/database.js';
import { isMainModule } from '../src/main-module.js';
import { prng } from '../tests/support/random.js';

const FROM = '2025-03-03';
const TO = '2025-04-01';
const DAY_MS = 86_400_000;


const random = prng(20250303);
const chance = (p: number) => random() < p;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const PROVIDERS: Array<[string, number]> = [
  ['infomaniak', 18],
  ['posteo', 14],
  ['mailo', 14],
  ['proton', 12],
  ['zaclys', 10],
  ['disroot', 8],
  ['mailbox-org', 8],
  ['ouvaton', 6],
  ['sans-nuage', 5],
  ['tuta', 5],
];
const WEIGHT = PROVIDERS.reduce((sum, [, weight]) => sum + weight, 0);

function pickProvider(): string {
  let r = random() * WEIGHT;
  for (const [id, weight] of PROVIDERS) {
    r -= weight;
    if (r < 0) return id;
  }
  return PROVIDERS[0]![0];
}

export function fillExample(path: string): void {
  const db = openDatabase(path);
  const counters = createCounters(db);
  const days = daysBetween(FROM, TO);
  const end = Date.parse(`${TO}T00:00:00Z`) + DAY_MS;
  db.transaction(() => {
    const count = (metric: Metric, at: number, detail?: string) => {
      if (at < end) counters.count(metric, at, detail); // what has not happened yet by the last day is not counted
    };
    days.forEach((day, index) => {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const article = index >= 7 ? 55 * 0.62 ** (index - 7) : 0; // a press article on day 8, fading
      const people = Math.round((14 + between(0, 8)) * (weekday === 0 || weekday === 6 ? 0.6 : 1) + article);
      for (let person = 0; person < people; person++) {
        let at = Date.parse(`${day}T00:00:00Z`) + between(7, 22) * 3_600_000;
        count('started', at);
        if (chance(0.06)) {
          const asked = at + between(0, 5) * DAY_MS;
          count('escalated', asked);
          if (chance(0.85)) count('ticketsClosed', asked + between(0, 4) * DAY_MS);
        }
        if (!chance(0.74)) continue;
        count('answered', at);
        if (!chance(0.94)) continue;
        count('recommended', at);
        if (!chance(0.6)) continue;
        at += between(0, 1) * DAY_MS;
        count('chose', at, pickProvider());
        if (!chance(0.5)) continue;
        at += between(0, 6) * DAY_MS;
        count('finishedPlan', at);
        if (!chance(0.55)) continue;
        count('remindersOn', at);
        // "Switched for good" is answered at a check-in: day 7 for some, day 30 or later for most.
        if (chance(0.7)) count('switched', at + (chance(0.35) ? 7 : 30) * DAY_MS);
      }
    });
  })();
  db.close();
}

/** The example chart and the funnel table `npm run stats` would print for it. */
export function makeExample(): { svg: string; table: string } {
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-stats-example-'));
  try {
    const path = join(dir, 'example.db');
    fillExample(path);
    const db = openDatabase(path);
    const rows = readStats(db);
    db.close();
    return {
      svg: renderChart(dailySeries(rows, { from: FROM, to: TO }), { title: 'demailbot: the funnel, day by day (example data)' }),
      table: formatFunnelTable(funnel(rows)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const EXAMPLE_SVG_PATH = fileURLToPath(new URL('../docs/stats-example.svg', import.meta.url));

if (isMainModule(import.meta.url)) {
  const output = resolve(process.argv[2] ?? EXAMPLE_SVG_PATH);
  const { svg, table } = makeExample();
  writeFileSync(output, svg);
  process.stdout.write(`${table}\n\nwrote ${output}\n`);
}
