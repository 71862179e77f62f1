/**
 * Sentences about the catalogue: a provider's checks ("gratuit ✓ · 20 Go ✓ · Suisse ✓"), what a provider is
 * ("association · France · membre des CHATONS") and why it was left out. Every word comes from
 * locales/<lang>/catalog.json; what comes out is markup (./markup.ts), with interpolated values escaped by i18next.
 *
 * A check's `params.variant` picks a wording through i18next's context (`checks.budget.yes` + variant "free" →
 * `checks.budget.yes_free`, falling back to `checks.budget.yes`); `params.country` is a country code, shown by its
 * name; `params.unsure` adds a "to be checked" mark because the fact behind the verdict has a doubt.
 */
import type { Catalog, Check, ExcludedProvider, MatchResult, Provider } from '../catalog/types.js';
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

/** Why a provider was left out: a title line, then one short sentence per failed check. */
export function renderExclusion(excluded: ExcludedProvider, provider: Provider, t: Translate): string {
  const reasons = excluded.because.map((check) => {
    const sentence = t(`catalog:exclusion.${check.criterion}`, sentenceParams(check, t));
    return `• ${check.params.unsure ? `${sentence} ${t('catalog:unsureMark')}` : sentence}`;
  });
  return [t('catalog:exclusion.intro', { name: provider.name }), ...reasons].join('\n');
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

/** The recommendation: an intro, then each provider of the page with what it is, its checks and its sign-up link. */
export function renderRecommendations(view: RecommendationsView, t: Translate): string {
  const { match, providers, page, pageSize, catalog } = view;
  if (match.ranked.length === 0) return t('guide:recommendations.none');
  const blocks = providers.map((id, i) => {
    const provider = catalog.provider(id)!;
    const ranked = match.ranked.find((r) => r.providerId === id);
    return [
      t('guide:recommendations.provider', { number: page * pageSize + i + 1, name: provider.name }),
      renderProviderLine(provider, t),
      ranked ? renderChecks(ranked.checks, t) : '',
      t('guide:recommendations.signup', { url: provider.signupUrl }),
    ]
      .filter(Boolean)
      .join('\n');
  });
  const intro = page === 0 ? t('guide:recommendations.intro', { count: match.ranked.length }) : t('guide:recommendations.more');
  return [intro, ...blocks, t('guide:recommendations.ask')].join('\n\n');
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
