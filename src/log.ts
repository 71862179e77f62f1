/**
 * A small structured logger: one JSON line per event on stderr. It is given event names and safe details
 * (counts, platform names, error messages) — never message text, tokens or chat ids.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type Log = (event: string, details?: Record<string, unknown>, level?: Exclude<LogLevel, 'silent'>) => void;

export function createLog(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Log {
  const threshold = ORDER[level] ?? ORDER.info;
  return (event, details = {}, eventLevel = 'info') => {
    if (ORDER[eventLevel] < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: eventLevel, event, ...details }) + '\n');
  };
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in ORDER;
}
