/**
 * The masker's word lists live in locales/<lang>/secrets.json (src/desk/secrets/words.ts reads them at import). The sets it
 * uses are the very sets it had when they were written in the code (tests/fixtures/secrets-words-before.json, recorded
 * from that code before the move), and a broken file stops the start with what to fix.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_WORDS, SECRET_WORD_LISTS, loadSecretWords } from '../../src/desk/secrets/words.js';
import { LANGUAGES, LOCALES_DIR, createTexts } from '../../src/render/i18n.js';

const before = JSON.parse(readFileSync(new URL('../fixtures/secrets-words-before.json', import.meta.url), 'utf8')) as Record<string, string[]>;

describe('the masker word lists (locales/<lang>/secrets.json)', () => {
  it('are exactly the sets the code held before the move', () => {
    expect(Object.keys(before).sort()).toEqual([...SECRET_WORD_LISTS].sort());
    const now = Object.fromEntries(SECRET_WORD_LISTS.map((name) => [name, [...SECRET_WORDS[name]].sort()]));
    expect(now).toEqual(before);
  });

  it('are a proper namespace of the texts too ("secrets", like "understand"): i18next loads every file of locales/<lang>', () => {
    const texts = createTexts();
    for (const lang of LANGUAGES) {
      const file = JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'secrets.json'), 'utf8')) as Record<string, string[]>;
      expect(texts.i18n.t('secrets:stop', { lng: lang, returnObjects: true })).toEqual(file.stop);
    }
  });

  describe('a broken file', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });
    /** A copy of the locales with English's secrets.json changed by `edit`. */
    const withEnglish = (edit: (lists: Record<string, unknown>) => void): string => {
      dir = mkdtempSync(join(tmpdir(), 'demailbot-secrets-'));
      cpSync(LOCALES_DIR, dir, { recursive: true });
      const path = join(dir, 'en', 'secrets.json');
      const lists = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      edit(lists);
      writeFileSync(path, JSON.stringify(lists));
      return dir;
    };

    it('reads the same sets from a faithful copy', () => {
      expect(loadSecretWords(withEnglish(() => {}))).toEqual(SECRET_WORDS);
    });

    it('names a word written with capitals or accents, and how to write it', () => {
      const locales = withEnglish((lists) => (lists.stop as string[]).push('Réponse'));
      expect(() => loadSecretWords(locales)).toThrow(/list "stop": "Réponse" would never match.*write "reponse"/);
    });

    it('names a missing list, and a list the masker does not know', () => {
      expect(() => loadSecretWords(withEnglish((lists) => delete lists.units))).toThrow(/lacks the list "units"/);
      rmSync(dir!, { recursive: true, force: true });
      expect(() => loadSecretWords(withEnglish((lists) => (lists.unit = ['x'])))).toThrow(/a list "unit" the masker does not use/);
    });

    it('names a phrase where one word is expected', () => {
      const locales = withEnglish((lists) => (lists.filler as string[]).push('by the way'));
      expect(() => loadSecretWords(locales)).toThrow(/"by the way" is not one word/);
    });

    it('names a file that is not JSON', () => {
      dir = mkdtempSync(join(tmpdir(), 'demailbot-secrets-'));
      cpSync(LOCALES_DIR, dir, { recursive: true });
      writeFileSync(join(dir, 'fr', 'secrets.json'), '{ "filler": [');
      expect(() => loadSecretWords(dir)).toThrow(/cannot read .*fr\/secrets\.json/);
    });
  });
});
