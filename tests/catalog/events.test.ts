import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventsError, loadEvents, nextEvents, parseEvents } from '../../src/catalog/events.js';

type Json = any; // raw JSON that tests break on purpose

const DATA = join(import.meta.dirname, '../../data');
const example = (): Json => JSON.parse(readFileSync(join(DATA, 'events.example.json'), 'utf8'));

function problemsOf(json: unknown): string[] {
  try {
    parseEvents(json);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EventsError);
    return [...(error as EventsError).problems];
  }
}

describe('the events files', () => {
  it('data/events.json is valid and empty: no real event has been checked yet', () => {
    expect(loadEvents()).toEqual([]);
  });

  it('the example is valid, and says it is one (every link and source on example.org)', () => {
    const events = parseEvents(example());
    expect(events.map((e) => e.id)).toEqual(['exemple-webinaire', 'exemple-permanence', 'exemple-webinar-en']);
    expect(events[0]!.start).toBe(Date.parse('2027-01-14T17:30:00Z'));
    for (const event of events) {
      expect(event.title).toMatch(/^(EXEMPLE|EXAMPLE) — /);
      expect(new URL(event.source).hostname).toBe('example.org');
      if (event.link) expect(new URL(event.link).hostname).toBe('example.org');
    }
  });

  it('a file that cannot be read names itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demailbot-events-'));
    try {
      expect(() => loadEvents(join(dir, 'events.json'))).toThrow(/events\.json: cannot read the file \(it does not exist\)/);
      writeFileSync(join(dir, 'events.json'), '{');
      expect(() => loadEvents(join(dir, 'events.json'))).toThrow(/events\.json: not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validation names the file, the event and the field', () => {
  it('a time without its offset, an end before the start', () => {
    const json = example();
    json.events[0].start = '2027-01-14T18:30:00';
    json.events[1].end = '2027-01-16T13:00:00+01:00';
    expect(problemsOf(json)).toEqual([
      'data/events.json: event "exemple-webinaire", field start: expected a date and time with its offset, like "2027-01-14T18:30:00+01:00", got "2027-01-14T18:30:00"',
      'data/events.json: event "exemple-permanence", field end: ends before it starts (check the date, the hour and the offset)',
    ]);
  });

  it('neither a link nor a place, a bad département, a source that is not a web address, a checked date to come', () => {
    const json = example();
    delete json.events[0].link;
    json.events[1].place.departement = '920';
    json.events[2].source = 'the newsletter';
    json.events[2].checked = '2999-01-01';
    expect(problemsOf(json)).toEqual([
      'data/events.json: event "exemple-webinaire": has no "link" (online) nor "place" (in person): give one or both',
      'data/events.json: event "exemple-permanence", field place.departement: expected a département number as text: "01" to "95", "2A", "2B", or "971" to "976", got "920"',
      'data/events.json: event "exemple-webinar-en", field source: expected a web address starting with http:// or https://, got "the newsletter"',
      'data/events.json: event "exemple-webinar-en", field checked: expected a date that is not in the future, got "2999-01-01"',
    ]);
  });

  it('an id used twice, a language we do not have, a field we do not know', () => {
    const json = example();
    json.events[1].id = 'exemple-webinaire';
    json.events[2].lang = 'de';
    json.events[2].url = 'https://example.org';
    expect(problemsOf(json)).toEqual([
      'data/events.json: event "exemple-webinar-en", field lang: expected one of "fr", "en", got "de"',
      'data/events.json: event "exemple-webinar-en", field url: not a field we know (check its spelling)',
    ]);
    delete json.events[2].url;
    json.events[2].lang = 'en';
    expect(problemsOf(json)).toEqual(['data/events.json: event "exemple-webinaire", field id: this id is already an earlier event\'s']);
  });
});

describe('next events that suit', () => {
  const events = parseEvents(example());
  const ids = (list: { id: string }[]) => list.map((e) => e.id);
  const beforeAll = Date.parse('2027-01-01T00:00:00Z');

  it('online ones in their language, and in-person ones only in the département they gave', () => {
    expect(ids(nextEvents(events, { now: beforeAll, lang: 'fr' }))).toEqual(['exemple-webinaire']);
    expect(ids(nextEvents(events, { now: beforeAll, lang: 'fr', departement: '92' }))).toEqual(['exemple-webinaire', 'exemple-permanence']);
    expect(ids(nextEvents(events, { now: beforeAll, lang: 'fr', departement: '75' }))).toEqual(['exemple-webinaire']);
    expect(ids(nextEvents(events, { now: beforeAll, lang: 'en', departement: '92' }))).toEqual(['exemple-webinar-en']);
    expect(ids(nextEvents(events, { now: beforeAll, lang: 'fr', departement: '92', limit: 1 }))).toEqual(['exemple-webinaire']);
  });

  it('past ones disappear by themselves; a running webinar can still be joined, a started workshop not', () => {
    const webinarRunning = Date.parse('2027-01-14T18:00:00Z');
    expect(ids(nextEvents(events, { now: webinarRunning, lang: 'fr', departement: '92' }))).toEqual(['exemple-webinaire', 'exemple-permanence']);
    const workshopRunning = Date.parse('2027-01-16T14:00:00Z');
    expect(ids(nextEvents(events, { now: workshopRunning, lang: 'fr', departement: '92' }))).toEqual([]);
    expect(nextEvents(events, { now: Date.parse('2027-02-01T00:00:00Z'), lang: 'en' })).toEqual([]);
  });
});

describe('the events in words', () => {
  it('a line per event, online, in person or both; nothing when none suits', async () => {
    const { createTexts } = await import('../../src/render/i18n.js');
    const { eventsText } = await import('../../src/render/events-text.js');
    const texts = createTexts();
    const json = example();
    json.events[1].link = 'https://example.org/visio';
    const events = parseEvents(json);
    const fr = eventsText(texts.t('fr'), 'fr', events.slice(0, 2))!.split('\n');
    expect(fr[0]).toBe('Des bénévoles de la campagne proposent aussi ces rendez-vous :');
    expect(fr[1]).toBe("• **EXEMPLE — Webinaire : quitter Gmail en une soirée** — jeudi 14 janvier à 18:30, en ligne : https://example.org/webinaire (Exemple d'association)");
    expect(fr[2]).toContain("Salle d'exemple, 1 rue de l'Exemple, Exempleville ou en ligne : https://example.org/visio");
    const en = eventsText(texts.t('en'), 'en', [events[2]!])!;
    expect(en).toContain('**EXAMPLE — Webinar: leaving Outlook** — Wednesday, January 20 at 07:00 PM, online: https://example.org/webinar');
    expect(eventsText(texts.t('fr'), 'fr', [])).toBeUndefined();
  });
});
