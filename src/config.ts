/**
 * Configuration, from the environment only (see the README's table). Nothing here is required: with no token
 * the bot runs the terminal chat on the embedded SQLite database; with TELEGRAM_BOT_TOKEN, the Telegram chat; with
 * MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN, the Matrix chat (both, in one process, when both are set).
 * Error messages name the variable and never repeat a token or a secret.
 */
import { databasePath } from './store/database.js';
import { DEFAULT_REMINDER_DAYS, DEFAULT_RETENTION_DAYS } from './engine/engine.js';
import { isLogLevel, type LogLevel } from './log.js';

export interface Config {
  dbPath: string;
  retentionDays: number;
  /** Days after turning reminders on when check-ins come (REMINDER_DAYS, e.g. "7,30,90"). */
  reminderDays: number[];
  logLevel: LogLevel;
  terminalId: string;
  langHint: string | undefined;
  /** Set when TELEGRAM_BOT_TOKEN is: main runs the Telegram chat instead of the terminal. */
  telegram?: TelegramConfig;
  /** Set when MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN are: main runs the Matrix chat (too). */
  matrix?: MatrixConfig;
  desk: DeskConfig;
  /** Set when METRICS_PORT is: Prometheus metrics served at http://METRICS_HOST:METRICS_PORT/metrics. */
  metrics?: { port: number; host: string };
}

/** The volunteers' desk: where tickets go, who may act, and its durations. */
export interface DeskConfig {
  /** TELEGRAM_DESK_CHAT_ID: a supergroup with topics (needs TELEGRAM_BOT_TOKEN). */
  telegramChatId?: string;
  /** MATRIX_DESK_ROOM_ID: a room the bot is in or invited to (needs the Matrix variables). */
  matrixRoomId?: string;
  /** DESK_VOLUNTEERS: "telegram:123,matrix:@marie:asso.org" — when set, only these, members or not. */
  volunteers: string[];
  /** DESK_LANG: the volunteers' language. */
  lang: 'fr' | 'en';
  /** DESK_TIME_ZONE: for the times shown on the cards. */
  timeZone: string;
  unclaimedAlertHours: number;
  inactiveDays: number;
  stillThereDays: number;
  reopenHours: number;
  defaultWaitMinutes: number;
  ticketRetentionDays: number;
}

export interface MatrixConfig {
  /** The client-server API's base URL, without a trailing slash. */
  homeserverUrl: string;
  accessToken: string;
}

export interface TelegramConfig {
  token: string;
  /** Another Bot API server (a local telegram-bot-api, or an emulator), without a trailing slash. */
  apiRoot?: string;
  /** Webhook mode when TELEGRAM_WEBHOOK_URL is set; long polling otherwise. */
  webhook?: { url: string; port: number; secret?: string };
  /** TELEGRAM_PACING=off: outgoing calls not paced to Telegram's limits (test servers only); absent when on. */
  pacing?: false;
}

export class ConfigError extends Error {}

function dayList(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const days = raw.split(',').map((part) => Number(part.trim()));
  if (days.some((d) => !Number.isInteger(d) || d <= 0) || new Set(days).size !== days.length) {
    throw new ConfigError(`${name} must be distinct whole numbers of days above 0, separated by commas, like "7,30,90" (got "${raw}")`);
  }
  return days.sort((a, b) => a - b);
}

export function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a whole number above 0 (got "${raw}")`);
  return value;
}

export function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL starting with https:// or http:// (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must start with https:// or http:// (got "${raw}")`);
  return raw;
}

function telegramConfig(env: NodeJS.ProcessEnv): TelegramConfig | undefined {
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  const webhookUrl = httpUrl(env, 'TELEGRAM_WEBHOOK_URL');
  if (!token) {
    if (webhookUrl) throw new ConfigError('TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not');
    return undefined;
  }
  if (!/^\d+:[\w-]+$/.test(token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters: ask @BotFather)');
  }
  const apiRoot = httpUrl(env, 'TELEGRAM_API_ROOT')?.replace(/\/+$/, '');
  const pacing = env.TELEGRAM_PACING?.trim() || 'on';
  if (pacing !== 'on' && pacing !== 'off') throw new ConfigError(`TELEGRAM_PACING must be on or off (got "${pacing}")`);
  const config: TelegramConfig = { token, ...(apiRoot ? { apiRoot } : {}), ...(pacing === 'off' ? { pacing: false as const } : {}) };
  if (webhookUrl) {
    const port = positiveInteger(env, 'TELEGRAM_WEBHOOK_PORT', 8080);
    if (port > 65_535) throw new ConfigError(`TELEGRAM_WEBHOOK_PORT must be a port number, 1 to 65535 (got "${port}")`);
    const secret = env.TELEGRAM_WEBHOOK_SECRET || undefined;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -');
    }
    config.webhook = { url: webhookUrl, port, ...(secret ? { secret } : {}) };
  }
  return config;
}

function matrixConfig(env: NodeJS.ProcessEnv): MatrixConfig | undefined {
  const url = httpUrl(env, 'MATRIX_HOMESERVER_URL');
  const token = env.MATRIX_ACCESS_TOKEN?.trim();
  if (!url && !token) return undefined;
  if (!url) throw new ConfigError('MATRIX_ACCESS_TOKEN is set but MATRIX_HOMESERVER_URL is not (the bot account\'s homeserver, like https://matrix.example.org)');
  if (!token) throw new ConfigError('MATRIX_HOMESERVER_URL is set but MATRIX_ACCESS_TOKEN is not (the bot account\'s access token)');
  if (/\s/.test(token)) throw new ConfigError('MATRIX_ACCESS_TOKEN must be a single word, with no spaces (copy the access token alone)');
  return { homeserverUrl: url.replace(/\/+$/, ''), accessToken: token };
}

function deskConfig(env: NodeJS.ProcessEnv, telegram: boolean, matrix: boolean): DeskConfig {
  const telegramChatId = env.TELEGRAM_DESK_CHAT_ID?.trim() || undefined;
  const matrixRoomId = env.MATRIX_DESK_ROOM_ID?.trim() || undefined;
  if (telegramChatId && !/^-?\d+$/.test(telegramChatId)) {
    throw new ConfigError(`TELEGRAM_DESK_CHAT_ID must be a chat id, a number like -1001234567890 (got "${telegramChatId}")`);
  }
  if (telegramChatId && !telegram) throw new ConfigError('TELEGRAM_DESK_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not');
  if (matrixRoomId && !/^![^:\s]+:\S+$/.test(matrixRoomId)) {
    throw new ConfigError(`MATRIX_DESK_ROOM_ID must be a room id like !abcdef:example.org (got "${matrixRoomId}")`);
  }
  if (matrixRoomId && !matrix) throw new ConfigError('MATRIX_DESK_ROOM_ID is set but MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN are not');
  const volunteers = (env.DESK_VOLUNTEERS ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const bad = volunteers.find((v) => !/^(telegram:-?\d+|matrix:@[^:\s]+:\S+)$/.test(v));
  if (bad) throw new ConfigError(`DESK_VOLUNTEERS must list "telegram:<user id>" or "matrix:@user:server", separated by commas (got "${bad}")`);
  const lang = env.DESK_LANG || 'fr';
  if (lang !== 'fr' && lang !== 'en') throw new ConfigError(`DESK_LANG must be fr or en (got "${lang}")`);
  const timeZone = env.DESK_TIME_ZONE || 'Europe/Paris';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`DESK_TIME_ZONE must be a time zone name like Europe/Paris or America/Montreal (got "${timeZone}")`);
  }
  return {
    ...(telegramChatId ? { telegramChatId } : {}),
    ...(matrixRoomId ? { matrixRoomId } : {}),
    volunteers,
    lang,
    timeZone,
    unclaimedAlertHours: positiveInteger(env, 'DESK_UNCLAIMED_ALERT_HOURS', 4),
    inactiveDays: positiveInteger(env, 'DESK_INACTIVE_DAYS', 7),
    stillThereDays: positiveInteger(env, 'DESK_STILL_THERE_DAYS', 3),
    reopenHours: positiveInteger(env, 'DESK_REOPEN_HOURS', 72),
    defaultWaitMinutes: positiveInteger(env, 'DESK_DEFAULT_WAIT_MINUTES', 240),
    ticketRetentionDays: positiveInteger(env, 'TICKET_RETENTION_DAYS', 30),
  };
}

function metricsConfig(env: NodeJS.ProcessEnv): Config['metrics'] {
  const host = env.METRICS_HOST?.trim() || '127.0.0.1';
  if (env.METRICS_PORT === undefined || env.METRICS_PORT.trim() === '') {
    if (env.METRICS_HOST?.trim()) throw new ConfigError('METRICS_HOST is set but METRICS_PORT is not (the port to serve the metrics on, like 9464)');
    return undefined;
  }
  const port = positiveInteger(env, 'METRICS_PORT', 0);
  if (port > 65_535) throw new ConfigError(`METRICS_PORT must be a port number, 1 to 65535 (got "${port}")`);
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError(`METRICS_HOST must be an address to listen on, like 127.0.0.1 or 0.0.0.0 (got "${host}")`);
  return { port, host };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'warn';
  if (!isLogLevel(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent (got "${logLevel}")`);
  const telegram = telegramConfig(env);
  const matrix = matrixConfig(env);
  const metrics = metricsConfig(env);
  return {
    dbPath: databasePath(env),
    retentionDays: positiveInteger(env, 'RETENTION_DAYS', DEFAULT_RETENTION_DAYS),
    reminderDays: dayList(env, 'REMINDER_DAYS', DEFAULT_REMINDER_DAYS),
    logLevel,
    terminalId: env.DEMAILBOT_TERMINAL_ID || 'local',
    langHint: env.DEMAILBOT_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG,
    ...(telegram ? { telegram } : {}),
    ...(matrix ? { matrix } : {}),
    desk: deskConfig(env, Boolean(telegram), Boolean(matrix)),
    ...(metrics ? { metrics } : {}),
  };
}
