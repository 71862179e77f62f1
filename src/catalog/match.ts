/**
 * Matching: which destination providers fit a person's needs, best first, and why the others were left out.
 * Pure and deterministic: the same catalogue, answers and amounts always give the same result, in the same order.
 *
 * Needs come from ./needs.ts (`needsOf(answers, amounts)`): a need left undefined ("je ne sais pas", "peu importe",
 * not asked) is not judged at all and never excludes.
 *
 * The offer that counts
 *   A provider is judged through its offers (plans). Each stated need is judged per offer "yes", "no" or "unknown"
 *   (a deciding fact we could not find). The offer that counts is the cheapest one meeting every stated need; when
 *   none is known to, the one with the fewest unknowns (then the cheapest) among those not known to fail. Its price
 *   for the mailboxes needed — in all, and per mailbox — is what is compared with the budget and shown.
 *     budget     the offer's price for the mailboxes needed (included ones, plus extra ones at their price) against
 *                the budget: per mailbox when the budget is "par boîte", strictly under it when the amount itself
 *                is too much ("5 € c'est trop"). A price we do not know is "unknown", unless even the plan alone
 *                costs too much
 *     storage    the offer's storage per mailbox against the space needed (more than it, for "more than 20 GB")
 *     domain     have/want → your own domain on THAT plan (always so where mail exists only on your own domain)
 *                no → a provider whose mailboxes exist only on a domain of your own (Gandi) is a "no"
 *     mailboxes  more than one → included, or addable at a price; "no" when the plan cannot have that many
 *     groupware  calendar and contacts wanted → sync with the phone's own apps (CalDAV/CardDAV); a calendar that
 *                lives only in the provider's app is a "no" (variant appOnly)
 *     membership refused → neither the provider nor the plan may require joining
 *     audience   who the plan is for: one person → person or family plans; a family → family or person plans; an
 *                association → association or business plans; a business → business plans (Disroot forbids
 *                commercial use). An association-only plan is never for a person alone
 *     location   france = FR; eu = the EU member states; europe = the EU, the EEA (IS, LI, NO), CH and GB
 * A provider failing a stated need on every offer (or on its own: country, a domain of your own required) is never
 * ranked: it is in `excluded`, whose `because` checks say which need and by how much (2 GB for 25 GB needed,
 * 3 € for a 1 € budget). `nearest` holds the three closest misses, for "nothing fits: here are the nearest".
 *
 * Order: every provider known to fit, then those with unknowns (fewest first), each carrying `unknown` (the needs
 * not known to be met). Within a group, soft preferences break ties:
 *   humanHelp  yes → people to talk to, in French; plus a bonus for associations, cooperatives and CHATONS members
 *   audience   association/family → a small bonus when the plan says it is made for them
 *   and, whatever the answers, standard IMAP on that plan and an import tool that reads the old provider's MAIL
 *   (named: more; "any IMAP box": less, never for an old provider that refuses passwords, Outlook.com).
 * Then the cheaper price, then more verified facts, then provider id.
 *
 * Checks shown with a provider: the judged needs in the order of CRITERIA_ORDER, at most five; when there are
 * more, "yes" checks are dropped before "?" and "✗", which are worth seeing. A verdict resting on a fact with a
 * `doubt` carries `params.unsure = 1`. `params.variant` picks a wording; other params fill the sentence.
 */
import type { Amounts, Answers } from '../flows/questions.js';
import { needsOf, type Location, type Needs } from './needs.js';
import {
  factValue,
  importToolReach,
  isKnown,
  type Audience,
  type Catalog,
  type Check,
  type CriterionId,
  type ExcludedProvider,
  type Fact,
  type MatchResult,
  type Offer,
  type OfferPrice,
  type Provider,
  type RankedProvider,
  type Verdict,
} from './types.js';

/** The EU's member states (ISO 3166-1 alpha-2). */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);
/** Europe at large: the EU, the other EEA states (IS, LI, NO), Switzerland and the United Kingdom. */
export const EUROPE_COUNTRIES: ReadonlySet<string> = new Set([...EU_COUNTRIES, 'IS', 'LI', 'NO', 'CH', 'GB']);

const COUNTRIES_OF: Record<Location, (country: string) => boolean> = {
  france: (country) => country === 'FR',
  eu: (country) => EU_COUNTRIES.has(country),
  europe: (country) => EUROPE_COUNTRIES.has(country),
};

/** The plans that suit each kind of person: a plan for associations is never for a person alone. */
export const AUDIENCES_FOR: Record<NonNullable<Needs['forWhom']>, readonly Audience[]> = {
  me: ['person', 'family'],
  family: ['family', 'person'],
  association: ['association', 'business'],
  business: ['business'],
};
const AUDIENCE_OF_WHO: Record<NonNullable<Needs['forWhom']>, Audience> = {
  me: 'person',
  family: 'family',
  association: 'association',
  business: 'business',
};

/** How many providers the bot shows at a time; "more" shows the next ones. */
export const MATCH_PAGE_SIZE = 3;
/** The most checks shown next to one provider. */
export const MAX_CHECKS_SHOWN = 5;
/** How many of the closest misses `nearest` holds. */
export const NEAREST_COUNT = 3;

/* ---- Soft points (tie-breakers within a group) ---- */

const HUMAN_HELP_WEIGHT = 20;
const HUMAN_HELP_NO = -10;
const HUMAN_HELP_KIND_BONUS = 5;
const HUMAN_HELP_CHATONS_BONUS = 5;
const AUDIENCE_NICETY = 10;
const IMAP_BONUS = 3;
const IMPORT_TOOL_BONUS = { namesOldProvider: 4, anyImapOnly: 2 } as const;

/* ---- Judging ---- */

/** A judged need: what to show, whether it is a requirement (a "no" excludes), and how far off a "no" is. */
interface Judgement {
  check: Check;
  hard: boolean;
  /** For a "no": how far from the need, 0 to about 1 (2 GB for 25 GB needed: 0.92); 1 when it is all or nothing. */
  shortfall: number;
}

function judged(
  criterion: CriterionId,
  verdict: Verdict,
  params: Check['params'],
  basis: ReadonlyArray<Fact<unknown> | undefined>,
  shortfall = verdict === 'no' ? 1 : 0,
  hard = true,
): Judgement {
  const shownParams = verdict !== 'unknown' && hasDoubt(basis) ? { ...params, unsure: 1 } : params;
  return { check: { criterion, verdict, params: shownParams }, hard, shortfall };
}

/** What one more mailbox costs on a plan, for `count` mailboxes: extra euros, "no" (cannot), or unknown. */
type MailboxCost = { verdict: 'yes'; extraEur: number } | { verdict: 'no'; included: number } | { verdict: 'unknown' };

function mailboxCost(offer: Offer, count: number): MailboxCost {
  if (count <= 1) return { verdict: 'yes', extraEur: 0 }; // every plan has a mailbox
  const included = offer.facts.mailboxes;
  if (!isKnown(included)) return { verdict: 'unknown' };
  if (included.value === null || included.value >= count) return { verdict: 'yes', extraEur: 0 };
  const extra = offer.facts.extraMailboxEurPerMonth;
  if (!isKnown(extra)) return { verdict: 'unknown' };
  if (extra.value === null) return { verdict: 'no', included: included.value };
  return { verdict: 'yes', extraEur: (count - included.value) * extra.value };
}

/** The offer's price for `count` mailboxes, when both its price and the cost of the mailboxes are known. */
export function offerPrice(offer: Offer, count: number): OfferPrice | undefined {
  const base = factValue(offer.facts.eurPerMonth);
  const cost = mailboxCost(offer, count);
  if (base === undefined || cost.verdict !== 'yes') return undefined;
  const total = cents(base + cost.extraEur);
  return { eurPerMonth: total, perMailbox: cents(total / Math.max(count, 1)), mailboxes: Math.max(count, 1) };
}

function cents(eur: number): number {
  return Math.round(eur * 100) / 100;
}

interface OfferVerdict {
  offer: Offer;
  index: number;
  price: OfferPrice | undefined;
  judgements: Judgement[];
}

/** The needs judged plan by plan. */
function judgeOffer(provider: Provider, offer: Offer, index: number, needs: Needs): OfferVerdict {
  const f = offer.facts;
  const count = needs.mailboxes?.count ?? 1;
  const cost = mailboxCost(offer, count);
  const price = offerPrice(offer, count);
  const judgements: Judgement[] = [];

  if (needs.budget && cost.verdict !== 'no') {
    const { eurPerMonth: limit, perMailbox, exclusive } = needs.budget;
    // The wording: per mailbox or in all; "at most" or "under" (the amount itself is too much).
    const wording = perMailbox ? (exclusive ? 'perMailboxUnder' : 'perMailbox') : exclusive ? 'under' : undefined;
    const variant: Check['params'] = wording ? { variant: wording } : {};
    const basis = [f.eurPerMonth, ...(count > 1 ? [f.mailboxes, f.extraMailboxEurPerMonth] : [])];
    const fits = (eur: number) => (exclusive ? Math.round(eur * 100) < Math.round(limit * 100) : Math.round(eur * 100) <= Math.round(limit * 100));
    const base = factValue(f.eurPerMonth);
    if (price) {
      const eur = perMailbox ? price.perMailbox : price.eurPerMonth;
      const free: Check['params'] = price.eurPerMonth === 0 ? { variant: 'free' } : variant;
      judgements.push(
        fits(eur)
          ? judged('budget', 'yes', { price: eur, ...free }, basis)
          : judged('budget', 'no', { price: eur, limit, ...variant }, basis, Math.min(1, (eur - limit) / Math.max(limit, 1))),
      );
    } else if (base !== undefined && !fits(perMailbox ? cents(base / count) : base)) {
      // The price of the mailboxes is unknown, but the plan alone already costs too much.
      const eur = perMailbox ? cents(base / count) : base;
      judgements.push(judged('budget', 'no', { price: eur, limit, ...variant }, [f.eurPerMonth], Math.min(1, (eur - limit) / Math.max(limit, 1))));
    } else {
      judgements.push(judged('budget', 'unknown', variant, []));
    }
  }

  if (needs.storage) {
    const need = needs.storage;
    const gb = f.storageGb;
    if (!isKnown(gb)) judgements.push(judged('storage', 'unknown', {}, []));
    else if (gb.value === null) judgements.push(judged('storage', 'yes', { variant: 'unlimited' }, [gb]));
    else {
      const enough = need.orMore ? gb.value > need.gb : gb.value >= need.gb;
      judgements.push(
        enough
          ? judged('storage', 'yes', { gb: gb.value }, [gb])
          : judged(
              'storage',
              'no',
              { gb: gb.value, needGb: need.gb, ...(need.orMore ? { variant: 'orMore' } : {}) },
              [gb],
              Math.max(0.01, (need.gb - gb.value) / need.gb),
            ),
      );
    }
  }

  if (needs.domain === 'have' || needs.domain === 'want') {
    const ownOnly = provider.facts.requiresOwnDomain;
    if (factValue(ownOnly) === true) judgements.push(judged('domain', 'yes', {}, [ownOnly]));
    else {
      const domain = factValue(f.customDomain);
      judgements.push(judged('domain', domain === undefined ? 'unknown' : domain ? 'yes' : 'no', {}, [f.customDomain]));
    }
  }

  if (needs.sync) {
    const sync = factValue(f.sync);
    if (sync === undefined) judgements.push(judged('groupware', 'unknown', {}, []));
    else if (sync === 'caldav') judgements.push(judged('groupware', 'yes', {}, [f.sync]));
    else judgements.push(judged('groupware', 'no', { variant: sync }, [f.sync]));
  }

  if (count > 1) {
    const params = { count };
    if (cost.verdict === 'unknown') judgements.push(judged('mailboxes', 'unknown', params, []));
    else if (cost.verdict === 'no') {
      judgements.push(
        judged('mailboxes', 'no', { ...params, included: cost.included }, [f.mailboxes, f.extraMailboxEurPerMonth], (count - cost.included) / count),
      );
    } else judgements.push(judged('mailboxes', 'yes', params, [f.mailboxes, f.extraMailboxEurPerMonth]));
  }

  if (needs.membershipOk === false) {
    const everyPlan = provider.facts.membershipRequired;
    const required = factValue(everyPlan) === true ? true : factValue(f.membershipRequired);
    const basis = factValue(everyPlan) === true ? [everyPlan] : [f.membershipRequired];
    // Judged as "no membership needed", so that "yes" reads as good news like every other check.
    judgements.push(judged('membership', required === undefined ? 'unknown' : required ? 'no' : 'yes', {}, basis));
  }

  if (needs.forWhom) {
    const who = needs.forWhom;
    const audience = factValue(f.audience);
    const params = { variant: who };
    if (audience === undefined) judgements.push(judged('audience', 'unknown', params, []));
    else if (!AUDIENCES_FOR[who].some((a) => audience.includes(a))) judgements.push(judged('audience', 'no', params, [f.audience]));
    else {
      // "Pour les familles ✓" only when the plan says so; a person's plan that suits a family is just "for you".
      judgements.push(judged('audience', 'yes', audience.includes(AUDIENCE_OF_WHO[who]) ? params : {}, [f.audience]));
    }
  }

  return { offer, index, price, judgements };
}

/** The needs judged once for the provider, whatever the plan. */
function judgeProvider(provider: Provider, needs: Needs): Judgement[] {
  const f = provider.facts;
  const judgements: Judgement[] = [];
  if (needs.domain === 'no' && factValue(f.requiresOwnDomain) === true) {
    judgements.push(judged('domain', 'no', { variant: 'required' }, [f.requiresOwnDomain]));
  }
  if (needs.location) {
    const wanted = needs.location;
    const country = factValue(f.country);
    judgements.push(
      country === undefined
        ? judged('location', 'unknown', { variant: wanted }, [])
        : judged('location', COUNTRIES_OF[wanted](country) ? 'yes' : 'no', { variant: wanted, country }, [f.country]),
    );
  }
  if (needs.humanHelp) {
    const human = factValue(f.humanSupport);
    const french = factValue(f.frenchSupport);
    const verdict: Verdict = human === true && french === true ? 'yes' : human === false || french === false ? 'no' : 'unknown';
    const params: Check['params'] = verdict === 'no' && human !== false ? { variant: 'notFrench' } : {};
    judgements.push(judged('humanHelp', verdict, params, [f.humanSupport, f.frenchSupport], 0, false));
  }
  return judgements;
}

/** The criteria in the order their checks are shown (most meaningful first). */
export const CRITERIA_ORDER: readonly CriterionId[] = [
  'budget',
  'storage',
  'domain',
  'location',
  'groupware',
  'mailboxes',
  'membership',
  'audience',
  'humanHelp',
];

/* ---- Choosing the offer that counts ---- */

interface Standing {
  offer: OfferVerdict;
  judgements: Judgement[];
  failed: Judgement[];
  unknown: CriterionId[];
}

function standing(offer: OfferVerdict, providerJudgements: Judgement[]): Standing {
  const judgements = [...providerJudgements, ...offer.judgements].sort(
    (a, b) => CRITERIA_ORDER.indexOf(a.check.criterion) - CRITERIA_ORDER.indexOf(b.check.criterion),
  );
  const hard = judgements.filter((j) => j.hard);
  return {
    offer,
    judgements,
    failed: hard.filter((j) => j.check.verdict === 'no'),
    unknown: hard.filter((j) => j.check.verdict === 'unknown').map((j) => j.check.criterion),
  };
}

const priceKey = (s: Standing) => s.offer.price?.eurPerMonth ?? Number.POSITIVE_INFINITY;
const shortfall = (s: Standing) => s.failed.reduce((sum, j) => sum + j.shortfall, 0);

/** Among offers not known to fail: known fits first, then fewer unknowns; the cheapest; the file's order. */
function compareCandidates(a: Standing, b: Standing): number {
  return a.unknown.length - b.unknown.length || compareNumbers(priceKey(a), priceKey(b)) || a.offer.index - b.offer.index;
}

/** Among failing offers: fewer failed needs, the smaller shortfall, fewer unknowns, the cheapest, the file's order. */
function compareMisses(a: Standing, b: Standing): number {
  return (
    a.failed.length - b.failed.length ||
    compareNumbers(shortfall(a), shortfall(b)) ||
    a.unknown.length - b.unknown.length ||
    compareNumbers(priceKey(a), priceKey(b)) ||
    a.offer.index - b.offer.index
  );
}

/* ---- Ranking ---- */

export function rankProviders(catalog: Catalog, answers: Answers, amounts: Amounts = {}): MatchResult {
  const needs = needsOf(answers, amounts);
  type Ranked = RankedProvider & { knownFacts: number; priceKey: number };
  type Missed = ExcludedProvider & { standing: Standing };
  const ranked: Ranked[] = [];
  const missed: Missed[] = [];

  for (const provider of catalog.providers) {
    const own = judgeProvider(provider, needs);
    const standings = provider.offers.map((offer, index) => standing(judgeOffer(provider, offer, index, needs), own));
    const candidates = standings.filter((s) => s.failed.length === 0).sort(compareCandidates);
    const best = candidates[0];
    if (!best) {
      const closest = [...standings].sort(compareMisses)[0]!;
      missed.push({
        providerId: provider.id,
        offerId: closest.offer.offer.id,
        price: closest.offer.price,
        because: closest.failed.map((j) => j.check),
        standing: closest,
      });
      continue;
    }
    ranked.push({
      providerId: provider.id,
      offerId: best.offer.offer.id,
      price: best.offer.price,
      unknown: best.unknown,
      score: softScore(provider, best, answers, needs, catalog),
      checks: checksToShow(best.judgements.map((j) => j.check)),
      knownFacts: knownFactCount(provider),
      priceKey: priceKey(best),
    });
  }

  ranked.sort(
    (a, b) =>
      a.unknown.length - b.unknown.length ||
      b.score - a.score ||
      compareNumbers(a.priceKey, b.priceKey) ||
      b.knownFacts - a.knownFacts ||
      compareIds(a.providerId, b.providerId),
  );
  const nearest = [...missed]
    .sort((a, b) => compareMisses(a.standing, b.standing) || compareIds(a.providerId, b.providerId))
    .slice(0, NEAREST_COUNT);
  const plain = ({ standing: _s, ...excluded }: Missed): ExcludedProvider => excluded;
  return {
    ranked: ranked.map(({ knownFacts: _k, priceKey: _p, ...provider }) => provider),
    excluded: [...missed].sort((a, b) => compareIds(a.providerId, b.providerId)).map(plain),
    nearest: nearest.map(plain),
    needs,
  };
}

/** The `page`-th group of MATCH_PAGE_SIZE ranked providers (0 = the first three). */
export function rankedPage(result: MatchResult, page: number): RankedProvider[] {
  return result.ranked.slice(page * MATCH_PAGE_SIZE, (page + 1) * MATCH_PAGE_SIZE);
}

/** The offer a ranked or excluded entry speaks of. */
export function offerOf(provider: Provider, offerId: string): Offer | undefined {
  return provider.offers.find((offer) => offer.id === offerId);
}

/** The host's cheapest offer known to hold `gb` per mailbox (for mail that does not fit the chosen one). */
export function cheapestOfferHolding(provider: Provider, gb: number): Offer | undefined {
  const holds = provider.offers.filter((offer) => {
    const storage = factValue(offer.facts.storageGb);
    return factValue(offer.facts.eurPerMonth) !== undefined && (storage === null || (storage !== undefined && storage >= gb));
  });
  return holds.sort((a, b) => factValue(a.facts.eurPerMonth)! - factValue(b.facts.eurPerMonth)! || compareIds(a.id, b.id))[0];
}

/* ---- Soft preferences ---- */

function softScore(provider: Provider, best: Standing, answers: Answers, needs: Needs, catalog: Catalog): number {
  const f = provider.facts;
  let score = easierMoveBonus(provider, best.offer.offer, answers, catalog);
  if (needs.humanHelp) {
    const points = (value: boolean | undefined) => (value === true ? HUMAN_HELP_WEIGHT / 2 : value === false ? HUMAN_HELP_NO / 2 : 0);
    const kind = factValue(f.kind);
    score +=
      points(factValue(f.humanSupport)) +
      points(factValue(f.frenchSupport)) +
      (kind !== undefined && kind !== 'company' ? HUMAN_HELP_KIND_BONUS : 0) +
      (factValue(f.chatons) === true ? HUMAN_HELP_CHATONS_BONUS : 0);
  }
  const who = needs.forWhom;
  if ((who === 'association' || who === 'family') && factValue(best.offer.offer.facts.audience)?.includes(AUDIENCE_OF_WHO[who])) {
    score += AUDIENCE_NICETY;
  }
  return score;
}

/** Points for what makes the move easier, shown in the move plan rather than as checks. */
function easierMoveBonus(provider: Provider, offer: Offer, answers: Answers, catalog: Catalog): number {
  const imap = factValue(offer.facts.imap) === true ? IMAP_BONUS : 0;
  const tool = factValue(provider.facts.importTool);
  const mail = tool?.from.mail;
  if (!tool || !mail) return imap;
  const old = answers.oldProvider;
  if (old === undefined) {
    // Not asked (yet): a tool that names old providers for mail is likely to read the person's.
    if (mail.some((source) => source !== 'anyImap')) return imap + IMPORT_TOOL_BONUS.namesOldProvider;
    return imap + (mail.includes('anyImap') ? IMPORT_TOOL_BONUS.anyImapOnly : 0);
  }
  if (old !== 'other' && mail.includes(old)) return imap + IMPORT_TOOL_BONUS.namesOldProvider;
  // The same rule as the move plan's: "any IMAP box" covers "other", not a provider that refuses passwords.
  const oldData = old === 'other' ? undefined : catalog.oldProvider(old);
  return imap + (importToolReach(tool, 'mail', oldData) ? IMPORT_TOOL_BONUS.anyImapOnly : 0);
}

function knownFactCount(provider: Provider): number {
  const facts = [...Object.values(provider.facts), ...provider.offers.flatMap((offer) => Object.values(offer.facts))];
  return facts.filter((fact) => isKnown(fact as Fact<unknown>)).length;
}

/** At most MAX_CHECKS_SHOWN, in criteria order; "yes" checks go first when some must go, from the end. */
function checksToShow(checks: Check[]): Check[] {
  const shown = [...checks];
  while (shown.length > MAX_CHECKS_SHOWN) {
    const lastYes = shown.map((c) => c.verdict).lastIndexOf('yes');
    shown.splice(lastYes >= 0 ? lastYes : shown.length - 1, 1);
  }
  return shown;
}

/* ---- Helpers ---- */

function hasDoubt(facts: ReadonlyArray<Fact<unknown> | undefined>): boolean {
  return facts.some((fact) => isKnown(fact) && fact.doubt !== undefined);
}

/** Numbers in order, Infinity (an unknown price) included, where subtracting would give NaN. */
function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Plain code-unit order, the same on every machine (localeCompare depends on the system's locale data). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
