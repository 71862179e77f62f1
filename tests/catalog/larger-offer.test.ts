/** For mail that does not fit the chosen offer: the host's cheapest offer known to hold it. */
import { describe, expect, it } from 'vitest';
import { cheapestOfferHolding } from '../../src/catalog/match.js';
import { factValue } from '../../src/catalog/types.js';
import { catalog } from '../support/guide.js';

describe('the cheapest offer that holds the mail', () => {
  it.each([1, 5, 12, 25, 60])('holds %d GB, and no cheaper known offer of the same host does', (gb) => {
    for (const provider of catalog.providers) {
      const offer = cheapestOfferHolding(provider, gb);
      const holds = (o: (typeof provider.offers)[number]) => {
        const storage = factValue(o.facts.storageGb);
        return factValue(o.facts.eurPerMonth) !== undefined && (storage === null || (storage !== undefined && storage >= gb));
      };
      if (!offer) {
        expect(provider.offers.some(holds), provider.id).toBe(false);
        continue;
      }
      expect(holds(offer), provider.id).toBe(true);
      const price = factValue(offer.facts.eurPerMonth)!;
      expect(provider.offers.filter(holds).every((o) => factValue(o.facts.eurPerMonth)! >= price), provider.id).toBe(true);
    }
  });

  it('finds one where the catalogue has it (mailbox.org holds 5 GB)', () => {
    expect(cheapestOfferHolding(catalog.provider('mailbox-org')!, 5)).toBeDefined();
  });
});
