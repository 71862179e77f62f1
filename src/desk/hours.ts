/**
 * A desk's opening hours, as pure functions of an instant (ms since epoch) passed in — no clock here, so tests
 * and the desk core decide what "now" is. Hours are wall-clock ranges per weekday in the desk's time zone
 * ("mon": 18:00–21:00 in Europe/Paris); Intl does the calendar work, daylight saving included:
 *
 * - every question is answered from the real *intervals* of open time (instants), so a Sunday 00:00–24:00 on the
 *   night clocks go forward is 23 hours long, and a range inside the hour that does not exist is empty;
 * - in the hour that happens twice when clocks go back, a wall time is read as its later occurrence.
 *
 * What it answers: is the desk open now, when does it next open, how many open minutes lie between two instants
 * (the queue place and the usual wait count only those), when will a number of open minutes have passed, and the
 * week as runs of days with the same hours — the parts of the sentence "du lundi au vendredi, 18 h–21 h" (the words
 * themselves are in locales/<lang>/desk.json, see src/render/hours-text.ts).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes after local midnight; `to` is after `from` and at most 1440 (24:00). */
export interface TimeRange {
  from: number;
  to: number;
}

export interface OpeningHours {
  timeZone: string;
  /** The open ranges of each weekday (empty: closed that day), or "always" (a desk with no hours set). */
  week: Readonly<Record<Weekday, readonly TimeRange[]>> | 'always';
}

/** A run of consecutive weekdays with the same ranges: "du lundi au vendredi, 18 h–21 h". */
export interface DayRun {
  first: Weekday;
  last: Weekday;
  ranges: readonly TimeRange[];
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Any week with one open range has an opening within 8 days; searching a little longer costs nothing. */
const SEARCH_DAYS = 9;

/* ---- Parsing "18:00-21:00" (used by the desks file's schema) ---- */

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** "18:00-21:00" → { from: 1080, to: 1260 }; undefined when the text is not such a range (24:00 only as an end). */
export function parseRange(text: string): TimeRange | undefined {
  const match = RANGE.exec(text);
  if (!match) return undefined;
  const [, fromH, fromM, toH, toM] = match.map(Number) as [number, number, number, number, number];
  if (toH === 24 && toM !== 0) return undefined;
  return { from: fromH * 60 + fromM, to: toH * 60 + toM };
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/* ---- Wall clock ↔ instant ---- */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function wallParts(at: number, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: value('year'), month: value('month'), day: value('day'), hour: value('hour'), minute: value('minute'), second: value('second') };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const p = wallParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall time happens (minute 1440 is the next midnight). The zone's offsets a day before and a day
 * after are the only candidates (no zone changes twice in two days): the ones that read back to this wall time
 * are its occurrences, and the later is taken when it happens twice (clocks back). When none does, the time is in
 * the gap of clocks going forward, and the later candidate is the instant the clock jumped.
 */
function instantOf(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const DAY_MS = DAY_MINUTES * MINUTE_MS;
  const candidates = [offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)].map((offset) => ({
    at: wall - offset,
    real: offsetAt(wall - offset, timeZone) === offset,
  }));
  const real = candidates.filter((c) => c.real);
  return Math.max(...(real.length > 0 ? real : candidates).map((c) => c.at));
}

function localDateOf(at: number, timeZone: string): LocalDate {
  const { year, month, day } = wallParts(at, timeZone);
  return { year, month, day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function weekdayOf(date: LocalDate): Weekday {
  // getUTCDay: 0 is Sunday.
  return WEEKDAYS[(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7]!;
}

/* ---- Open intervals ---- */

/** The open intervals [start, end) of one local day, as instants. */
function dayIntervals(hours: OpeningHours, date: LocalDate): Array<[number, number]> {
  if (hours.week === 'always') return [[instantOf(date, 0, hours.timeZone), instantOf(date, DAY_MINUTES, hours.timeZone)]];
  return hours.week[weekdayOf(date)]
    .map((range): [number, number] => {
      const start = instantOf(date, range.from, hours.timeZone);
      return [start, Math.max(start, instantOf(date, range.to, hours.timeZone))];
    })
    .filter(([start, end]) => end > start);
}

/** Open intervals from the local day of `from` on, in order, for `days` days (adjacent ones merged). */
function intervalsFrom(hours: OpeningHours, from: number, days: number): Array<[number, number]> {
  // Start a day early: the previous local day's last range may still be running (a range up to 24:00 does not
  // reach past midnight, but a time zone's day and the instant's day can differ around a change).
  const firstDay = addDays(localDateOf(from, hours.timeZone), -1);
  const merged: Array<[number, number]> = [];
  for (let i = 0; i <= days; i++) {
    for (const [start, end] of dayIntervals(hours, addDays(firstDay, i))) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
  }
  return merged.filter(([, end]) => end > from);
}

export function isOpen(hours: OpeningHours, now: number): boolean {
  if (hours.week === 'always') return true;
  return intervalsFrom(hours, now, 1).some(([start, end]) => start <= now && now < end);
}

/** `now` when open; else the instant the desk next opens; undefined for a week with no open range at all. */
export function nextOpening(hours: OpeningHours, now: number): number | undefined {
  if (hours.week === 'always') return now;
  const next = intervalsFrom(hours, now, SEARCH_DAYS).find(([, end]) => end > now);
  return next ? Math.max(next[0], now) : undefined;
}

/** When the open spell that `now` is in ends; undefined when closed now (or always open). */
export function closingTime(hours: OpeningHours, now: number): number | undefined {
  if (hours.week === 'always') return undefined;
  return intervalsFrom(hours, now, SEARCH_DAYS).find(([start, end]) => start <= now && now < end)?.[1];
}

/** Whole open minutes between two instants (0 when `to` is not after `from`). */
export function openMinutesBetween(hours: OpeningHours, from: number, to: number): number {
  if (to <= from) return 0;
  if (hours.week === 'always') return Math.floor((to - from) / MINUTE_MS);
  const days = Math.ceil((to - from) / (DAY_MINUTES * MINUTE_MS)) + 1;
  let ms = 0;
  for (const [start, end] of intervalsFrom(hours, from, days)) {
    if (start >= to) break;
    ms += Math.min(end, to) - Math.max(start, from);
  }
  return Math.floor(ms / MINUTE_MS);
}

/**
 * The instant at which `minutes` open minutes will have passed after `from` ("a usual wait of 2 open hours" from
 * a Friday evening lands on Monday); undefined for a week with no open range.
 */
export function afterOpenMinutes(hours: OpeningHours, from: number, minutes: number): number | undefined {
  if (hours.week === 'always') return from + minutes * MINUTE_MS;
  let left = minutes * MINUTE_MS;
  let cursor = from;
  // Each pass looks a week and a bit ahead, so a wait of many open weeks takes as many passes; a pass that finds
  // no open time at all (a week whose only ranges fall in a clock change's gap) ends the search.
  for (;;) {
    let found = false;
    for (const [start, end] of intervalsFrom(hours, cursor, SEARCH_DAYS)) {
      const begin = Math.max(start, cursor);
      if (end <= begin) continue;
      found = true;
      if (begin + left <= end) return begin + left;
      left -= end - begin;
      cursor = end;
    }
    if (!found) return undefined;
  }
}

/* ---- The week, for a sentence ---- */

function sameRanges(a: readonly TimeRange[], b: readonly TimeRange[]): boolean {
  return a.length === b.length && a.every((range, i) => range.from === b[i]!.from && range.to === b[i]!.to);
}

/** Consecutive weekdays (Monday first) with the same ranges, closed days left out; "always" has none. */
export function dayRuns(hours: OpeningHours): DayRun[] {
  if (hours.week === 'always') return [];
  const week = hours.week;
  const runs: DayRun[] = [];
  for (const day of WEEKDAYS) {
    const ranges = week[day];
    if (ranges.length === 0) continue;
    const last = runs[runs.length - 1];
    const previousDay = WEEKDAYS[WEEKDAYS.indexOf(day) - 1];
    if (last && last.last === previousDay && sameRanges(last.ranges, ranges)) last.last = day;
    else runs.push({ first: day, last: day, ranges });
  }
  return runs;
}
