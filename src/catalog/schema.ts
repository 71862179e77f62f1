/**
 * Zod schemas for data/providers.json and data/old-providers.json. They produce exactly the types of ./types.ts
 * (checked at compile time at the bottom of this file) and hold the rules a reader of the data relies on:
 *
 * - a fact is "unknown" or { value, source: http(s) URL, checked: YYYY-MM-DD not in the future, doubt? };
 * - ids are lowercase slugs and unique; country codes are two capital letters;
 * - an import tool names, for each kind of data, only old providers we know ("anyImap" too, for mail only);
 * - facts do not contradict each other (server settings without IMAP, free storage without a free plan…).
 *
 * Turning zod's issues into sentences that name the file, the provider and the field is ./load.ts's job.
 */
import { z } from 'zod';
import { QUESTIONS, type OldProviderId } from '../flows/questions.js';
import {
  PLAN_STEP_IDS,
  isKnown,
  type Fact,
  type ImportSource,
  type OldProvider,
  type Provider,
} from './types.js';

export const OLD_PROVIDER_IDS = QUESTIONS.oldProvider.filter(
  (choice): choice is OldProviderId => choice !== 'other',
) as [OldProviderId, ...OldProviderId[]];

/* ---- Small building blocks ---- */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const nonEmptyText = z.string().trim().min(1, 'expected some text');

export const httpUrl = z.string().refine(isHttpUrl, 'expected a web address starting with http:// or https://');

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Today in UTC, as YYYY-MM-DD; a function so that a long-running bot does not freeze the date at start. */
function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

export const checkedDate = z
  .string()
  .refine((value) => ISO_DATE.test(value) && isRealDate(value), 'expected a date YYYY-MM-DD')
  .refine((value) => !ISO_DATE.test(value) || value <= todayIso(), 'expected a date that is not in the future');

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const slug = z.string().regex(SLUG, 'expected an id in lowercase letters, digits and dashes, e.g. "mailbox-org"');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code in capitals, e.g. "FR"');
const gigabytes = z.number().positive('expected a number of GB above 0');
const eurosPerMonth = z.number().nonnegative('expected a price in euros, 0 or more');

/** A fact: "unknown", or a value with where and when it was read. */
export function fact<T extends z.ZodTypeAny>(value: T) {
  return z.union([
    z.literal('unknown'),
    z
      .object({
        value,
        source: httpUrl,
        checked: checkedDate,
        doubt: nonEmptyText.optional(),
      })
      .strict(),
  ]);
}

function uniqueList<T extends z.ZodTypeAny>(item: T, what: string) {
  return z
    .array(item)
    .min(1, `expected at least one ${what}`)
    .superRefine((list, ctx) => {
      const seen = new Set<unknown>();
      list.forEach((entry, index) => {
        if (seen.has(entry)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `"${String(entry)}" is listed twice` });
        }
        seen.add(entry);
      });
    });
}

/* ---- Destination providers ---- */

export const serverSettingSchema = z
  .object({
    host: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a server name such as imap.example.org'),
    port: z.number().int().min(1).max(65535),
    security: z.enum(['ssl', 'starttls']),
    username: z.enum(['full', 'local']),
  })
  .strict();

const importSource = z.enum(['anyImap', ...OLD_PROVIDER_IDS] as [ImportSource, ...ImportSource[]]);

/**
 * An old provider for contacts or calendars. "anyImap" is read by the same enum, so that a misspelt id gets the
 * same message everywhere, then refused with its own reason.
 */
const namedOldProvider = importSource.refine(
  (source): source is OldProviderId => source !== 'anyImap',
  'expected an old provider by name: "anyImap" is for mail only (contacts and calendars do not travel over IMAP)',
);

const importToolSchema = z
  .object({
    name: nonEmptyText,
    url: httpUrl,
    // Per kind of data, the old providers the tool imports it from; a kind the tool does not import is left out.
    from: z
      .object({
        mail: uniqueList(importSource, 'old provider (or "anyImap")').optional(),
        contacts: uniqueList(namedOldProvider, 'old provider').optional(),
        calendar: uniqueList(namedOldProvider, 'old provider').optional(),
      })
      .strict()
      .refine(
        (from) => from.mail !== undefined || from.contacts !== undefined || from.calendar !== undefined,
        'names no kind of data: give "mail", "contacts" and/or "calendar", each with the old providers it imports from',
      ),
  })
  .strict();

const providerFactsSchema = z
  .object({
    kind: fact(z.enum(['company', 'association', 'cooperative', 'foundation', 'collective'])),
    country: fact(countryCode),
    chatons: fact(z.boolean()),
    free: fact(z.boolean()),
    freeStorageGb: fact(gigabytes),
    cheapestPaidEurPerMonth: fact(eurosPerMonth.nullable()),
    paidStorageGb: fact(gigabytes),
    maxStorageGb: fact(gigabytes.nullable()),
    customDomain: fact(z.enum(['none', 'paidPlansOnly', 'allPlans'])),
    requiresOwnDomain: fact(z.boolean()),
    calendarContacts: fact(z.boolean()),
    imap: fact(z.boolean()),
    // May be left out when there is no IMAP (or it is unknown): see noContradictions below.
    servers: fact(z.object({ imap: serverSettingSchema, smtp: serverSettingSchema }).strict()).default('unknown'),
    importTool: fact(importToolSchema.nullable()),
    membershipRequired: fact(z.boolean()),
    audience: fact(uniqueList(z.enum(['person', 'family', 'association', 'business']), 'audience')),
    multipleMailboxes: fact(z.boolean()),
    humanSupport: fact(z.boolean()),
    frenchSupport: fact(z.boolean()),
  })
  .strict();

type ProviderFacts = z.output<typeof providerFactsSchema>;

export const providerSchema = z
  .object({
    id: slug,
    name: nonEmptyText,
    website: httpUrl,
    signupUrl: httpUrl,
    facts: providerFactsSchema,
  })
  .strict()
  .superRefine((provider, ctx) => {
    const problem = (field: keyof ProviderFacts, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['facts', field], message });
    for (const [field, message] of factContradictions(provider.facts)) problem(field, message);
  });

/**
 * Facts that cannot all be true at once. Each entry names the field that should change and says why.
 * `servers` being absent from the file is allowed only when IMAP is not known to be there, hence the raw check
 * in `serversMissingForImap` (after parsing, absent and "unknown" look the same).
 */
function factContradictions(facts: ProviderFacts): Array<[keyof ProviderFacts, string]> {
  const found: Array<[keyof ProviderFacts, string]> = [];
  const value = (key: keyof ProviderFacts): unknown => {
    const fact = facts[key] as Fact<unknown>;
    return isKnown(fact) ? fact.value : undefined;
  };

  if (value('imap') === false && isKnown(facts.servers)) {
    found.push(['servers', 'server settings are given but imap is false']);
  }
  if (value('free') === false && isKnown(facts.freeStorageGb)) {
    found.push(['freeStorageGb', 'a free storage is given but free is false']);
  }
  if (value('free') === false && value('cheapestPaidEurPerMonth') === null) {
    found.push(['cheapestPaidEurPerMonth', 'no paid plan (null) and no free plan either: one of them must be wrong']);
  }
  if (value('cheapestPaidEurPerMonth') === null && isKnown(facts.paidStorageGb)) {
    found.push(['paidStorageGb', 'a paid storage is given but cheapestPaidEurPerMonth says there is no paid plan (null)']);
  }
  const biggest = value('maxStorageGb');
  for (const smaller of ['freeStorageGb', 'paidStorageGb'] as const) {
    const gb = value(smaller);
    if (typeof biggest === 'number' && typeof gb === 'number' && gb > biggest) {
      found.push(['maxStorageGb', `maxStorageGb (${biggest}) is smaller than ${smaller} (${gb})`]);
    }
  }
  if (value('requiresOwnDomain') === true && value('customDomain') === 'none') {
    found.push(['customDomain', '"none" cannot be right when requiresOwnDomain is true (mail there is only on your own domain)']);
  }
  if (value('free') === false && value('customDomain') === 'allPlans') {
    found.push(['customDomain', '"allPlans" is for providers with a free plan; without one, write "paidPlansOnly"']);
  }
  return found;
}

/** When IMAP is known to work, the file must say something about the servers, even if only "unknown". */
export function serversMissingForImap(rawProvider: unknown): boolean {
  if (!isRecord(rawProvider) || !isRecord(rawProvider.facts)) return false;
  const imap = rawProvider.facts.imap;
  return isRecord(imap) && imap.value === true && !('servers' in rawProvider.facts);
}

/** The whole file: an array of providers with unique ids. */
export const providersFileSchema = z.array(providerSchema).superRefine((providers, ctx) => {
  for (const issue of duplicateIdIssues(providers)) ctx.addIssue(issue);
});

/**
 * Entries whose id repeats an earlier entry's. Works on raw JSON too: zod skips a list's refinements while one of
 * its entries is invalid, and a duplicate id is worth reporting in the same run as the other mistakes.
 */
export function duplicateIdIssues(entries: unknown): z.IssueData[] {
  if (!Array.isArray(entries)) return [];
  const ids = entries.map((entry) => (isRecord(entry) && typeof entry.id === 'string' ? entry.id : ''));
  return duplicates(ids)
    .filter((index) => ids[index] !== '')
    .map((index) => ({ code: z.ZodIssueCode.custom, path: [index, 'id'], message: `the id "${ids[index]}" is used twice` }));
}

/* ---- Old providers (where people move away from) ---- */

const trapSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'expected a trap id in camelCase, e.g. "appPassword"'),
    step: z.enum(PLAN_STEP_IDS),
    source: httpUrl,
    checked: checkedDate,
    doubt: nonEmptyText.optional(),
  })
  .strict();

export const oldProviderSchema = z
  .object({
    id: z.enum(OLD_PROVIDER_IDS),
    name: nonEmptyText,
    domains: uniqueList(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'expected a domain such as gmail.com'), 'domain'),
    isp: z.boolean(),
    facts: z
      .object({
        imap: fact(serverSettingSchema),
        smtp: fact(serverSettingSchema),
        auth: fact(z.enum(['password', 'appPassword', 'oauthOnly'])),
        forwarding: fact(z.enum(['free', 'paid', 'none'])),
        contactsExportUrl: fact(httpUrl.nullable()),
        calendarExportUrl: fact(httpUrl.nullable()),
        takeoutUrl: fact(httpUrl.nullable()),
      })
      .strict(),
    traps: z.array(trapSchema).superRefine((traps, ctx) => {
      duplicates(traps.map((trap) => trap.id)).forEach((index) =>
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index, 'id'],
          message: `the trap "${traps[index]!.id}" is listed twice`,
        }),
      );
    }),
  })
  .strict();

export const oldProvidersFileSchema = z.array(oldProviderSchema).superRefine((oldProviders, ctx) => {
  for (const issue of duplicateIdIssues(oldProviders)) ctx.addIssue(issue);
  // One address domain must lead to one old provider, or guessing it from an address would be ambiguous.
  const owner = new Map<string, string>();
  oldProviders.forEach((oldProvider, index) =>
    oldProvider.domains.forEach((domain, domainIndex) => {
      const other = owner.get(domain);
      if (other && other !== oldProvider.id) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index, 'domains', domainIndex],
          message: `"${domain}" already belongs to "${other}"`,
        });
      }
      owner.set(domain, oldProvider.id);
    }),
  );
});

/* ---- Helpers ---- */

/** Indexes of the entries that repeat an earlier one. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.push(index);
    seen.add(value);
  });
  return repeated;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/* ---- Compile-time proof that the schemas produce exactly the contract's types ---- */

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type ProviderSchemaMatchesType = Assert<Equals<z.output<typeof providerSchema>, Provider>>;
export type OldProviderSchemaMatchesType = Assert<Equals<z.output<typeof oldProviderSchema>, OldProvider>>;
