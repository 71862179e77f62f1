/**
 * Reading the environment, with errors that teach the fix: each names the variable, says what it must be with an
 * example, and repeats what was given — never a token or a secret (the platforms' readers take care of theirs).
 * The platforms' own settings (src/adapters/<platform>/config.ts) use these readers too.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = NodeJS.ProcessEnv;

/** The variable's value, trimmed; undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

export function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a whole number above 0 (got "${raw}")`);
  return value;
}

export function port(env: Env, name: string, fallback: number): number {
  const value = positiveInteger(env, name, fallback);
  if (value > 65_535) throw new ConfigError(`${name} must be a port number, 1 to 65535 (got "${value}")`);
  return value;
}

export function dayList(env: Env, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const days = raw.split(',').map((part) => Number(part.trim()));
  if (days.some((d) => !Number.isInteger(d) || d <= 0) || new Set(days).size !== days.length) {
    throw new ConfigError(`${name} must be distinct whole numbers of days above 0, separated by commas, like "7,30,90" (got "${raw}")`);
  }
  return days.sort((a, b) => a - b);
}

export function httpUrl(env: Env, name: string): string | undefined {
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

export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name] || fallback;
  if (!(values as readonly string[]).includes(raw)) {
    const list = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
    throw new ConfigError(`${name} must be ${list} (got "${raw}")`);
  }
  return raw as T;
}

export function timeZone(env: Env, name: string, fallback: string): string {
  const zone = env[name] || fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(`${name} must be a time zone name like Europe/Paris or America/Montreal (got "${zone}")`);
  }
  return zone;
}
