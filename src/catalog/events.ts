/**
 * The campaign's workshops and webinars (data/events.json): when, where (a link and/or a place with its
 * département), in which language, held by which association, and where the fact was read (source + checked
 * date, like every fact in data/). The guide offers the next ones that suit a person — online, or in the
 * département they gave — and past ones disappear by themselves: `now` is passed in, there is no clock here.
 *
 * The file:
 *   { "about": "…", "events": [{
 *       "id": "arn-webinaire-janvier", "title": "…", "association": "ARN",
 *       "start": "2027-01-14T18:30:00+01:00", "end": "2027-01-14T20:00:00+01:00",   (with their UTC offset)
 *       "lang": "fr",
 *       "link": "https://…",                                  (online) and/or
 *       "place": { "address": "…", "departement": "67" },      (in person)
 *       "source": "https://…", "checked": "2026-12-01" }] }
 *
 * Validated with zod; errors name the file, the event and the field (./data-issues.ts).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { departementNumber } from './departements.js';
import { LANGUAGES, type Lang } from '../render/i18n.js';
import { displayPath, readJsonFile, validateData } from './data-issues.js';
import { checkedDate, httpUrl } from './schema.js';

export const EVENTS_FILE = fileURLToPath(new URL('../../data/events.json', import.meta.url));

export interface CampaignEvent {
  id: string;
  title: string;
  association: string;
  /** ms since epoch. */
  start: number;
  end: number;
  lang: Lang;
  link?: string;
  place?: { address: string; departement: string };
  source: string;
  checked: string;
}

export class EventsError extends Error {
  override readonly name = 'EventsError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A date and time with its offset: "2027-01-14T18:30:00+01:00" or "…Z". A time without one would be a guess. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/;

const nonEmptyText = z.string().trim().min(1, 'expected some text');
const instant = z
  .string()
  .refine((text) => INSTANT.test(text) && Number.isFinite(Date.parse(text)), 'expected a date and time with its offset, like "2027-01-14T18:30:00+01:00"');

const eventSchema = z
  .object({
    id: z.string().regex(SLUG, 'expected an id in lowercase letters, digits and dashes, e.g. "arn-webinaire-janvier"'),
    title: nonEmptyText,
    association: nonEmptyText,
    start: instant,
    end: instant,
    lang: z.enum(LANGUAGES),
    link: httpUrl.optional(),
    place: z
      .object({
        address: nonEmptyText,
        departement: departementNumber,
      })
      .strict()
      .optional(),
    source: httpUrl,
    checked: checkedDate,
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.link === undefined && event.place === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: 'has no "link" (online) nor "place" (in person): give one or both' });
    }
    if (Date.parse(event.end) <= Date.parse(event.start)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['end'], message: 'ends before it starts (check the date, the hour and the offset)' });
    }
  });

const eventsFileSchema = z
  .object({ about: z.string().optional(), events: z.array(eventSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.events.forEach((event, index) => {
      if (seen.has(event.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['events', index, 'id'], message: 'this id is already an earlier event\'s' });
      seen.add(event.id);
    });
  });

type RawEvent = z.output<typeof eventSchema>;

function toEvent(raw: RawEvent): CampaignEvent {
  return {
    id: raw.id,
    title: raw.title,
    association: raw.association,
    start: Date.parse(raw.start),
    end: Date.parse(raw.end),
    lang: raw.lang,
    ...(raw.link !== undefined ? { link: raw.link } : {}),
    ...(raw.place !== undefined ? { place: raw.place } : {}),
    source: raw.source,
    checked: raw.checked,
  };
}

/** Validates already-parsed JSON (tests use it directly), sorted by start. */
export function parseEvents(json: unknown, file = 'data/events.json'): CampaignEvent[] {
  const result = validateData<{ events: RawEvent[] }>(eventsFileSchema, json, file, { path: ['events'], entity: 'event' });
  if (result.value === undefined) throw new EventsError(result.problems);
  return result.value.events.map(toEvent).sort((a, b) => a.start - b.start || compare(a.id, b.id));
}

export function loadEvents(path: string = EVENTS_FILE): CampaignEvent[] {
  const name = displayPath(path);
  const read = readJsonFile(path, name);
  if ('problem' in read) throw new EventsError([read.problem]);
  return parseEvents(read.json, name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface EventWish {
  now: number;
  lang: Lang;
  /** The département the person gave, if any: in-person events there suit them. */
  departement?: string | null;
  /** How many to offer (3 unless told). */
  limit?: number;
}

/**
 * The next events that suit: in their language, online or in their département, soonest first. An event that
 * has begun is gone, except an online one still running (one can join a webinar late, not a room across town).
 */
export function nextEvents(events: readonly CampaignEvent[], wish: EventWish): CampaignEvent[] {
  const suits = (event: CampaignEvent) => {
    if (event.lang !== wish.lang) return false;
    const online = event.link !== undefined && event.end > wish.now;
    const near = event.place !== undefined && wish.departement != null && event.place.departement === wish.departement && event.start > wish.now;
    return online || near;
  };
  return events
    .filter(suits)
    .sort((a, b) => a.start - b.start || compare(a.id, b.id))
    .slice(0, wish.limit ?? 3);
}
