/**
 * Every plan step text, for every real provider (data/providers.json) × every old provider × every situation, in
 * every language, with the real move-plan data (provider-setup, registrars, account-finding): no raw key, no
 * placeholder left, no empty link, nothing "undefined".
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadPlanData } from '../../src/catalog/setup-schema.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { planFor, planItems } from '../../src/flows/plan.js';
import { plainText } from '../../src/render/markup.js';
import { describePlanStep } from '../../src/render/plan-text.js';
import { LANGUAGES, recording, texts, translators } from './fixtures.js';
import { SITUATIONS } from './situations.js';

const URL_IN_TEXT = /https?:\/\/[^\s)`»”]*/g;

describe('every plan step, every provider × old provider × situation', () => {
  const catalog = loadCatalog();
  const data = loadPlanData();

  it('renders without a raw key, a placeholder, an empty link or "undefined"', () => {
    let rendered = 0;
    const problems: string[] = [];
    for (const lang of LANGUAGES) {
      const { t, keys } = recording(translators[lang]);
      for (const provider of catalog.providers) {
        const setup = data.setups[provider.id];
        for (const oldId of QUESTIONS.oldProvider) {
          const old = catalog.oldProvider(oldId);
          for (const named of SITUATIONS) {
            const plan = planFor(named.situation(oldId), old, provider, setup);
            // One item per step, plus the second mailbox of per-mailbox steps (its label line).
            const items = planItems(plan).filter((item) => (item.mailbox ?? 0) <= 1);
            for (const item of items) {
              const text = describePlanStep(
                item.step,
                {
                  oldProviderId: oldId,
                  old,
                  provider,
                  lang,
                  plan,
                  setup,
                  finding: data.finding,
                  registrars: { registrars: data.registrars, directory: data.registrarDirectory },
                  ...(item.mailbox === undefined ? {} : { mailbox: item.mailbox }),
                },
                t,
              );
              rendered += 1;
              for (const [part, markup] of Object.entries(text)) {
                const where = `${named.id}: ${oldId} → ${provider.id}, ${item.key}.${part} (${lang})`;
                for (const problem of problemsOf(markup)) problems.push(`${where}: ${problem}`);
              }
            }
          }
        }
      }
      for (const key of keys) expect(texts.has(key, lang), `${key} (${lang})`).toBe(true);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(rendered).toBeGreaterThan(10_000);
  }, 180_000); // ~50 000 texts: seconds alone, longer when the suite shares two cores
});

/** What is wrong with one rendered text; a plain loop (not expect) so that 50 000 texts take seconds. */
function problemsOf(markup: string): string[] {
  const problems: string[] = [];
  if (markup.trim() === '') problems.push('empty');
  if (markup.includes('{{')) problems.push('placeholder left');
  if (/undefined|NaN|\bnull\b|\[object/.test(markup)) problems.push('undefined/null/NaN');
  if (/\b(steps|import|old|traps|finding|templates)\.[a-zA-Z]+\.[a-zA-Z]+/.test(markup)) problems.push('raw key');
  if (/\*\*|`/.test(plainText(markup))) problems.push('unbalanced markup');
  for (const url of (markup.match(URL_IN_TEXT) ?? []).map((u) => u.replace(/[.,;:!?]+$/, ''))) {
    try {
      if (!/\.[a-z]{2,}$/.test(new URL(url).hostname)) problems.push(`empty link ${url}`);
    } catch {
      problems.push(`broken link ${url}`);
    }
  }
  return problems;
}
