/**
 * Sentences about the catalogue: a provider's checks ("gratuit ✓ · 20 Go ✓ · Suisse ✓"), what a provider is
 * ("association · France · membre des CHATONS"), the offer that counts ("Formule « Posteo » : 1 €/mois · 2 Go par
 * boîte"), the recommendation, and why a provider was left out. Every word comes from
 * locales/<lang>/catalog.json; what comes out is markup (./markup.ts), with interpolated values escaped by i18next.
 *
 * A check's `params.variant` picks a wording through i18next's context (`checks.budget.yes` + variant "free" →
 * `checks.budget.yes_free`, falling back to `checks.budget.yes`); `params.country` is a country code, shown by its
 * name; `params.unsure` adds a "to be checked" mark because the fact behind the verdict has a doubt.
 */
import { CRITERIA_ORDER, offerOf } from '../catalog/match.js';
import type {
  Catalog,
  Check,
  CriterionId,
  ExcludedProvider,
  MatchResult,
  Offer,
  OfferPrice,
  Provider,
} from '../catalog/types.js';
import { factValue } from '../catalog/types.js';
import type { Translate } from './i18n.js';

const CHECK_SEPARATOR = ' · ';

/** One check, e.g. "gratuit ✓", "20 Go ✓", "Suisse (Europe) ✓", "prix ?". */
export function renderCheck(check: Check, t: Translate): string {
  const text = t(`catalog:checks.${check.criterion}.${check.verdict}`, sentenceParams(check, t));
  return check.params.unsure ? `${text} ${t('catalog:unsureMark')}` : text;
}

/** A provider's checks on one line, joined with " · ". */
export function renderChecks(checks: readonly Check[], t: Translate): string {
  return checks.map((check) => renderCheck(check, t)).join(CHECK_SEPARATOR);
}

/** What the provider is, from what we know: kind · country · CHATONS membership. */
export function renderProviderLine(provider: Provider, t: Translate): string {
  const kind = factValue(provider.facts.kind);
  const country = factValue(provider.facts.country);
  const parts = [
    kind && t(`catalog:kinds.${kind}`),
    country && countryName(country, t),
    factValue(provider.facts.chatons) === true && t('catalog:providerLine.chatons'),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length > 0 ? parts.join(CHECK_SEPARATOR) : t('catalog:providerLine.nothingKnown');
}

/** Why a provider was left out: a title line, the plan that came closest, then one short sentence per failed need. */
export function renderExclusion(excluded: ExcludedProvider, provider: Provider, t: Translate): string {
  const offer = offerOf(provider, excluded.offerId);
  const reasons = excluded.because.map((check) => {
    const sentence = t(`catalog:exclusion.${check.criterion}`, sentenceParams(check, t));
    return `• ${check.params.unsure ? `${sentence} ${t('catalog:unsureMark')}` : sentence}`;
  });
  return [
    t('catalog:exclusion.intro', { name: provider.name }),
    ...(offer ? [t('catalog:exclusion.closest', { offer: offer.name })] : []),
    ...reasons,
  ].join('\n');
}

/** What the recommendation prompt shows for one page of providers. */
export interface RecommendationsView {
  match: MatchResult;
  /** The providers of this page, best first. */
  providers: readonly string[];
  page: number;
  pageSize: number;
  catalog: Catalog;
}

/**
 * The recommendation: an intro, then each provider of the page with what it is, the offer that counts (its name,
 * its price for the mailboxes needed, its storage), its checks, what is still to ask the host when a deciding fact
 * is unknown, and its sign-up link. When nothing fits: what could not be had together, and the closest misses with
 * what each lacks.
 */
export function renderRecommendations(view: RecommendationsView, t: Translate): string {
  const { match, providers, page, pageSize, catalog } = view;
  if (match.ranked.length === 0) return renderNothingFits(match, catalog, t);
  const blocks = providers.map((id, i) => {
    const provider = catalog.provider(id)!;
    const ranked = match.ranked.find((r) => r.providerId === id);
    const offer = ranked ? offerOf(provider, ranked.offerId) : undefined;
    return [
      t('guide:recommendations.provider', { number: page * pageSize + i + 1, name: provider.name }),
      renderProviderLine(provider, t),
      offer && ranked ? renderOfferLine(offer, ranked.price, t) : '',
      ranked ? renderChecks(ranked.checks, t) : '',
      ranked && ranked.unknown.length > 0 ? renderUnverified(ranked.unknown, t) : '',
      t('guide:recommendations.signup', { url: provider.signupUrl }),
    ]
      .filter(Boolean)
      .join('\n');
  });
  // "N hosts fit you" counts only those known to fit; when none is, say so rather than promise.
  const knownFits = match.ranked.filter((r) => r.unknown.length === 0).length;
  const intro =
    page > 0
      ? t('guide:recommendations.more')
      : knownFits > 0
        ? t('guide:recommendations.intro', { count: knownFits })
        : t('catalog:recommendation.introUnverified');
  return [intro, ...blocks, t('guide:recommendations.ask')].join('\n\n');
}

/** "Formule « Mail Basic » : 4 €/mois pour 4 boîtes (1 € par boîte) · 2 Go par boîte". */
export function renderOfferLine(offer: Offer, price: OfferPrice | undefined, t: Translate): string {
  const priceText = !price
    ? t('catalog:recommendation.price_unknown')
    : price.eurPerMonth === 0
      ? t('catalog:recommendation.price_free')
      : price.mailboxes > 1
        ? t('catalog:recommendation.price_several', { total: price.eurPerMonth, perMailbox: price.perMailbox, count: price.mailboxes })
        : t('catalog:recommendation.price', { total: price.eurPerMonth });
  const storage = factValue(offer.facts.storageGb);
  const storageText =
    storage === undefined
      ? t('catalog:recommendation.storage_unknown')
      : storage === null
        ? t('catalog:recommendation.storage_unlimited')
        : t('catalog:recommendation.storage', { gb: storage });
  return [t('catalog:recommendation.offer', { name: offer.name, price: priceText }), storageText].join(CHECK_SEPARATOR);
}

/** "À demander à l'hébergeur : le pays, le prix." */
function renderUnverified(unknown: readonly CriterionId[], t: Translate): string {
  return t('catalog:recommendation.unverified', { what: unknown.map((c) => t(`catalog:unknownNames.${c}`)).join(', ') });
}

/**
 * Nothing fits: "Aucun hébergeur de ma liste ne fait 25 Go pour 1 €/mois. Voici les plus proches…", then each of
 * the nearest misses with its closest plan and what it lacks.
 */
function renderNothingFits(match: MatchResult, catalog: Catalog, t: Translate): string {
  if (match.nearest.length === 0) return t('guide:recommendations.none');
  const { parts, budget } = describeMissedNeeds(match, t);
  const intro = parts
    ? t('catalog:recommendation.nothingFits', { what: [parts, budget].filter(Boolean).join(' ') })
    : budget
      ? t('catalog:recommendation.nothingFitsBudget', { what: budget })
      : t('catalog:recommendation.nothingFitsAtAll');
  const lines = match.nearest.map((near) => {
    const provider = catalog.provider(near.providerId)!;
    const offer = offerOf(provider, near.offerId);
    return `• ${t('catalog:recommendation.nearest', {
      name: provider.name,
      offer: offer?.name ?? near.offerId,
      lacks: renderChecks(near.because, t),
    })}`;
  });
  return [intro, lines.join('\n'), t('catalog:recommendation.changeAnswer')].join('\n\n');
}

/**
 * "25 Go pour 1 €/mois": the needs the nearest misses failed, in words, and the budget (the price is always what
 * the rest is weighed against) last.
 */
function describeMissedNeeds(match: MatchResult, t: Translate): { parts: string; budget: string } {
  const failed = new Set(match.nearest.flatMap((near) => near.because.map((check) => check.criterion)));
  const { needs } = match;
  const phrase = (criterion: CriterionId, params: Record<string, unknown> = {}) => t(`catalog:needs.${criterion}`, params);
  const parts: string[] = [];
  for (const criterion of CRITERIA_ORDER) {
    if (!failed.has(criterion) || criterion === 'budget') continue;
    switch (criterion) {
      case 'storage':
        if (needs.storage) parts.push(phrase(criterion, { needGb: needs.storage.gb, ...(needs.storage.orMore ? { context: 'orMore' } : {}) }));
        break;
      case 'mailboxes':
        if (needs.mailboxes) parts.push(phrase(criterion, { count: needs.mailboxes.count }));
        break;
      case 'domain':
        parts.push(phrase(criterion, needs.domain === 'no' ? { context: 'required' } : {}));
        break;
      case 'location':
        parts.push(phrase(criterion, needs.location ? { context: needs.location } : {}));
        break;
      case 'audience':
        parts.push(phrase(criterion, needs.forWhom ? { context: needs.forWhom } : {}));
        break;
      default:
        parts.push(phrase(criterion));
    }
  }
  const budget = needs.budget;
  const context = !budget
    ? undefined
    : budget.perMailbox
      ? budget.exclusive
        ? 'perMailboxUnder'
        : 'perMailbox'
      : budget.exclusive
        ? 'under'
        : budget.eurPerMonth === 0
          ? 'free'
          : undefined;
  const budgetPhrase = budget ? phrase('budget', { limit: budget.eurPerMonth, ...(context ? { context } : {}) }) : '';
  return { parts: parts.join(', '), budget: budgetPhrase };
}

/** A country's name in the reader's language; the code itself if the locale does not have it yet. */
export function countryName(code: string, t: Translate): string {
  return t(`catalog:countries.${code}`, { defaultValue: code });
}

/** The interpolation values of a check's sentence: its params, with the variant as context and names for codes. */
function sentenceParams(check: Check, t: Translate): Record<string, unknown> {
  const { variant, country, unsure: _unsure, ...values } = check.params;
  return {
    ...values,
    ...(country !== undefined ? { country: countryName(String(country), t) } : {}),
    ...(variant !== undefined ? { context: String(variant) } : {}),
  };
}
