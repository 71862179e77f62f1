/**
 * Check-ins never arrive between 21:00 and 09:00 where the person lives: a reminder at night is not a kindness.
 * Pure functions over a timestamp and an IANA time zone (Intl does the calendar work, DST included).
 */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 9;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Hour and minute on the wall clock in `timeZone` at `at` (ms since epoch). */
export function wallClock(at: number, timeZone: string): { hour: number; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: value('hour'), minute: value('minute') };
}

export function isQuietTime(at: number, timeZone: string): boolean {
  const { hour } = wallClock(at, timeZone);
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR;
}

/** `at` itself when it is not quiet time there, else the next 09:00 on that wall clock. */
export function nextAllowedTime(at: number, timeZone: string): number {
  if (!isQuietTime(at, timeZone)) return at;
  const { hour, minute } = wallClock(at, timeZone);
  const minutesUntil = (QUIET_UNTIL_HOUR * 60 - (hour * 60 + minute) + 24 * 60) % (24 * 60);
  const startOfMinute = at - (at % 60_000);
  return startOfMinute + minutesUntil * 60_000;
}
