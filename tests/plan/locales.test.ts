/** The plan's sentences: French is the reference, English has exactly the same keys, and nothing asked is missing. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOVE_ORDER } from '../../src/flows/plan.js';
import { LOCALES_DIR } from '../../src/render/i18n.js';
import { describePlanStep } from '../../src/render/plan-text.js';
import { fixtureProviders, LANGUAGES, oldChoices, oldProviders, recording, texts, translators } from './fixtures.js';

type Tree = { [key: string]: string | Tree };
const plan = (lang: string): Tree => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'plan.json'), 'utf8'));

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}
const variables = (sentence: string) => [...sentence.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales/*/plan.json', () => {
  const fr = leaves(plan('fr'));
  const en = leaves(plan('en'));

  it('English has exactly the keys of French', () => {
    expect([...en.keys()].sort()).toEqual([...fr.keys()].sort());
  });

  it('every sentence is filled, with the same placeholders in both languages', () => {
    for (const [key, sentence] of fr) {
      expect(sentence.trim(), `fr ${key}`).not.toBe('');
      expect(en.get(key)?.trim(), `en ${key}`).not.toBe('');
      expect(variables(en.get(key) ?? ''), key).toEqual(variables(sentence));
    }
  });

  it('uses only balanced **bold** and `code` markup', () => {
    for (const [lang, sentences] of [['fr', fr], ['en', en]] as const) {
      for (const [key, sentence] of sentences) {
        const unescaped = sentence.replace(/\\./g, '');
        expect((unescaped.match(/\*\*/g) ?? []).length % 2, `${lang} ${key}`).toBe(0);
        expect((unescaped.match(/`/g) ?? []).length % 2, `${lang} ${key}`).toBe(0);
      }
    }
  });

  it('has a sentence for every trap in data, and no sentence for a trap data does not have', () => {
    const dataTraps = new Set(oldProviders.flatMap((old) => old.traps.map((trap) => trap.id)));
    const sentences = new Set([...fr.keys()].filter((k) => k.startsWith('traps.')).map((k) => k.slice('traps.'.length)));
    expect([...sentences].sort()).toEqual([...dataTraps].sort());
  });

  it('every key the plan asks for exists in both languages', () => {
    const asked = new Set<string>();
    for (const { id, old } of oldChoices) {
      for (const provider of fixtureProviders) {
        for (const lang of LANGUAGES) {
          const { t, keys } = recording(translators[lang]);
          for (const step of MOVE_ORDER) describePlanStep(step, { oldProviderId: id, old, provider }, t);
          keys.forEach((key) => asked.add(key));
        }
      }
    }
    expect(asked.size).toBeGreaterThan(50);
    for (const key of asked) {
      for (const lang of LANGUAGES) expect(texts.has(key, lang), `${key} (${lang})`).toBe(true);
    }
  });
});
