import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { CRITERIA_ORDER, EUROPE_COUNTRIES, rankProviders } from '../../src/catalog/match.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Check, Verdict } from '../../src/catalog/types.js';
import { QUESTIONS, type Answers } from '../../src/flows/questions.js';
import { LANGUAGES, LOCALES_DIR, createTexts } from '../../src/render/i18n.js';
import { plainText } from '../../src/render/markup.js';
import {
  countryName,
  renderCheck,
  renderChecks,
  renderExclusion,
  renderProviderLine,
} from '../../src/render/catalog-text.js';
import { known, provider } from './helpers.js';

const texts = createTexts();
const fr = texts.t('fr');
const en = texts.t('en');
const VERDICTS: Verdict[] = ['yes', 'no', 'unknown'];

/** Every key path of a nested JSON object, e.g. "checks.budget.yes". */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}
const localeKeys = (lang: string) => keyPaths(JSON.parse(readFileSync(`${LOCALES_DIR}${lang}/catalog.json`, 'utf8'))).sort();

/** Every kind of check the matching produces on the real data, over many answers (computed once). */
const producedChecks = (() => {
  let cache: Check[] | undefined;
  return (): Check[] => (cache ??= collectChecks());
})();

function collectChecks(): Check[] {
  const catalog = loadCatalog();
  const seen = new Map<string, Check>();
  const questions = ['forWhom', 'storage', 'domain', 'budget', 'location'] as const;
  const extras: Answers[] = [{}, { groupware: 'yes', humanHelp: 'yes', membership: 'no', mailboxes: 'upTo5' }];
  const visit = (index: number, answers: Answers): void => {
    if (index === questions.length) {
      for (const extra of extras) {
        const result = rankProviders(catalog, { ...answers, ...extra });
        for (const check of [...result.ranked.flatMap((r) => r.checks), ...result.excluded.flatMap((e) => e.because)]) {
          seen.set(`${check.criterion}.${check.verdict}.${check.params.variant ?? ''}.${check.params.unsure ?? ''}`, check);
        }
      }
      return;
    }
    for (const choice of QUESTIONS[questions[index]!]) visit(index + 1, { ...answers, [questions[index]!]: choice });
  };
  visit(0, {});
  return [...seen.values()];
}

describe('locales/*/catalog.json', () => {
  it('has exactly the same keys in French and English', () => {
    expect(localeKeys('en')).toEqual(localeKeys('fr'));
  });

  it('has a check sentence for every criterion and verdict, in both languages', () => {
    for (const lang of LANGUAGES) {
      for (const criterion of CRITERIA_ORDER) {
        for (const verdict of VERDICTS) {
          expect(texts.has(`catalog:checks.${criterion}.${verdict}`, lang), `${lang} ${criterion}.${verdict}`).toBe(true);
        }
        expect(texts.has(`catalog:exclusion.${criterion}`, lang), `${lang} exclusion.${criterion}`).toBe(true);
      }
    }
  });

  it('has a wording for every variant the matching produces, checks and exclusions', () => {
    for (const check of producedChecks()) {
      const variant = check.params.variant;
      if (variant === undefined) continue;
      for (const lang of LANGUAGES) {
        const checkKey = `catalog:checks.${check.criterion}.${check.verdict}_${variant}`;
        const base = `catalog:checks.${check.criterion}.${check.verdict}`;
        expect(texts.has(checkKey, lang) || texts.has(base, lang), `${lang} ${checkKey}`).toBe(true);
        if (check.verdict === 'no') {
          expect(texts.has(`catalog:exclusion.${check.criterion}_${variant}`, lang) || texts.has(`catalog:exclusion.${check.criterion}`, lang)).toBe(true);
        }
      }
    }
  });

  it('names every European country in both languages', () => {
    for (const code of EUROPE_COUNTRIES) {
      expect(texts.has(`catalog:countries.${code}`, 'fr'), code).toBe(true);
      expect(texts.has(`catalog:countries.${code}`, 'en'), code).toBe(true);
    }
  });
});

describe('renderCheck', () => {
  it('writes short checks with the ✓ ✗ ? symbols', () => {
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { variant: 'free' } }, fr)).toBe('gratuit ✓');
    expect(renderCheck({ criterion: 'storage', verdict: 'yes', params: { gb: 20 } }, fr)).toBe('20 Go ✓');
    expect(renderCheck({ criterion: 'location', verdict: 'yes', params: { variant: 'europe', country: 'CH' } }, fr)).toBe('Suisse (Europe) ✓');
    expect(renderCheck({ criterion: 'domain', verdict: 'no', params: { variant: 'paidOnly' } }, fr)).toBe('nom de domaine payant ✗');
    expect(renderCheck({ criterion: 'groupware', verdict: 'unknown', params: {} }, fr)).toBe('agenda et contacts ?');
    expect(renderCheck({ criterion: 'location', verdict: 'yes', params: { variant: 'europe', country: 'CH' } }, en)).toBe('Switzerland (Europe) ✓');
  });

  it('writes prices the way each language does', () => {
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { price: 3.5 } }, fr)).toBe('3,50 €/mois ✓');
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { price: 1 } }, fr)).toBe('1 €/mois ✓');
    expect(renderCheck({ criterion: 'budget', verdict: 'no', params: { price: 4.79 } }, en)).toBe('€4.79/month ✗');
  });

  it('says when the fact behind a verdict is to be checked', () => {
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { variant: 'free', unsure: 1 } }, fr)).toBe('gratuit ✓ (à vérifier)');
  });

  it('never shows a raw key, for any check the matching produces', () => {
    for (const check of producedChecks()) {
      for (const t of [fr, en]) {
        const text = renderCheck(check, t);
        expect(text, JSON.stringify(check)).not.toMatch(/catalog:|checks\.|\{\{/);
        expect(text).toMatch(/[✓✗?]/);
      }
    }
  });

  it('joins checks with " · "', () => {
    const checks: Check[] = [
      { criterion: 'budget', verdict: 'yes', params: { variant: 'free' } },
      { criterion: 'storage', verdict: 'yes', params: { gb: 20 } },
      { criterion: 'location', verdict: 'yes', params: { variant: 'france', country: 'CH' } },
    ];
    expect(renderChecks(checks, fr)).toBe('gratuit ✓ · 20 Go ✓ · Suisse ✓');
  });
});

describe('renderProviderLine', () => {
  it('says what the provider is: kind · country · CHATONS', () => {
    const p = provider('kitten', { kind: known('association'), country: known('FR'), chatons: known(true) });
    expect(renderProviderLine(p, fr)).toBe('association · France · membre des CHATONS');
    expect(renderProviderLine(p, en)).toBe('association · France · CHATONS member');
  });

  it('admits when little is known', () => {
    expect(renderProviderLine(provider('blank'), fr)).toBe("peu d'informations vérifiées");
  });
});

describe('renderExclusion', () => {
  it('gives one short sentence per failed check, under the provider name', () => {
    const p = { ...provider('posteo'), name: 'Posteo' };
    const text = renderExclusion(
      {
        providerId: 'posteo',
        because: [
          { criterion: 'budget', verdict: 'no', params: { variant: 'noFree' } },
          { criterion: 'domain', verdict: 'no', params: {} },
          { criterion: 'location', verdict: 'no', params: { variant: 'france', country: 'DE' } },
        ],
      },
      p,
      fr,
    );
    expect(text.split('\n')).toEqual([
      "Pourquoi **Posteo** n'a pas été retenu :",
      "• Il n'a pas de formule gratuite.",
      '• On ne peut pas y utiliser son propre nom de domaine.',
      '• Il est installé hors de France (Allemagne).',
    ]);
  });

  it('explains a domain that costs money to someone who wants it free', () => {
    const text = renderExclusion({ providerId: 'x', because: [{ criterion: 'domain', verdict: 'no', params: { variant: 'paidOnly' } }] }, provider('x'), en);
    expect(text).toContain('Your own domain name is only possible there with a paid plan');
  });

  it('tells someone without a domain that the provider only gives mailboxes on a domain of their own', () => {
    const because: Check[] = [{ criterion: 'domain', verdict: 'no', params: { variant: 'required', unsure: 1 } }];
    const frText = renderExclusion({ providerId: 'gandi', because }, { ...provider('gandi'), name: 'Gandi' }, fr);
    expect(frText.split('\n')[1]).toBe("• Il ne crée de boîtes mail que sur un nom de domaine à vous, et vous n'en avez pas. (à vérifier)");
    expect(renderExclusion({ providerId: 'gandi', because }, provider('gandi'), en)).toContain('only gives mailboxes on a domain name of your own');
    expect(renderCheck({ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }, fr)).toBe('nom de domaine à vous obligatoire ✗');
    expect(renderCheck({ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }, en)).toBe('own domain required ✗');
  });

  it('escapes the provider name so it cannot add formatting', () => {
    const text = renderExclusion({ providerId: 'x', because: [] }, { ...provider('x'), name: 'Star*Mail' }, fr);
    expect(plainText(text)).toBe("Pourquoi Star*Mail n'a pas été retenu :");
  });
});

describe('countryName', () => {
  it('falls back to the code for a country the locales do not name yet', () => {
    expect(countryName('FR', fr)).toBe('France');
    expect(countryName('ZZ', fr)).toBe('ZZ');
  });
});
