/**
 * `npm run catalog:check [data-dir]`: loads and validates data/, then prints a summary for whoever maintains the
 * catalogue: one row per provider (what is known, how many doubts), the old providers, every doubt in full, the
 * questions still to ask each host (its deciding facts that are unknown, in plain words), and which facts are most
 * often unknown (where research is most needed). Exits 1 with the validation errors when the data is invalid.
 *
 * `npm run catalog:check -- --json [data-dir]` prints exactly
 *   {"providers": [{"id", "unknown": [...], "thirdParty": [...], "stale": [...]}]}
 * over the deciding facts (those matching judges: country, kind, and each offer's price, storage, own domain,
 * calendar/contacts sync, IMAP, membership, audience): the unknown ones; the known ones whose source is not on the
 * provider's own site (the source's registrable domain is not the website's); the known ones checked more than
 * 12 months ago. A developer tool: English, not localised.
 */
import { pathToFileURL } from 'node:url';
import { get as registrableDomainOfHost } from 'psl';
import { CatalogError, loadCatalog } from './load.js';
import { factValue, isKnown, type Catalog, type Fact, type Known, type Offer, type OldProvider, type Provider } from './types.js';

/* ---- Deciding facts ---- */

/** The offer facts matching judges. */
const DECIDING_OFFER_FACTS = ['eurPerMonth', 'storageGb', 'customDomain', 'sync', 'imap', 'membershipRequired', 'audience'] as const;
type DecidingOfferFact = (typeof DECIDING_OFFER_FACTS)[number];

/** A deciding fact of a provider: its name in the JSON report ("country", "offers.free.storageGb") and its fact. */
export interface DecidingFact {
  name: string;
  /** The question to ask the host when the fact is unknown. */
  question: string;
  fact: Fact<unknown>;
  /**
   * Settled by a provider-wide fact although the offer's own is unknown: membership required for every plan, or
   * no IMAP on any plan. Matching reads it the same way, so it is not a question to ask.
   */
  settled: boolean;
}

export function decidingFacts(provider: Provider): DecidingFact[] {
  const f = provider.facts;
  return [
    { name: 'country', question: 'In which country is the service run, and where are its servers?', fact: f.country, settled: false },
    {
      name: 'kind',
      question: 'Who runs it: a company, an association, a cooperative, a foundation, a collective?',
      fact: f.kind,
      settled: false,
    },
    ...provider.offers.flatMap((offer) =>
      DECIDING_OFFER_FACTS.map((field) => ({
        name: `offers.${offer.id}.${field}`,
        question: offerQuestion(field, offer),
        fact: offer.facts[field] as Fact<unknown>,
        settled:
          (field === 'membershipRequired' && factValue(f.membershipRequired) === true) ||
          (field === 'imap' && factValue(f.imap) === false),
      })),
    ),
  ];
}

function offerQuestion(field: DecidingOfferFact, offer: Offer): string {
  const plan = `"${offer.name}"`;
  switch (field) {
    case 'eurPerMonth':
      return `What does ${plan} cost, per month or per year?`;
    case 'storageGb':
      return `How much space does each mailbox get with ${plan}?`;
    case 'customDomain':
      return `Can one use a domain name of one's own with ${plan}?`;
    case 'sync':
      return `With ${plan}, do calendar and contacts sync with the phone's own apps (CalDAV/CardDAV), or only in your app?`;
    case 'imap':
      return `With ${plan}, do ordinary mail apps work (IMAP/SMTP, e.g. Thunderbird, the phone's mail app)?`;
    case 'membershipRequired':
      return `Must one become a member (join the association) to get ${plan}?`;
    case 'audience':
      return `Who is ${plan} for: one person, a family, an association, a business?`;
  }
}

/** What a member should still ask this host: its unknown deciding facts, as questions. */
export function questionsToAsk(provider: Provider): string[] {
  return decidingFacts(provider)
    .filter((d) => !isKnown(d.fact) && !d.settled)
    .map((d) => d.question);
}

/* ---- Where facts come from, and when ---- */

/** The registrable domain of a URL's host ("howto.disroot.org" → "disroot.org", "a.b.co.uk" → "b.co.uk"). */
export function registrableDomain(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return registrableDomainOfHost(host) ?? host;
}

/** Whether a source is on the provider's own site: the same registrable domain as its website. */
export function isRegistrableDomainOf(source: string, website: string): boolean {
  const own = registrableDomain(website);
  return own !== undefined && registrableDomain(source) === own;
}

/** `checked` is more than 12 months before `today` (both YYYY-MM-DD). */
export function isStale(checked: string, today: string): boolean {
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCFullYear(limit.getUTCFullYear() - 1);
  return checked < limit.toISOString().slice(0, 10);
}

export interface ProviderReport {
  id: string;
  unknown: string[];
  thirdParty: string[];
  stale: string[];
}

export function providerReport(provider: Provider, today: string = todayIso()): ProviderReport {
  const deciding = decidingFacts(provider);
  const known = deciding.flatMap((d) => (isKnown(d.fact) ? [{ name: d.name, fact: d.fact as Known<unknown> }] : []));
  return {
    id: provider.id,
    unknown: deciding.filter((d) => !isKnown(d.fact) && !d.settled).map((d) => d.name),
    thirdParty: known.filter((k) => !isRegistrableDomainOf(k.fact.source, provider.website)).map((k) => k.name),
    stale: known.filter((k) => isStale(k.fact.checked, today)).map((k) => k.name),
  };
}

/** The JSON of `--json`: exactly {"providers": [{"id", "unknown", "thirdParty", "stale"}]}. */
export function catalogReport(catalog: Catalog, today: string = todayIso()): { providers: ProviderReport[] } {
  return { providers: catalog.providers.map((provider) => providerReport(provider, today)) };
}

/** The catalogue's figures for the closing note. */
export interface CatalogFigures {
  providers: number;
  offers: number;
  /** Deciding facts in all, unknown ones (not settled by a provider-wide fact), known ones. */
  deciding: number;
  unknown: number;
  known: number;
  /** Known deciding facts whose source is on the provider's own site. */
  firstParty: number;
  /** Providers whose every deciding fact is known. */
  complete: number;
}

export function catalogFigures(catalog: Catalog, today: string = todayIso()): CatalogFigures {
  const reports = catalog.providers.map((provider) => ({ provider, report: providerReport(provider, today) }));
  const known = catalog.providers.reduce((sum, p) => sum + decidingFacts(p).filter((d) => isKnown(d.fact)).length, 0);
  const thirdParty = reports.reduce((sum, r) => sum + r.report.thirdParty.length, 0);
  const unknown = reports.reduce((sum, r) => sum + r.report.unknown.length, 0);
  return {
    providers: catalog.providers.length,
    offers: catalog.providers.reduce((sum, p) => sum + p.offers.length, 0),
    deciding: known + unknown,
    unknown,
    known,
    firstParty: known - thirdParty,
    complete: reports.filter((r) => r.report.unknown.length === 0).length,
  };
}

/* ---- The summary ---- */

export function summarizeCatalog(catalog: Catalog, today: string = todayIso()): string {
  const figures = catalogFigures(catalog, today);
  return [
    `${catalog.providers.length} destination providers, ${figures.offers} offers`,
    table(
      ['id', 'country', 'kind', 'offers', 'from €/month', 'deciding unknown', 'known', 'doubts'],
      catalog.providers.map((p) => {
        const facts = factsOf(p);
        const prices = p.offers.flatMap((offer) => (isKnown(offer.facts.eurPerMonth) ? [offer.facts.eurPerMonth.value] : []));
        return [
          p.id,
          show(p.facts.country),
          show(p.facts.kind),
          String(p.offers.length),
          prices.length > 0 ? Math.min(...prices).toFixed(2) : '?',
          String(providerReport(p, today).unknown.length),
          `${facts.filter(([, f]) => isKnown(f)).length}/${facts.length}`,
          String(doubtsOf(facts).length),
        ];
      }),
    ),
    '',
    `Deciding facts: ${figures.unknown} of ${figures.deciding} unknown; ${figures.firstParty} of ${figures.known} known ones ` +
      `from the provider's own site; ${figures.complete} of ${figures.providers} providers with every deciding fact known.`,
    '',
    `${catalog.oldProviders.length} old providers`,
    table(
      ['id', 'name', 'isp', 'auth', 'forwarding', 'known', 'traps', 'doubts'],
      catalog.oldProviders.map((o) => {
        const facts = factsOf(o);
        const trapDoubts = o.traps.filter((trap) => trap.doubt !== undefined).length;
        return [
          o.id,
          o.name,
          o.isp ? 'yes' : 'no',
          show(o.facts.auth),
          show(o.facts.forwarding),
          `${facts.filter(([, f]) => isKnown(f)).length}/${facts.length}`,
          String(o.traps.length),
          String(doubtsOf(facts).length + trapDoubts),
        ];
      }),
    ),
    '',
    'Doubts (worth a human check)',
    ...allDoubts(catalog).map((line) => `  ${line}`),
    '',
    'Questions to ask this host (its deciding facts still unknown)',
    ...catalog.providers.flatMap((p) => {
      const questions = questionsToAsk(p);
      return questions.length === 0
        ? [`  ${p.name} (${p.id}): nothing left to ask.`]
        : [`  ${p.name} (${p.id}):`, ...questions.map((q) => `    - ${q}`)];
    }),
    '',
    'Unknown facts, most often unknown first (providers; offer facts counted per offer)',
    ...unknownCounts(catalog.providers).map(
      ([field, count, of]) => `  ${field.padEnd(32)} ${count}/${of}`,
    ),
  ].join('\n');
}

type NamedFact = [field: string, fact: Fact<unknown>];

/** Every fact of a provider (its offers' as "offers.<id>.<field>"), or of an old provider. */
function factsOf(entity: Provider | OldProvider): NamedFact[] {
  const own = Object.entries(entity.facts) as NamedFact[];
  if (!('offers' in entity)) return own;
  return [
    ...own,
    ...entity.offers.flatMap((offer) =>
      (Object.entries(offer.facts) as NamedFact[]).map(([field, fact]): NamedFact => [`offers.${offer.id}.${field}`, fact]),
    ),
  ];
}

function doubtsOf(facts: NamedFact[]): Array<[string, string]> {
  return facts.flatMap(([field, fact]) => (isKnown(fact) && fact.doubt ? [[field, fact.doubt] as [string, string]] : []));
}

function allDoubts(catalog: Catalog): string[] {
  const entities: Array<Provider | OldProvider> = [...catalog.providers, ...catalog.oldProviders];
  return entities.flatMap((entity) => [
    ...doubtsOf(factsOf(entity)).map(([field, doubt]) => `${entity.id}.${field}: ${doubt}`),
    ...('traps' in entity ? entity.traps : []).flatMap((trap) =>
      trap.doubt ? [`${entity.id}.traps.${trap.id}: ${trap.doubt}`] : [],
    ),
  ]);
}

/** Per field ("country", "offer.storageGb"): how many are unknown, out of how many. */
function unknownCounts(providers: Provider[]): Array<[string, number, number]> {
  const counts = new Map<string, [number, number]>();
  const count = (field: string, fact: Fact<unknown>) => {
    const [unknown, of] = counts.get(field) ?? [0, 0];
    counts.set(field, [unknown + (isKnown(fact) ? 0 : 1), of + 1]);
  };
  for (const provider of providers) {
    for (const [field, fact] of Object.entries(provider.facts) as NamedFact[]) count(field, fact);
    for (const offer of provider.offers) {
      for (const [field, fact] of Object.entries(offer.facts) as NamedFact[]) count(`offer.${field}`, fact);
    }
  }
  return [...counts]
    .map(([field, [unknown, of]]): [string, number, number] => [field, unknown, of])
    .filter(([, unknown]) => unknown > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function show<T>(fact: Fact<T>, format: (value: T) => string = (value) => String(value)): string {
  if (!isKnown(fact)) return '?';
  return format(fact.value) + (fact.doubt ? '*' : '');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dir = args.find((arg) => arg !== '--json');
  try {
    const catalog = loadCatalog(dir);
    if (json) {
      console.log(JSON.stringify(catalogReport(catalog), null, 2));
      return;
    }
    console.log(summarizeCatalog(catalog));
    console.log('\n("?" = unknown, "*" = known with a doubt.) The catalogue is valid.');
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    console.error(`The catalogue is invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}):`);
    for (const problem of error.problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
