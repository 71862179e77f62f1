/**
 * An independent reading of "does this plan meet what the person said?", written from the facts and the issue's
 * words rather than from src/catalog/match.ts, so that tests compare two readings instead of one with itself.
 * For each stated need: 'fails' when a known fact contradicts it, 'unknown' when a deciding fact is missing.
 */
import type { Needs } from '../../src/catalog/needs.js';
import { factValue, type Offer, type Provider } from '../../src/catalog/types.js';

export type Reading = 'fits' | 'unknown' | 'fails';

const EU = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
const EUROPE = [...EU, 'IS', 'LI', 'NO', 'CH', 'GB'];

/** Each stated need, read for this plan of this provider. */
export function readNeeds(provider: Provider, offer: Offer, needs: Needs): Record<string, Reading> {
  const f = offer.facts;
  const read: Record<string, Reading> = {};
  const known = <T>(value: T | undefined, ok: (v: T) => boolean): Reading => (value === undefined ? 'unknown' : ok(value) ? 'fits' : 'fails');
  const count = needs.mailboxes?.count ?? 1;

  // How many mailboxes the plan can have: included, or more at a price.
  const included = factValue(f.mailboxes);
  const extra = factValue(f.extraMailboxEurPerMonth);
  let mailboxes: Reading = 'fits';
  let extraCost: number | undefined = 0;
  if (count > 1) {
    if (included === undefined) [mailboxes, extraCost] = ['unknown', undefined];
    else if (included === null || included >= count) [mailboxes, extraCost] = ['fits', 0];
    else if (extra === undefined) [mailboxes, extraCost] = ['unknown', undefined];
    else if (extra === null) [mailboxes, extraCost] = ['fails', undefined];
    else [mailboxes, extraCost] = ['fits', (count - included) * extra];
    read.mailboxes = mailboxes;
  }

  if (needs.budget && mailboxes !== 'fails') {
    const base = factValue(f.eurPerMonth);
    const { eurPerMonth: limit, perMailbox, exclusive } = needs.budget;
    const within = (total: number) => {
      const paid = Math.round((perMailbox ? total / count : total) * 100);
      return exclusive ? paid < Math.round(limit * 100) : paid <= Math.round(limit * 100);
    };
    if (base === undefined) read.budget = 'unknown';
    else if (extraCost === undefined) read.budget = within(base) ? 'unknown' : 'fails';
    else read.budget = within(base + extraCost) ? 'fits' : 'fails';
  }
  if (needs.storage) {
    const { gb, orMore } = needs.storage;
    read.storage = known(factValue(f.storageGb), (have) => have === null || (orMore ? have > gb : have >= gb));
  }
  if (needs.domain === 'have' || needs.domain === 'want') {
    read.domain = factValue(provider.facts.requiresOwnDomain) === true ? 'fits' : known(factValue(f.customDomain), (yes) => yes);
  }
  if (needs.domain === 'no' && factValue(provider.facts.requiresOwnDomain) === true) read.domain = 'fails';
  if (needs.sync) read.sync = known(factValue(f.sync), (sync) => sync === 'caldav');
  if (needs.membershipOk === false) {
    read.membership =
      factValue(provider.facts.membershipRequired) === true ? 'fails' : known(factValue(f.membershipRequired), (required) => !required);
  }
  if (needs.forWhom) {
    const ok = { me: ['person', 'family'], family: ['family', 'person'], association: ['association', 'business'], business: ['business'] }[needs.forWhom];
    read.audience = known(factValue(f.audience), (audience) => audience.some((a) => ok.includes(a)));
  }
  if (needs.location) {
    const places = { france: ['FR'], eu: EU, europe: EUROPE }[needs.location];
    read.location = known(factValue(provider.facts.country), (country) => places.includes(country));
  }
  return read;
}

/** 'fails' if any need fails, else 'unknown' if any is unknown, else 'fits'. */
export function overall(read: Record<string, Reading>): Reading {
  const readings = Object.values(read);
  return readings.includes('fails') ? 'fails' : readings.includes('unknown') ? 'unknown' : 'fits';
}
