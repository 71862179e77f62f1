/**
 * i18next set up for demailbot: every locales/<lang>/<namespace>.json is loaded at start (synchronously, they
 * are small), French is the reference and the fallback, and every interpolated value is escaped for our markup
 * (see ./markup.ts) so that user text or catalogue values can never inject formatting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { escapeMarkup } from './markup.js';

export const LANGUAGES = ['fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'fr';

export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A platform's language hint ("fr-FR", "en_GB", "de") → one of ours, or undefined. */
export function langFromHint(hint: string | undefined): Lang | undefined {
  const base = hint?.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}

/** Translate: `t('guide:questions.budget.prompt', { … })`. Returns markup (./markup.ts). */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export function loadResources(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lang of LANGUAGES) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      const path = join(dir, lang, file);
      try {
        resources[lang]![basename(file, '.json')] = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`locales: ${path} is not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  return resources;
}

export interface Texts {
  i18n: I18n;
  /** A translator bound to one language. */
  t(lang: Lang): Translate;
  /** Does this key exist (in the reference language)? */
  has(key: string, lang?: Lang): boolean;
  /**
   * Empties the memo of rendered sentences (every language). Called when someone is forgotten: short values
   * of theirs (a name, an account they listed) may be in it.
   */
  forgetMemo(): void;
  /** The memo's keys (sentence key and parameters), for tests and diagnostics. */
  memoKeys(): string[];
}

export function createTexts(resources: Resource = loadResources()): Texts {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LANG,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANG] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: true, escape: escapeMarkup },
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  const bound = new Map<Lang, Translate>();
  const memos: Memo[] = [];
  return {
    i18n: instance,
    t(lang) {
      let t = bound.get(lang);
      if (!t) {
        const memo: Memo = new Map();
        memos.push(memo);
        t = memoize(instance.getFixedT(lang) as unknown as (key: string, params?: object) => string, memo);
        bound.set(lang, t);
      }
      return t;
    },
    has(key, lang = DEFAULT_LANG) {
      return instance.exists(key, { lng: lang, fallbackLng: false } as never);
    },
    forgetMemo() {
      for (const memo of memos) memo.clear();
    },
    memoKeys() {
      return memos.flatMap((memo) => [...memo.keys()]);
    },
  };
}

/** Enough for every sentence × the parameters it is really used with; cleared whole when full. */
const MEMO_SIZE = 5_000;
/**
 * Calls with a longer key are not remembered: what makes a key long is a person's text (a relayed message, a
 * checklist of their own accounts), rendered once — remembering it would only keep personal words in memory.
 */
const MEMO_KEY_LIMIT = 200;

type Memo = Map<string, string>;

/**
 * The same sentences are rendered for every person (labels, steps, checks), and i18next's lookup costs a few
 * microseconds each time: remember results. Safe because resources never change after start-up. Bounded in
 * entries and in key length (at most MEMO_SIZE × MEMO_KEY_LIMIT characters of keys per language).
 */
function memoize(translate: (key: string, params?: object) => string, memo: Memo): Translate {
  return (key, params) => {
    const id = params === undefined ? key : `${key}\u0000${JSON.stringify(params)}`;
    if (id.length > MEMO_KEY_LIMIT) return translate(key, params);
    let text = memo.get(id);
    if (text === undefined) {
      text = translate(key, params);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(id, text);
    }
    return text;
  };
}
