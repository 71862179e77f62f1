/** The real catalogue: every step renders for every provider × old provider pair, in every language. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { planSteps } from '../../src/flows/plan.js';
import { plainText } from '../../src/render/markup.js';
import { describePlanStep } from '../../src/render/plan-text.js';
import { LANGUAGES, recording, texts, translators } from './fixtures.js';

describe('the move plan against data/', () => {
  const catalog = loadCatalog();

  it('renders every step of every pair without a gap', () => {
    expect(catalog.providers.length).toBeGreaterThan(0);
    for (const provider of catalog.providers) {
      for (const oldId of QUESTIONS.oldProvider) {
        const old = catalog.oldProvider(oldId);
        for (const lang of LANGUAGES) {
          const { t, keys } = recording(translators[lang]);
          for (const step of planSteps(oldId, old, provider)) {
            const text = describePlanStep(step, { oldProviderId: oldId, old, provider }, t);
            for (const [part, markup] of Object.entries(text)) {
              const where = `${oldId} → ${provider.id}, ${step}.${part} (${lang})`;
              expect(markup.trim(), where).not.toBe('');
              expect(markup, where).not.toContain('{{');
              expect(plainText(markup), where).not.toMatch(/\*\*|`/);
            }
          }
          for (const key of keys) expect(texts.has(key, lang), `${key} (${lang})`).toBe(true);
        }
      }
    }
  });
});
