import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { CRITERIA_ORDER, EUROPE_COUNTRIES, rankProviders, rankedPage } from '../../src/catalog/match.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Check, Verdict } from '../../src/catalog/types.js';
import { QUESTIONS, type Amounts, type Answers } from '../../src/flows/questions.js';
import { LANGUAGES, LOCALES_DIR, createTexts } from '../../src/render/i18n.js';
import { plainText } from '../../src/render/markup.js';
import {
  countryName,
  renderCheck,
  renderChecks,
  renderExclusion,
  renderOfferLine,
  renderProviderLine,
  renderRecommendations,
} from '../../src/render/catalog-text.js';
import { catalogOf, host, known, offer, provider } from './helpers.js';

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
  const extras: Array<[Answers, Amounts]> = [
    [{}, {}],
    [{ groupware: 'yes', humanHelp: 'yes', membership: 'no', mailboxes: 'upTo5' }, {}],
    [{}, { budget: { eurPerMonth: 2, perMailbox: true, exclusive: true }, mailboxes: 4 }],
    [{}, { budget: { eurPerMonth: 1, perMailbox: false, exclusive: true }, storageGb: 25 }],
  ];
  const visit = (index: number, answers: Answers): void => {
    if (index === questions.length) {
      for (const [extra, amounts] of extras) {
        const result = rankProviders(catalog, { ...answers, ...extra }, amounts);
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
    expect(renderCheck({ criterion: 'storage', verdict: 'no', params: { gb: 2, needGb: 25 } }, fr)).toBe('2 Go ✗ (25 Go demandés)');
    expect(renderCheck({ criterion: 'groupware', verdict: 'no', params: { variant: 'appOnly' } }, fr)).toBe('agenda et contacts seulement dans son appli ✗');
    expect(renderCheck({ criterion: 'location', verdict: 'unknown', params: { variant: 'france' } }, fr)).toBe('pays non vérifié');
    expect(renderCheck({ criterion: 'location', verdict: 'unknown', params: { variant: 'france' } }, en)).toBe('country not verified');
    expect(renderCheck({ criterion: 'location', verdict: 'yes', params: { variant: 'europe', country: 'CH' } }, en)).toBe('Switzerland (Europe) ✓');
  });

  it('writes prices the way each language does', () => {
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { price: 3.5 } }, fr)).toBe('3,50 €/mois ✓');
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { price: 1 } }, fr)).toBe('1 €/mois ✓');
    expect(renderCheck({ criterion: 'budget', verdict: 'no', params: { price: 4.79, limit: 1 } }, en)).toBe('€4.79/month ✗ (budget €1)');
    expect(renderCheck({ criterion: 'budget', verdict: 'no', params: { price: 5, limit: 5, variant: 'perMailboxUnder' } }, fr)).toBe('5 € par boîte ✗ (moins de 5 € voulu)');
  });

  it('says when the fact behind a verdict is to be checked', () => {
    expect(renderCheck({ criterion: 'budget', verdict: 'yes', params: { variant: 'free', unsure: 1 } }, fr)).toBe('gratuit ✓ (à vérifier)');
  });

  it('never shows a raw key, for any check the matching produces', () => {
    for (const check of producedChecks()) {
      for (const t of [fr, en]) {
        const text = renderCheck(check, t);
        expect(text, JSON.stringify(check)).not.toMatch(/catalog:|checks\.|\{\{/);
        expect(text).toMatch(/[✓✗]|non vérifiée?$|not verified$/);
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
    const p = { ...provider('posteo', {}, 'Posteo', [offer('posteo', {}, 'Posteo')]) };
    const text = renderExclusion(
      {
        providerId: 'posteo',
        offerId: 'posteo',
        price: { eurPerMonth: 1, perMailbox: 1, mailboxes: 1 },
        because: [
          { criterion: 'budget', verdict: 'no', params: { price: 1, limit: 0 } },
          { criterion: 'storage', verdict: 'no', params: { gb: 2, needGb: 25 } },
          { criterion: 'domain', verdict: 'no', params: {} },
          { criterion: 'location', verdict: 'no', params: { variant: 'france', country: 'DE' } },
        ],
      },
      p,
      fr,
    );
    expect(text.split('\n')).toEqual([
      "Pourquoi **Posteo** n'a pas été retenu :",
      "Sa formule la plus proche de ce qu'il vous faut : « Posteo ».",
      '• Elle coûte 1 € par mois, plus que votre budget (0 €).',
      "• Elle offre 2 Go par boîte, moins que les 25 Go qu'il vous faut.",
      '• On ne peut pas y utiliser son propre nom de domaine.',
      '• Il est installé hors de France (Allemagne).',
    ]);
  });

  it('explains a calendar that does not sync with the phone, and an association-only plan for a person alone', () => {
    const because: Check[] = [
      { criterion: 'groupware', verdict: 'no', params: { variant: 'appOnly' } },
      { criterion: 'audience', verdict: 'no', params: { variant: 'me' } },
    ];
    const text = renderExclusion({ providerId: 'x', offerId: 'mail', price: undefined, because }, provider('x'), en);
    expect(text).toContain("do not sync with your phone's own apps");
    expect(text).toContain('not for one person');
  });

  it('tells someone without a domain that the provider only gives mailboxes on a domain of their own', () => {
    const because: Check[] = [{ criterion: 'domain', verdict: 'no', params: { variant: 'required', unsure: 1 } }];
    const frText = renderExclusion({ providerId: 'gandi', offerId: 'mail', price: undefined, because }, { ...provider('gandi'), name: 'Gandi' }, fr);
    expect(frText.split('\n')[2]).toBe("• Il ne crée de boîtes mail que sur un nom de domaine à vous, et vous n'en avez pas. (à vérifier)");
    expect(renderExclusion({ providerId: 'gandi', offerId: 'mail', price: undefined, because }, provider('gandi'), en)).toContain('only gives mailboxes on a domain name of your own');
    expect(renderCheck({ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }, fr)).toBe('nom de domaine à vous obligatoire ✗');
    expect(renderCheck({ criterion: 'domain', verdict: 'no', params: { variant: 'required' } }, en)).toBe('own domain required ✗');
  });

  it('escapes the provider name so it cannot add formatting', () => {
    const text = renderExclusion({ providerId: 'x', offerId: 'mail', price: undefined, because: [] }, { ...provider('x'), name: 'Star*Mail' }, fr);
    expect(plainText(text).split('\n')[0]).toBe("Pourquoi Star*Mail n'a pas été retenu :");
  });
});

describe('renderOfferLine', () => {
  it('shows the plan that counts: its name, its price in all and per mailbox, its storage', () => {
    const plan = offer('mail', { storageGb: known(2) }, 'Mail Basic');
    expect(renderOfferLine(plan, { eurPerMonth: 4, perMailbox: 1, mailboxes: 4 }, fr)).toBe('Formule « Mail Basic » : 4 €/mois pour 4 boîtes (1 € par boîte) · 2 Go par boîte');
    expect(renderOfferLine(plan, { eurPerMonth: 1, perMailbox: 1, mailboxes: 1 }, en)).toBe('Plan “Mail Basic”: €1/month · 2 GB per mailbox');
    expect(renderOfferLine(offer('free', { storageGb: known(null) }, 'Free'), { eurPerMonth: 0, perMailbox: 0, mailboxes: 1 }, fr)).toBe('Formule « Free » : gratuite · espace illimité');
    expect(renderOfferLine(offer('x', {}, 'X'), undefined, fr)).toBe('Formule « X » : prix non vérifié · espace non vérifié');
  });
});

describe('renderRecommendations', () => {
  const page = (catalog: ReturnType<typeof catalogOf>, answers: Answers, amounts: Amounts = {}) => {
    const match = rankProviders(catalog, answers, amounts);
    return renderRecommendations({ match, providers: rankedPage(match, 0).map((r) => r.providerId), page: 0, pageSize: 3, catalog }, fr);
  };

  it('shows each host with the plan that counts, and what is still to ask when a deciding fact is unknown', () => {
    const catalog = catalogOf(
      host('sure', { country: known('FR') }, offer('basic', { eurPerMonth: known(1), storageGb: known(5) }, 'Basique')),
      host('vague', {}, offer('mail', { eurPerMonth: known(0) }, 'Libre')),
    );
    const text = page(catalog, { location: 'france' }, { storageGb: 3 });
    expect(text).toContain('Formule « Basique » : 1 €/mois · 5 Go par boîte');
    expect(text).toContain('espace non vérifié · pays non vérifié');
    expect(text).toContain("À demander à l'hébergeur : l'espace, le pays.");
    expect(text.indexOf('SURE')).toBeLessThan(text.indexOf('VAGUE'));
  });

  it('when nothing fits, says what could not be had together and shows the closest with what each lacks', () => {
    const catalog = catalogOf(
      host('small', {}, offer('mail', { eurPerMonth: known(1), storageGb: known(2) }, 'Petit')),
      host('dear', {}, offer('big', { eurPerMonth: known(3), storageGb: known(50) }, 'Grand')),
    );
    const text = page(catalog, {}, { storageGb: 25, budget: { eurPerMonth: 1, perMailbox: false, exclusive: false } });
    expect(text).toContain('Aucun hébergeur de ma liste ne fait 25 Go pour 1 €/mois. Voici les plus proches, avec ce qui leur manque :');
    expect(text).toContain('• **SMALL** — « Petit » : 2 Go ✗ (25 Go demandés)');
    expect(text).toContain('• **DEAR** — « Grand » : 3 €/mois ✗ (budget 1 €)');
  });
});

describe('countryName', () => {
  it('falls back to the code for a country the locales do not name yet', () => {
    expect(countryName('FR', fr)).toBe('France');
    expect(countryName('ZZ', fr)).toBe('ZZ');
  });
});
