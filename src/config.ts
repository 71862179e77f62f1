/**
 * Configuration, from the environment only (see the README's table). Nothing here is required: with no token
 * the bot runs the terminal chat on the embedded SQLite database.
 */
import { databasePath } from './store/database.js';
import { DEFAULT_RETENTION_DAYS } from './engine/engine.js';
import { isLogLevel, type LogLevel } from './log.js';

export interface Config {
  dbPath: string;
  retentionDays: number;
  logLevel: LogLevel;
  terminalId: string;
  langHint: string | undefined;
}

export class ConfigError extends Error {}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a whole number above 0 (got "${raw}")`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'warn';
  if (!isLogLevel(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent (got "${logLevel}")`);
  return {
    dbPath: databasePath(env),
    retentionDays: positiveInteger(env, 'RETENTION_DAYS', DEFAULT_RETENTION_DAYS),
    logLevel,
    terminalId: env.DEMAILBOT_TERMINAL_ID || 'local',
    langHint: env.DEMAILBOT_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG,
  };
}
