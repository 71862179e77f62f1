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

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

