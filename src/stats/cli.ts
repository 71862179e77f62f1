/**
 * `npm run stats`: the funnel for the associations, from the anonymous daily counts.
 *
 *   npm run stats -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out DIR]
 *
 * Prints the funnel as a table, then a table per desk (tickets, median wait and time to close in open hours, share
 * helped), writes funnel.csv, funnel.svg and desks.svg into DIR (default var/stats/) and prints their paths. Reads DEMAILBOT_DB like the bot. It reads only `stats_daily`, which holds nothing about a person.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databasePath, openDatabase, type Db } from '../store/database.js';
import { renderChart } from './chart.js';
import { toCsv } from './csv.js';
import { deskStats, formatDeskTable, renderDeskChart } from './desk-report.js';
import { dailySeries, formatFunnelTable, funnel, isDay, readStats, type DayRange } from './report.js';
import { isMainModule } from '../main-module.js';

export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../../var/stats/', import.meta.url));

const USAGE = 'usage: npm run stats -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out DIR]';

class UsageError extends Error {}

function parseOptions(argv: string[]): { range: DayRange; outDir: string; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const name of ['from', 'to'] as const) {
    const value = values[name];
    if (value !== undefined && !isDay(value)) throw new UsageError(`--${name} must be a day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  if (values.from !== undefined && values.to !== undefined && values.from > values.to) {
    throw new UsageError(`--from (${values.from}) is after --to (${values.to})`);
  }
  if (values.out === '') throw new UsageError('--out needs a directory');
  return {
    range: { from: values.from, to: values.to },
    outDir: values.out === undefined ? DEFAULT_OUT_DIR : resolve(values.out),
    help: values.help ?? false,
  };
}

function open(path: string): Db {
  // openDatabase would create an empty database, and we would print an honest-looking funnel of zeros.
  if (!existsSync(path)) throw new Error(`no database at ${path} (set DEMAILBOT_DB to the bot's database file)`);
  try {
    const db = openDatabase(path);
    db.prepare('SELECT 1 FROM stats_daily LIMIT 1').get();
    return db;
  } catch (error) {
    throw new Error(`cannot open the database at ${path}: ${(error as Error).message}`);
  }
}

function describeRange(range: DayRange, days: string[]): string {
  const from = range.from ?? days[0];
  const to = range.to ?? days[days.length - 1];
  if (from === undefined || to === undefined) return 'no counts yet';
  return from === to ? from : `${from} to ${to}`;
}

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`stats: ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let db: Db;
  try {
    db = open(databasePath(env));
  } catch (error) {
    process.stderr.write(`stats: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const rows = readStats(db, options.range);
    const series = dailySeries(rows, options.range);
    const csvPath = join(options.outDir, 'funnel.csv');
    const svgPath = join(options.outDir, 'funnel.svg');
    const desksSvgPath = join(options.outDir, 'desks.svg');
    const desks = deskStats(rows);
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(csvPath, toCsv(rows));
    writeFileSync(svgPath, renderChart(series));
    writeFileSync(desksSvgPath, renderDeskChart(desks));
    process.stdout.write(
      `Funnel, ${describeRange(options.range, series.days)} (UTC days, anonymous counts)\n\n` +
        `${formatFunnelTable(funnel(rows))}\n\n` +
        `${formatDeskTable(desks)}\n\n` +
        `wrote ${csvPath}\nwrote ${svgPath}\nwrote ${desksSvgPath}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`stats: ${(error as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
