/**
 * `npm run catalog:check [data-dir]`: loads and validates data/, then prints a summary for whoever maintains the
 * catalogue: one row per provider (what is known, how many doubts), the old providers, every doubt in full, and
 * which facts are most often unknown (where research is most needed). Exits 1 with the validation errors when the
 * data is invalid. A developer tool: English, not localised.
 */
import { pathToFileURL } from 'node:url';
import { CatalogError, loadCatalog } from './load.js';
import { isKnown, type Catalog, type Fact, type OldProvider, type Provider } from './types.js';

export function summarizeCatalog(catalog: Catalog): string {
  return [
    `${catalog.providers.length} destination providers`,
    table(
      ['id', 'country', 'kind', 'free', '€/month', 'own domain', 'known', 'doubts'],
      catalog.providers.map((p) => {
        const facts = factsOf(p);
        return [
          p.id,
          show(p.facts.country),
          show(p.facts.kind),
          show(p.facts.free),
          show(p.facts.cheapestPaidEurPerMonth, (price) => (price === null ? 'none' : price.toFixed(2))),
          show(p.facts.customDomain),
          `${facts.filter(([, f]) => isKnown(f)).length}/${facts.length}`,
          String(doubtsOf(facts).length),
        ];
      }),
    ),
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
    'Unknown facts, most often unknown first (providers)',
    ...unknownCounts(catalog.providers).map(
      ([field, count]) => `  ${field.padEnd(24)} ${count}/${catalog.providers.length}`,
    ),
  ].join('\n');
}

type NamedFact = [field: string, fact: Fact<unknown>];

function factsOf(entity: Provider | OldProvider): NamedFact[] {
  return Object.entries(entity.facts) as NamedFact[];
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

function unknownCounts(providers: Provider[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const provider of providers) {
    for (const [field, fact] of factsOf(provider)) counts.set(field, (counts.get(field) ?? 0) + (isKnown(fact) ? 0 : 1));
  }
  return [...counts].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
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

function main(): void {
  try {
    const catalog = loadCatalog(process.argv[2]);
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
