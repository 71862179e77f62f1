/**
 * Zod schemas for data/providers.json and data/old-providers.json. They produce exactly the types of ./types.ts
 * (checked at compile time at the bottom of this file) and hold the rules a reader of the data relies on:
 *
 * - a fact is "unknown" or { value, source: http(s) URL, checked: YYYY-MM-DD not in the future, doubt? };
 * - ids are lowercase slugs and unique; country codes are two capital letters;
 * - an import tool names, for each kind of data, only old providers we know ("anyImap" too, for mail only);
 * - a provider has at least one offer (plan), with ids unique within the provider;
 * - facts do not contradict each other (server settings without IMAP, a yearly price for a free plan, a plan that
 *   needs no membership at a provider where every plan needs it…).
 *
 * Turning zod's issues into sentences that name the file, the provider and the field is ./load.ts's job.
 */
import { z } from 'zod';
import { QUESTIONS, type OldProviderId } from '../flows/questions.js';
import {
  PLAN_STEP_IDS,
  factValue,
  isKnown,
  type ImportSource,
  type Offer,
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

const audienceSchema = uniqueList(z.enum(['person', 'family', 'association', 'business']), 'audience');

const offerFactsSchema = z
  .object({
    eurPerMonth: fact(eurosPerMonth),
    eurPerYear: fact(z.number().nonnegative('expected a price in euros, 0 or more').nullable()),
    storageGb: fact(gigabytes.nullable()),
    mailboxes: fact(z.number().int('expected a whole number of mailboxes').min(1, 'expected 1 mailbox or more').nullable()),
    extraMailboxEurPerMonth: fact(eurosPerMonth.nullable()),
    customDomain: fact(z.boolean()),
    sync: fact(z.enum(['caldav', 'appOnly', 'none'])),
    audience: fact(audienceSchema),
    membershipRequired: fact(z.boolean()),
    webmail: fact(z.boolean()),
    imap: fact(z.boolean()),
    trialDays: fact(z.number().int('expected a whole number of days').min(1, 'expected 1 day or more').nullable()),
  })
  .strict();

type OfferFacts = z.output<typeof offerFactsSchema>;

export const offerSchema = z
  .object({
    id: slug,
    name: nonEmptyText,
    url: httpUrl,
    facts: offerFactsSchema,
  })
  .strict()
  .superRefine((offer, ctx) => {
    for (const [field, message] of offerContradictions(offer.facts)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['facts', field], message });
    }
  });

/** Facts of one plan that cannot all be true at once; each entry names the field that should change and says why. */
function offerContradictions(facts: OfferFacts): Array<[keyof OfferFacts, string]> {
  const found: Array<[keyof OfferFacts, string]> = [];
  const monthly = factValue(facts.eurPerMonth);
  const yearly = factValue(facts.eurPerYear);
  if (monthly === 0 && typeof yearly === 'number' && yearly > 0) {
    found.push(['eurPerYear', `a yearly price (${yearly}) is given but eurPerMonth says the plan is free (0)`]);
  }
  if (monthly !== undefined && monthly > 0 && yearly === 0) {
    found.push(['eurPerYear', `0 a year cannot be right for a plan at ${monthly} a month (null if not sold by the year)`]);
  }
  if (factValue(facts.mailboxes) === null && typeof factValue(facts.extraMailboxEurPerMonth) === 'number') {
    found.push(['extraMailboxEurPerMonth', 'mailboxes is null (as many as you like), so there is no price for one more: write null or "unknown"']);
  }
  return found;
}

const providerFactsSchema = z
  .object({
    kind: fact(z.enum(['company', 'association', 'cooperative', 'foundation', 'collective'])),
    country: fact(countryCode),
    chatons: fact(z.boolean()),
    founded: fact(
      z
        .number()
        .int('expected a year such as 2009')
        .min(1970, 'expected a year such as 2009')
        .refine((year) => year <= new Date().getUTCFullYear(), 'expected a year that is not in the future'),
    ),
    legalForm: fact(nonEmptyText),
    closureNotice: fact(
      z
        .object({ months: z.number().int('expected a whole number of months').nonnegative(), kind: z.enum(['promised', 'given']) })
        .strict(),
    ),
    requiresOwnDomain: fact(z.boolean()),
    imap: fact(z.boolean()),
    // May be left out when there is no IMAP (or it is unknown): see providerContradictions below.
    servers: fact(z.object({ imap: serverSettingSchema, smtp: serverSettingSchema }).strict()).default('unknown'),
    importTool: fact(importToolSchema.nullable()),
    membershipRequired: fact(z.boolean()),
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
    offers: z
      .array(offerSchema)
      .min(1, 'expected at least one offer (a plan the provider sells or gives)')
      .superRefine((offers, ctx) => {
        duplicates(offers.map((offer) => offer.id)).forEach((index) =>
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [index, 'id'],
            message: `the offer id "${offers[index]!.id}" is used twice in this provider`,
          }),
        );
      }),
  })
  .strict()
  .superRefine((provider, ctx) => {
    for (const [path, message] of providerContradictions(provider.facts, provider.offers)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    }
  });

/**
 * Provider facts that contradict each other or its offers. Each entry gives the path of the field that should
 * change (under the provider) and says why. `servers` being absent from the file is allowed only when IMAP is not
 * known to be there, hence the raw check in `serversMissingForImap` (after parsing, absent and "unknown" look the same).
 */
function providerContradictions(facts: ProviderFacts, offers: ReadonlyArray<z.output<typeof offerSchema>>): Array<[Array<string | number>, string]> {
  const found: Array<[Array<string | number>, string]> = [];
  const imap = factValue(facts.imap);
  if (imap === false && isKnown(facts.servers)) {
    found.push([['facts', 'servers'], 'server settings are given but imap is false']);
  }
  offers.forEach((offer, index) => {
    const at = (field: keyof OfferFacts) => ['offers', index, 'facts', field];
    if (imap === false && factValue(offer.facts.imap) === true) {
      found.push([at('imap'), 'true on this plan, but the provider\'s imap is false (no plan speaks IMAP): one of them is wrong']);
    }
    if (factValue(facts.membershipRequired) === true && factValue(offer.facts.membershipRequired) === false) {
      found.push([at('membershipRequired'), 'false on this plan, but the provider\'s membershipRequired is true (joining is required for every plan)']);
    }
  });
  if (imap === true && offers.length > 0 && offers.every((offer) => factValue(offer.facts.imap) === false)) {
    found.push([['facts', 'imap'], 'true, but every offer says imap is false']);
  }
  if (
    factValue(facts.requiresOwnDomain) === true &&
    offers.length > 0 &&
    offers.every((offer) => factValue(offer.facts.customDomain) === false)
  ) {
    found.push([['facts', 'requiresOwnDomain'], 'true (mail only on your own domain), but no offer allows your own domain (customDomain false)']);
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
export type OfferSchemaMatchesType = Assert<Equals<z.output<typeof offerSchema>, Offer>>;
export type OldProviderSchemaMatchesType = Assert<Equals<z.output<typeof oldProviderSchema>, OldProvider>>;
