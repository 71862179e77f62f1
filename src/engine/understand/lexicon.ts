/**
 * The words the interpreter knows, from locales/<lang>/understand.json: both languages at once (people mix them:
 * "2 euros per month", "just me"), normalised the way typed text is, read once and cached.
 */
import { LANGUAGES, type Texts } from '../../render/i18n.js';

/** Lower-case, without accents, punctuation, emoji or repeated spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface Lexicon {
  /** The phrases listed under `key` in both languages, normalised ("understand:choices.yes"). */
  words(key: string): string[];
  /** The same phrases as a set, for the many "is this word one of them?" of a long message. */
  set(key: string): ReadonlySet<string>;
  /** An object of lists (`numbers`: {"4": ["quatre", "four"]}): phrase → the key it is listed under. */
  table(key: string): ReadonlyMap<string, string>;
}

export function createLexicon(texts: Texts): Lexicon {
  const lists = new Map<string, string[]>();
  const tables = new Map<string, Map<string, string>>();
  const sets = new Map<string, Set<string>>();
  const read = (key: string, lang: string): unknown =>
    texts.i18n.t(`understand:${key}`, { lng: lang, returnObjects: true, defaultValue: [] }) as unknown;
  return {
    words(key) {
      let list = lists.get(key);
      if (!list) {
        list = [];
        for (const lang of LANGUAGES) {
          const value = read(key, lang);
          if (Array.isArray(value)) list.push(...value.map((w) => normalize(String(w))).filter(Boolean));
        }
        lists.set(key, list);
      }
      return list;
    },
    set(key) {
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Set(this.words(key))));
      return set;
    },
    table(key) {
      let table = tables.get(key);
      if (!table) {
        table = new Map();
        for (const lang of LANGUAGES) {
          const value = read(key, lang);
          if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
          for (const [sub, phrases] of Object.entries(value as Record<string, unknown>)) {
            if (!Array.isArray(phrases)) continue;
            for (const phrase of phrases) {
              const normalized = normalize(String(phrase));
              if (normalized && !table.has(normalized)) table.set(normalized, sub);
            }
          }
        }
        tables.set(key, table);
      }
      return table;
    },
  };
}

/** Where the words of `phrase` stand, in order, inside `words` (whole words only), or -1. */
export function indexOfPhrase(words: readonly string[], phrase: readonly string[]): number {
  if (phrase.length === 0 || phrase.length > words.length) return -1;
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Reads a run of words as known phrases, longest first: "moins d un giga" → [lessThan, number, gb].
 * `tag` says what a phrase is (undefined: not known); returns undefined as soon as one word is not part of any
 * known phrase, so that a sentence we only half understand is never read as if we understood it.
 */
export function scanPhrases<T>(words: readonly string[], tag: (phrase: string) => T | undefined, maxWords = 6): Array<{ tag: T; start: number; end: number }> | undefined {
  const found: Array<{ tag: T; start: number; end: number }> = [];
  let i = 0;
  while (i < words.length) {
    let matched = false;
    for (let n = Math.min(maxWords, words.length - i); n >= 1; n--) {
      const value = tag(words.slice(i, i + n).join(' '));
      if (value !== undefined) {
        found.push({ tag: value, start: i, end: i + n });
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) return undefined;
  }
  return found;
}
