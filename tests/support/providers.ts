/** Building providers for tests: everything "unknown" except the facts a test cares about, like many real ones. */
import type { Known, Provider } from '../../src/catalog/types.js';

export const CHECKED = '2026-11-25';

export function known<T>(value: T, doubt?: string): Known<T> {
  return { value, source: 'https://example.org/source', checked: CHECKED, ...(doubt ? { doubt } : {}) };
}

export function provider(id: string, facts: Partial<Provider['facts']> = {}, name = id.toUpperCase()): Provider {
  return {
    id,
    name,
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
