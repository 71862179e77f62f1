/** Small builders for catalogue tests: a provider is all "unknown" except the facts a test cares about. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from '../../src/catalog/load.js';
import type { Catalog, Offer, Provider } from '../../src/catalog/types.js';
import { CHECKED, known, offer, provider } from '../support/providers.js';

export { CHECKED, known, offer, provider };

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${file}`, 'utf8'));
}

/** A catalogue of these providers, validated like real data (so tests cannot build impossible providers). */
export function catalogOf(...providers: Provider[]): Catalog {
  return parseCatalog(JSON.parse(JSON.stringify(providers)), readFixture('old-providers.json'));
}

/** A provider with these provider facts and these plans (one plan about which nothing is known, when none given). */
export function host(id: string, facts: Partial<Provider['facts']> = {}, ...offers: Offer[]): Provider {
  return provider(id, facts, id.toUpperCase(), offers.length > 0 ? offers : [offer()]);
}
