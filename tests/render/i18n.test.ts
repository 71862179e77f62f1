/**
 * Texts: every key exists in both languages, and every key the code or the data uses exists.
 * Literal keys are found by scanning src/; keys built from ids (questions, choices, intents…) are enumerated.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTexts, loadResources, LANGUAGES } from '../../src/render/i18n.js';
import { QUESTIONS, QUESTION_ORDER } from '../../src/flows/questions.js';
import { catalog } from '../support/guide.js';

const resources = loadResources();
const texts = createTexts(resources);

function flatten(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
const keysOf = (lang: string) =>
  Object.entries(resources[lang]!).flatMap(([ns, tree]) => flatten(tree).map((k) => `${ns}:${k}`)).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('texts', () => {
  it('has exactly the same keys in French and English', () => {
    expect(keysOf('en')).toEqual(keysOf('fr'));
  });

  it('has no empty sentence', () => {
    for (const lang of LANGUAGES) {
      for (const key of keysOf(lang)) {
        const value = texts.i18n.t(key, { lng: lang, returnObjects: true, count: 2 }) as unknown;
        expect(value, `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('has every literal key used in src/', () => {
    const used = new Set<string>();
    for (const file of sourceFiles('src')) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-z]+:[A-Za-z0-9_.]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    // A key with plural forms (intro_one / intro_other) is used without its suffix.
    const exists = (key: string, lang: (typeof LANGUAGES)[number]) => texts.has(key, lang) || texts.has(`${key}_other`, lang);
    for (const key of used) for (const lang of LANGUAGES) expect(exists(key, lang), `${lang} ${key}`).toBe(true);
  });

  it('has every key built from ids: questions, choices, prompts, notices', () => {
    const keys: string[] = [];
    for (const q of QUESTION_ORDER) {
      keys.push(`guide:questions.${q}.prompt`, `guide:questions.${q}.short`);
      for (const c of QUESTIONS[q]) keys.push(`guide:questions.${q}.choices.${c}`);
    }
    for (const old of [...QUESTIONS.oldProvider]) keys.push(`guide:questions.storage.howToSee.${old}`);
    for (const c of ['begin', 'back', 'more', 'whyNot', 'change', 'restart', 'done', 'help', 'later', 'skip', 'resume', 'otherProvider', 'yes', 'no']) {
      keys.push(`guide:choices.${c}`);
    }
    for (const kind of ['welcome', 'question', 'recommendations', 'whyNot', 'changeAnswer', 'planStep', 'planEnd', 'confirmRestart', 'confirmForget']) {
      keys.push(`guide:help.${kind}`);
    }
    for (const n of ['welcomeBack', 'updated', 'languageChanged', 'nothingBefore', 'restarted', 'stale', 'forgetMe']) keys.push(`guide:notices.${n}`);
    for (const r of ['empty', 'tooLong', 'noMatch', 'unknownCommand']) keys.push(`guide:notices.notUnderstood.${r}`);
    for (const s of ['done', 'skipped', 'later']) keys.push(`guide:notices.step.${s}`);
    for (const u of ['sticker', 'photo', 'voice', 'video', 'document', 'location', 'contact', 'poll', 'edit', 'reaction', 'other']) {
      keys.push(`guide:notices.unsupported.${u}`);
    }
    for (const lang of LANGUAGES) keys.push(`common:languages.${lang}`);
    for (const old of catalog.oldProviders) for (const trap of old.traps) keys.push(`plan:traps.${trap.id}`);
    for (const key of keys) for (const lang of LANGUAGES) expect(texts.has(key, lang), `${lang} ${key}`).toBe(true);
  });
});
