import { describe, it, expect } from 'vitest';
import {
  CRITERIA_ORDER,
  MATCH_PAGE_SIZE,
  MAX_CHECKS_SHOWN,
  rankProviders,
  rankedPage,
} from '../../src/catalog/match.js';
import { loadCatalog, parseCatalog } from '../../src/catalog/load.js';
import { isKnown, type Check, type MatchResult } from '../../src/catalog/types.js';
import { QUESTIONS, type Answers } from '../../src/flows/questions.js';
import { catalogOf, known, provider } from './helpers.js';

const ids = (result: MatchResult) => result.ranked.map((r) => r.providerId);
const excludedIds = (result: MatchResult) => result.excluded.map((e) => e.providerId);
const checkOf = (result: MatchResult, id: string, criterion: Check['criterion']) =>
  result.ranked.find((r) => r.providerId === id)?.checks.find((c) => c.criterion === criterion);
const reasonsOf = (result: MatchResult, id: string) => result.excluded.find((e) => e.providerId === id)?.because ?? [];

describe('hard criteria', () => {
  it('free only + own domain leaves out providers that charge for domains, with that reason', () => {
    const catalog = catalogOf(
      provider('freedom', { free: known(true), customDomain: known('allPlans') }),
      provider('paywall', { free: known(true), customDomain: known('paidPlansOnly') }),
      provider('nodomain', { free: known(true), customDomain: known('none') }),
      provider('maybe', { free: known(true) }),
    );
    const result = rankProviders(catalog, { budget: 'free', domain: 'want' });
    expect(ids(result)).toEqual(['freedom', 'maybe']);
    expect(reasonsOf(result, 'paywall')).toEqual([{ criterion: 'domain', verdict: 'no', params: { variant: 'paidOnly' } }]);
    expect(reasonsOf(result, 'nodomain')).toEqual([{ criterion: 'domain', verdict: 'no', params: {} }]);
  });

  it('with a budget, a domain in paid plans only is fine', () => {
    const catalog = catalogOf(provider('paywall', { free: known(true), customDomain: known('paidPlansOnly') }));
    const result = rankProviders(catalog, { budget: 'about5', domain: 'have' });
    expect(checkOf(result, 'paywall', 'domain')).toEqual({ criterion: 'domain', verdict: 'yes', params: { variant: 'paid' } });
  });

  it('on the real data, free only + own domain leaves out every provider with paid-only or no domains', () => {
    const catalog = loadCatalog();
    const result = rankProviders(catalog, { budget: 'free', domain: 'want' });
    for (const p of catalog.providers) {
      const domain = isKnown(p.facts.customDomain) ? p.facts.customDomain.value : undefined;
      if (domain === 'paidPlansOnly' || domain === 'none') {
        expect(reasonsOf(result, p.id).some((c) => c.criterion === 'domain'), p.id).toBe(true);
      }
    }
    expect(reasonsOf(result, 'proton')).toContainEqual({ criterion: 'domain', verdict: 'no', params: { variant: 'paidOnly' } });
  });

  it('no domain: leaves out providers whose mailboxes need a domain of your own, with that reason', () => {
    const catalog = catalogOf(
      provider('needs', { requiresOwnDomain: known(true), customDomain: known('paidPlansOnly') }),
      provider('hazy', { requiresOwnDomain: known(true, 'Old wiki.') }),
      provider('open', { requiresOwnDomain: known(false) }),
      provider('maybe'),
    );
    const result = rankProviders(catalog, { domain: 'no' });
    expect(ids(result).sort()).toEqual(['maybe', 'open']);
    expect(reasonsOf(result, 'needs')).toEqual([{ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }]);
    expect(reasonsOf(result, 'hazy')).toEqual([{ criterion: 'domain', verdict: 'no', params: { variant: 'required', unsure: 1 } }]);
    // Not needing a domain is the rule: nothing to show, and "unknown" costs nothing.
    expect(checkOf(result, 'open', 'domain')).toBeUndefined();
    expect(checkOf(result, 'maybe', 'domain')).toBeUndefined();
    expect(result.ranked.find((r) => r.providerId === 'maybe')!.score).toBe(result.ranked.find((r) => r.providerId === 'open')!.score);
  });

  it('a provider that requires a domain is fine for people who have one or want one', () => {
    const catalog = catalogOf(provider('needs', { requiresOwnDomain: known(true), customDomain: known('paidPlansOnly') }));
    for (const domain of ['have', 'want', 'dontKnow'] as const) {
      expect(ids(rankProviders(catalog, { domain, budget: 'more' })), domain).toEqual(['needs']);
    }
  });

  it('on the real data, "no domain" leaves out Gandi, and only providers known to require a domain', () => {
    const catalog = loadCatalog();
    const result = rankProviders(catalog, { domain: 'no' });
    expect(reasonsOf(result, 'gandi').map((c) => c.params.variant)).toEqual(['required']);
    for (const excluded of result.excluded) {
      const fact = catalog.provider(excluded.providerId)!.facts.requiresOwnDomain;
      expect(isKnown(fact) && fact.value, excluded.providerId).toBe(true);
    }
  });

  it('budget: free needs a free plan; about1 allows up to 1.50 €; about5 up to 6 €', () => {
    const catalog = catalogOf(
      provider('gratis', { free: known(true) }),
      provider('euro', { free: known(false), cheapestPaidEurPerMonth: known(1.5) }),
      provider('pricier', { free: known(false), cheapestPaidEurPerMonth: known(1.6) }),
      provider('dear', { free: known(false), cheapestPaidEurPerMonth: known(9) }),
    );
    expect(ids(rankProviders(catalog, { budget: 'free' }))).toEqual(['gratis']);
    expect(reasonsOf(rankProviders(catalog, { budget: 'free' }), 'euro')).toEqual([{ criterion: 'budget', verdict: 'no', params: { variant: 'noFree' } }]);
    expect(ids(rankProviders(catalog, { budget: 'about1' })).sort()).toEqual(['euro', 'gratis']);
    expect(reasonsOf(rankProviders(catalog, { budget: 'about1' }), 'pricier')).toEqual([{ criterion: 'budget', verdict: 'no', params: { price: 1.6 } }]);
    expect(ids(rankProviders(catalog, { budget: 'about5' })).sort()).toEqual(['euro', 'gratis', 'pricier']);
    expect(ids(rankProviders(catalog, { budget: 'more' })).sort()).toEqual(['dear', 'euro', 'gratis', 'pricier']);
  });

  it('location france keeps only French providers (and the unknown ones)', () => {
    const catalog = loadCatalog();
    const result = rankProviders(catalog, { location: 'france' });
    for (const id of ids(result)) {
      const country = catalog.provider(id)!.facts.country;
      expect(isKnown(country) ? country.value : 'unknown', id).toMatch(/^(FR|unknown)$/);
    }
    for (const excluded of result.excluded) {
      expect(excluded.because.map((c) => c.criterion)).toEqual(['location']);
    }
    expect(excludedIds(result)).toContain('posteo');
  });

  it('location europe means the EU, the EEA or Switzerland', () => {
    const catalog = catalogOf(
      provider('swiss', { country: known('CH') }),
      provider('norse', { country: known('NO') }),
      provider('yankee', { country: known('US') }),
    );
    const result = rankProviders(catalog, { location: 'europe' });
    expect(ids(result).sort()).toEqual(['norse', 'swiss']);
    expect(reasonsOf(result, 'yankee')).toEqual([{ criterion: 'location', verdict: 'no', params: { variant: 'europe', country: 'US' } }]);
  });

  it('groupware, several mailboxes, no membership and business use are hard too', () => {
    const catalog = catalogOf(
      provider('fits', {
        calendarContacts: known(true),
        multipleMailboxes: known(true),
        membershipRequired: known(false),
        audience: known(['person', 'business']),
      }),
      provider('misfit', {
        calendarContacts: known(false),
        multipleMailboxes: known(false),
        membershipRequired: known(true),
        audience: known(['person']),
      }),
    );
    const result = rankProviders(catalog, { groupware: 'yes', mailboxes: 'upTo5', membership: 'no', forWhom: 'business' });
    expect(ids(result)).toEqual(['fits']);
    expect(reasonsOf(result, 'misfit').map((c) => c.criterion)).toEqual(['groupware', 'mailboxes', 'membership', 'audience']);
  });

  it('Disroot is left out for business use, as its terms forbid commercial use', () => {
    const result = rankProviders(loadCatalog(), { forWhom: 'business' });
    expect(reasonsOf(result, 'disroot')).toEqual([{ criterion: 'audience', verdict: 'no', params: { variant: 'business' } }]);
  });
});

describe('unknown facts', () => {
  it('do not exclude: they show as "?" and score below a "yes"', () => {
    const catalog = catalogOf(provider('mystery'), provider('sure', { free: known(true), customDomain: known('allPlans'), country: known('FR') }));
    const result = rankProviders(catalog, { budget: 'free', domain: 'want', location: 'france' });
    expect(ids(result)).toEqual(['sure', 'mystery']);
    expect(result.ranked[1]!.checks.map((c) => c.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(result.ranked[1]!.score).toBeLessThan(result.ranked[0]!.score);
    expect(result.excluded).toEqual([]);
  });

  it('"dontKnow" and unanswered questions judge nothing', () => {
    const catalog = catalogOf(provider('any', { free: known(false), country: known('US') }));
    const dontKnow: Answers = { budget: 'dontKnow', domain: 'dontKnow', location: 'dontKnow', groupware: 'dontKnow', humanHelp: 'dontKnow', membership: 'dontKnow', storage: 'dontKnow', mailboxes: 'dontKnow', forWhom: 'dontKnow' };
    for (const answers of [{}, dontKnow]) {
      expect(rankProviders(catalog, answers)).toEqual({ ranked: [{ providerId: 'any', score: 0, checks: [] }], excluded: [] });
    }
  });
});

describe('soft criteria', () => {
  it('storage moves the score without excluding, and says how much there is', () => {
    const catalog = catalogOf(
      provider('roomy', { free: known(true), freeStorageGb: known(20) }),
      provider('tight', { free: known(true), freeStorageGb: known(1) }),
    );
    const result = rankProviders(catalog, { budget: 'free', storage: 'under5' });
    expect(ids(result)).toEqual(['roomy', 'tight']);
    expect(checkOf(result, 'roomy', 'storage')).toEqual({ criterion: 'storage', verdict: 'yes', params: { gb: 20 } });
    expect(checkOf(result, 'tight', 'storage')).toEqual({ criterion: 'storage', verdict: 'no', params: { gb: 1 } });
  });

  it('storage looks at what the budget buys: the largest plan when the budget is open', () => {
    const catalog = catalogOf(
      provider('big', { free: known(false), cheapestPaidEurPerMonth: known(1), paidStorageGb: known(2), maxStorageGb: known(null) }),
    );
    expect(checkOf(rankProviders(catalog, { budget: 'about1', storage: 'over20' }), 'big', 'storage')?.verdict).toBe('unknown');
    expect(checkOf(rankProviders(catalog, { budget: 'more', storage: 'over20' }), 'big', 'storage')).toEqual({
      criterion: 'storage',
      verdict: 'yes',
      params: { variant: 'unlimited' },
    });
  });

  it('people who want human help get associations and CHATONS members with French-speaking help first', () => {
    const catalog = catalogOf(
      provider('corp', { kind: known('company'), humanSupport: known(true), frenchSupport: known(true) }),
      provider('kitten', { kind: known('association'), chatons: known(true), humanSupport: known(true), frenchSupport: known(true) }),
      provider('faraway', { kind: known('company'), humanSupport: known(true), frenchSupport: known(false) }),
    );
    const result = rankProviders(catalog, { humanHelp: 'yes' });
    expect(ids(result)).toEqual(['kitten', 'corp', 'faraway']);
    expect(checkOf(result, 'faraway', 'humanHelp')).toEqual({ criterion: 'humanHelp', verdict: 'no', params: { variant: 'notFrench' } });
  });

  it('an association is told when a provider is made for associations', () => {
    const catalog = catalogOf(provider('asso', { audience: known(['association']) }), provider('other', { audience: known(['person']) }));
    const result = rankProviders(catalog, { forWhom: 'association' });
    expect(ids(result)).toEqual(['asso', 'other']);
    expect(checkOf(result, 'asso', 'audience')).toEqual({ criterion: 'audience', verdict: 'yes', params: { variant: 'association' } });
    expect(checkOf(result, 'other', 'audience')).toBeUndefined();
  });
});

describe('checks', () => {
  it('come most meaningful first, at most five, keeping "?" and "✗" over a fifth "✓"', () => {
    const catalog = catalogOf(
      provider('full', {
        free: known(true),
        freeStorageGb: known(1),
        customDomain: known('allPlans'),
        country: known('FR'),
        calendarContacts: known(true),
        membershipRequired: known(false),
        audience: known(['person', 'business']),
      }),
    );
    const answers: Answers = { budget: 'free', storage: 'under5', domain: 'have', location: 'france', groupware: 'yes', mailboxes: 'upTo5', membership: 'no', forWhom: 'business' };
    const checks = rankProviders(catalog, answers).ranked[0]!.checks;
    expect(checks).toHaveLength(MAX_CHECKS_SHOWN);
    expect(checks.map((c) => `${c.criterion}:${c.verdict}`)).toEqual(['budget:yes', 'storage:no', 'domain:yes', 'location:yes', 'mailboxes:unknown']);
    const order = checks.map((c) => CRITERIA_ORDER.indexOf(c.criterion));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('mark a verdict that rests on a doubtful fact as unsure', () => {
    const catalog = catalogOf(provider('hazy', { free: known(true, 'Old page.') }), provider('clear', { free: known(true) }));
    const result = rankProviders(catalog, { budget: 'free' });
    expect(checkOf(result, 'hazy', 'budget')?.params).toEqual({ variant: 'free', unsure: 1 });
    expect(checkOf(result, 'clear', 'budget')?.params).toEqual({ variant: 'free' });
  });
});

describe('ranking', () => {
  it('is deterministic, whatever the order of the catalogue', () => {
    const catalog = loadCatalog();
    const answers: Answers = { forWhom: 'family', mailboxes: 'upTo5', budget: 'about5', groupware: 'yes', location: 'europe', humanHelp: 'yes' };
    const first = rankProviders(catalog, answers);
    expect(rankProviders(catalog, answers)).toEqual(first);
    const reversed = parseCatalog(JSON.parse(JSON.stringify([...catalog.providers].reverse())), catalog.oldProviders);
    expect(rankProviders(reversed, answers)).toEqual(first);
  });

  it('breaks ties by fewer unknowns, then more verified facts, then id', () => {
    const catalog = catalogOf(
      provider('b-sure', { free: known(true), country: known('FR') }),
      provider('a-unsure', { free: known(true) }),
      provider('d-twin', { free: known(true), country: known('FR') }),
      provider('c-richer', { free: known(true), country: known('FR'), kind: known('company') }),
    );
    expect(ids(rankProviders(catalog, { budget: 'free', location: 'france' }))).toEqual(['c-richer', 'b-sure', 'd-twin', 'a-unsure']);
  });

  it('favours what makes the move easier: standard IMAP, an import tool that reads the old provider', () => {
    const catalog = catalogOf(
      provider('a-plain', { free: known(true) }),
      provider('b-imap', { free: known(true), imap: known(true) }),
      provider('c-mover', { free: known(true), importTool: known({ name: 'Mover', url: 'https://mover.example.org', from: { mail: ['gmail'] } }) }),
    );
    expect(ids(rankProviders(catalog, { oldProvider: 'gmail', budget: 'free' }))).toEqual(['c-mover', 'b-imap', 'a-plain']);
    expect(ids(rankProviders(catalog, { oldProvider: 'yahoo', budget: 'free' }))).toEqual(['b-imap', 'c-mover', 'a-plain']);
  });

  it('counts the import tool only for mail: contacts or calendars from the old provider earn nothing', () => {
    const tool = { name: 'Mover', url: 'https://mover.example.org' };
    const catalog = catalogOf(
      provider('a-mail', { importTool: known({ ...tool, from: { mail: ['gmail'] } }) }),
      provider('b-contacts', { importTool: known({ ...tool, from: { mail: ['yahoo'], contacts: ['gmail'], calendar: ['gmail'] } }) }),
      provider('c-none'),
    );
    const gmail = rankProviders(catalog, { oldProvider: 'gmail' });
    const score = (id: string) => gmail.ranked.find((r) => r.providerId === id)!.score;
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
    const posteoScore = (oldProvider: Answers['oldProvider']) =>
      rankProviders(catalog, { oldProvider }).ranked.find((r) => r.providerId === 'posteo')!.score;
    expect(posteoScore('gmail')).toBeGreaterThan(posteoScore('orange'));
    expect(posteoScore('orange')).toBeGreaterThan(posteoScore('outlook'));
  });

  it('pages three by three', () => {
    const result = rankProviders(loadCatalog(), {});
    expect(rankedPage(result, 0)).toEqual(result.ranked.slice(0, MATCH_PAGE_SIZE));
    expect(rankedPage(result, 1)).toEqual(result.ranked.slice(MATCH_PAGE_SIZE, 2 * MATCH_PAGE_SIZE));
  });

  it('every real provider reaches the first page for some answers, or we know why not', () => {
    // Providers with too few verified facts to beat the others on any answers; research would lift them.
    const explained: Record<string, string> = {
      runbox: 'price, storage and support unknown: always tied with better-known providers, or below them',
      startmail: 'only 5 of 18 facts known',
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
