/** Building providers for tests: everything "unknown" except the facts a test cares about, like many real ones. */
import type { Known, Offer, Provider } from '../../src/catalog/types.js';

export const CHECKED = '2026-11-25';

export function known<T>(value: T, doubt?: string): Known<T> {
  return { value, source: 'https://example.org/source', checked: CHECKED, ...(doubt ? { doubt } : {}) };
}

/** A plan: everything "unknown" except the given facts. */
export function offer(id = 'mail', facts: Partial<Offer['facts']> = {}, name = id): Offer {
  return {
    id,
    name,
    url: `https://example.org/plans/${id}`,
    facts: {
      eurPerMonth: 'unknown',
      eurPerYear: 'unknown',
      storageGb: 'unknown',
      mailboxes: 'unknown',
      extraMailboxEurPerMonth: 'unknown',
      customDomain: 'unknown',
      sync: 'unknown',
      audience: 'unknown',
      membershipRequired: 'unknown',
      webmail: 'unknown',
      imap: 'unknown',
      trialDays: 'unknown',
      ...facts,
    },
  };
}

/** A provider: everything "unknown" except the given facts; one plan about which nothing is known, by default. */
export function provider(
  id: string,
  facts: Partial<Provider['facts']> = {},
  name = id.toUpperCase(),
  offers: Offer[] = [offer()],
): Provider {
  return {
    id,
    name,
    website: `https://${id}.example.org`,
    signupUrl: `https://${id}.example.org/signup`,
    facts: {
      kind: 'unknown',
      country: 'unknown',
      chatons: 'unknown',
      founded: 'unknown',
      legalForm: 'unknown',
      closureNotice: 'unknown',
      requiresOwnDomain: 'unknown',
      imap: 'unknown',
      servers: 'unknown',
      importTool: 'unknown',
      membershipRequired: 'unknown',
      humanSupport: 'unknown',
      frenchSupport: 'unknown',
      ...facts,
    },
    offers,
  };
}
