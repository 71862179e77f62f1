/** Small builders for catalogue tests: a provider is all "unknown" except the facts a test cares about. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalog } from '../../src/catalog/load.js';
import type { Catalog, Known, Provider } from '../../src/catalog/types.js';

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const CHECKED = '2026-11-25';

export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${file}`, 'utf8'));
}

export function known<T>(value: T, doubt?: string): Known<T> {
  return { value, source: 'https://example.org/source', checked: CHECKED, ...(doubt ? { doubt } : {}) };
}

export function provider(id: string, facts: Partial<Provider['facts']> = {}): Provider {
  return {
    id,
    name: id.toUpperCase(),
    website: `https://${id}.example.org`,
    signupUrl: `https://${id}.example.org/signup`,
    facts: {
      kind: 'unknown',
      country: 'unknown',
      chatons: 'unknown',
      free: 'unknown',
      freeStorageGb: 'unknown',
      cheapestPaidEurPerMonth: 'unknown',
      paidStorageGb: 'unknown',
      maxStorageGb: 'unknown',
      customDomain: 'unknown',
      requiresOwnDomain: 'unknown',
      calendarContacts: 'unknown',
      imap: 'unknown',
      servers: 'unknown',
      importTool: 'unknown',
      membershipRequired: 'unknown',
      audience: 'unknown',
      multipleMailboxes: 'unknown',
      humanSupport: 'unknown',
      frenchSupport: 'unknown',
      ...facts,
    },
  };
}

/** A catalogue of these providers, validated like real data (so tests cannot build impossible providers). */
export function catalogOf(...providers: Provider[]): Catalog {
  return parseCatalog(JSON.parse(JSON.stringify(providers)), readFixture('old-providers.json'));
}
