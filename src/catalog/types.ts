/**
 * The catalogue's shapes. data/*.json is validated against the zod schemas in ./schema.ts, which must produce
 * exactly these types. Every fact carries where it was read and when; a fact not known is the string "unknown",
 * never a guess. A `doubt` keeps an uncertainty visible (shown by `npm run catalog:check`, and to users as "?").
 */
import type { OldProviderId } from '../flows/questions.js';
import type { Needs } from './needs.js';

export type Known<T> = {
  value: T;
  /** URL of the page this was read on (the provider's own page where possible). */
  source: string;
  /** ISO date (YYYY-MM-DD) the fact was last checked against its source. */
  checked: string;
  /** Why this fact may be wrong or out of date. Kept visible, never hidden. */
  doubt?: string;
};
export type Fact<T> = Known<T> | 'unknown';

export function isKnown<T>(fact: Fact<T> | undefined): fact is Known<T> {
  return fact !== undefined && fact !== 'unknown';
}
export function factValue<T>(fact: Fact<T> | undefined): T | undefined {
  return isKnown(fact) ? fact.value : undefined;
}

export type ProviderKind = 'company' | 'association' | 'cooperative' | 'foundation' | 'collective';
export type Audience = 'person' | 'family' | 'association' | 'business';
/**
 * Calendar and contacts: synchronised with the phone's own apps (CalDAV/CardDAV), only in the host's own app
 * (Proton, Tuta), or none at all.
 */
export type SyncKind = 'caldav' | 'appOnly' | 'none';
export type DataKind = 'mail' | 'contacts' | 'calendar';

export interface ServerSetting {
  host: string;
  port: number;
  security: 'ssl' | 'starttls';
  /** What to type as user name: the full address, or the part before the @. */
  username: 'full' | 'local';
}

/** Where an import tool can read from: an old provider by name, or "anyImap", any mailbox reachable over IMAP. */
export type ImportSource = OldProviderId | 'anyImap';

export interface ImportTool {
  /** The tool's own name, e.g. "Easy Switch", "Umzugsservice". */
  name: string;
  url: string;
  /**
   * The old providers it imports from, for each kind of data it imports; a kind left out is not imported by the
   * tool at all. Tools differ per kind (Posteo's Umzugsservice: mail from any IMAP box, contacts from a handful of
   * big providers, calendars from fewer still), so one list for all kinds would promise too much.
   * "anyImap" is for mail only: contacts and calendars do not travel over IMAP, so they name old providers.
   */
  from: {
    mail?: ImportSource[];
    contacts?: OldProviderId[];
    calendar?: OldProviderId[];
  };
}

/**
 * How a tool reaches this old provider for this kind of data: "named" when the tool lists it for that kind,
 * "anyImap" when it is only covered as "any IMAP box", undefined when the tool cannot bring that data from it.
 * `old` is the old provider's data, undefined when unknown ("other"): any IMAP box covers it.
 * "anyImap" never covers an old provider that refuses passwords from other tools (auth "oauthOnly": Outlook.com
 * since September 2024): such a provider must be named for that kind.
 */
export function importToolReach(
  tool: ImportTool,
  kind: DataKind,
  old: OldProvider | undefined,
): 'named' | 'anyImap' | undefined {
  const sources: readonly ImportSource[] = tool.from[kind] ?? [];
  if (old && sources.includes(old.id)) return 'named';
  const refusesPasswords = factValue(old?.facts.auth) === 'oauthOnly';
  return sources.includes('anyImap') && !refusesPasswords ? 'anyImap' : undefined;
}

/**
 * One plan of a provider, as the provider sells it. Matching judges plans, not providers: the plan that counts for
 * a person is the cheapest one that meets everything they said (see ./match.ts).
 */
export interface Offer {
  /** Unique within the provider: "free", "mail", "mail-premium", "asso"… */
  id: string;
  /** The provider's own name for the plan ("Mail Basic", "Posteo", "Kolibri"). */
  name: string;
  /** The plan's page, where a person sees it and buys it. */
  url: string;
  facts: {
    /** 0 = free. Sold by the year only: the yearly price / 12, to the cent. */
    eurPerMonth: Fact<number>;
    /** null: not sold by the year. */
    eurPerYear: Fact<number | null>;
    /** Per mailbox, GB; null when "unlimited" is claimed. */
    storageGb: Fact<number | null>;
    /** Mailboxes included; null = as many as you like. */
    mailboxes: Fact<number | null>;
    /** The price of one more mailbox, euros per month; null = no more mailboxes can be added on this plan. */
    extraMailboxEurPerMonth: Fact<number | null>;
    /** Your own domain on THIS plan. */
    customDomain: Fact<boolean>;
    sync: Fact<SyncKind>;
    /** Who the plan is for. */
    audience: Fact<Audience[]>;
    /** One must join (an association) to get this plan. */
    membershipRequired: Fact<boolean>;
    webmail: Fact<boolean>;
    /** IMAP/SMTP for ordinary mail apps on THIS plan. */
    imap: Fact<boolean>;
    /** A free trial, in days (mailbox.org 30, StartMail 7); null = none. */
    trialDays: Fact<number | null>;
  };
}

/** How long before closing a service the provider promises to warn (or did warn, the last time). */
export interface ClosureNotice {
  months: number;
  kind: 'promised' | 'given';
}

export interface Provider {
  id: string;
  name: string;
  website: string;
  /** Where a person creates an account (or asks for one, for associations): the real sign-up page. */
  signupUrl: string;
  facts: {
    kind: Fact<ProviderKind>;
    /** ISO 3166-1 alpha-2, e.g. "FR", "DE", "CH". */
    country: Fact<string>;
    /** Member of the CHATONS collective. */
    chatons: Fact<boolean>;
    /** The year the service (or the organisation) started: "will it still exist in two years?". */
    founded: Fact<number>;
    /** As the provider names it: "SAS", "GmbH", "association loi 1901", "SCIC"… */
    legalForm: Fact<string>;
    closureNotice: Fact<ClosureNotice>;
    /**
     * Mailboxes only on a domain of your own (Gandi: mail comes with a domain you hold there): someone without a
     * domain cannot get an address at all. false when the provider gives addresses on its own domain.
     */
    requiresOwnDomain: Fact<boolean>;
    /** Some plan speaks standard IMAP/SMTP (kept for the move plan; each offer says whether it does). */
    imap: Fact<boolean>;
    /** IMAP/SMTP settings for mail apps, when imap is true. */
    servers: Fact<{ imap: ServerSetting; smtp: ServerSetting }>;
    /** The provider's own import tool; null when it has none. */
    importTool: Fact<ImportTool | null>;
    /** Joining is required for every plan (each offer says so for itself too). */
    membershipRequired: Fact<boolean>;
    /** People, not only a ticket form: volunteers, workshops, a phone line… */
    humanSupport: Fact<boolean>;
    /** Support is available in French. */
    frenchSupport: Fact<boolean>;
  };
  /** At least one. */
  offers: Offer[];
}

const SYNC_RANK: Record<SyncKind, number> = { caldav: 2, appOnly: 1, none: 0 };

/**
 * The best calendar-and-contacts sync of any of the provider's plans, for the move plan: 'caldav' as soon as one
 * plan has it; 'unknown' when a plan whose sync is not known might be better than every known one.
 */
export function providerSync(provider: Provider): SyncKind | 'unknown' {
  const known = provider.offers.map((offer) => factValue(offer.facts.sync));
  const best = known.reduce<SyncKind | undefined>(
    (top, sync) => (sync !== undefined && (top === undefined || SYNC_RANK[sync] > SYNC_RANK[top]) ? sync : top),
    undefined,
  );
  if (best === 'caldav') return best;
  return known.includes(undefined) ? 'unknown' : best!;
}

export type OldAuth = 'password' | 'appPassword' | 'oauthOnly';
export type Forwarding = 'free' | 'paid' | 'none';

export interface OldProvider {
  id: OldProviderId;
  name: string;
  /** Address domains that belong to it, e.g. gmail.com, googlemail.com. */
  domains: string[];
  /** An Internet service provider's mailbox (bound to the box/mobile contract: French law art. L.44-1 CPCE). */
  isp: boolean;
  facts: {
    imap: Fact<ServerSetting>;
    smtp: Fact<ServerSetting>;
    auth: Fact<OldAuth>;
    forwarding: Fact<Forwarding>;
    /** Where to export contacts / calendar / everything (URL of the page, when there is one). */
    contactsExportUrl: Fact<string | null>;
    calendarExportUrl: Fact<string | null>;
    takeoutUrl: Fact<string | null>;
  };
  /**
   * Known traps, each told at the plan step where it bites. The sentence is in locales/<lang>/plan.json
   * under `traps.<id>`; the data here only says which step it belongs to and where the fact comes from.
   */
  traps: Array<{ id: string; step: PlanStepId; source: string; checked: string; doubt?: string }>;
}

export const PLAN_STEP_IDS = [
  'createAccount',
  'importMail',
  'contacts',
  'calendar',
  'forwarding',
  'autoReply',
  'phone',
  'changeAddress',
  'tellContacts',
] as const;
export type PlanStepId = (typeof PLAN_STEP_IDS)[number];

export interface Catalog {
  providers: Provider[];
  oldProviders: OldProvider[];
  provider(id: string): Provider | undefined;
  oldProvider(id: string): OldProvider | undefined;
}

/* ---- Matching ---- */

export type Verdict = 'yes' | 'no' | 'unknown';
export type CriterionId =
  | 'budget'
  | 'storage'
  | 'domain'
  | 'mailboxes'
  | 'groupware'
  | 'location'
  | 'membership'
  | 'audience'
  | 'humanHelp';

/**
 * One short check of a provider (its offer that counts) against one need, rendered as e.g. "1 €/mois ✓",
 * "2 Go ✗ (25 Go demandés)", "Suisse ✓", "pays non vérifié". From locales/<lang>/catalog.json
 * `checks.<criterion>.<verdict>` with `params`.
 */
export interface Check {
  criterion: CriterionId;
  verdict: Verdict;
  params: Record<string, string | number>;
}

/** What the offer that counts costs for the mailboxes needed: in all, and for each mailbox (euros per month). */
export interface OfferPrice {
  eurPerMonth: number;
  perMailbox: number;
  /** How many mailboxes this price is for (the mailboxes needed; 1 when not said). */
  mailboxes: number;
}

export interface RankedProvider {
  providerId: string;
  /** The offer that counts: the cheapest one meeting every stated need (or, with unknowns, not known to fail one). */
  offerId: string;
  /** Its price for the mailboxes needed; undefined when not known. */
  price: OfferPrice | undefined;
  /** The needs this provider may not meet because a deciding fact is unknown (shown as "pays non vérifié"…). */
  unknown: CriterionId[];
  /** Soft preferences only (human help, CHATONS, import tool, IMAP): orders providers within a group. */
  score: number;
  checks: Check[];
}
export interface ExcludedProvider {
  providerId: string;
  /** The offer that came closest to the needs (fewest failures, then the smallest shortfall, then the cheapest). */
  offerId: string;
  /** Its price for the mailboxes needed, when known. */
  price: OfferPrice | undefined;
  /** The needs it fails (verdict "no"), each saying by how much (what it offers, what was asked). */
  because: Check[];
}
export interface MatchResult {
  /** Every provider known to fit first, then those with unknowns; ties broken by provider id so the order is stable. */
  ranked: RankedProvider[];
  /** By provider id. */
  excluded: ExcludedProvider[];
  /** Up to three of the excluded, the closest misses first ("nothing fits: here are the nearest"). */
  nearest: ExcludedProvider[];
  /** The needs judged (./needs.ts), so that "nothing does 25 GB for 1 €" can say what was asked. */
  needs: Needs;
}
