/**
 * One-off: converts a providers file from the old shape (one set of facts per provider: free, freeStorageGb,
 * cheapestPaidEurPerMonth, paidStorageGb, maxStorageGb, customDomain, calendarContacts, audience,
 * multipleMailboxes) into the shape of issue 11 (a provider and its offers), in place.
 *
 *   npx tsx scripts/migrate-catalog.ts [data/providers.json]
 *
 * It only carries facts over; it never guesses. One offer per plan the old facts know of:
 * - "free"    when free is true: 0 €, the free storage; own domain false when the old customDomain said
 *             "paidPlansOnly" or "none", true for "allPlans";
 * - "paid"    when cheapestPaidEurPerMonth is a price: that price, paidStorageGb; own domain true for "allPlans",
 *             false for "none", and "unknown" for "paidPlansOnly" (SOME paid plan has it, not necessarily the
 *             cheapest: mailbox.org's 1 € plan has none); true on every plan when requiresOwnDomain is true;
 * - "largest" when maxStorageGb names a bigger plan than those: its storage, its price unknown;
 * - "mail"    when none of these is known: one plan about which the old facts say little.
 * Carried to every offer as they were provider-wide claims: audience, membershipRequired. calendarContacts false
 * becomes sync "none"; true stays "unknown" (it did not say whether the phone's own apps sync: CalDAV, or only the
 * provider's app). multipleMailboxes false becomes 1 mailbox and no more; otherwise mailboxes are unknown. A plan's
 * IMAP is the provider's when there is one plan, or when the provider has no IMAP at all. New facts (founded,
 * legalForm, closureNotice, webmail, trialDays, eurPerYear of paid plans) are "unknown".
 *
 * The result is validated against the new schema before anything is written. It prints the catalogue figures
 * before and after (deciding facts unknown, first-party share of the known ones).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCatalog } from '../src/catalog/load.js';
import { catalogFigures } from '../src/catalog/check.js';
import { providersFileSchema } from '../src/catalog/schema.js';
import { isRegistrableDomainOf } from '../src/catalog/check.js';

type Json = Record<string, unknown>;
type OldFact = 'unknown' | { value: unknown; source: string; checked: string; doubt?: string };

const UNKNOWN = 'unknown' as const;

function valueOf(fact: OldFact | undefined): unknown {
  return fact === undefined || fact === UNKNOWN ? undefined : fact.value;
}

/** The same fact with another value: same source, date and doubt (the value was derived from it, nothing more). */
function derived(fact: OldFact, value: unknown, doubt?: string): OldFact {
  if (fact === UNKNOWN) return UNKNOWN;
  const doubts = [fact.doubt, doubt].filter(Boolean).join(' ');
  return { value, source: fact.source, checked: fact.checked, ...(doubts ? { doubt: doubts } : {}) };
}

function copy(fact: OldFact | undefined): OldFact {
  return fact === undefined ? UNKNOWN : fact;
}

function migrateProvider(old: Json): Json {
  const f = old.facts as Record<string, OldFact>;
  const free = valueOf(f.free);
  const paidPrice = valueOf(f.cheapestPaidEurPerMonth);
  const domain = valueOf(f.customDomain);
  // Mail only on a domain of your own (Gandi): every plan takes your own domain, whatever customDomain said.
  const ownDomainOnly = valueOf(f.requiresOwnDomain) === true;
  const domainOfPaidPlan = (): OldFact =>
    ownDomainOnly
      ? derived(f.requiresOwnDomain!, true)
      : domain === 'allPlans' || domain === 'none'
        ? derived(f.customDomain!, domain === 'allPlans')
        : UNKNOWN;
  const maxStorage = valueOf(f.maxStorageGb);

  const shared = (): Record<string, OldFact> => ({
    mailboxes: valueOf(f.multipleMailboxes) === false ? derived(f.multipleMailboxes!, 1) : UNKNOWN,
    extraMailboxEurPerMonth: valueOf(f.multipleMailboxes) === false ? derived(f.multipleMailboxes!, null) : UNKNOWN,
    sync: valueOf(f.calendarContacts) === false ? derived(f.calendarContacts!, 'none') : UNKNOWN,
    audience: copy(f.audience),
    membershipRequired: copy(f.membershipRequired),
    webmail: UNKNOWN,
    trialDays: UNKNOWN,
  });
  const offers: Array<{ id: string; name: string; url: string; facts: Record<string, OldFact> }> = [];
  const pageOf = (fact: OldFact | undefined) => (fact && fact !== UNKNOWN ? fact.source : (old.website as string));

  if (free === true) {
    offers.push({
      id: 'free',
      name: 'free plan',
      url: pageOf(f.free),
      facts: {
        eurPerMonth: derived(f.free!, 0),
        eurPerYear: derived(f.free!, 0),
        storageGb: copy(f.freeStorageGb),
        customDomain: ownDomainOnly
          ? derived(f.requiresOwnDomain!, true)
          : domain === undefined
            ? UNKNOWN
            : derived(f.customDomain!, domain === 'allPlans'),
        ...shared(),
      } as Record<string, OldFact>,
    });
  }
  if (typeof paidPrice === 'number' || (free === false && paidPrice === undefined)) {
    offers.push({
      id: 'paid',
      name: 'cheapest paid plan',
      url: pageOf(f.cheapestPaidEurPerMonth),
      facts: {
        eurPerMonth: copy(f.cheapestPaidEurPerMonth),
        eurPerYear: UNKNOWN,
        storageGb: copy(f.paidStorageGb),
        customDomain: domainOfPaidPlan(),
        ...shared(),
      },
    });
  }
  const storages = offers.map((offer) => valueOf(offer.facts.storageGb));
  const biggerPlan =
    maxStorage !== undefined &&
    !storages.includes(maxStorage) &&
    (maxStorage === null || storages.every((gb) => typeof gb === 'number' && gb < (maxStorage as number)));
  if (biggerPlan) {
    offers.push({
      id: 'largest',
      name: 'largest plan',
      url: pageOf(f.maxStorageGb),
      facts: {
        eurPerMonth: UNKNOWN,
        eurPerYear: UNKNOWN,
        storageGb: copy(f.maxStorageGb),
        customDomain: domainOfPaidPlan(),
        ...shared(),
      },
    });
  }
  if (offers.length === 0) {
    offers.push({
      id: 'mail',
      name: 'mail plan',
      url: old.website as string,
      facts: {
        eurPerMonth: UNKNOWN,
        eurPerYear: UNKNOWN,
        storageGb: UNKNOWN,
        customDomain: domainOfPaidPlan(),
        ...shared(),
      },
    });
  }
  const imap = valueOf(f.imap);
  for (const offer of offers) {
    offer.facts.imap = imap === false || offers.length === 1 ? copy(f.imap) : UNKNOWN;
  }
  // The order of the contract's type, so that the file reads the same way for every offer.
  const ordered = offers.map((offer) => ({
    ...offer,
    facts: Object.fromEntries(OFFER_FIELDS.map((field) => [field, offer.facts[field] ?? UNKNOWN])),
  }));

  return {
    id: old.id,
    name: old.name,
    website: old.website,
    signupUrl: old.signupUrl,
    facts: {
      kind: copy(f.kind),
      country: copy(f.country),
      chatons: copy(f.chatons),
      founded: UNKNOWN,
      legalForm: UNKNOWN,
      closureNotice: UNKNOWN,
      requiresOwnDomain: copy(f.requiresOwnDomain),
      imap: copy(f.imap),
      ...(f.servers !== undefined ? { servers: f.servers } : {}),
      importTool: copy(f.importTool),
      membershipRequired: copy(f.membershipRequired),
      humanSupport: copy(f.humanSupport),
      frenchSupport: copy(f.frenchSupport),
    },
    offers: ordered,
  };
}

const OFFER_FIELDS = [
  'eurPerMonth',
  'eurPerYear',
  'storageGb',
  'mailboxes',
  'extraMailboxEurPerMonth',
  'customDomain',
  'sync',
  'audience',
  'membershipRequired',
  'webmail',
  'imap',
  'trialDays',
] as const;

/* ---- Figures of the old shape, for the before/after note ---- */

/**
 * The old shape's deciding facts, mirroring the new definition: country, kind, price (free, cheapest paid), storage
 * (of the free plan when there may be one, of the cheapest paid plan when there may be one), own domain,
 * calendar/contacts, IMAP, membership, audience.
 */
function oldFigures(providers: Json[]): { providers: number; unknown: number; known: number; firstParty: number } {
  let unknown = 0;
  let known = 0;
  let firstParty = 0;
  for (const provider of providers) {
    const f = provider.facts as Record<string, OldFact>;
    const fields = ['country', 'kind', 'free', 'cheapestPaidEurPerMonth', 'customDomain', 'calendarContacts', 'imap', 'membershipRequired', 'audience'];
    if (valueOf(f.free) !== false) fields.push('freeStorageGb');
    if (valueOf(f.cheapestPaidEurPerMonth) !== null) fields.push('paidStorageGb');
    for (const field of fields) {
      const fact = f[field];
      if (fact === undefined || fact === UNKNOWN) unknown += 1;
      else {
        known += 1;
        if (isRegistrableDomainOf(fact.source, provider.website as string)) firstParty += 1;
      }
    }
  }
  return { providers: providers.length, unknown, known, firstParty };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)} %`;
}

function main(): void {
  const path = resolve(process.argv[2] ?? 'data/providers.json');
  const old = JSON.parse(readFileSync(path, 'utf8')) as Json[];
  if (!Array.isArray(old)) throw new Error(`${path}: expected a list of providers`);
  if (old.some((provider) => 'offers' in provider)) {
    console.error(`${path} already has offers: nothing to migrate.`);
    process.exitCode = 1;
    return;
  }
  const migrated = old.map(migrateProvider);
  const checked = providersFileSchema.safeParse(migrated);
  if (!checked.success) {
    console.error(`The migrated file would not be valid:\n${JSON.stringify(checked.error.issues, null, 2)}`);
    process.exitCode = 1;
    return;
  }
  const before = oldFigures(old);
  const catalog = parseCatalog(migrated, []);
  const after = catalogFigures(catalog);
  writeFileSync(path, `${JSON.stringify(migrated, null, 2)}\n`);
  console.log(`${path}: ${migrated.length} providers, ${after.offers} offers written.`);
  console.log(
    `before: ${before.providers} providers, ${before.unknown} deciding facts unknown, ` +
      `first-party ${before.firstParty}/${before.known} known (${percent(before.firstParty, before.known)})`,
  );
  console.log(
    `after:  ${after.providers} providers, ${after.unknown} deciding facts unknown, ` +
      `first-party ${after.firstParty}/${after.known} known (${percent(after.firstParty, after.known)})`,
  );
}

main();
