/**
 * The next workshops and webinars, in words, for the person: offered at the end of the plan and when they ask for
 * a volunteer outside the desks' hours. Which events suit is src/catalog/events.ts's business; the words are in
 * locales/<lang>/desk.json ("events"). Times are shown in the person's time zone (Europe/Paris unless known).
 */
import type { CampaignEvent } from '../catalog/events.js';
import type { Lang, Translate } from './i18n.js';

/** "mercredi 2 décembre, 18:00": a moment as people read one, in a time zone (an event's start, a desk's opening). */
export function dayAndTime(lang: Lang, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(at));
}

export function eventLine(t: Translate, lang: Lang, event: CampaignEvent, timeZone: string): string {
  const params = {
    title: event.title,
    when: dayAndTime(lang, event.start, timeZone),
    link: event.link ?? '',
    address: event.place?.address ?? '',
    association: event.association,
  };
  const key = event.link && event.place ? 'both' : event.link ? 'online' : 'inPerson';
  return t(`desk:events.${key}`, params);
}

/** The paragraph, or undefined when no event suits (nothing is said then). */
export function eventsText(t: Translate, lang: Lang, events: readonly CampaignEvent[], timeZone = 'Europe/Paris'): string | undefined {
  if (events.length === 0) return undefined;
  return [t('desk:events.intro'), ...events.map((event) => eventLine(t, lang, event, timeZone))].join('\n');
}
