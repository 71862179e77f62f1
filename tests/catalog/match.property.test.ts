/**
 * Property: for random answers and typed amounts, on the real catalogue and on the checked-facts one,
 * - no ranked host fails a stated requirement (read by the independent oracle, on the plan that counts);
 * - no host with an unknown ranks above a host known to fit;
 * - the plan that counts is the cheapest plan known to fit, when one is;
 * - every excluded host fails some need on every plan, and `nearest` is drawn from the excluded.
 */
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { offerOf, offerPrice, rankProviders } from '../../src/catalog/match.js';
import { needsOf } from '../../src/catalog/needs.js';
import type { Catalog } from '../../src/catalog/types.js';
import { QUESTIONS, type Amounts, type Answers, type QuestionId } from '../../src/flows/questions.js';
import { overall, readNeeds } from './oracle.js';
import { peopleCatalog } from './people-catalog.js';

const answersArb: fc.Arbitrary<Answers> = fc.record(
  Object.fromEntries(
    (Object.keys(QUESTIONS) as QuestionId[]).map((q) => [q, fc.constantFrom(...(QUESTIONS[q] as readonly string[]))]),
  ) as Record<QuestionId, fc.Arbitrary<string>>,
  { requiredKeys: [] },
) as fc.Arbitrary<Answers>;

const amountsArb: fc.Arbitrary<Amounts> = fc.record(
  {
    storageGb: fc.constantFrom(0.5, 1, 2, 3, 5, 10, 15, 20, 25, 50, 100),
    budget: fc.record({
      eurPerMonth: fc.constantFrom(0, 0.5, 1, 1.5, 1.67, 2, 2.5, 3, 4.17, 5, 6, 10, 50),
      perMailbox: fc.boolean(),
      exclusive: fc.boolean(),
    }),
    mailboxes: fc.integer({ min: 1, max: 30 }),
  },
  { requiredKeys: [] },
);

function checkHonesty(catalog: Catalog, answers: Answers, amounts: Amounts): void {
  const needs = needsOf(answers, amounts);
  const result = rankProviders(catalog, answers, amounts);
  const count = needs.mailboxes?.count ?? 1;
  let seenUnknown = false;
  for (const ranked of result.ranked) {
    const provider = catalog.provider(ranked.providerId)!;
    const plan = offerOf(provider, ranked.offerId)!;
    const reading = overall(readNeeds(provider, plan, needs));
    expect(reading, `${provider.id}/${plan.id}`).not.toBe('fails');
    // Known fits first: the oracle and the result agree on which hosts are sure.
    expect(reading === 'fits', `${provider.id}: ${ranked.unknown.join(',')}`).toBe(ranked.unknown.length === 0);
    if (ranked.unknown.length > 0) seenUnknown = true;
    else expect(seenUnknown, `${provider.id} is a known fit ranked after a host with an unknown`).toBe(false);
    // The plan that counts is the cheapest of the plans known to fit.
    if (reading === 'fits') {
      const fitting = provider.offers.filter((o) => overall(readNeeds(provider, o, needs)) === 'fits');
      const cheapest = Math.min(...fitting.map((o) => offerPrice(o, count)?.eurPerMonth ?? Number.POSITIVE_INFINITY));
      expect(ranked.price?.eurPerMonth ?? Number.POSITIVE_INFINITY, provider.id).toBe(cheapest);
    }
  }
  for (const excluded of result.excluded) {
    const provider = catalog.provider(excluded.providerId)!;
    for (const plan of provider.offers) expect(overall(readNeeds(provider, plan, needs)), `${provider.id}/${plan.id}`).toBe('fails');
  }
  const excludedIds = new Set(result.excluded.map((e) => e.providerId));
  expect(result.nearest.every((n) => excludedIds.has(n.providerId))).toBe(true);
  expect(result.ranked.length + result.excluded.length).toBe(catalog.providers.length);
}

describe('matching, for random answers and amounts', () => {
  it('never ranks a host failing a stated requirement, nor an unknown above a known fit (real catalogue)', () => {
    const catalog = loadCatalog();
    fc.assert(fc.property(answersArb, amountsArb, (answers, amounts) => checkHonesty(catalog, answers, amounts)), { numRuns: 400 });
  });

  it('the same on the catalogue shaped after the checked facts', () => {
    fc.assert(fc.property(answersArb, amountsArb, (answers, amounts) => checkHonesty(peopleCatalog, answers, amounts)), { numRuns: 400 });
  });
});
