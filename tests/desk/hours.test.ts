import { describe, expect, it } from 'vitest';
import {
  afterOpenMinutes,
  closingTime,
  dayRuns,
  isOpen,
  nextOpening,
  openMinutesBetween,
  parseRange,
  type OpeningHours,
  type TimeRange,
  type Weekday,
} from '../../src/desk/hours.js';
import { closedNowText, hoursText } from '../../src/render/hours-text.js';
import { createTexts } from '../../src/render/i18n.js';

const PARIS = 'Europe/Paris';
const r = (text: string): TimeRange => parseRange(text)!;

function week(days: Partial<Record<Weekday, string[]>>, timeZone = PARIS): OpeningHours {
  const all: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return { timeZone, week: Object.fromEntries(all.map((d) => [d, (days[d] ?? []).map(r)])) as Record<Weekday, TimeRange[]> };
}

/** Weekday evenings 18–21, as in the example. */
const ARN = week({ mon: ['18:00-21:00'], tue: ['18:00-21:00'], wed: ['18:00-21:00'], thu: ['18:00-21:00'], fri: ['18:00-21:00'] });
const at = (iso: string) => Date.parse(iso);

describe('parseRange', () => {
  it('reads HH:MM-HH:MM, 24:00 only as an end', () => {
    expect(parseRange('18:00-21:30')).toEqual({ from: 1080, to: 1290 });
    expect(parseRange('22:00-24:00')).toEqual({ from: 1320, to: 1440 });
    expect(parseRange('24:00-24:00')).toBeUndefined();
    expect(parseRange('22:00-24:30')).toBeUndefined();
    expect(parseRange('6pm-9pm')).toBeUndefined();
    expect(parseRange('18h-21h')).toBeUndefined();
  });
});

describe('isOpen / nextOpening / closingTime (Europe/Paris, winter: UTC+1)', () => {
  it('is open inside a range, closed at its end (half-open)', () => {
    expect(isOpen(ARN, at('2026-12-02T17:00:00Z'))).toBe(true); // Wed 18:00 Paris
    expect(isOpen(ARN, at('2026-12-02T19:59:59Z'))).toBe(true);
    expect(isOpen(ARN, at('2026-12-02T20:00:00Z'))).toBe(false); // 21:00
    expect(isOpen(ARN, at('2026-12-02T16:59:00Z'))).toBe(false);
    expect(isOpen(ARN, at('2026-12-05T17:30:00Z'))).toBe(false); // Saturday
  });

  it('next opening: now when open, the evening when closed, Monday from a Friday night', () => {
    const wednesdayNoon = at('2026-12-02T11:00:00Z');
    expect(nextOpening(ARN, wednesdayNoon)).toBe(at('2026-12-02T17:00:00Z'));
    const open = at('2026-12-02T18:00:00Z');
    expect(nextOpening(ARN, open)).toBe(open);
    expect(nextOpening(ARN, at('2026-12-04T21:00:00Z'))).toBe(at('2026-12-07T17:00:00Z'));
    expect(closingTime(ARN, open)).toBe(at('2026-12-02T20:00:00Z'));
    expect(closingTime(ARN, wednesdayNoon)).toBeUndefined();
  });

  it('a desk without hours is always open', () => {
    const always: OpeningHours = { timeZone: PARIS, week: 'always' };
    const now = at('2026-12-06T03:00:00Z');
    expect(isOpen(always, now)).toBe(true);
    expect(nextOpening(always, now)).toBe(now);
    expect(openMinutesBetween(always, now, now + 90 * 60_000)).toBe(90);
  });

  it('counts in the desk\'s zone, not UTC: 18:00 in Montréal is 23:00 UTC', () => {
    const montreal = week({ wed: ['18:00-21:00'] }, 'America/Montreal');
    expect(isOpen(montreal, at('2026-12-02T23:30:00Z'))).toBe(true);
    expect(isOpen(montreal, at('2026-12-02T18:30:00Z'))).toBe(false);
  });

  it('ranges that meet at midnight are one open spell', () => {
    const night = week({ fri: ['22:00-24:00'], sat: ['00:00-02:00'] });
    const fridayLate = at('2026-12-04T22:00:00Z'); // 23:00 Paris
    expect(isOpen(night, fridayLate)).toBe(true);
    expect(closingTime(night, fridayLate)).toBe(at('2026-12-05T01:00:00Z')); // Saturday 02:00 Paris
  });
});

describe('open minutes between', () => {
  it('counts only open hours: Friday 20:00 to Monday 19:00 is 1 h + 1 h', () => {
    expect(openMinutesBetween(ARN, at('2026-12-04T19:00:00Z'), at('2026-12-07T18:00:00Z'))).toBe(120);
  });

  it('is 0 for an empty or reversed span and for a closed span', () => {
    const t = at('2026-12-02T18:00:00Z');
    expect(openMinutesBetween(ARN, t, t)).toBe(0);
    expect(openMinutesBetween(ARN, t, t - 60_000)).toBe(0);
    expect(openMinutesBetween(ARN, at('2026-12-05T10:00:00Z'), at('2026-12-06T22:00:00Z'))).toBe(0);
  });

  it('a full week of ARN is 15 open hours, over many weeks too', () => {
    const monday = at('2026-11-30T00:00:00Z');
    expect(openMinutesBetween(ARN, monday, monday + 7 * 86_400_000)).toBe(15 * 60);
    expect(openMinutesBetween(ARN, monday, monday + 28 * 86_400_000)).toBe(4 * 15 * 60);
  });

  it('after N open minutes: a 2-hour usual wait from Friday 20:00 ends Monday 19:00', () => {
    expect(afterOpenMinutes(ARN, at('2026-12-04T19:00:00Z'), 120)).toBe(at('2026-12-07T18:00:00Z'));
    expect(afterOpenMinutes(ARN, at('2026-12-02T17:00:00Z'), 0)).toBe(at('2026-12-02T17:00:00Z'));
    // 10 open weeks of waiting: the search goes on week after week.
    const monday = at('2026-11-30T00:00:00Z');
    expect(afterOpenMinutes(ARN, monday, 10 * 15 * 60)).toBe(at('2027-02-05T20:00:00Z'));
  });

  it('and back: open minutes between `from` and afterOpenMinutes(from, n) are n', () => {
    for (const start of ['2026-12-02T10:00:00Z', '2026-12-04T19:30:00Z', '2027-03-27T12:00:00Z']) {
      for (const n of [1, 59, 180, 1000]) {
        const end = afterOpenMinutes(ARN, at(start), n)!;
        expect(openMinutesBetween(ARN, at(start), end)).toBe(n);
      }
    }
  });
});

describe('daylight saving time in Europe/Paris', () => {
  // 2027-03-28: 02:00 CET becomes 03:00 CEST (01:00 UTC). 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC).
  const sundays = week({ sun: ['00:00-24:00'] });

  it('the Sunday clocks go forward is 23 open hours, the Sunday they go back 25', () => {
    expect(openMinutesBetween(sundays, at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'))).toBe(23 * 60);
    expect(openMinutesBetween(sundays, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(25 * 60);
    expect(openMinutesBetween(sundays, at('2027-01-09T00:00:00Z'), at('2027-01-11T00:00:00Z'))).toBe(24 * 60);
  });

  it('evening hours keep their wall-clock time on both sides of the change', () => {
    const sundayEvening = week({ sat: ['18:00-21:00'], sun: ['18:00-21:00'] });
    // Saturday before the spring change: 18:00 CET = 17:00 UTC; Sunday after: 18:00 CEST = 16:00 UTC.
    expect(nextOpening(sundayEvening, at('2027-03-27T12:00:00Z'))).toBe(at('2027-03-27T17:00:00Z'));
    expect(nextOpening(sundayEvening, at('2027-03-27T21:00:00Z'))).toBe(at('2027-03-28T16:00:00Z'));
    // Autumn: Saturday 18:00 CEST = 16:00 UTC; Sunday 18:00 CET = 17:00 UTC.
    expect(nextOpening(sundayEvening, at('2026-10-24T12:00:00Z'))).toBe(at('2026-10-24T16:00:00Z'));
    expect(nextOpening(sundayEvening, at('2026-10-24T21:00:00Z'))).toBe(at('2026-10-25T17:00:00Z'));
  });

  it('a range inside the hour that does not exist is empty; one inside the repeated hour lasts its hour once', () => {
    const gap = week({ sun: ['02:00-03:00'] });
    expect(openMinutesBetween(gap, at('2027-03-27T12:00:00Z'), at('2027-03-29T00:00:00Z'))).toBe(0);
    expect(openMinutesBetween(gap, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(60);
    // The early-morning hours just before the change are read in the right offset (01:30 CEST = 23:30 UTC).
    const early = week({ sun: ['01:00-02:00'] });
    expect(nextOpening(early, at('2026-10-24T12:00:00Z'))).toBe(at('2026-10-24T23:00:00Z'));
  });

  it('next opening across the spring change: Friday night to Monday 18:00 CEST', () => {
    expect(nextOpening(ARN, at('2027-03-26T21:00:00Z'))).toBe(at('2027-03-29T16:00:00Z'));
    expect(openMinutesBetween(ARN, at('2027-03-26T00:00:00Z'), at('2027-03-30T00:00:00Z'))).toBe(2 * 180);
  });
});

describe('the week in words', () => {
  const texts = createTexts();

  it('groups days with the same hours', () => {
    const hours = week({ mon: ['18:00-21:00'], tue: ['18:00-21:00'], wed: ['18:00-21:00'], sat: ['10:00-12:00', '14:00-17:30'] });
    expect(dayRuns(hours).map((run) => [run.first, run.last])).toEqual([['mon', 'wed'], ['sat', 'sat']]);
    expect(hoursText(texts.t('fr'), { hours })).toBe('du lundi au mercredi, 18 h–21 h ; le samedi, 10 h–12 h et 14 h–17 h 30');
    expect(hoursText(texts.t('en'), { hours })).toBe('Monday to Wednesday, 18:00–21:00; on Saturday, 10:00–12:00 and 14:00–17:30');
  });

  it('says "du lundi au vendredi, 18 h–21 h" for ARN, "tous les jours" for a whole week, "à toute heure" without hours', () => {
    expect(hoursText(texts.t('fr'), { hours: ARN })).toBe('du lundi au vendredi, 18 h–21 h');
    const daily = week(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['09:00-12:00']])));
    expect(hoursText(texts.t('fr'), { hours: daily })).toBe('tous les jours, 9 h–12 h');
    expect(hoursText(texts.t('en'), { hours: { timeZone: PARIS, week: 'always' } })).toBe('at any time');
  });

  it('tells the person honestly when someone will be there, and nothing while open', () => {
    const desk = { name: 'ARN', hours: ARN };
    const text = closedNowText(texts.t('fr'), 'fr', desk, at('2026-12-04T21:00:00Z'))!;
    expect(text).toContain('du lundi au vendredi, 18 h–21 h');
    expect(text).toContain('lundi 7 décembre');
    expect(text).toContain('18:00');
    expect(closedNowText(texts.t('fr'), 'fr', desk, at('2026-12-02T18:00:00Z'))).toBeUndefined();
    expect(closedNowText(texts.t('en'), 'en', desk, at('2026-12-04T21:00:00Z'))).toContain('Monday, December 7');
  });
});

describe('asking for someone outside the desk\'s hours', () => {
  it('tells when someone will be there, then offers the events that suit; nothing while open', async () => {
    const { outsideHoursNote } = await import('../../src/render/hours-text.js');
    const { parseEvents, nextEvents } = await import('../../src/catalog/events.js');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const texts = createTexts();
    const events = parseEvents(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/events.example.json'), 'utf8')));
    const desk = { name: 'ARN', hours: ARN };
    const fridayNight = at('2027-01-08T21:00:00Z');
    const note = outsideHoursNote(texts.t('fr'), 'fr', desk, fridayNight, nextEvents(events, { now: fridayNight, lang: 'fr' }))!;
    expect(note.split('\n\n')[0]).toContain('répondent du lundi au vendredi, 18 h–21 h ; prochaine permanence : lundi 11 janvier à 18:00');
    expect(note).toContain('Des bénévoles de la campagne proposent aussi ces rendez-vous :');
    expect(note).toContain('EXEMPLE — Webinaire');
    expect(outsideHoursNote(texts.t('fr'), 'fr', desk, fridayNight, [])).not.toContain('rendez-vous');
    expect(outsideHoursNote(texts.t('fr'), 'fr', desk, at('2027-01-11T17:30:00Z'), [])).toBeUndefined();
  });
});
