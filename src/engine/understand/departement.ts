/**
 * Reading a département the way people give one when they want to meet someone in person: "35", "2a", "971",
 * "35 Rennes", "Ille-et-Vilaine", "ile et vilaine" (a typo), "Paris", "j'habite dans le Finistère". Nothing finer
 * is ever kept: a postcode ("35000") is not silently cut to its département but offered back as a guess to confirm,
 * and a town's name alone is not understood (it is more than the guide asks for, and towns share names).
 *
 * Never a guess between two: two different départements in one answer, "20" (Corsica is 2A or 2B) or a name
 * close to two names is not understood, and the person is asked again.
 */
import type { Departement } from '../../catalog/departements.js';
import { DEPARTEMENT_CODE } from '../../catalog/departements.js';
import { indexOfPhrase, normalize, type Lexicon } from './lexicon.js';
import { typosBetween } from './edit-distance.js';

export type DepartementReading =
  /** A département named or numbered: noted as it is. */
  | { kind: 'departement'; code: string }
  /** A postcode: its département, to be confirmed ("did you mean 35?"). */
  | { kind: 'postcode'; code: string }
  /** "non", "no thanks": they would rather not say. */
  | { kind: 'decline' };

/** A number as typed ("35", "1", "2a", "971") → the département's number, if it is one. */
export function departementOfNumber(token: string): string | undefined {
  const upper = token.toUpperCase();
  const code = /^\d$/.test(upper) ? `0${upper}` : upper;
  return DEPARTEMENT_CODE.test(code) ? code : undefined;
}

/**
 * A French postcode → the département it usually lies in: its first two digits, three overseas ("97400" → 974),
 * and Corsica's 20000–20199 → 2A, 20200–20699 → 2B. Only ever offered for confirmation: a few postcodes cross a
 * border (a commune served by a neighbouring département's post office).
 */
export function departementOfPostcode(postcode: string): string | undefined {
  if (!/^\d{5}$/.test(postcode)) return undefined;
  if (postcode.startsWith('97')) return departementOfNumber(postcode.slice(0, 3));
  if (postcode.startsWith('20')) return Number(postcode) < 20200 ? '2A' : '2B';
  return departementOfNumber(postcode.slice(0, 2));
}

const ARTICLE = /^(?:la|le|les|l) /;

export function createDepartementReader(lexicon: Lexicon, departements: () => readonly Departement[]) {
  let names: Array<{ words: string[]; text: string; code: string }> | undefined;
  /** Each name normalised, with and without its article ("la reunion", "reunion"), longest first. */
  const namesOf = () =>
    (names ??= departements()
      .flatMap(({ code, name }) => {
        const text = normalize(name);
        const bare = text.replace(ARTICLE, '');
        return [...new Set([text, bare])].map((variant) => ({ words: variant.split(' '), text: variant, code }));
      })
      .sort((a, b) => b.text.length - a.text.length));

  /** The words around a single-word name that still leave it the answer ("j'habite dans le Nord"). */
  const aroundWords = () => lexicon.set('departementWords');

  /** "2 a" (typed "2-A") is one token. */
  const tokensOf = (input: string) => input.replace(/\b2 ([ab])\b/g, '2$1').split(' ');

  function byNumber(tokens: readonly string[]): DepartementReading | undefined | 'unclear' {
    const found = new Map<string, 'departement' | 'postcode'>();
    let unreadable = false;
    for (const token of tokens) {
      if (/^\d{5}$/.test(token)) {
        const code = departementOfPostcode(token);
        if (code) found.set(code, found.get(code) ?? 'postcode');
        else unreadable = true;
      } else if (/^(?:\d{1,3}|2[ab])$/.test(token)) {
        const code = departementOfNumber(token);
        if (code) found.set(code, 'departement');
        else unreadable = true;
      } else if (/\d/.test(token)) {
        unreadable = true;
      }
    }
    if (found.size === 0) return unreadable ? 'unclear' : undefined;
    if (found.size > 1 || unreadable) return 'unclear';
    const [code, kind] = [...found][0]!;
    return { kind, code };
  }

  function byName(input: string, tokens: readonly string[]): string | undefined {
    const all = namesOf();
    const exact = all.find((n) => n.text === input || n.text === input.replace(ARTICLE, ''));
    if (exact) return exact.code;
    // Inside a sentence: a name of several words always; a one-word name only among the words of a place
    // ("dans le Nord"), so that "c'est trop cher" is not the Cher.
    const around = aroundWords();
    for (const name of all) {
      const at = indexOfPhrase(tokens, name.words);
      if (at === -1) continue;
      const rest = [...tokens.slice(0, at), ...tokens.slice(at + name.words.length)];
      if (name.words.length >= 2 || rest.every((word) => around.has(word))) return name.code;
    }
    // A typo in the whole answer ("ile et vilaine", "finistére"): the one name within reach, never one of two.
    if (input.length < 5) return undefined;
    const max = input.length >= 8 ? 2 : 1;
    let best = Infinity;
    let codes = new Set<string>();
    for (const name of all) {
      const d = typosBetween(input, name.text, max);
      if (d < best) {
        best = d;
        codes = new Set([name.code]);
      } else if (d === best && d !== Infinity) codes.add(name.code);
    }
    return codes.size === 1 ? [...codes][0] : undefined;
  }

  return {
    /** What the words give, or undefined when they give no département (the person is asked again). */
    read(text: string): DepartementReading | undefined {
      const input = normalize(text);
      if (!input) return undefined;
      if (lexicon.set('choices.no').has(input) || lexicon.set('departementDecline').has(input)) return { kind: 'decline' };
      const tokens = tokensOf(input);
      const numbered = byNumber(tokens);
      if (numbered === 'unclear') return undefined;
      if (numbered) return numbered;
      const code = byName(input, tokens);
      return code ? { kind: 'departement', code } : undefined;
    },
  };
}

export type DepartementReader = ReturnType<typeof createDepartementReader>;
