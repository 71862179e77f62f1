/**
 * The structured log: one JSON line per event on stderr, written by pino — for instance
 *
 *   {"level":"warn","time":"2026-03-01T09:00:00.000Z","event":"telegram_api_error","method":"sendMessage","code":429}
 *
 * Callers give an event name and safe details (counts, platform names, methods, error codes and messages) —
 * never message text, tokens or chat ids. As a second guard, pino's redaction blanks the fields that would hold
 * them if a caller ever passed one (`text`, `token`, `chatId`…: see REDACTED).
 *
 * LOG_LEVEL: debug, info, warn, error or silent. Writes are synchronous, so the lines before a crash are not lost.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export type Log = (event: string, details?: Record<string, unknown>, level?: Exclude<LogLevel, 'silent'>) => void;

/** Fields that must never reach a log line, wherever a caller put them (top level or one object down). */
export const REDACTED = ['text', 'token', 'accessToken', 'chatId', 'chat_id', 'roomId', 'userId', 'displayName', 'secret'];

/** The pino logger behind a Log: `write` receives each line (with its newline); stderr by default. */
export function createPino(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level,
      base: undefined, // no pid or hostname: systemd's journal and container logs already say where a line came from
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED, ...REDACTED.map((field) => `*.${field}`)], censor: '[redacted]' },
    },
    destination,
  );
}

export function createLog(level: LogLevel = 'info', write?: (line: string) => void): Log {
  const logger = createPino(level, write);
  return (event, details = {}, eventLevel = 'info') => {
    if (logger.isLevelEnabled(eventLevel)) logger[eventLevel]({ event, ...details });
  };
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}
