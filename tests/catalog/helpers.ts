/** Small builders for catalogue tests: a provider is all "unknown" except the facts a test cares about. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from '../../src/catalog/load.js';
import type { Catalog, Provider } from '../../src/catalog/types.js';
import { CHECKED, known, provider } from '../support/providers.js';

export { CHECKED, known, provider };

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${file}`, 'utf8'));
}

/** A catalogue of these providers, validated like real data (so tests cannot build impossible providers). */
export function catalogOf(...providers: Provider[]): Catalog {
  return parseCatalog(JSON.parse(JSON.stringify(providers)), readFixture('old-providers.json'));
}
