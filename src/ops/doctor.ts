/**
 * `npm run doctor`: is this deployment going to work? Each check gives one line — ok, a warning, or a failure with
 * what to do about it — and the command exits 1 when any check failed.
 *
 *   configuration  the environment as readConfig() reads it (the same errors as a start)
 *   database       the file: owner-only (it holds personal data), writable by this user, migrated, intact
 *   catalogue      data/ loads and validates (`npm run catalog:check` lists every problem)
 *   each platform  its module's own checks (src/adapters/<platform>/doctor.ts), for real against its server —
 *                  Telegram: the token, how updates arrive, the desk group's rights; Matrix: the token, the
 *                  media repository's upload limit (files up to 10 MB are relayed), the desk room joined, the
 *                  bot's power to redact
 *
 * Platforms are checked for real, against their servers; one that is not configured is not checked (with no
 * platform at all the bot is the terminal chat, and the doctor passes). Nothing printed ever holds a token: the
 * lines are built from our own words, API error descriptions and ids, and every line is scrubbed of the tokens.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCatalog } from '../catalog/load.js';
import { loadEvents } from '../catalog/events.js';
import { loadDesks, type DeskSpec } from '../desk/desks.js';
import { coalitionDesks, deskPlacesOn } from '../config/desks.js';
import { readConfig, type Config } from '../config/config.js';
import { ConfigError } from '../config/env.js';
import { databasePath } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import type { CheckResult, CheckStatus } from './check-result.js';

export interface DoctorOptions {
  /** How long one platform request may take (10 s). */
  timeoutMs?: number;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix?: string): CheckResult => ({ name, status: 'warn', detail, ...(fix ? { fix } : {}) });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

/** Every check, in order. Never throws: a check that cannot run is a failure saying why. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env, options: DoctorOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let config: Config | undefined;
  try {
    config = readConfig(env);
    results.push(ok('configuration', describeConfig(config)));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    results.push(fail('configuration', error.message, 'fix that variable (README, "Configuration"); the platforms are not checked until it is right'));
  }
  results.push(...checkDatabase(config?.dbPath ?? databasePath(env)));
  results.push(checkCatalogue());
  results.push(checkDesks(env, config), checkEvents());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const desks = config ? desksOfFile(env, config) : undefined;
  for (const { module, config: own } of config?.platforms ?? []) {
    if (module.check) results.push(...(await module.check(own, { timeoutMs, deskPlaces: deskPlacesOn(module.name, desks) })));
  }
  // Every token and secret, the configured platforms' and any *_TOKEN / *_SECRET variable's (even when the
  // configuration did not read): no line printed may hold one.
  const secrets = [
    ...(config?.platforms ?? []).flatMap(({ module, config: own }) => module.secrets?.(own) ?? []),
    ...Object.entries(env).filter(([name]) => /(TOKEN|SECRET)$/.test(name)).map(([, value]) => value),
  ]
    .map((s) => s?.trim())
    .filter((s): s is string => Boolean(s && s.length >= 4));
  return results.map((r) => scrub(r, secrets));
}

/** One line: "✓ name: detail", "! name: detail — fix", "✗ name: detail — fix: …". */
export function formatResult(result: CheckResult): string {
  const mark = result.status === 'ok' ? '✓' : result.status === 'warn' ? '!' : '✗';
  return `${mark} ${result.name}: ${result.detail}${result.fix ? ` — ${result.status === 'fail' ? 'fix: ' : ''}${result.fix}` : ''}`;
}

function scrub(result: CheckResult, secrets: string[]): CheckResult {
  const clean = (s: string) => secrets.reduce((text, secret) => text.split(secret).join('[token]'), s);
  return { ...result, detail: clean(result.detail), ...(result.fix ? { fix: clean(result.fix) } : {}) };
}

function describeConfig(config: Config): string {
  const described = config.platforms.filter((p) => !p.module.fallback).map(({ module, config: own }) => module.describe(own));
  const platforms = described.map((d) => d.mode);
  const desks = described.flatMap((d) => (d.desk ? [d.desk] : []));
  return (
    (platforms.length ? platforms.join(' and ') : 'no platform configured: the terminal chat') +
    (desks.length ? `; volunteers' desk on ${desks.join(' and ')}` : platforms.length ? "; no volunteers' desk" : '') +
    `; log level ${config.logLevel}`
  );
}

// ─────────────────────────────── desks and events ───────────────────────────────

/** The desks of the desks file, for each platform to check its groups or rooms; undefined without one (or when it is wrong). */
function desksOfFile(env: NodeJS.ProcessEnv, config: Config): DeskSpec[] | undefined {
  try {
    return coalitionDesks(config, loadCatalog(), env);
  } catch {
    return undefined; // the "desks" line says what is wrong
  }
}

/** The coalition's desks file when there is one (DESKS_FILE, data/desks.json): read as a start would read it. */
function checkDesks(env: NodeJS.ProcessEnv, config: Config | undefined): CheckResult {
  try {
    const catalog = loadCatalog();
    const running = (name: string) => Boolean(config?.platforms.some((p) => p.module.name === name));
    const source = loadDesks({
      env,
      settings: { volunteers: config?.desk.volunteers ?? [], lang: config?.desk.lang ?? 'fr', timeZone: config?.desk.timeZone ?? 'Europe/Paris' },
      knownHosts: new Set(catalog.providers.map((p) => p.id)),
      ...(config ? { platforms: { telegram: running('telegram'), matrix: running('matrix') } } : {}),
    });
    if (source.from === 'environment') return ok('desks', 'no desks file: one desk, from the TELEGRAM_DESK_CHAT_ID / MATRIX_DESK_ROOM_ID variables');
    return ok('desks', `${source.desks.length} desks from ${source.from}: ${source.desks.map((d) => d.name).join(', ')}`);
  } catch (error) {
    if ((error as Error)?.name === 'CatalogError') return warn('desks', 'not checked: the catalogue does not load');
    return fail('desks', (error as Error).message, 'fix the desks file (README, "Several desks"), or remove it to keep a single desk');
  }
}

function checkEvents(): CheckResult {
  try {
    const events = loadEvents();
    return ok('events', events.length ? `${events.length} workshops and webinars in data/events.json` : 'no workshop or webinar listed in data/events.json');
  } catch (error) {
    return fail('events', (error as Error).message, 'fix data/events.json (its entries follow data/events.example.json)');
  }
}

// ─────────────────────────────── database ───────────────────────────────

function checkDatabase(path: string): CheckResult[] {
  const name = 'database';
  if (path === ':memory:') return [warn(name, 'DEMAILBOT_DB is :memory: — nothing survives a restart', 'set DEMAILBOT_DB to a file path')];
  if (!existsSync(path)) {
    const dir = nearestExisting(dirname(path));
    try {
      accessSync(dir, constants.W_OK);
      return [ok(name, `${path} does not exist yet: the first start creates it (owner-only)`)];
    } catch {
      return [fail(name, `${path} does not exist and ${dir} is not writable by this user`, `create ${dirname(path)} owned by the user that runs demailbot, or set DEMAILBOT_DB`)];
    }
  }
  const results: CheckResult[] = [];
  const loose = [path, `${path}-wal`, `${path}-shm`].filter((file) => existsSync(file) && (statSync(file).mode & 0o077) !== 0);
  results.push(
    loose.length
      ? fail(`${name} permissions`, `${loose.join(', ')} can be read by other users (it holds personal data)`, `chmod 600 ${loose.join(' ')}`)
      : ok(`${name} permissions`, `${path} is readable by its owner only`),
  );
  const uid = process.getuid?.();
  if (uid !== undefined && statSync(path).uid !== uid) {
    results.push(warn(`${name} owner`, `${path} belongs to user ${statSync(path).uid}, not to this one (${uid})`, 'run the doctor as the user that runs demailbot (sudo -u …)'));
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    // A write lock taken and released: proves this user may write (journal and WAL files included).
    db.exec('BEGIN IMMEDIATE; ROLLBACK');
    results.push(ok(`${name} writable`, 'this user can write to it'));
    if (version > MIGRATIONS.length) {
      results.push(fail(`${name} schema`, `version ${version}, newer than this demailbot (${MIGRATIONS.length})`, 'update demailbot (git pull, npm install) rather than running an older version on it'));
    } else if (version < MIGRATIONS.length) {
      results.push(warn(`${name} schema`, `version ${version} of ${MIGRATIONS.length}: the next start migrates it`, 'take a backup first: npm run backup -- FILE'));
    } else {
      results.push(ok(`${name} schema`, `migrated (version ${version})`));
    }
    const check = db.pragma('quick_check', { simple: true }) as string;
    results.push(check === 'ok' ? ok(`${name} integrity`, 'quick_check ok') : fail(`${name} integrity`, `quick_check: ${check}`, 'stop the bot and restore the last backup (README, "Backups")'));
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    results.push(
      code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')
        ? fail(`${name} writable`, `cannot write to ${path} (${code})`, `the user that runs demailbot must own ${path} and its directory (chown)`)
        : fail(name, `cannot open ${path}: ${(error as Error).message}`, 'is it a demailbot database? Restore the last backup, or move it away to start afresh'),
    );
  } finally {
    db?.close();
  }
  return results;
}

function nearestExisting(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function checkCatalogue(): CheckResult {
  try {
    const catalog = loadCatalog();
    return ok('catalogue', `${catalog.providers.length} providers, ${catalog.oldProviders.length} old mailboxes`);
  } catch (error) {
    return fail('catalogue', (error as Error).message, 'npm run catalog:check lists every problem in data/');
  }
}
