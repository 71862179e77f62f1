/**
 * A date as people type it, read against today: "15/03/2027", "15-03", "le 15 mars", "fin mars", "1er avril 2027",
 * "March 15", "aujourd'hui", "demain", "hier", "dans 2 semaines", "dans un mois", "next month" → YYYY-MM-DD.
 * Used where the plan asks when an ISP subscription ends. A date without a year is the one nearest to today
 * (the cancellation may be done already, or in a few months). Undefined when it is not clearly one date: the
 * person is asked again, never guessed for.
 */
import { normalize } from './interpret.js';

const MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1, january: 1,
  fevrier: 2, fevr: 2, fev: 2, february: 2, feb: 2,
  mars: 3, march: 3, mar: 3,
  avril: 4, avr: 4, april: 4, apr: 4,
  mai: 5, may: 5,
  juin: 6, june: 6, jun: 6,
  juillet: 7, juil: 7, july: 7, jul: 7,
  aout: 8, august: 8, aug: 8,
  septembre: 9, sept: 9, sep: 9, september: 9,
  octobre: 10, oct: 10, october: 10,
  novembre: 11, nov: 11, november: 11,
  decembre: 12, dec: 12, december: 12,
};

const DAY_MS = 86_400_000;

function iso(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The year that puts day/month nearest to today. */
function nearestYear(m: number, d: number, today: Date): number {
  const y = today.getUTCFullYear();
  const candidates = [y - 1, y, y + 1].filter((year) => iso(year, m, Math.min(d, lastDay(year, m))));
  const distance = (year: number) => Math.abs(Date.UTC(year, m - 1, Math.min(d, lastDay(year, m))) - today.getTime());
  return candidates.reduce((best, year) => (distance(year) < distance(best) ? year : best));
}

function fullYear(text: string): number {
  const n = Number(text);
  return text.length <= 2 ? 2000 + n : n;
}

function addDays(today: Date, days: number): string {
  return new Date(today.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

function addMonths(today: Date, months: number): string {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const day = Math.min(today.getUTCDate(), lastDay(target.getUTCFullYear(), target.getUTCMonth() + 1));
  return iso(target.getUTCFullYear(), target.getUTCMonth() + 1, day)!;
}

const NUMBER_WORDS: Record<string, number> = { un: 1, une: 1, one: 1, a: 1, deux: 2, two: 2, trois: 3, three: 3, quatre: 4, four: 4, cinq: 5, five: 5, six: 6 };

export function parseTypedDate(text: string, now: number): string | undefined {
  const today = new Date(Math.floor(now / DAY_MS) * DAY_MS);
  const raw = text.trim().toLowerCase();
  // Digits first: 15/03/2027, 15-03-27, 15.03, 2027-03-15.
  let m = /^(?:le\s+|on\s+)?(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(?:le\s+|on\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$/.exec(raw);
  if (m) {
    const d = Number(m[1]);
    const mo = Number(m[2]);
    return iso(m[3] ? fullYear(m[3]) : nearestYear(mo, d, today), mo, d);
  }

  const words = normalize(text).replace(/\b1er\b/g, '1').replace(/\b(\d+)(?:st|nd|rd|th|e|eme)\b/g, '$1');
  if (/^(?:aujourd hui|today|ce jour)$/.test(words)) return addDays(today, 0);
  if (/^(?:demain|tomorrow)$/.test(words)) return addDays(today, 1);
  if (/^(?:hier|yesterday)$/.test(words)) return addDays(today, -1);
  m = /^(?:dans|in)\s+(\d+|\w+)\s+(jours?|days?|semaines?|weeks?|mois|months?)$/.exec(words);
  if (m) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!];
    if (n === undefined || n > 24) return undefined;
    const unit = m[2]!;
    if (/^(?:jour|day)/.test(unit)) return addDays(today, n);
    if (/^(?:semaine|week)/.test(unit)) return addDays(today, 7 * n);
    return addMonths(today, n);
  }
  if (/^(?:le mois prochain|next month)$/.test(words)) return addMonths(today, 1);

  // "le 15 mars 2027", "15 mars", "march 15, 2027", "fin mars", "debut avril 2027".
  const tokens = words.split(' ').filter((w) => !['le', 'la', 'l', 'en', 'on', 'the', 'of', 'de', 'du'].includes(w));
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let edge: 'start' | 'end' | undefined;
  for (const token of tokens) {
    if (/^\d{4}$/.test(token) && year === undefined) year = Number(token);
    else if (/^\d{1,2}$/.test(token) && day === undefined) day = Number(token);
    else if (MONTHS[token] !== undefined && month === undefined) month = MONTHS[token];
    else if (['fin', 'end'].includes(token)) edge = 'end';
    else if (['debut', 'start', 'beginning', 'early'].includes(token)) edge = 'start';
    else return undefined; // a word we do not know: not clearly a date
  }
  if (month === undefined) return undefined;
  if (day === undefined) {
    if (edge === undefined) return undefined; // "mars" alone: which day? asked again
    const y = year ?? nearestYear(month, edge === 'end' ? 28 : 1, today);
    return iso(y, month, edge === 'end' ? lastDay(y, month) : 1);
  }
  if (edge !== undefined) return undefined;
  return iso(year ?? nearestYear(month, day, today), month, day);
}
