import { describe, it, expect } from 'vitest';
import {
  CRITERIA_ORDER,
  MATCH_PAGE_SIZE,
  MAX_CHECKS_SHOWN,
  offerOf,
  rankProviders,
  rankedPage,
} from '../../src/catalog/match.js';
import { loadCatalog, parseCatalog } from '../../src/catalog/load.js';
import { factValue, isKnown, type Check, type Fact, type MatchResult } from '../../src/catalog/types.js';
import { QUESTIONS, type Amounts, type Answers } from '../../src/flows/questions.js';
import { catalogOf, host, known, offer, provider } from './helpers.js';

const ids = (result: MatchResult) => result.ranked.map((r) => r.providerId);
const excludedIds = (result: MatchResult) => result.excluded.map((e) => e.providerId);
const rankedOf = (result: MatchResult, id: string) => result.ranked.find((r) => r.providerId === id);
const checkOf = (result: MatchResult, id: string, criterion: Check['criterion']) =>
  rankedOf(result, id)?.checks.find((c) => c.criterion === criterion);
const reasonsOf = (result: MatchResult, id: string) => result.excluded.find((e) => e.providerId === id)?.because ?? [];
const budget = (eurPerMonth: number, perMailbox = false, exclusive = false): Amounts['budget'] => ({ eurPerMonth, perMailbox, exclusive });

/** Like mailbox.org: a 1 € plan without your own domain, a 2.50 € plan with it (prices for the test only). */
const twoPlans = host(
  'twoplans',
  {},
  offer('light', { eurPerMonth: known(1), storageGb: known(2), customDomain: known(false) }),
  offer('standard', { eurPerMonth: known(2.5), storageGb: known(10), customDomain: known(true) }),
);

describe('the offer that counts', () => {
  it('is the cheapest plan meeting every stated need, and its price is the one shown', () => {
    const catalog = catalogOf(twoPlans);
    const plain = rankProviders(catalog, {});
    expect(rankedOf(plain, 'twoplans')).toMatchObject({ offerId: 'light', price: { eurPerMonth: 1, perMailbox: 1, mailboxes: 1 } });
    const withDomain = rankProviders(catalog, { domain: 'have' });
    expect(rankedOf(withDomain, 'twoplans')).toMatchObject({ offerId: 'standard', price: { eurPerMonth: 2.5 }, unknown: [] });
    expect(checkOf(withDomain, 'twoplans', 'domain')).toEqual({ criterion: 'domain', verdict: 'yes', params: {} });
    const roomy = rankProviders(catalog, {}, { storageGb: 5 });
    expect(rankedOf(roomy, 'twoplans')?.offerId).toBe('standard');
  });

  it('a 1 € budget with your own domain leaves out a host whose 1 € plan has no domain, saying which need fails', () => {
    const result = rankProviders(catalogOf(twoPlans), { domain: 'want' }, { budget: budget(1) });
    expect(ids(result)).toEqual([]);
    const excluded = result.excluded.find((e) => e.providerId === 'twoplans')!;
    // Both plans miss one need; the closer miss is the cheaper plan, which lacks the domain.
    expect(excluded.offerId).toBe('light');
    expect(excluded.because).toEqual([{ criterion: 'domain', verdict: 'no', params: {} }]);
  });

  it('prices the mailboxes needed: included ones, then extra ones at their price; per mailbox too', () => {
    const catalog = catalogOf(
      host('extra', {}, offer('family', { eurPerMonth: known(3), mailboxes: known(2), extraMailboxEurPerMonth: known(1) })),
      host('single', {}, offer('one', { eurPerMonth: known(1), mailboxes: known(1), extraMailboxEurPerMonth: known(null) })),
      host('many', {}, offer('team', { eurPerMonth: known(10), mailboxes: known(null) })),
      host('hazy', {}, offer('some', { eurPerMonth: known(2) })),
    );
    const result = rankProviders(catalog, { forWhom: 'family' }, { mailboxes: 4 });
    expect(rankedOf(result, 'extra')?.price).toEqual({ eurPerMonth: 5, perMailbox: 1.25, mailboxes: 4 });
    expect(rankedOf(result, 'many')?.price).toEqual({ eurPerMonth: 10, perMailbox: 2.5, mailboxes: 4 });
    expect(reasonsOf(result, 'single')).toEqual([{ criterion: 'mailboxes', verdict: 'no', params: { count: 4, included: 1 } }]);
    expect(rankedOf(result, 'hazy')).toMatchObject({ price: undefined });
    expect(rankedOf(result, 'hazy')?.unknown).toContain('mailboxes');
  });
});

describe('hard needs: a host failing one is never ranked, and says by how much', () => {
  it('storage: 2 GB for 25 GB needed is out; "unlimited" is in', () => {
    const catalog = catalogOf(
      host('small', {}, offer('mail', { storageGb: known(2) })),
      host('endless', {}, offer('mail', { storageGb: known(null) })),
      host('mystery'),
    );
    const result = rankProviders(catalog, {}, { storageGb: 25 });
    expect(ids(result)).toEqual(['endless', 'mystery']);
    expect(reasonsOf(result, 'small')).toEqual([{ criterion: 'storage', verdict: 'no', params: { gb: 2, needGb: 25 } }]);
    expect(checkOf(result, 'endless', 'storage')).toEqual({ criterion: 'storage', verdict: 'yes', params: { variant: 'unlimited' } });
    // "More than 20 GB" (the button) is not met by exactly 20.
    const over20 = rankProviders(catalogOf(host('twenty', {}, offer('mail', { storageGb: known(20) }))), { storage: 'over20' });
    expect(reasonsOf(over20, 'twenty')).toEqual([{ criterion: 'storage', verdict: 'no', params: { gb: 20, needGb: 20, variant: 'orMore' } }]);
  });

  it('budget: free needs a free plan; a budget is "at most", or strictly under when the amount is too much', () => {
    const catalog = catalogOf(
      host('gratis', {}, offer('free', { eurPerMonth: known(0) })),
      host('euro', {}, offer('mail', { eurPerMonth: known(1.5) })),
      host('pricier', {}, offer('mail', { eurPerMonth: known(1.6) })),
      host('dear', {}, offer('mail', { eurPerMonth: known(9) })),
    );
    expect(ids(rankProviders(catalog, { budget: 'free' }))).toEqual(['gratis']);
    expect(reasonsOf(rankProviders(catalog, {}, { budget: budget(0) }), 'euro')).toEqual([
      { criterion: 'budget', verdict: 'no', params: { price: 1.5, limit: 0 } },
    ]);
    expect(ids(rankProviders(catalog, { budget: 'about1' })).sort()).toEqual(['euro', 'gratis']);
    expect(reasonsOf(rankProviders(catalog, { budget: 'about1' }), 'pricier')).toEqual([
      { criterion: 'budget', verdict: 'no', params: { price: 1.6, limit: 1.5 } },
    ]);
    expect(ids(rankProviders(catalog, { budget: 'about5' })).sort()).toEqual(['euro', 'gratis', 'pricier']);
    expect(ids(rankProviders(catalog, { budget: 'more' })).sort()).toEqual(['dear', 'euro', 'gratis', 'pricier']);
    expect(ids(rankProviders(catalog, {}, { budget: budget(1.5, false, true) })).sort()).toEqual(['gratis']);
    expect(reasonsOf(rankProviders(catalog, {}, { budget: budget(1.5, false, true) }), 'euro')).toEqual([
      { criterion: 'budget', verdict: 'no', params: { price: 1.5, limit: 1.5, variant: 'under' } },
    ]);
  });

  it('a budget per mailbox compares the price per mailbox ("5 € par boîte c\'est trop")', () => {
    const catalog = catalogOf(
      host('team', {}, offer('team', { eurPerMonth: known(60), mailboxes: known(15) })),
      host('pricey', {}, offer('pro', { eurPerMonth: known(5), mailboxes: known(1), extraMailboxEurPerMonth: known(5) })),
    );
    const result = rankProviders(catalog, { forWhom: 'association' }, { mailboxes: 15, budget: budget(5, true, true) });
    expect(ids(result)).toEqual(['team']);
    expect(rankedOf(result, 'team')?.price).toEqual({ eurPerMonth: 60, perMailbox: 4, mailboxes: 15 });
    expect(reasonsOf(result, 'pricey')).toContainEqual({ criterion: 'budget', verdict: 'no', params: { price: 5, limit: 5, variant: 'perMailboxUnder' } });
  });

  it('own domain wanted: a plan without it fails; "no domain" leaves out hosts that only give mail on your domain', () => {
    const catalog = catalogOf(
      host('needs', { requiresOwnDomain: known(true) }),
      host('hazy', { requiresOwnDomain: known(true, 'Old wiki.') }),
      host('open', { requiresOwnDomain: known(false) }),
      host('maybe'),
    );
    const result = rankProviders(catalog, { domain: 'no' });
    expect(ids(result).sort()).toEqual(['maybe', 'open']);
    expect(reasonsOf(result, 'needs')).toEqual([{ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }]);
    expect(reasonsOf(result, 'hazy')).toEqual([{ criterion: 'domain', verdict: 'no', params: { variant: 'required', unsure: 1 } }]);
    // Not needing a domain is the rule: nothing to show, and "unknown" costs nothing.
    expect(checkOf(result, 'open', 'domain')).toBeUndefined();
    expect(rankedOf(result, 'maybe')!.unknown).toEqual([]);
    // Where mail exists only on your own domain, every plan takes yours.
    for (const domain of ['have', 'want', 'dontKnow'] as const) {
      expect(ids(rankProviders(catalogOf(host('needs', { requiresOwnDomain: known(true) })), { domain })), domain).toEqual(['needs']);
    }
  });

  it('location: france = FR; eu = the EU; europe = the EU, the EEA, Switzerland and the United Kingdom', () => {
    const catalog = catalogOf(
      host('french', { country: known('FR') }),
      host('swiss', { country: known('CH') }),
      host('norse', { country: known('NO') }),
      host('british', { country: known('GB') }),
      host('yankee', { country: known('US') }),
    );
    expect(ids(rankProviders(catalog, { location: 'france' }))).toEqual(['french']);
    expect(ids(rankProviders(catalog, { location: 'eu' }))).toEqual(['french']);
    expect(reasonsOf(rankProviders(catalog, { location: 'eu' }), 'swiss')).toEqual([
      { criterion: 'location', verdict: 'no', params: { variant: 'eu', country: 'CH' } },
    ]);
    expect(ids(rankProviders(catalog, { location: 'europe' })).sort()).toEqual(['british', 'french', 'norse', 'swiss']);
    expect(reasonsOf(rankProviders(catalog, { location: 'europe' }), 'yankee')).toEqual([
      { criterion: 'location', verdict: 'no', params: { variant: 'europe', country: 'US' } },
    ]);
  });

  it('calendar and contacts means synchronised with the phone\'s own apps: a calendar only in the host\'s app fails', () => {
    const catalog = catalogOf(
      host('dav', {}, offer('mail', { sync: known('caldav') })),
      host('apponly', {}, offer('mail', { sync: known('appOnly') })),
      host('nothing', {}, offer('mail', { sync: known('none') })),
    );
    const result = rankProviders(catalog, { groupware: 'yes' });
    expect(ids(result)).toEqual(['dav']);
    expect(reasonsOf(result, 'apponly')).toEqual([{ criterion: 'groupware', verdict: 'no', params: { variant: 'appOnly' } }]);
    expect(reasonsOf(result, 'nothing')).toEqual([{ criterion: 'groupware', verdict: 'no', params: { variant: 'none' } }]);
  });

  it('membership refused: neither the host (every plan) nor the plan may require joining', () => {
    const catalog = catalogOf(
      host('club', { membershipRequired: known(true) }),
      host('mixed', {}, offer('asso', { membershipRequired: known(true), eurPerMonth: known(1) }), offer('open', { membershipRequired: known(false), eurPerMonth: known(3) })),
    );
    const result = rankProviders(catalog, { membership: 'no' });
    expect(ids(result)).toEqual(['mixed']);
    expect(rankedOf(result, 'mixed')?.offerId).toBe('open');
    expect(reasonsOf(result, 'club')).toEqual([{ criterion: 'membership', verdict: 'no', params: {} }]);
  });

  it('audience: a plan for associations is never for a person alone; business use needs a plan for businesses', () => {
    const catalog = catalogOf(
      host('asso-only', {}, offer('asso', { audience: known(['association']) })),
      host('people', {}, offer('mail', { audience: known(['person', 'family']) })),
      host('pro', {}, offer('pro', { audience: known(['business']) })),
    );
    const me = rankProviders(catalog, { forWhom: 'me' });
    expect(ids(me)).toEqual(['people']);
    expect(reasonsOf(me, 'asso-only')).toEqual([{ criterion: 'audience', verdict: 'no', params: { variant: 'me' } }]);
    expect(ids(rankProviders(catalog, { forWhom: 'association' })).sort()).toEqual(['asso-only', 'pro']);
    expect(ids(rankProviders(catalog, { forWhom: 'business' }))).toEqual(['pro']);
  });

  it('on the real data, Disroot is left out for business use, and "France" never gives a host known to be elsewhere', () => {
    const catalog = loadCatalog();
    const business = rankProviders(catalog, { forWhom: 'business' });
    expect(reasonsOf(business, 'disroot').map((c) => c.criterion)).toContain('audience');
    const france = rankProviders(catalog, { location: 'france' });
    for (const id of ids(france)) {
      expect(factValue(catalog.provider(id)!.facts.country) ?? 'unknown', id).toMatch(/^(FR|unknown)$/);
    }
    expect(excludedIds(france)).toContain('posteo');
    for (const excluded of france.excluded) expect(excluded.because.map((c) => c.criterion)).toEqual(['location']);
  });

  it('on the real data, "no domain" leaves out Gandi, and only hosts known to require a domain', () => {
    const catalog = loadCatalog();
    const result = rankProviders(catalog, { domain: 'no' });
    expect(reasonsOf(result, 'gandi').map((c) => c.params.variant)).toEqual(['required']);
    for (const excluded of result.excluded) {
      expect(factValue(catalog.provider(excluded.providerId)!.facts.requiresOwnDomain), excluded.providerId).toBe(true);
    }
  });

  it('on the real data, own domain wanted: no ranked host counts a plan known to have no own domain', () => {
    const catalog = loadCatalog();
    for (const answers of [{ domain: 'want' }, { domain: 'have', budget: 'free' }] as Answers[]) {
      for (const ranked of rankProviders(catalog, answers).ranked) {
        const plan = offerOf(catalog.provider(ranked.providerId)!, ranked.offerId)!;
        expect(factValue(plan.facts.customDomain), `${ranked.providerId}/${plan.id}`).not.toBe(false);
      }
    }
  });
});

describe('unknown facts', () => {
  it('do not exclude: they come after every known fit, marked with what is unknown', () => {
    const catalog = catalogOf(
      host('mystery'),
      host('sure', { country: known('FR') }, offer('free', { eurPerMonth: known(0), customDomain: known(true) })),
      host('half', { country: known('FR') }, offer('free', { eurPerMonth: known(0) })),
    );
    const result = rankProviders(catalog, { budget: 'free', domain: 'want', location: 'france' });
    expect(ids(result)).toEqual(['sure', 'half', 'mystery']);
    expect(result.ranked.map((r) => r.unknown)).toEqual([[], ['domain'], ['budget', 'domain', 'location']]);
    expect(result.ranked[2]!.checks.map((c) => c.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(result.excluded).toEqual([]);
  });

  it('a known fit with fewer soft points still ranks above a host with an unknown', () => {
    const catalog = catalogOf(
      host('plain', { country: known('FR') }),
      host('charming', { kind: known('association'), chatons: known(true), humanSupport: known(true), frenchSupport: known(true), imap: known(true) }),
    );
    expect(ids(rankProviders(catalog, { location: 'france', humanHelp: 'yes' }))).toEqual(['plain', 'charming']);
  });

  it('"dontKnow" and unanswered questions judge nothing', () => {
    const catalog = catalogOf(host('any', { country: known('US') }, offer('mail', { eurPerMonth: known(9) })));
    const dontKnow: Answers = { budget: 'dontKnow', domain: 'dontKnow', location: 'dontKnow', groupware: 'dontKnow', humanHelp: 'dontKnow', membership: 'dontKnow', storage: 'dontKnow', mailboxes: 'dontKnow', forWhom: 'dontKnow' };
    for (const answers of [{}, dontKnow]) {
      expect(rankProviders(catalog, answers)).toEqual({
        ranked: [{ providerId: 'any', offerId: 'mail', price: { eurPerMonth: 9, perMailbox: 9, mailboxes: 1 }, unknown: [], score: 0, checks: [] }],
        excluded: [],
        nearest: [],
        needs: {},
      });
    }
  });
});

describe('nearest misses', () => {
  it('when nothing fits, holds the three closest, the smallest shortfall first', () => {
    const catalog = catalogOf(
      host('a-tiny', {}, offer('mail', { eurPerMonth: known(1), storageGb: known(1) })),
      host('b-close', {}, offer('mail', { eurPerMonth: known(1), storageGb: known(20) })),
      host('c-dear', {}, offer('mail', { eurPerMonth: known(1.1), storageGb: known(50) })),
      host('d-both', {}, offer('mail', { eurPerMonth: known(9), storageGb: known(2) })),
      host('e-abroad', { country: known('US') }, offer('mail', { eurPerMonth: known(1), storageGb: known(2) })),
    );
    const result = rankProviders(catalog, {}, { storageGb: 25, budget: budget(1) });
    expect(result.ranked).toEqual([]);
    // c-dear misses the budget by 10 %, b-close the storage by 20 %, e-abroad by 92 % (its country is not asked).
    expect(result.nearest.map((n) => n.providerId)).toEqual(['c-dear', 'b-close', 'e-abroad']);
    expect(result.nearest[0]).toEqual({
      providerId: 'c-dear',
      offerId: 'mail',
      price: { eurPerMonth: 1.1, perMailbox: 1.1, mailboxes: 1 },
      because: [{ criterion: 'budget', verdict: 'no', params: { price: 1.1, limit: 1 } }],
    });
    expect(result.excluded.map((e) => e.providerId)).toEqual(['a-tiny', 'b-close', 'c-dear', 'd-both', 'e-abroad']);
  });
});

describe('soft preferences break ties within a group', () => {
  it('people who want human help get associations and CHATONS members with French-speaking help first', () => {
    const catalog = catalogOf(
      host('corp', { kind: known('company'), humanSupport: known(true), frenchSupport: known(true) }),
      host('kitten', { kind: known('association'), chatons: known(true), humanSupport: known(true), frenchSupport: known(true) }),
      host('faraway', { kind: known('company'), humanSupport: known(true), frenchSupport: known(false) }),
    );
    const result = rankProviders(catalog, { humanHelp: 'yes' });
    expect(ids(result)).toEqual(['kitten', 'corp', 'faraway']);
    expect(checkOf(result, 'faraway', 'humanHelp')).toEqual({ criterion: 'humanHelp', verdict: 'no', params: { variant: 'notFrench' } });
    // Human help is a preference, not a requirement: it never excludes nor counts as an unknown.
    expect(result.ranked.every((r) => r.unknown.length === 0)).toBe(true);
  });

  it('an association is told when a plan is made for associations, and it comes first', () => {
    const catalog = catalogOf(
      host('asso', {}, offer('asso', { audience: known(['association']) })),
      host('other', {}, offer('pro', { audience: known(['business']) })),
    );
    const result = rankProviders(catalog, { forWhom: 'association' });
    expect(ids(result)).toEqual(['asso', 'other']);
    expect(checkOf(result, 'asso', 'audience')).toEqual({ criterion: 'audience', verdict: 'yes', params: { variant: 'association' } });
  });

  it('favours what makes the move easier: standard IMAP on the plan, an import tool that reads the old provider', () => {
    const catalog = catalogOf(
      host('a-plain'),
      host('b-imap', {}, offer('mail', { imap: known(true) })),
      host('c-mover', { importTool: known({ name: 'Mover', url: 'https://mover.example.org', from: { mail: ['gmail'] } }) }),
    );
    expect(ids(rankProviders(catalog, { oldProvider: 'gmail' }))).toEqual(['c-mover', 'b-imap', 'a-plain']);
    expect(ids(rankProviders(catalog, { oldProvider: 'yahoo' }))).toEqual(['b-imap', 'c-mover', 'a-plain']);
  });

  it('counts the import tool only for mail: contacts or calendars from the old provider earn nothing', () => {
    const tool = { name: 'Mover', url: 'https://mover.example.org' };
    const catalog = catalogOf(
      host('a-mail', { importTool: known({ ...tool, from: { mail: ['gmail'] } }) }),
      host('b-contacts', { importTool: known({ ...tool, from: { mail: ['yahoo'], contacts: ['gmail'], calendar: ['gmail'] } }) }),
      host('c-none'),
    );
    const gmail = rankProviders(catalog, { oldProvider: 'gmail' });
    const score = (id: string) => rankedOf(gmail, id)!.score;
    expect(score('a-mail')).toBeGreaterThan(score('b-contacts'));
    expect(score('b-contacts')).toBe(score('c-none'));
  });

  it('"any IMAP box" earns the smaller bonus, but not for Outlook.com, which refuses passwords, unless named', () => {
    const realOld = loadCatalog().oldProviders;
    const tool = { name: 'Mover', url: 'https://mover.example.org' };
    const catalog = parseCatalog(
      JSON.parse(JSON.stringify([
        provider('any', { importTool: known({ ...tool, from: { mail: ['anyImap'] } }) }),
        provider('named', { importTool: known({ ...tool, from: { mail: ['outlook'] } }) }),
        provider('contacts-only', { importTool: known({ ...tool, from: { mail: ['anyImap'], contacts: ['outlook'] } }) }),
        provider('none'),
      ])),
      realOld,
    );
    const scores = (answers: Answers) =>
      Object.fromEntries(rankProviders(catalog, answers).ranked.map((r) => [r.providerId, r.score]));
    const orange = scores({ oldProvider: 'orange' });
    expect(orange.any).toBeGreaterThan(orange.none!);
    expect(orange.named).toBe(orange.none);
    const other = scores({ oldProvider: 'other' });
    expect(other.any).toBeGreaterThan(other.none!);
    const outlook = scores({ oldProvider: 'outlook' });
    expect(outlook.any).toBe(outlook.none);
    expect(outlook['contacts-only']).toBe(outlook.none);
    expect(outlook.named).toBeGreaterThan(outlook.none!);
  });

  it('on the real data, Posteo\'s Umzugsservice counts for Gmail mail, less for an ISP box, not for Outlook.com', () => {
    const catalog = loadCatalog();
    const posteoScore = (oldProvider: Answers['oldProvider']) => rankedOf(rankProviders(catalog, { oldProvider }), 'posteo')!.score;
    expect(posteoScore('gmail')).toBeGreaterThan(posteoScore('orange'));
    expect(posteoScore('orange')).toBeGreaterThan(posteoScore('outlook'));
  });
});

describe('checks', () => {
  it('come most meaningful first, at most five, keeping "?" and "✗" over a fifth "✓"', () => {
    const catalog = catalogOf(
      host(
        'full',
        { country: known('FR'), membershipRequired: known(false) },
        offer('mail', {
          eurPerMonth: known(0),
          storageGb: known(5),
          customDomain: known(true),
          sync: known('caldav'),
          membershipRequired: known(false),
          audience: known(['person', 'business']),
        }),
      ),
    );
    const answers: Answers = { budget: 'free', storage: 'under5', domain: 'have', location: 'france', groupware: 'yes', mailboxes: 'upTo5', membership: 'no', forWhom: 'business' };
    const checks = rankProviders(catalog, answers).ranked[0]!.checks;
    expect(checks).toHaveLength(MAX_CHECKS_SHOWN);
    expect(checks.map((c) => `${c.criterion}:${c.verdict}`)).toEqual(['budget:unknown', 'storage:yes', 'domain:yes', 'location:yes', 'mailboxes:unknown']);
    const order = checks.map((c) => CRITERIA_ORDER.indexOf(c.criterion));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('mark a verdict that rests on a doubtful fact as unsure', () => {
    const catalog = catalogOf(
      host('hazy', {}, offer('free', { eurPerMonth: known(0, 'Old page.') })),
      host('clear', {}, offer('free', { eurPerMonth: known(0) })),
    );
    const result = rankProviders(catalog, { budget: 'free' });
    expect(checkOf(result, 'hazy', 'budget')?.params).toEqual({ price: 0, variant: 'free', unsure: 1 });
    expect(checkOf(result, 'clear', 'budget')?.params).toEqual({ price: 0, variant: 'free' });
  });
});

describe('ranking', () => {
  it('is deterministic, whatever the order of the catalogue', () => {
    const catalog = loadCatalog();
    const answers: Answers = { forWhom: 'family', mailboxes: 'upTo5', budget: 'about5', groupware: 'yes', location: 'europe', humanHelp: 'yes' };
    const first = rankProviders(catalog, answers, { storageGb: 3 });
    expect(rankProviders(catalog, answers, { storageGb: 3 })).toEqual(first);
    const reversed = parseCatalog(JSON.parse(JSON.stringify([...catalog.providers].reverse())), catalog.oldProviders);
    expect(rankProviders(reversed, answers, { storageGb: 3 })).toEqual(first);
  });

  it('breaks ties by fewer unknowns, then soft points, then the cheaper price, then more verified facts, then id', () => {
    const catalog = catalogOf(
      host('b-sure', { country: known('FR') }, offer('free', { eurPerMonth: known(0) })),
      host('a-unsure', {}, offer('free', { eurPerMonth: known(0) })),
      host('d-twin', { country: known('FR') }, offer('free', { eurPerMonth: known(0) })),
      host('c-richer', { country: known('FR'), kind: known('company') }, offer('free', { eurPerMonth: known(0) })),
      host('e-cheaper', { country: known('FR') }, offer('cheap', { eurPerMonth: known(0.5) })),
    );
    expect(ids(rankProviders(catalog, { budget: 'about1', location: 'france' }))).toEqual(['c-richer', 'b-sure', 'd-twin', 'e-cheaper', 'a-unsure']);
  });

  it('pages three by three', () => {
    const result = rankProviders(loadCatalog(), {});
    expect(rankedPage(result, 0)).toEqual(result.ranked.slice(0, MATCH_PAGE_SIZE));
    expect(rankedPage(result, 1)).toEqual(result.ranked.slice(MATCH_PAGE_SIZE, 2 * MATCH_PAGE_SIZE));
  });

  it('every real provider reaches the first page for some answers, or we know why not', () => {
    // Providers with too few verified facts to beat the others on any answers; research would lift them.
    const explained: Record<string, string> = {
      startmail: 'its plan: nothing known but "no membership"; always below hosts that are known to fit',
      iroco: 'nothing known in the migrated file but its country (provider-facts-checked.md has it all: data to come)',
      'sud-ouest': 'nothing known but its kind and country',
    };
    const catalog = loadCatalog();
    const reached = new Set<string>();
    const questions = ['forWhom', 'domain', 'budget', 'groupware', 'location', 'humanHelp', 'membership'] as const;
    const visit = (index: number, answers: Answers): void => {
      if (index === questions.length) {
        for (const r of rankedPage(rankProviders(catalog, answers), 0)) reached.add(r.providerId);
        return;
      }
      for (const choice of QUESTIONS[questions[index]!]) visit(index + 1, { ...answers, [questions[index]!]: choice });
    };
    visit(0, {});
    const unreached = catalog.providers.map((p) => p.id).filter((id) => !reached.has(id));
    expect(unreached.filter((id) => !(id in explained))).toEqual([]);
  });
});

describe('the real catalogue', () => {
  it('has offers whose known facts are sourced and dated like the provider facts', () => {
    for (const p of loadCatalog().providers) {
      expect(p.offers.length, p.id).toBeGreaterThan(0);
      for (const o of p.offers) {
        for (const fact of Object.values(o.facts) as Array<Fact<unknown>>) if (isKnown(fact)) expect(fact.source).toMatch(/^https?:\/\//);
      }
    }
  });
});
