/**
 * A desk's opening hours in words, from the parts src/desk/hours.ts works out: "du lundi au vendredi, 18 h–21 h",
 * "le samedi, 10 h–12 h et 14 h–17 h", and the honest sentences around them ("Les bénévoles de l'équipe ARN
 * répondent …; prochaine permanence : mercredi 2 décembre, 18:00"). Every word is in locales/<lang>/desk.json.
 */
import { dayAndTime } from './events-text.js';
import type { CampaignEvent } from '../catalog/events.js';
import type { DeskSpec } from '../desk/desks.js';
import { dayRuns, nextOpening, type TimeRange } from '../desk/hours.js';
import { eventsText } from './events-text.js';
import type { Lang, Translate } from './i18n.js';

function clock(t: Translate, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  const params = { h, hh: String(h).padStart(2, '0'), mm };
  return minutes % 60 === 0 ? t('desk:hours.hour', params) : t('desk:hours.hourMinute', params);
}

function rangesText(t: Translate, ranges: readonly TimeRange[]): string {
  return ranges
    .map((range) => t('desk:hours.range', { from: clock(t, range.from), to: clock(t, range.to) }))
    .join(t('desk:hours.rangesJoin'));
}

/** "du lundi au vendredi, 18 h–21 h ; le samedi, 10 h–12 h" — or "à toute heure" for a desk without hours. */
export function hoursText(t: Translate, desk: Pick<DeskSpec, 'hours'>): string {
  const runs = dayRuns(desk.hours);
  if (runs.length === 0) return t('desk:hours.always');
  return runs
    .map((run) => {
      const everyDay = run.first === 'mon' && run.last === 'sun';
      const day = (d: string) => t(`desk:hours.days.${d}`);
      const days = everyDay
        ? t('desk:hours.everyDay')
        : run.first === run.last
          ? t('desk:hours.oneDay', { day: day(run.first) })
          : t('desk:hours.dayRun', { first: day(run.first), last: day(run.last) });
      return t('desk:hours.daysWithRanges', { days, ranges: rangesText(t, run.ranges) });
    })
    .join(t('desk:hours.runsJoin'));
}

/** "mercredi 2 décembre, 18:00" in the desk's time zone: when the person can expect someone. */
export function openingDateText(lang: Lang, desk: Pick<DeskSpec, 'hours'>, at: number): string {
  return dayAndTime(lang, at, desk.hours.timeZone);
}

/**
 * What a person asking for someone outside the desk's hours is told; undefined while the desk is open (or has no
 * hours: it answers at any time).
 */
export function closedNowText(t: Translate, lang: Lang, desk: Pick<DeskSpec, 'hours' | 'name'>, now: number): string | undefined {
  const next = nextOpening(desk.hours, now);
  if (next === undefined || next === now) return undefined;
  return t('desk:hours.closedNow', { desk: desk.name, hours: hoursText(t, desk), next: openingDateText(lang, desk, next) });
}

/**
 * Said to a person who asks for a volunteer while their desk is closed: when someone will be there, then the next
 * workshops or webinars that suit them (the desk core passes them in, already chosen by src/catalog/events.ts).
 * Undefined while the desk is open: nothing more to say than the queue place and the usual wait.
 */
export function outsideHoursNote(
  t: Translate,
  lang: Lang,
  desk: Pick<DeskSpec, 'hours' | 'name'>,
  now: number,
  events: readonly CampaignEvent[],
): string | undefined {
  const closed = closedNowText(t, lang, desk, now);
  if (closed === undefined) return undefined;
  const offer = eventsText(t, lang, events, desk.hours.timeZone);
  return offer ? `${closed}\n\n${offer}` : closed;
}
