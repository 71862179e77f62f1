/**
 * The catalogue's shapes. data/*.json is validated against the zod schemas in ./schema.ts, which must produce
 * exactly these types. Every fact carries where it was read and when; a fact not known is the string "unknown",
 * never a guess. A `doubt` keeps an uncertainty visible (shown by `npm run catalog:check`, and to users as "?").
 */
import type { OldProviderId } from '../flows/questions.js';

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
export type CustomDomain = 'none' | 'paidPlansOnly' | 'allPlans';
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

export interface Provider {
  id: string;
  name: string;
  website: string;
  /** Where a person creates an account (or asks for one, for associations). */
  signupUrl: string;
  facts: {
    kind: Fact<ProviderKind>;
    /** ISO 3166-1 alpha-2, e.g. "FR", "DE", "CH". */
    country: Fact<string>;
    /** Member of the CHATONS collective. */
    chatons: Fact<boolean>;
    /** Is there a free plan at all? */
    free: Fact<boolean>;
    /** Storage of the free plan, GB. */
    freeStorageGb: Fact<number>;
    /** Cheapest paid plan, euros per month (yearly prices divided by 12); null when there is no paid plan. */
    cheapestPaidEurPerMonth: Fact<number | null>;
    /** Storage of that cheapest paid plan, GB. */
    paidStorageGb: Fact<number>;
    /** Largest storage one can get there (any plan), GB; null when "unlimited" is claimed. */
    maxStorageGb: Fact<number | null>;
    customDomain: Fact<CustomDomain>;
    /**
     * Mailboxes only on a domain of your own (Gandi: mail comes with a domain you hold there): someone without a
     * domain cannot get an address at all. false when the provider gives addresses on its own domain.
     */
    requiresOwnDomain: Fact<boolean>;
    calendarContacts: Fact<boolean>;
    /** Standard IMAP/SMTP access for ordinary mail apps (Thunderbird, phone apps). */
    imap: Fact<boolean>;
    /** IMAP/SMTP settings for mail apps, when imap is true. */
    servers: Fact<{ imap: ServerSetting; smtp: ServerSetting }>;
    /** The provider's own import tool; null when it has none. */
    importTool: Fact<ImportTool | null>;
    membershipRequired: Fact<boolean>;
    audience: Fact<Audience[]>;
    /** Several mailboxes under one account/subscription (families, associations). */
    multipleMailboxes: Fact<boolean>;
    /** People, not only a ticket form: volunteers, workshops, a phone line… */
    humanSupport: Fact<boolean>;
    /** Support is available in French. */
    frenchSupport: Fact<boolean>;
  };
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
 * One short check of a provider against one answer, rendered as e.g. "free ✓", "20 GB ✓", "Switzerland ✓".
 * Rendered from locales/<lang>/catalog.json `checks.<criterion>.<verdict>` with `params`.
 */
export interface Check {
  criterion: CriterionId;
  verdict: Verdict;
  params: Record<string, string | number>;
}

export interface RankedProvider {
  providerId: string;
  score: number;
  checks: Check[];
}
export interface ExcludedProvider {
  providerId: string;
  /** The hard criteria it failed (verdict "no"), with what it offers instead. */
  because: Check[];
}
export interface MatchResult {
  /** Best first; ties broken by provider id so the order is stable. */
  ranked: RankedProvider[];
  excluded: ExcludedProvider[];
}
