/**
 * `npm run doctor`: is this deployment going to work? Each check gives one line — ok, a warning, or a failure with
 * what to do about it — and the command exits 1 when any check failed.
 *
 *   configuration  the environment as readConfig() reads it (the same errors as a start)
 *   database       the file: owner-only (it holds personal data), writable by this user, migrated, intact
 *   catalogue      data/ loads and validates (`npm run catalog:check` lists every problem)
 *   telegram       the token (getMe), how updates arrive (getWebhookInfo against TELEGRAM_WEBHOOK_URL), and the desk
 *                  group: a forum, the bot an admin allowed to manage topics, pin and delete messages
 *   matrix         the token (whoami), the desk room joined (or an invitation waiting), the bot's power to redact
 *
 * Platforms are checked for real, against their servers; one that is not configured is not checked (with no
 * platform at all the bot is the terminal chat, and the doctor passes). Nothing printed ever holds a token: the
 * lines are built from our own words, API error descriptions and ids, and every line is scrubbed of the tokens.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Api, GrammyError, HttpError } from 'grammy';
import { loadCatalog } from '../catalog/load.js';
import { ConfigError, readConfig, type Config, type TelegramConfig } from '../config.js';
import { checkMatrix } from '../adapters/matrix/doctor.js';
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
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (config?.telegram) results.push(...(await checkTelegram(config.telegram, config.desk.telegramChatId, timeoutMs)));
  if (config?.matrix) results.push(...(await checkMatrix(config.matrix, config.desk.matrixRoomId, timeoutMs)));
  const secrets = [config?.telegram?.token, config?.matrix?.accessToken, config?.telegram?.webhook?.secret, env.TELEGRAM_BOT_TOKEN, env.MATRIX_ACCESS_TOKEN]
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
  const platforms = [
    ...(config.telegram ? [`Telegram (${config.telegram.webhook ? 'webhook' : 'long polling'})`] : []),
    ...(config.matrix ? ['Matrix'] : []),
  ];
  const desks = [...(config.desk.telegramChatId ? ['Telegram group'] : []), ...(config.desk.matrixRoomId ? ['Matrix room'] : [])];
  return (
    (platforms.length ? platforms.join(' and ') : 'no platform configured: the terminal chat') +
    (desks.length ? `; volunteers' desk on ${desks.join(' and ')}` : platforms.length ? "; no volunteers' desk" : '') +
    `; log level ${config.logLevel}`
  );
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

// ─────────────────────────────── Telegram ───────────────────────────────

type GrammySignal = Parameters<Api['getMe']>[0];

/** A Telegram error as a sentence: the method and Telegram's own words, or why it could not be reached. */
function telegramProblem(error: unknown): string {
  if (error instanceof GrammyError) return `${error.method}: ${error.error_code} ${error.description}`;
  // Only the error's code: node-fetch's message quotes the URL, and the URL holds the token.
  if (error instanceof HttpError) return `Telegram could not be reached (${(error.error as { code?: string })?.code ?? (error.error as Error)?.name ?? 'network error'})`;
  return (error as Error)?.message ?? String(error);
}

async function checkTelegram(telegram: TelegramConfig, deskChatId: string | undefined, timeoutMs: number): Promise<CheckResult[]> {
  const api = new Api(telegram.token, telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {});
  // grammY types its signal with the abort-controller polyfill's AbortSignal; Node's own is what it really takes.
  const signal = () => AbortSignal.timeout(timeoutMs) as unknown as GrammySignal;
  let me: Awaited<ReturnType<Api['getMe']>>;
  try {
    me = await api.getMe(signal());
  } catch (error) {
    const refused = error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
    return [
      fail(
        'telegram token',
        refused ? 'Telegram refuses TELEGRAM_BOT_TOKEN (getMe: Unauthorized)' : telegramProblem(error),
        refused ? 'copy the token again from @BotFather (/mybots → API Token), or /revoke it and use the new one' : 'check the network and TELEGRAM_API_ROOT, then try again',
      ),
    ];
  }
  const results = [ok('telegram token', `the bot is @${me.username} (id ${me.id})`)];
  try {
    const info = await api.getWebhookInfo(signal());
    const pending = info.pending_update_count ? `, ${info.pending_update_count} updates waiting` : '';
    const lastError = info.last_error_message ? `; Telegram's last delivery failed: ${info.last_error_message}` : '';
    if (telegram.webhook) {
      if (info.url === telegram.webhook.url) {
        results.push(
          lastError
            ? warn('telegram updates', `webhook at ${info.url}${pending}${lastError}`, `check that the reverse proxy forwards ${new URL(info.url).pathname} to port ${telegram.webhook.port}`)
            : ok('telegram updates', `webhook at ${info.url}${pending}`),
        );
      } else {
        results.push(ok('telegram updates', `webhook mode: the next start sets the webhook to ${telegram.webhook.url} (now ${info.url || 'none'})${pending}`));
      }
    } else if (info.url) {
      results.push(
        warn('telegram updates', `long polling is configured but a webhook is set at ${info.url}${pending}`, 'the next start removes it; if another instance serves that webhook with this token, stop one of them'),
      );
    } else {
      results.push(ok('telegram updates', `long polling, no webhook set${pending}`));
    }
  } catch (error) {
    results.push(warn('telegram updates', `getWebhookInfo failed: ${telegramProblem(error)}`));
  }
  if (deskChatId) results.push(...(await checkTelegramDesk(api, deskChatId, me.id, signal)));
  return results;
}

const DESK_RIGHTS = [
  ['can_manage_topics', 'Manage topics'],
  ['can_pin_messages', 'Pin messages'],
  ['can_delete_messages', 'Delete messages'],
] as const;

async function checkTelegramDesk(api: Api, chatId: string, botId: number, signal: () => GrammySignal): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    const chat = await api.getChat(chatId, signal());
    const forum = chat.type === 'supergroup' && (chat as { is_forum?: boolean }).is_forum === true;
    results.push(
      forum
        ? ok('telegram desk group', `"${(chat as { title?: string }).title ?? chatId}" is a forum (topics on)`)
        : fail('telegram desk group', `chat ${chatId} is a ${chat.type}${chat.type === 'supergroup' ? ' without topics' : ''}`, 'in the group\'s settings, turn Topics on (this makes it a supergroup with topics)'),
    );
  } catch (error) {
    const gone = error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403);
    const moved = error instanceof GrammyError ? error.parameters?.migrate_to_chat_id : undefined;
    results.push(
      fail(
        'telegram desk group',
        telegramProblem(error),
        moved ? `the group became a supergroup: set TELEGRAM_DESK_CHAT_ID=${moved}` : gone ? 'add the bot to the group, and check TELEGRAM_DESK_CHAT_ID (a number like -1001234567890)' : 'try again',
      ),
    );
    return results;
  }
  try {
    const member = await api.getChatMember(chatId, botId, signal());
    const rights = member as unknown as Record<string, unknown>;
    const missing = member.status === 'administrator' ? DESK_RIGHTS.filter(([right]) => rights[right] !== true).map(([, label]) => label) : DESK_RIGHTS.map(([, label]) => label);
    results.push(
      member.status === 'administrator' && missing.length === 0
        ? ok('telegram desk rights', 'the bot is an admin that can manage topics, pin and delete messages')
        : fail(
            'telegram desk rights',
            member.status === 'administrator' ? `the bot is an admin without: ${missing.join(', ')}` : `the bot is ${member.status === 'member' ? 'a member, not an admin' : member.status} in the desk group`,
            `make the bot an administrator of the group with ${missing.join(', ')} (group settings → Administrators)`,
          ),
    );
  } catch (error) {
    results.push(fail('telegram desk rights', telegramProblem(error), 'add the bot to the group as an administrator'));
  }
  return results;
}
