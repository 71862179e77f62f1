/**
 * A table of people (those of the advice review, and a few more): what they typed, the values understood (answers
 * and Amounts, as src/flows understands them), and what must be true of the three hosts recommended first.
 * Each person is matched against a catalogue shaped after the checked facts (./people-catalog.ts) for the
 * properties that name hosts, and against the real data/ for the properties that hold whatever the data says.
 */
import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { offerOf, rankProviders, rankedPage } from '../../src/catalog/match.js';
import { needsOf } from '../../src/catalog/needs.js';
import { factValue, type Catalog, type MatchResult, type RankedProvider } from '../../src/catalog/types.js';
import type { Amounts, Answers } from '../../src/flows/questions.js';
import { renderRecommendations } from '../../src/render/catalog-text.js';
import { createTexts } from '../../src/render/i18n.js';
import { overall, readNeeds } from './oracle.js';
import { peopleCatalog } from './people-catalog.js';

interface Person {
  who: string;
  /** What they typed, answer by answer (kept to read the table; understanding them is tests/understand's job). */
  typed: string[];
  answers: Answers;
  amounts: Amounts;
  /** What must hold of the result on the checked-facts catalogue. */
  expect?: (result: MatchResult, top: RankedProvider[]) => void;
}

const eur = (eurPerMonth: number, perMailbox = false, exclusive = false) => ({ eurPerMonth, perMailbox, exclusive });
const idsOf = (list: ReadonlyArray<{ providerId: string }>) => list.map((r) => r.providerId);

const PEOPLE: Person[] = [
  {
    who: 'a person of 34, alone, free, 3 GB',
    typed: ['gmail', 'juste moi', '3 go', 'non', 'gratuit', 'non', 'peu importe'],
    answers: { oldProvider: 'gmail', forWhom: 'me', domain: 'no', groupware: 'no', location: 'dontKnow' },
    amounts: { storageGb: 3, budget: eur(0) },
    expect: (result, top) => {
      // Tuta and Mailo (1 GB, free) are out: storage ✗ is never in the list.
      expect(idsOf(result.ranked)).not.toContain('tuta');
      expect(idsOf(result.ranked)).not.toContain('mailo');
      expect(idsOf(top)[0]).toBe('infomaniak');
      // Proton's free 1 GB never counts; its bigger plan, whose price is not verified, comes after every known fit.
      const proton = result.ranked.find((r) => r.providerId === 'proton');
      expect(proton?.offerId).toBe('plus');
      expect(proton?.unknown).toEqual(['budget']);
    },
  },
  {
    who: 'a woman of 72, alone, cancelling Orange, in France, human help, about 2 €',
    typed: ['orange', 'moi', 'je ne sais pas', 'non', '2 euros max', 'non', 'en France', 'oui'],
    answers: { oldProvider: 'orange', forWhom: 'me', domain: 'no', groupware: 'no', location: 'france', humanHelp: 'yes', storage: 'dontKnow' },
    amounts: { budget: eur(2) },
    expect: (result) => {
      // Sans-nuage's offer is for associations: never for a woman alone, first or anywhere.
      expect(idsOf(result.ranked)).not.toContain('sans-nuage');
      expect(result.excluded.find((e) => e.providerId === 'sans-nuage')?.because.map((c) => c.criterion)).toContain('audience');
      // France: Disroot (Amsterdam) never.
      expect(idsOf(result.ranked)).not.toContain('disroot');
    },
  },
  {
    who: 'the treasurer of a 15-member association, own domain, under 5 € a mailbox',
    typed: ['gmail', 'une association', 'une quinzaine', 'oui on a déjà mon-asso.fr', "5€ par boîte c'est trop"],
    answers: { oldProvider: 'gmail', forWhom: 'association', domain: 'have' },
    amounts: { mailboxes: 15, budget: eur(5, true, true) },
    expect: (result) => {
      // Every plan known to have no own domain is out; so is a plan for 10 mailboxes that cannot have more.
      for (const id of ['posteo', 'iroco', 'tuta', 'infomaniak']) expect(idsOf(result.ranked), id).not.toContain(id);
      expect(result.excluded.find((e) => e.providerId === 'sans-nuage')?.because.map((c) => c.criterion)).toContain('mailboxes');
    },
  },
  {
    who: 'a man on Hotmail, iPhone, about 1 €, EU, 25 GB, calendar and contacts',
    typed: ['hotmail', 'moi', '25 go', 'non', '1€', 'oui', 'UE'],
    answers: { oldProvider: 'outlook', forWhom: 'me', domain: 'no', groupware: 'yes', location: 'eu' },
    amounts: { storageGb: 25, budget: eur(1) },
    expect: (result) => {
      // Nothing known fits 25 GB for 1 €: the nearest are shown with what they lack.
      expect(result.ranked.filter((r) => r.unknown.length === 0)).toEqual([]);
      expect(result.nearest.length).toBeGreaterThan(0);
      for (const near of result.nearest) expect(near.because.length).toBeGreaterThan(0);
      // Proton and Tuta: calendar only in their app, and outside the EU for Proton.
      expect(idsOf(result.ranked)).not.toContain('proton');
      expect(idsOf(result.ranked)).not.toContain('tuta');
    },
  },
  {
    who: 'an English-speaking expat, iCloud, iPhone, any price, calendar and contacts',
    typed: ['icloud', 'just me', "I don't know", 'no', 'any price', 'yes', 'no preference'],
    answers: { oldProvider: 'icloud', forWhom: 'me', domain: 'no', budget: 'more', groupware: 'yes', location: 'dontKnow' },
    amounts: {},
    expect: (result, top) => {
      // "calendar and contacts ✓" only where they sync with the phone's own apps.
      for (const r of top) expect(r.checks.find((c) => c.criterion === 'groupware')?.verdict, r.providerId).not.toBe('no');
      expect(idsOf(result.ranked)).not.toContain('proton');
      expect(idsOf(result.ranked)).not.toContain('tuta');
      expect(idsOf(top)).toEqual(expect.arrayContaining(['infomaniak']));
      expect(result.ranked.find((r) => r.providerId === 'posteo')?.unknown).toEqual([]);
    },
  },
  {
    who: 'a family of 4, not much space',
    typed: ['free', 'ma famille', '4', 'pas beaucoup → moins de 5 Go', 'non', 'environ 5 €'],
    answers: { oldProvider: 'free', forWhom: 'family', domain: 'no', budget: 'about5', storage: 'under5' },
    amounts: { mailboxes: 4 },
    expect: (result) => {
      // One-mailbox plans that cannot have more are out; mailbox.org adds mailboxes at a price: 4 × 2.50 > 6 €.
      for (const id of ['posteo', 'iroco']) expect(idsOf(result.ranked), id).not.toContain(id);
      const mailbox = result.excluded.find((e) => e.providerId === 'mailbox-org');
      expect(mailbox?.because.map((c) => c.criterion)).toEqual(['budget']);
    },
  },
  {
    who: 'an SFR user, less than a gigabyte, in France',
    typed: ['sfr', 'moi', "moins d'un giga", 'non', 'gratuit', 'non', 'France'],
    answers: { oldProvider: 'sfr', forWhom: 'me', domain: 'no', groupware: 'no', location: 'france' },
    amounts: { storageGb: 1, budget: eur(0) },
    expect: (result, top) => {
      expect(idsOf(result.ranked)).not.toContain('disroot');
      expect(idsOf(top)[0]).toBe('mailo');
      // Zaclys: French, but nothing verified: after every known fit, marked.
      const zaclys = result.ranked.find((r) => r.providerId === 'zaclys')!;
      expect(zaclys.unknown).toEqual(expect.arrayContaining(['budget', 'storage']));
      expect(result.ranked.indexOf(zaclys)).toBeGreaterThan(result.ranked.indexOf(result.ranked.find((r) => r.providerId === 'mailo')!));
    },
  },
  {
    who: 'someone with their own domain and 1 € to spend',
    typed: ['gmail', 'moi', 'oui', '1 €'],
    answers: { oldProvider: 'gmail', forWhom: 'me', domain: 'have' },
    amounts: { budget: eur(1) },
    expect: (result) => {
      // mailbox.org's 1 € plan has no own domain: never shown with "domaine ✓" at 1 €.
      expect(idsOf(result.ranked)).not.toContain('mailbox-org');
      const why = result.excluded.find((e) => e.providerId === 'mailbox-org')!;
      expect(why.because.length).toBe(1);
    },
  },
  {
    who: 'someone with their own domain, any price',
    typed: ['gmail', 'moi', 'oui', "peu m'importe le prix"],
    answers: { oldProvider: 'gmail', forWhom: 'me', domain: 'have', budget: 'more' },
    amounts: {},
    expect: (result) => {
      // The plan that counts at mailbox.org is then Standard, at its own price.
      expect(result.ranked.find((r) => r.providerId === 'mailbox-org')).toMatchObject({ offerId: 'standard', price: { eurPerMonth: 2.5 } });
    },
  },
  {
    who: 'a small business on its own domain, in Europe',
    typed: ['outlook', 'mon entreprise', '3', 'oui', 'environ 5 €', 'Europe'],
    answers: { oldProvider: 'outlook', forWhom: 'business', domain: 'have', budget: 'about5', location: 'europe' },
    amounts: { mailboxes: 3 },
    expect: (result) => {
      expect(idsOf(result.ranked)).not.toContain('disroot');
      expect(idsOf(result.ranked)).not.toContain('posteo');
    },
  },
  {
    who: 'someone who will not join an association, in France, free',
    typed: ['laposte', 'moi', 'non', 'gratuit', 'non', 'France', 'non'],
    answers: { oldProvider: 'laposte', forWhom: 'me', domain: 'no', budget: 'free', location: 'france', membership: 'no' },
    amounts: {},
    expect: (result) => {
      expect(idsOf(result.ranked)).not.toContain('sans-nuage');
      expect(idsOf(result.ranked)).not.toContain('disroot');
    },
  },
];

/** What must be true of any result, whatever the catalogue: checked against the independent oracle. */
function expectHonest(catalog: Catalog, person: Person, result: MatchResult): void {
  const needs = needsOf(person.answers, person.amounts);
  for (const ranked of result.ranked) {
    const provider = catalog.provider(ranked.providerId)!;
    const plan = offerOf(provider, ranked.offerId)!;
    const read = readNeeds(provider, plan, needs);
    expect(overall(read), `${person.who}: ${provider.id}/${plan.id} ${JSON.stringify(read)}`).not.toBe('fails');
    // No check of a ranked host says ✗ for a requirement (storage ✗ never in the list); human help is a preference.
    for (const check of ranked.checks) {
      if (check.criterion !== 'humanHelp') expect(check.verdict, `${person.who}: ${provider.id} ${check.criterion}`).not.toBe('no');
    }
    // "domaine ✓" only where that plan takes your own domain.
    const domain = ranked.checks.find((c) => c.criterion === 'domain');
    if (domain?.verdict === 'yes') {
      expect(factValue(plan.facts.customDomain) === true || factValue(provider.facts.requiresOwnDomain) === true).toBe(true);
    }
    // An association-only plan is never for a person alone.
    if (needs.forWhom === 'me') {
      const audience = factValue(plan.facts.audience);
      if (audience) expect(audience.some((a) => a === 'person' || a === 'family'), `${person.who}: ${provider.id}`).toBe(true);
    }
  }
  // Every known fit before any host with an unknown.
  const firstUnknown = result.ranked.findIndex((r) => r.unknown.length > 0);
  if (firstUnknown >= 0) expect(result.ranked.slice(firstUnknown).every((r) => r.unknown.length > 0)).toBe(true);
  // Excluded hosts say why.
  for (const excluded of result.excluded) expect(excluded.because.length, excluded.providerId).toBeGreaterThan(0);
}

describe('people, on a catalogue shaped after the checked facts', () => {
  for (const person of PEOPLE) {
    it(person.who, () => {
      const result = rankProviders(peopleCatalog, person.answers, person.amounts);
      expectHonest(peopleCatalog, person, result);
      person.expect?.(result, rankedPage(result, 0));
    });
  }

  it('shows "nothing does 25 GB for 1 €: here are the nearest" to the man on Hotmail', () => {
    const person = PEOPLE.find((p) => p.who.startsWith('a man on Hotmail'))!;
    const result = rankProviders(peopleCatalog, { ...person.answers, location: 'dontKnow', groupware: 'no' }, person.amounts);
    expect(result.ranked.filter((r) => r.unknown.length === 0)).toEqual([]);
    const onlyKnown = { ...result, ranked: [] };
    const text = renderRecommendations({ match: onlyKnown, providers: [], page: 0, pageSize: 3, catalog: peopleCatalog }, createTexts().t('fr'));
    expect(text).toMatch(/^Aucun hébergeur de ma liste ne fait 25 Go pour 1 €\/mois\./);
    expect(text).toContain('Go ✗ (25 Go demandés)');
  });
});

describe('people, on the real catalogue', () => {
  const catalog = loadCatalog();
  for (const person of PEOPLE) {
    it(person.who, () => expectHonest(catalog, person, rankProviders(catalog, person.answers, person.amounts)));
  }

  it('"France" never gives a host known to be elsewhere, in the top three or anywhere', () => {
    for (const person of PEOPLE.filter((p) => p.answers.location === 'france')) {
      for (const r of rankProviders(catalog, person.answers, person.amounts).ranked) {
        expect(factValue(catalog.provider(r.providerId)!.facts.country) ?? 'FR', r.providerId).toBe('FR');
      }
    }
  });
});
