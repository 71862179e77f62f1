/**
 * How a desk is set up (DeskOptions, DeskTiming), and what every part of the desk core shares once it is
 * (DeskContext): one ticket store, one clock, one log, the volunteers' language, the host. The parts (person.ts,
 * volunteers.ts, tickets.ts, outbox.ts, deadlines.ts) each take this one object rather than a dozen arguments.
 */
import type { Catalog } from '../catalog/types.js';
import type { Log } from '../log.js';
import { createDeskTexts, type DeskTexts } from '../render/desk-text.js';
import type { Lang, Texts, Translate } from '../render/i18n.js';
import { createCounters, type Counters } from '../stats/counters.js';
import type { Db } from '../store/database.js';
import { createTicketStore, type TicketStore } from '../store/tickets.js';
import type { CampaignEvent } from '../catalog/events.js';
import { createDeskCounters, type DeskCounters } from '../stats/desk-counters.js';
import { deskTiming, type DeskTiming } from '../config/defaults.js';
import { SINGLE_DESK_ID, type DeskSpec } from './desks.js';
import { createDirectory, type DeskDirectory } from './directory.js';
import type { DeskHost } from './host.js';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface DeskOptions {
  /** The desk's own tables (tickets, their outbox, relays, signatures): the same SQLite file as the guide's. */
  db: Db;
  /** The guide the desk serves (src/desk/host.ts): the Engine. */
  host: DeskHost;
  texts: Texts;
  catalog: Catalog;
  /** The volunteers' language (DESK_LANG). */
  lang?: Lang;
  /** The desk's time zone, for the times on cards (DESK_TIME_ZONE). */
  timeZone?: string;
  /** "telegram:123", "matrix:@marie:asso.org" (DESK_VOLUNTEERS): when set, only these may act, members or not. */
  allowList?: readonly string[];
  timing?: Partial<DeskTiming>;
  /**
   * The coalition's desks (src/desk/desks.ts: a desks file). Unset: one desk named "main" on the ports
   * "telegram" and "matrix", serving everyone at any hour, with `allowList` — the single-desk variables.
   */
  desks?: readonly DeskSpec[];
  /** The campaign's events (data/events.json), offered to a person asking for someone outside hours. */
  events?: readonly CampaignEvent[];
  now?: () => number;
  log?: Log;
}

/** What the parts of the desk core share. */
export interface DeskContext {
  readonly db: Db;
  readonly host: DeskHost;
  readonly tickets: TicketStore;
  readonly counters: Counters;
  readonly timing: DeskTiming;
  readonly texts: Texts;
  readonly catalog: Catalog;
  /** The volunteers' translator (DESK_LANG): every word posted on the desk. */
  readonly t: Translate;
  readonly deskTexts: DeskTexts;
  readonly now: () => number;
  readonly log: Log;
  /** The desks, and which port is whose (./directory.ts). */
  readonly desks: readonly DeskSpec[];
  readonly directory: DeskDirectory;
  readonly deskCounters: DeskCounters;
  readonly events: readonly CampaignEvent[];
}

/** The one desk of the single-desk variables: the ports keep the platforms' names (see ./directory.ts). */
function singleDesk(options: DeskOptions): DeskSpec {
  return {
    id: SINGLE_DESK_ID,
    name: SINGLE_DESK_ID,
    // No group or room ids: the directory gives the single desk every port registered (./directory.ts).
    langs: [options.lang ?? 'fr'],
    hours: { timeZone: options.timeZone ?? 'Europe/Paris', week: 'always' },
    serves: { hosts: [], departements: [], langs: [], default: true },
    volunteers: [...(options.allowList ?? [])],
  };
}

export function createDeskContext(options: DeskOptions): DeskContext {
  const lang = options.lang ?? 'fr';
  const t = options.texts.t(lang);
  const desks = options.desks && options.desks.length > 0 ? options.desks : [singleDesk(options)];
  return {
    db: options.db,
    host: options.host,
    tickets: createTicketStore(options.db),
    counters: createCounters(options.db),
    timing: { ...deskTiming(), ...options.timing },
    texts: options.texts,
    catalog: options.catalog,
    t,
    deskTexts: createDeskTexts(t, options.catalog, lang, options.timeZone ?? 'Europe/Paris'),
    now: options.now ?? Date.now,
    log: options.log ?? (() => {}),
    desks,
    directory: createDirectory(desks),
    deskCounters: createDeskCounters(options.db),
    events: options.events ?? [],
  };
}
