/**
 * A date as people type it, read against today: "15/03/2027", "15-03", "le 15 mars", "fin mars", "1er avril 2027",
 * "March 15", "aujourd'hui", "demain", "dans 2 semaines", "dans un mois", "next month" → YYYY-MM-DD.
 * Where the plan asks when an ISP subscription ends. A date without a year is the one nearest to today (the
 * cancellation may be done already, or in a few months). Undefined when it is not clearly one date ("mars" alone,
 * "bientôt"): the person is asked again, never guessed for. The words are in locales/<lang>/understand.json
 * (`dates`, and `numbers` for "dans trois mois"); the arithmetic is the plan's own (flows/plan-dates.ts).
 */
import { addDays, addMonths, daysInMonth, isoDay } from '../../flows/plan-dates.js';
import { normalize, type Lexicon } from './lexicon.js';

const DAY_MS = 86_400_000;
/** "dans 50 ans" is not a cancellation date: relative dates go this far at the most. */
const MAX_RELATIVE = 24;

type Word =
  | { kind: 'month'; value: number }
  | { kind: 'number'; value: number }
  | { kind: 'year'; value: number }
  | { kind: 'edge'; value: 'start' | 'end' }
  | { kind: 'filler' };

export function createDateReader(lexicon: Lexicon) {
  const todayOf = (now: number) => new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const is = (key: string, words: string) => lexicon.set(`dates.${key}`).has(words);

  /** The year that puts this day and month nearest to today. */
  function nearestYear(month: number, day: number, today: string): number {
    const year = Number(today.slice(0, 4));
    const at = (y: number) => Date.parse(`${isoDay(y, month, Math.min(day, daysInMonth(y, month)))}T00:00:00Z`);
    const now = Date.parse(`${today}T00:00:00Z`);
    return [year - 1, year, year + 1].reduce((best, y) => (Math.abs(at(y) - now) < Math.abs(at(best) - now) ? y : best));
  }

  function numberOf(word: string): number | undefined {
    if (/^\d+$/.test(word)) return Number(word);
    if (is('one', word)) return 1;
    const named = lexicon.table('numbers').get(word);
    return named === undefined ? undefined : Number(named);
  }

  /** "dans 2 semaines", "in three months", "demain"… */
  function relative(words: string, today: string): string | undefined {
    if (is('today', words)) return today;
    if (is('tomorrow', words)) return addDays(today, 1);
    if (is('yesterday', words)) return addDays(today, -1);
    if (is('nextMonth', words)) return addMonths(today, 1);
    const [first, amount, ...unitWords] = words.split(' ');
    if (!first || !amount || !is('in', first)) return undefined;
    const count = numberOf(amount);
    const unit = lexicon.table('dates.units').get(unitWords.join(' '));
    if (count === undefined || count > MAX_RELATIVE || unit === undefined) return undefined;
    if (unit === 'day') return addDays(today, count);
    if (unit === 'week') return addDays(today, 7 * count);
    return addMonths(today, count);
  }

  function wordOf(word: string): Word | undefined {
    if (/^\d{4}$/.test(word)) return { kind: 'year', value: Number(word) };
    if (/^\d{1,2}$/.test(word)) return { kind: 'number', value: Number(word) };
    const month = lexicon.table('dates.months').get(word);
    if (month !== undefined) return { kind: 'month', value: Number(month) };
    const edge = lexicon.table('dates.edges').get(word);
    if (edge === 'start' || edge === 'end') return { kind: 'edge', value: edge };
    if (is('filler', word)) return { kind: 'filler' };
    return undefined;
  }

  /** "le 15 mars 2027", "March 15", "fin mars", "début avril 2027". */
  function named(words: string, today: string): string | undefined {
    let day: number | undefined;
    let month: number | undefined;
    let year: number | undefined;
    let edge: 'start' | 'end' | undefined;
    for (const token of words.split(' ')) {
      const word = wordOf(token);
      if (!word) return undefined; // a word we do not know: not clearly a date
      if (word.kind === 'year' && year === undefined) year = word.value;
      else if (word.kind === 'number' && day === undefined) day = word.value;
      else if (word.kind === 'month' && month === undefined) month = word.value;
      else if (word.kind === 'edge' && edge === undefined) edge = word.value;
      else if (word.kind !== 'filler') return undefined; // two days, two months: not one date
    }
    if (month === undefined) return undefined;
    if (day === undefined) {
      if (edge === undefined) return undefined; // "mars" alone: which day? asked again
      const y = year ?? nearestYear(month, edge === 'end' ? 28 : 1, today);
      return isoDay(y, month, edge === 'end' ? daysInMonth(y, month) : 1);
    }
    if (edge !== undefined) return undefined;
    return isoDay(year ?? nearestYear(month, day, today), month, day);
  }

  return function readDate(text: string, now: number): string | undefined {
    const today = todayOf(now);
    const raw = text.trim().toLowerCase();
    // Digits first: 2027-03-15, 15/03/2027, 15-03-27, 15.03.
    let m = /^(?:le\s+|on\s+)?(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
    if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
    m = /^(?:le\s+|on\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$/.exec(raw);
    if (m) {
      const day = Number(m[1]);
      const month = Number(m[2]);
      const year = m[3] ? (m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])) : nearestYear(month, day, today);
      return isoDay(year, month, day);
    }
    // Words: "1er", "15th", "2e" are the day's number.
    const words = normalize(text).replace(/\b(\d+)(?:er|st|nd|rd|th|e|eme)\b/g, '$1');
    if (!words) return undefined;
    return relative(words, today) ?? named(words, today);
  };
}

export type DateReader = ReturnType<typeof createDateReader>;
