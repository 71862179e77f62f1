/**
 * Matching: which destination providers fit a person's answers, best first, and why the others were left out.
 * Pure and deterministic: the same catalogue and answers always give the same result, in the same order.
 *
 * The rules
 * - Each criterion looks at one answer and judges a provider "yes", "no" or "unknown" (a fact we could not find).
 *   An answer of "dontKnow", or no answer, means the criterion is not judged at all and no check is shown.
 * - HARD criteria: one "no" leaves the provider out, and the failed checks are kept in `excluded[].because` so the
 *   bot can say why. "unknown" never leaves a provider out; it only scores lower than "yes" and shows as "?".
 *     budget      free → needs a free plan; about1 → free, or a plan at most 1.50 €/month; about5 → at most 6 €;
 *                 more → anything (only shown, as the price)
 *     domain      have/want → customDomain must not be "none"; with a free-only budget, "paidPlansOnly" is a "no"
 *                 too, with its own reason (a domain costs money there)
 *                 no → a provider whose mailboxes exist only on a domain of your own (requiresOwnDomain true:
 *                 Gandi) is a "no", with its own reason (variant "required"). Nothing is shown otherwise: not
 *                 needing a domain is the rule, so "false" and "unknown" are not judged (no check, no points)
 *     groupware   yes → calendar and contacts
 *     membership  no → must not require joining (membership)
 *     location    france → based in France; europe → in the EU, the EEA (Iceland, Liechtenstein, Norway) or Switzerland
 *     audience    business → must accept professional use (Disroot, for one, forbids commercial use)
 *     mailboxes   more than one → several mailboxes under one account
 * - SOFT criteria only move the score:
 *     storage     the space offered at that budget against the space needed (free plan, plans within budget, the
 *                 largest plan when the budget is open)
 *     humanHelp   yes → people to talk to, in French; plus a small bonus for associations, cooperatives and
 *                 CHATONS members, who tend to offer that kind of help
 *     audience    association/family → a small bonus when the provider says it is made for them
 * - Two small bonuses, whatever the answers, because they make the move itself easier: standard IMAP (the mail
 *   apps people already use keep working) and an import tool that reads the old provider's MAIL (`from.mail`:
 *   named, more; or "any IMAP box", less, and never for an old provider that refuses passwords, Outlook.com). A tool
 *   that only brings contacts or calendars from it earns nothing: copying the mail is the long part of a move.
 *   Without an answer about the old provider, a tool that names some old providers for mail counts as named.
 * - Ranking: score (high first), then fewer unknown checks, then more verified facts overall, then provider id.
 *   The bot shows them three at a time.
 * - Checks shown with a provider: the judged criteria in the order of CRITERIA below (most meaningful first), at
 *   most five; when there are more, "yes" checks are dropped before "?" and "✗", which are worth seeing.
 * - A verdict that rests on a fact with a `doubt` carries `params.unsure = 1`, so the user sees it is to be checked.
 * - `params.variant` picks a wording of the check (e.g. "free" for "gratuit ✓"); other params fill the sentence.
 */
import type { Amounts, Answers } from '../flows/questions.js';
import {
  factValue,
  importToolReach,
  isKnown,
  type Catalog,
  type Check,
  type CriterionId,
  type ExcludedProvider,
  type Fact,
  type MatchResult,
  type Provider,
  type RankedProvider,
  type Verdict,
} from './types.js';

/** The most a person is ready to pay, euros per month, for each budget answer. */
export const BUDGET_LIMIT_EUR_PER_MONTH = { free: 0, about1: 1.5, about5: 6, more: Number.POSITIVE_INFINITY } as const;

/** The space needed for each storage answer: `gb` at least, or more than `gb` when not `inclusive`. */
export const STORAGE_NEED = {
  under1: { gb: 1, inclusive: true },
  under5: { gb: 5, inclusive: true },
  under20: { gb: 20, inclusive: true },
  over20: { gb: 20, inclusive: false },
} as const;

/** EU member states, the other EEA states (IS, LI, NO) and Switzerland: ISO 3166-1 alpha-2. */
export const EUROPE_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  'IS', 'LI', 'NO',
  'CH',
]);

/** How many providers the bot shows at a time; "more" shows the next ones. */
export const MATCH_PAGE_SIZE = 3;
/** The most checks shown next to one provider. */
export const MAX_CHECKS_SHOWN = 5;

/** A judged criterion: what to show, whether a "no" leaves the provider out, and what it adds to the score. */
interface Judgement {
  check: Check;
  hard: boolean;
  points: number;
}
type Judge = (provider: Provider, answers: Answers) => Judgement | undefined;

/** How much each criterion counts: where the money, the address and the country are, first. */
const WEIGHT: Record<CriterionId, number> = {
  budget: 3,
  domain: 3,
  location: 3,
  storage: 2,
  groupware: 2,
  mailboxes: 2,
  membership: 2,
  audience: 2,
  humanHelp: 2,
};
/** "Made for associations/families" is a nicety, not a need: half the audience weight. */
const AUDIENCE_NICETY_WEIGHT = 1;

/** Points: a criterion's weight times these. Kept as integers so scores compare exactly. */
const POINTS = { yes: 10, hardUnknown: 4, softUnknown: 0, softNo: -5 } as const;
const HUMAN_HELP_KIND_BONUS = 5;
const HUMAN_HELP_CHATONS_BONUS = 5;
const IMAP_BONUS = 3;
const IMPORT_TOOL_BONUS = { namesOldProvider: 4, anyImapOnly: 2 } as const;

/* ---- The criteria, in the order their checks are shown ---- */

const judgeBudget: Judge = (provider, answers) => {
  const budget = answers.budget;
  if (budget === undefined || budget === 'dontKnow') return undefined;
  const { free: freeFact, cheapestPaidEurPerMonth: priceFact } = provider.facts;
  const free = factValue(freeFact);
  const price = factValue(priceFact);
  const limit = BUDGET_LIMIT_EUR_PER_MONTH[budget];
  const hard = (verdict: Verdict, params: Check['params'], ...basis: Fact<unknown>[]) =>
    judgement('budget', verdict, params, WEIGHT.budget, true, basis);

  if (budget === 'more') {
    // Anything fits: the check only tells the price, when we know it.
    if (typeof price === 'number') return hard('yes', { price }, priceFact);
    return free === true ? hard('yes', { variant: 'free' }, freeFact) : undefined;
  }
  if (free === true) return hard('yes', { variant: 'free' }, freeFact);
  if (typeof price === 'number' && price <= limit) return hard('yes', { price }, priceFact);
  if (free === false && budget === 'free') return hard('no', { variant: 'noFree' }, freeFact);
  if (free === false && typeof price === 'number') return hard('no', { price }, freeFact, priceFact);
  return hard('unknown', {});
};

const judgeStorage: Judge = (provider, answers) => {
  const need = answers.storage && answers.storage !== 'dontKnow' ? STORAGE_NEED[answers.storage] : undefined;
  if (!need) return undefined;
  const { atLeast, atMost } = storageWithinBudget(provider, answers.budget);
  const enough = (gb: number) => (need.inclusive ? gb >= need.gb : gb > need.gb);
  const soft = (verdict: Verdict, bound?: StorageBound) => {
    const params: Check['params'] =
      bound === undefined ? {} : bound.gb === Number.POSITIVE_INFINITY ? { variant: 'unlimited' } : { gb: bound.gb };
    return judgement('storage', verdict, params, WEIGHT.storage, false, bound?.basis ?? []);
  };

  if (atLeast !== undefined && enough(atLeast.gb)) return soft('yes', atLeast);
  if (atMost !== undefined && !enough(atMost.gb)) return soft('no', atMost);
  return soft('unknown');
};

/** A storage figure and the facts it was read from. */
interface StorageBound {
  gb: number;
  basis: Fact<unknown>[];
}

/**
 * The storage a provider offers within a budget, as bounds: `atLeast` is sure to be had, `atMost` cannot be
 * exceeded. A price cap lets in the cheapest plan but maybe also bigger ones, so only the largest plan (or the free
 * plan, for a free-only budget) bounds it from above. "Unlimited" is +Infinity.
 */
function storageWithinBudget(
  provider: Provider,
  budget: Answers['budget'],
): { atLeast?: StorageBound; atMost?: StorageBound } {
  const f = provider.facts;
  const bound = (fact: Fact<number | null>, ...alsoBasis: Fact<unknown>[]): StorageBound | undefined => {
    const gb = factValue(fact);
    return gb === undefined ? undefined : { gb: gb ?? Number.POSITIVE_INFINITY, basis: [fact, ...alsoBasis] };
  };
  const freePlan = factValue(f.free) === true ? bound(f.freeStorageGb, f.free) : undefined;
  const largestPlan = bound(f.maxStorageGb);

  if (budget === 'free') return { atLeast: freePlan, atMost: freePlan };
  const limit = budget === 'about1' || budget === 'about5' ? BUDGET_LIMIT_EUR_PER_MONTH[budget] : Number.POSITIVE_INFINITY;
  const price = factValue(f.cheapestPaidEurPerMonth);
  const cheapestPlan =
    typeof price === 'number' && price <= limit ? bound(f.paidStorageGb, f.cheapestPaidEurPerMonth) : undefined;
  const candidates = [freePlan, cheapestPlan, limit === Number.POSITIVE_INFINITY ? largestPlan : undefined].filter(
    (b): b is StorageBound => b !== undefined,
  );
  const atLeast = candidates.reduce<StorageBound | undefined>(
    (best, b) => (best === undefined || b.gb > best.gb ? b : best),
    undefined,
  );
  return { atLeast, atMost: largestPlan };
}

const judgeDomain: Judge = (provider, answers) => {
  if (answers.domain === 'no') {
    // Only a provider known to require a domain is judged: the others are what everyone expects.
    const fact = provider.facts.requiresOwnDomain;
    return factValue(fact) === true
      ? judgement('domain', 'no', { variant: 'required' }, WEIGHT.domain, true, [fact])
      : undefined;
  }
  if (answers.domain !== 'have' && answers.domain !== 'want') return undefined;
  const fact = provider.facts.customDomain;
  const hard = (verdict: Verdict, variant?: string) =>
    judgement('domain', verdict, variant ? { variant } : {}, WEIGHT.domain, true, [fact]);
  switch (factValue(fact)) {
    case 'allPlans':
      return hard('yes');
    case 'paidPlansOnly':
      // Someone who wants it free cannot have their own domain here: that is the reason to give.
      return answers.budget === 'free' ? hard('no', 'paidOnly') : hard('yes', 'paid');
    case 'none':
      return hard('no');
    default:
      return hard('unknown');
  }
};

const judgeLocation: Judge = (provider, answers) => {
  const wanted = answers.location;
  if (wanted !== 'france' && wanted !== 'europe') return undefined;
  const fact = provider.facts.country;
  const country = factValue(fact);
  if (country === undefined) return judgement('location', 'unknown', { variant: wanted }, WEIGHT.location, true, []);
  const fits = wanted === 'france' ? country === 'FR' : EUROPE_COUNTRIES.has(country);
  return judgement('location', fits ? 'yes' : 'no', { variant: wanted, country }, WEIGHT.location, true, [fact]);
};

const judgeGroupware: Judge = (provider, answers) =>
  answers.groupware === 'yes' ? booleanJudgement('groupware', provider.facts.calendarContacts) : undefined;

const judgeMailboxes: Judge = (provider, answers) => {
  const several = answers.mailboxes === 'upTo5' || answers.mailboxes === 'upTo20' || answers.mailboxes === 'moreThan20';
  return several ? booleanJudgement('mailboxes', provider.facts.multipleMailboxes) : undefined;
};

const judgeMembership: Judge = (provider, answers) => {
  if (answers.membership !== 'no') return undefined;
  // Judged as "no membership needed", so that "yes" reads as good news like every other check.
  return booleanJudgement('membership', provider.facts.membershipRequired, { negate: true });
};

const judgeAudience: Judge = (provider, answers) => {
  const fact = provider.facts.audience;
  const audience = factValue(fact);
  const who = answers.forWhom;
  if (who === 'business') {
    // Hard: some providers forbid commercial use outright.
    const verdict: Verdict = audience === undefined ? 'unknown' : audience.includes('business') ? 'yes' : 'no';
    return judgement('audience', verdict, { variant: 'business' }, WEIGHT.audience, true, [fact]);
  }
  if ((who === 'association' || who === 'family') && audience?.includes(who)) {
    // Soft, and shown only when it helps: a list that does not name them may just be incomplete.
    return judgement('audience', 'yes', { variant: who }, AUDIENCE_NICETY_WEIGHT, false, [fact]);
  }
  return undefined;
};

const judgeHumanHelp: Judge = (provider, answers) => {
  if (answers.humanHelp !== 'yes') return undefined;
  const f = provider.facts;
  const human = factValue(f.humanSupport);
  const french = factValue(f.frenchSupport);
  const weight = WEIGHT.humanHelp;
  // Human help and French each count for half the criterion.
  const pointsFor = (value: boolean | undefined) =>
    value === true ? (weight * POINTS.yes) / 2 : value === false ? (weight * POINTS.softNo) / 2 : 0;
  const kind = factValue(f.kind);
  const bonus =
    (kind !== undefined && kind !== 'company' ? HUMAN_HELP_KIND_BONUS : 0) +
    (factValue(f.chatons) === true ? HUMAN_HELP_CHATONS_BONUS : 0);
  const verdict: Verdict =
    human === true && french === true ? 'yes' : human === false || french === false ? 'no' : 'unknown';
  const params: Check['params'] = verdict === 'no' && human !== false ? { variant: 'notFrench' } : {};
  if (verdict !== 'unknown' && hasDoubt([f.humanSupport, f.frenchSupport])) params.unsure = 1;
  const points = pointsFor(human) + pointsFor(french) + bonus;
  return { check: { criterion: 'humanHelp', verdict, params }, hard: false, points };
};

const CRITERIA: ReadonlyArray<{ id: CriterionId; judge: Judge }> = [
  { id: 'budget', judge: judgeBudget },
  { id: 'storage', judge: judgeStorage },
  { id: 'domain', judge: judgeDomain },
  { id: 'location', judge: judgeLocation },
  { id: 'groupware', judge: judgeGroupware },
  { id: 'mailboxes', judge: judgeMailboxes },
  { id: 'membership', judge: judgeMembership },
  { id: 'audience', judge: judgeAudience },
  { id: 'humanHelp', judge: judgeHumanHelp },
];

/** The criteria in the order their checks are shown (most meaningful first). */
export const CRITERIA_ORDER: readonly CriterionId[] = CRITERIA.map((c) => c.id);

/** Points for what makes the move easier, shown in the move plan rather than as checks. */
function easierMoveBonus(provider: Provider, answers: Answers, catalog: Catalog): number {
  const imap = factValue(provider.facts.imap) === true ? IMAP_BONUS : 0;
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
  return Object.values(provider.facts).filter((fact) => isKnown(fact as Fact<unknown>)).length;
}

/* ---- Ranking ---- */

export function rankProviders(catalog: Catalog, answers: Answers, _amounts: Amounts = {}): MatchResult {
  const ranked: Array<RankedProvider & { unknowns: number; knownFacts: number }> = [];
  const excluded: ExcludedProvider[] = [];

  for (const provider of catalog.providers) {
    const judgements = CRITERIA.flatMap(({ judge }) => judge(provider, answers) ?? []);
    const failed = judgements.filter((j) => j.hard && j.check.verdict === 'no').map((j) => j.check);
    if (failed.length > 0) {
      excluded.push({ providerId: provider.id, because: failed });
      continue;
    }
    ranked.push({
      providerId: provider.id,
      score: judgements.reduce((sum, j) => sum + j.points, 0) + easierMoveBonus(provider, answers, catalog),
      checks: checksToShow(judgements.map((j) => j.check)),
      unknowns: judgements.filter((j) => j.check.verdict === 'unknown').length,
      knownFacts: knownFactCount(provider),
    });
  }

  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      a.unknowns - b.unknowns ||
      b.knownFacts - a.knownFacts ||
      compareIds(a.providerId, b.providerId),
  );
  excluded.sort((a, b) => compareIds(a.providerId, b.providerId));
  return { ranked: ranked.map(({ unknowns: _u, knownFacts: _k, ...provider }) => provider), excluded };
}

/** The `page`-th group of MATCH_PAGE_SIZE ranked providers (0 = the first three). */
export function rankedPage(result: MatchResult, page: number): RankedProvider[] {
  return result.ranked.slice(page * MATCH_PAGE_SIZE, (page + 1) * MATCH_PAGE_SIZE);
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

function judgement(
  criterion: CriterionId,
  verdict: Verdict,
  params: Check['params'],
  weight: number,
  hard: boolean,
  basis: ReadonlyArray<Fact<unknown>>,
): Judgement {
  const shownParams = verdict !== 'unknown' && hasDoubt(basis) ? { ...params, unsure: 1 } : params;
  return { check: { criterion, verdict, params: shownParams }, hard, points: weight * pointsPerWeight(verdict, hard) };
}

function hasDoubt(facts: ReadonlyArray<Fact<unknown>>): boolean {
  return facts.some((fact) => isKnown(fact) && fact.doubt !== undefined);
}

function pointsPerWeight(verdict: Verdict, hard: boolean): number {
  if (verdict === 'yes') return POINTS.yes;
  if (verdict === 'unknown') return hard ? POINTS.hardUnknown : POINTS.softUnknown;
  return hard ? 0 : POINTS.softNo; // a hard "no" excludes, its points never count
}

/** A hard criterion that is simply a yes/no fact ("yes" when the fact is true, or false with `negate`). */
function booleanJudgement(criterion: CriterionId, fact: Fact<boolean>, { negate = false } = {}): Judgement {
  const value = factValue(fact);
  const verdict: Verdict = value === undefined ? 'unknown' : value !== negate ? 'yes' : 'no';
  return judgement(criterion, verdict, {}, WEIGHT[criterion], true, [fact]);
}

/** Plain code-unit order, the same on every machine (localeCompare depends on the system's locale data). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
