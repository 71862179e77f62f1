/**
 * Configuration, from the environment only (see the README's table). Nothing here is required: with no token the
 * bot runs the terminal chat on the embedded SQLite database. Each platform reads its own variables (its module's
 * `fromEnv`, src/adapters/<platform>/config.ts); this file reads what belongs to the whole bot — the store, the
 * retention, the reminders, the logs, the metrics and the volunteers' desk — and asks every registered platform
 * whether it is configured. Error messages name the variable and never repeat a token or a secret.
 */
import { databasePath } from '../store/database.js';
import { isLogLevel, type LogLevel } from '../log.js';
import type { ConfiguredPlatform, PlatformModule } from '../adapters/platform.js';
import { PLATFORMS } from '../adapters/registry.js';
import { DEFAULTS } from './defaults.js';
import { ConfigError, dayList, oneOf, port, positiveInteger, timeZone } from './env.js';

export interface Config {
  dbPath: string;
  retentionDays: number;
  /** Days after turning reminders on when check-ins come (REMINDER_DAYS, e.g. "7,30,90"). */
  reminderDays: number[];
  logLevel: LogLevel;
  /** The platforms to run, in the registry's order: the configured ones, or the fallback (the terminal) alone. */
  platforms: ConfiguredPlatform[];
  desk: DeskConfig;
  /** Set when METRICS_PORT is: Prometheus metrics served at http://METRICS_HOST:METRICS_PORT/metrics. */
  metrics?: { port: number; host: string };
}

/** The volunteers' desk: who may act, its language and its durations (where it lives is each platform's setting). */
export interface DeskConfig {
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

/** "telegram:<user id>" or "matrix:@user:server": the forms the registered platforms accept. */
function volunteerForms(modules: readonly PlatformModule[]): string {
  const forms = modules.filter((m) => m.userIdExample).map((m) => `"${m.name}:${m.userIdExample}"`);
  return forms.length <= 2 ? forms.join(' or ') : `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}`;
}

function deskConfig(env: NodeJS.ProcessEnv, modules: readonly PlatformModule[]): DeskConfig {
  const volunteers = (env.DESK_VOLUNTEERS ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const known = (entry: string) => {
    const colon = entry.indexOf(':');
    const module = modules.find((m) => m.name === entry.slice(0, colon));
    return colon > 0 && Boolean(module?.isUserId?.(entry.slice(colon + 1)));
  };
  const bad = volunteers.find((v) => !known(v));
  if (bad) throw new ConfigError(`DESK_VOLUNTEERS must list ${volunteerForms(modules)}, separated by commas (got "${bad}")`);
  const desk = DEFAULTS.desk;
  return {
    volunteers,
    lang: oneOf(env, 'DESK_LANG', ['fr', 'en'] as const, desk.lang),
    timeZone: timeZone(env, 'DESK_TIME_ZONE', desk.timeZone),
    unclaimedAlertHours: positiveInteger(env, 'DESK_UNCLAIMED_ALERT_HOURS', desk.unclaimedAlertHours),
    inactiveDays: positiveInteger(env, 'DESK_INACTIVE_DAYS', desk.inactiveDays),
    stillThereDays: positiveInteger(env, 'DESK_STILL_THERE_DAYS', desk.stillThereDays),
    reopenHours: positiveInteger(env, 'DESK_REOPEN_HOURS', desk.reopenHours),
    defaultWaitMinutes: positiveInteger(env, 'DESK_DEFAULT_WAIT_MINUTES', desk.defaultWaitMinutes),
    ticketRetentionDays: positiveInteger(env, 'TICKET_RETENTION_DAYS', desk.ticketRetentionDays),
  };
}

function metricsConfig(env: NodeJS.ProcessEnv): Config['metrics'] {
  const host = env.METRICS_HOST?.trim() || DEFAULTS.metricsHost;
  if (env.METRICS_PORT === undefined || env.METRICS_PORT.trim() === '') {
    if (env.METRICS_HOST?.trim()) throw new ConfigError('METRICS_HOST is set but METRICS_PORT is not (the port to serve the metrics on, like 9464)');
    return undefined;
  }
  const metricsPort = port(env, 'METRICS_PORT', 0);
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError(`METRICS_HOST must be an address to listen on, like 127.0.0.1 or 0.0.0.0 (got "${host}")`);
  return { port: metricsPort, host };
}

/** Each registered platform's own configuration; the fallback (the terminal) when no other is configured. */
function platformsConfig(env: NodeJS.ProcessEnv, modules: readonly PlatformModule[]): ConfiguredPlatform[] {
  const configured: ConfiguredPlatform[] = [];
  for (const module of modules.filter((m) => !m.fallback)) {
    const config = module.fromEnv(env);
    if (config !== undefined) configured.push({ module, config });
  }
  if (configured.length > 0) return configured;
  return modules.filter((m) => m.fallback).flatMap((module) => {
    const config = module.fromEnv(env);
    return config === undefined ? [] : [{ module, config }];
  });
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, modules: readonly PlatformModule[] = PLATFORMS): Config {
  const logLevel = env.LOG_LEVEL ?? DEFAULTS.logLevel;
  if (!isLogLevel(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent (got "${logLevel}")`);
  const platforms = platformsConfig(env, modules);
  const metrics = metricsConfig(env);
  return {
    dbPath: databasePath(env),
    retentionDays: positiveInteger(env, 'RETENTION_DAYS', DEFAULTS.retentionDays),
    reminderDays: dayList(env, 'REMINDER_DAYS', DEFAULTS.reminderDays),
    logLevel,
    platforms,
    desk: deskConfig(env, modules),
    ...(metrics ? { metrics } : {}),
  };
}

/** The configuration a platform read, when it is configured (tests and the doctor ask for one by name). */
export function platformConfig<C>(config: Config, module: PlatformModule<C>): C | undefined {
  return config.platforms.find((p) => p.module.name === module.name)?.config as C | undefined;
}
