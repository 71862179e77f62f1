/**
 * Figures typed as answers: storage ("30 Go", "1,5 Go", "500 Mo", "moins d'un giga", "entre 1 et 5 go"), money
 * ("2 €", "2 euros max", "20 € par an", "5€ par boîte c'est trop") and counts ("12", "une quinzaine", "nous sommes
 * 4", "just me"), in French and English.
 *
 * Every word must be accounted for: a figure with words we do not know around it ("15 ans de mails") is not read
 * as a figure at all, and words that only say "a little" or "cheap" are 'vague' (the guide asks what they mean).
 */
import type { Amounts } from '../../flows/questions.js';
import { indexOfPhrase, normalize, scanPhrases, type Lexicon } from './lexicon.js';

export type QuantityQuestion = 'storage' | 'budget' | 'mailboxes';

export function isQuantityQuestion(question: string): question is QuantityQuestion {
  return question === 'storage' || question === 'budget' || question === 'mailboxes';
}

export type QuantityReading = { kind: 'value'; amounts: Amounts } | { kind: 'vague' };

/** Lists of understand.json `quantity.*`, each a kind of word. */
const WORD_KINDS = [
  'approx',
  'atMost',
  'lessThan',
  'atLeast',
  'moreThan',
  'range',
  'tooMuch',
  'gb',
  'mb',
  'tb',
  'euro',
  'perMonth',
  'perYear',
  'perMailbox',
  'count',
  'countIntro',
  'self',
  'neutral',
] as const;
/** `foreign`: a word of another question ("Go" at the budget): the answer is to something else. */
type WordKind = (typeof WORD_KINDS)[number] | 'vague' | 'filler' | 'foreign';

type Tag = { kind: 'number'; value: number; word: boolean } | { kind: 'about'; value: number } | { kind: WordKind };

const COMMON: ReadonlySet<string> = new Set(['number', 'about', 'range', 'approx', 'filler', 'neutral', 'vague']);
/** The words each question may use: "30 Go" is no answer to "how many mailboxes?". */
const ALLOWED: Record<QuantityQuestion, ReadonlySet<string>> = {
  storage: new Set([...COMMON, 'gb', 'mb', 'tb', 'lessThan', 'atMost', 'moreThan', 'atLeast']),
  budget: new Set([...COMMON, 'euro', 'perMonth', 'perYear', 'perMailbox', 'tooMuch', 'lessThan', 'atMost']),
  mailboxes: new Set([...COMMON, 'count', 'countIntro', 'self', 'lessThan', 'atMost', 'moreThan', 'atLeast']),
};
/** Beyond these, a figure is a slip of the keyboard, not a need. */
const LIMIT: Record<QuantityQuestion, number> = { storage: 100_000, budget: 10_000, mailboxes: 100_000 };

/** Accents and case off, "€" a word (and "$" one we do not know), "1,5" and "1.5" one number, "1-5" a range, "30go" two words. */
export function quantityWords(text: string): string[] {
  const prepared = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/€/g, ' euro ')
    // Another currency is not a budget in euros: an unknown word, so the answer is asked again.
    .replace(/[$£¥₣]/g, ' currency ')
    .replace(/(\d)\s*[-–]\s*(?=\d)/g, '$1 to ')
    .replace(/(\d)[,.](?=\d)/g, '$1§')
    .replace(/\//g, ' par ')
    .replace(/(\d)(?=\p{L})/gu, '$1 ')
    .replace(/(\p{L})(?=\d)/gu, '$1 ')
    .replace(/['’`]/g, ' ')
    .replace(/[^\p{L}\p{N}§]+/gu, ' ')
    .trim();
  return prepared ? prepared.split(' ').map((w) => w.replace(/§/g, '.')) : [];
}

/** A message that is only a number ("4", "1,5"): the interpreter weighs it against the choice of that number. */
export function bareNumber(text: string): number | undefined {
  const match = /^\s*(\d{1,7})(?:[,.](\d{1,3}))?[\s.!?…]*$/.exec(text);
  if (!match) return undefined;
  return Number(match[2] ? `${match[1]}.${match[2]}` : match[1]);
}

export function createQuantityReader(lexicon: Lexicon) {
  let words: Map<string, WordKind[]> | undefined;

  function wordKinds(): Map<string, WordKind[]> {
    if (!words) {
      words = new Map();
      const add = (phrase: string, kind: WordKind) => words!.set(phrase, [...(words!.get(phrase) ?? []), kind]);
      for (const kind of WORD_KINDS) for (const phrase of lexicon.words(`quantity.${kind}`)) add(phrase, kind);
      for (const phrase of lexicon.words('filler')) add(phrase, 'filler');
    }
    return words;
  }
  const vague = (question: QuantityQuestion) => lexicon.words(`vague.${question}`);

  function tagsOf(phrase: string, question: QuantityQuestion): Tag[] | undefined {
    const tags: Tag[] = [];
    if (/^\d+(\.\d+)?$/.test(phrase)) tags.push({ kind: 'number', value: Number(phrase), word: false });
    const number = lexicon.table('numbers').get(phrase);
    if (number !== undefined) tags.push({ kind: 'number', value: Number(number), word: true });
    const about = lexicon.table('aboutNumbers').get(phrase);
    if (about !== undefined) tags.push({ kind: 'about', value: Number(about) });
    for (const kind of wordKinds().get(phrase) ?? []) tags.push({ kind });
    if (lexicon.set(`vague.${question}`).has(phrase)) tags.push({ kind: 'vague' });
    const allowed = tags.filter((t) => ALLOWED[question].has(t.kind));
    if (allowed.length > 0) return allowed;
    return tags.length > 0 ? [{ kind: 'foreign' }] : undefined;
  }

  /** The figure(s) said, in order, with where each stands: "vingt cinq" is 25, "deux cents" 200. */
  function figures(items: Array<{ tag: Tag[]; start: number; end: number }>): Array<{ value: number; at: number; word: boolean }> {
    const found: Array<{ value: number; at: number; word: boolean }> = [];
    items.forEach((item, at) => {
      const figure = item.tag.find((t) => t.kind === 'number' || t.kind === 'about') as
        | { kind: 'number'; value: number; word: boolean }
        | { kind: 'about'; value: number }
        | undefined;
      if (!figure) return;
      const word = figure.kind === 'number' && figure.word;
      const previous = found[found.length - 1];
      if (previous && previous.word && word && previous.at === at - 1) {
        if (previous.value >= 20 && previous.value % 10 === 0 && figure.value < 10) {
          previous.value += figure.value;
          previous.at = at;
          return;
        }
        if ((figure.value === 100 || figure.value === 1000) && previous.value < figure.value) {
          previous.value *= figure.value;
          previous.at = at;
          return;
        }
      }
      found.push({ value: figure.value, at, word });
    });
    return found;
  }

  return function readQuantity(question: QuantityQuestion, text: string): QuantityReading | undefined {
    const all = quantityWords(text);
    const items = scanPhrases(all, (phrase) => tagsOf(phrase, question));
    if (!items) return vagueInside(question, text);
    if (items.some((i) => i.tag.some((t) => t.kind === 'foreign'))) return undefined;
    // French "1 To" is a terabyte; "1 to 5" is a range.
    items.forEach((item, at) => {
      if (question !== 'storage' || all.slice(item.start, item.end).join(' ') !== 'to') return;
      const before = items[at - 1]?.tag.some((t) => t.kind === 'number');
      const after = items[at + 1]?.tag.some((t) => t.kind === 'number' || t.kind === 'about');
      if (before && !after) item.tag = [{ kind: 'tb' }];
    });
    const found = figures(items);
    const has = (kind: WordKind) =>
      items.some((item, at) => !found.some((f) => f.at === at) && item.tag.some((t) => t.kind === kind));

    // "the cheapest one", "la moins chère, une qui…": with a vague word, a figure said only as a number word and
    // with no unit is a pronoun or an article, not an amount: ask what they mean rather than read "1 €".
    const unit = ['gb', 'mb', 'tb', 'euro', 'count'].some((kind) => has(kind as WordKind));
    if (found.length > 0 && has('vague') && !unit && found.every((f) => f.word)) return { kind: 'vague' };

    let value: number;
    if (found.length === 0) {
      if (question === 'mailboxes' && has('self')) value = 1;
      else return has('vague') ? { kind: 'vague' } : undefined;
    } else if (found.length === 1) {
      value = found[0]!.value;
    } else if (found.length === 2) {
      // "entre 1 et 5 go", "1 à 5", "3 ou 4", "1 Go to 5 Go": the top of the range is what must fit.
      const between = items.slice(found[0]!.at + 1, found[1]!.at);
      const unit = (t: Tag) => ['gb', 'mb', 'tb', 'euro', 'count'].includes(t.kind);
      const isRange = between.some((i) => i.tag.some((t) => t.kind === 'range')) && between.every((i) => i.tag.some((t) => t.kind === 'range' || unit(t)));
      if (!isRange) return undefined;
      value = Math.max(found[0]!.value, found[1]!.value);
    } else {
      return undefined;
    }
    if (!(value >= 0) || value > LIMIT[question]) return undefined;

    switch (question) {
      case 'storage': {
        const units = (['gb', 'mb', 'tb'] as const).filter(has);
        if (units.length > 1 || value === 0) return undefined;
        const gb = value * (units[0] === 'mb' ? 0.001 : units[0] === 'tb' ? 1000 : 1);
        return { kind: 'value', amounts: { storageGb: Math.round(gb * 1000) / 1000 } };
      }
      case 'budget': {
        // A floor ("au moins 5 €") is not a budget: ask again rather than guess what it caps.
        if (has('atLeast') || has('moreThan')) return undefined;
        const yearly = has('perYear');
        if (yearly && has('perMonth')) return undefined;
        const eurPerMonth = Math.round((yearly ? value / 12 : value) * 100) / 100;
        return {
          kind: 'value',
          amounts: { budget: { eurPerMonth, perMailbox: has('perMailbox'), exclusive: has('tooMuch') || has('lessThan') } },
        };
      }
      case 'mailboxes': {
        if (!Number.isInteger(value)) return undefined;
        const count = has('lessThan') ? value - 1 : has('moreThan') ? value + 1 : value;
        return count >= 1 ? { kind: 'value', amounts: { mailboxes: count } } : undefined;
      }
    }
  };

  /** "pas cher si possible", "not much really": a vague phrase of several words inside an answer with no figure. */
  function vagueInside(question: QuantityQuestion, text: string): QuantityReading | undefined {
    if (/\d/.test(text)) return undefined;
    const input = normalize(text).split(' ');
    return vague(question).some((phrase) => phrase.includes(' ') && indexOfPhrase(input, phrase.split(' ')) !== -1) ? { kind: 'vague' } : undefined;
  }
}

export type QuantityReader = ReturnType<typeof createQuantityReader>;
