/** Dates of the move plan, as ISO days (YYYY-MM-DD, UTC): pure arithmetic, no clock. */
/* ---- ISP subscription being cancelled: art. L.44-1 CPCE ---- */

/**
 * Art. L.44-1 CPCE: when one changes provider, the operator must offer free access to the mail RECEIVED at the old
 * address for six months from the cancellation (it may have to be asked for; sending is not guaranteed).
 * accessUntil: the cancellation date plus six calendar months (31 August + 6 months = 28 February, the last day of
 * the month when the day does not exist). remindOn: 30 days before, time enough to finish the move.
 */
export interface IspDates {
  cancelDate: string;
  accessUntil: string;
  remindOn: string;
}

export const ISP_ACCESS_MONTHS = 6;
export const ISP_REMINDER_DAYS_BEFORE = 30;

export function ispDates(cancelDate: string): IspDates {
  const accessUntil = addMonths(cancelDate, ISP_ACCESS_MONTHS);
  return { cancelDate, accessUntil, remindOn: addDays(accessUntil, -ISP_REMINDER_DAYS_BEFORE) };
}

export function isIsoDate(text: string | undefined): text is string {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The same day `months` later (or earlier), the month's last day when that day does not exist (31 Aug + 6 = 28 Feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}


/** YYYY-MM-DD for a year, month (1–12) and day, or undefined when that day does not exist (31/02). */
export function isoDay(year: number, month: number, day: number): string | undefined {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isIsoDate(text) ? text : undefined;
}

/** How many days the month has (1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
