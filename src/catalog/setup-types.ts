/**
 * Shapes of the move-plan data the plan helper owns: data/provider-setup.json (per new provider: phone sync servers
 * and own-domain DNS), data/registrars.json (where to buy a domain) and data/account-finding.json (how to find the
 * sites that use the old address). Validated by ./setup-schema.ts, which produces exactly these types.
 * Every fact carries its source and the day it was checked; a fact not found is "unknown".
 */
import type { Fact } from './types.js';
import type { OldProviderId } from '../flows/questions.js';

/** CalDAV/CardDAV for the phone's own Calendar and Contacts apps. */
export interface DavServers {
  caldav: string;
  carddav: string;
  /** What to type as user name. */
  username: 'full' | 'local';
}
/**
 * How a host's calendar and contacts reach a phone: servers for the phone's own apps, "appOnly" (only in the host's
 * own app or webmail: Proton, Tuta), or "none" (no calendar at all).
 */
export type DavSetup = DavServers | 'appOnly' | 'none';

export interface MxRecord {
  host: string;
  /** null: not stated by the source (one MX record: any value works). */
  priority: number | null;
}

/**
 * Where a domain's DKIM record comes from:
 *  - fixedCname: the same CNAME records for every customer (mailbox.org's MBO0001…), so data can show them;
 *  - shownInPanel: unique to each domain, copied from the host's domain settings (Proton, Infomaniak, Gandi).
 */
export type DkimSource = 'fixedCname' | 'shownInPanel';

export interface DomainSetup {
  mx: Fact<MxRecord[]>;
  /** The SPF include the host asks for, e.g. "include:_spf.protonmail.ch". */
  spfInclude: Fact<string>;
  dkim: Fact<{ source: DkimSource; records?: Array<{ name: string; target: string }> }>;
  /** The host's own help page for using a domain. */
  helpUrl: Fact<string>;
}

export interface ProviderSetup {
  dav: Fact<DavSetup>;
  /** Own-domain setup; "unknown" where not found (and for hosts without own-domain plans). */
  domain: Fact<DomainSetup> | 'unknown';
  /** The host asks for a separate password per device or mail app (Infomaniak). */
  devicePassword: Fact<{ url: string }>;
  /**
   * Does the host's import tool show a list of providers to pick from (true), or ask for the old address and its
   * password (false: Posteo's Umzugsservice takes any IMAP box)? Decides between "choose Gmail" and "type your address".
   */
  importPicker: Fact<boolean>;
}

export type ProviderSetups = Record<string, ProviderSetup>;

/* ---- Registrars ---- */

export type RegistrarKind = 'association' | 'cooperative' | 'company';

export interface Registrar {
  id: string;
  name: string;
  url: string;
  kind: Fact<RegistrarKind>;
  /** Price per year, euros TTC, of a domain in .fr and in .org (renewal price, not a first-year offer). */
  eurPerYear: { fr: Fact<number>; org: Fact<number> };
}

/** A list of every accredited registrar, for when none of ours suits. */
export interface RegistrarDirectory {
  name: string;
  url: string;
  source: string;
  checked: string;
  doubt?: string;
}

/* ---- Finding the accounts that use the old address ---- */

/** The kinds of mail sites send, each a search to paste in the old mailbox. */
export const SEARCH_KINDS = ['welcome', 'confirm', 'passwordReset', 'order', 'invoice', 'newsletter'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface MailboxSearches {
  /** Where the search box is, as a locale key under plan:finding.where.<id>. */
  where: string;
  /** The search to paste, per kind and language (sites write in the person's language, and in English). */
  queries: Record<SearchKind, { fr: string; en: string }>;
  source: string;
  checked: string;
  doubt?: string;
}

/** A list of sites where the old account was used to sign in ("Sign in with Google"…). */
export interface SignInList {
  id: string;
  /** The old providers it applies to; "any" for lists everyone may have (Sign in with Apple, a password manager). */
  for: Array<OldProviderId | 'any'>;
  url: string | null;
  source: string;
  checked: string;
  doubt?: string;
}

export interface AccountFinding {
  searches: Partial<Record<OldProviderId | 'other', MailboxSearches>>;
  signInLists: SignInList[];
}
