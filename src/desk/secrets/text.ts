/**
 * What every rule of the masker (../secrets.ts) reads: the text normalised (same length, so positions carry over)
 * and walked token by token, with the bounds that keep the work linear on any input.
 */
export type Range = [start: number, end: number];

/** Longer "tokens" are pasted logs, links or base64 blobs, not something a person types as a password; also bounds the work per cue. */
export const MAX_TOKEN = 128;

// ---------------------------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------------------------

const normCache = new Map<string, string>();

/**
 * Lower case, accents dropped, apostrophes unified — one code unit for one code unit, so that indices match the
 * original. People write "Mot de passe", "mot de passé", "c’est" and "c'est" alike on phones.
 */
export function normalise(text: string): string {
  const out: string[] = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code < 128) {
      out[i] = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
      continue;
    }
    let m = normCache.get(c);
    if (m === undefined) {
      if ("’‘ʼ´`".includes(c)) m = "'";
      else {
        const d = c.toLowerCase().normalize('NFD');
        m = d.length > 0 && d.charCodeAt(0) < 0xd800 ? d[0]! : c;
      }
      normCache.set(c, m);
    }
    out[i] = m;
  }
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Characters and tokens
// ---------------------------------------------------------------------------------------------------------------

const SPACE = /\s/;
/** Same set as \s, with a fast path for ASCII (this runs on every character of every message). */
export const isSpace = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(c);
};
export const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;
export const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Quotes and brackets around a value are not part of it: « Soleil2024! » keeps its guillemets readable. */
const OPENERS = new Set(['"', "'", '«', '“', '‘', '„', '(', '[', '{', '<', '`']);
const CLOSERS = new Set(['"', "'", '»', '”', '’', ')', ']', '}', '>', '`']);
/** Sentence punctuation glued to a word ("oublié.", "merci !") — stripped before comparing words. */
export const TRAILING_PUNCT = /[.,;:!?…]+$/u;

const SPACES = /\s*/y;
export const NON_SPACES = /\S*/y;
const TOKEN = new RegExp(String.raw`\S{1,${MAX_TOKEN + 1}}`, 'y');

export interface Token {
  start: number;
  end: number;
  /** The token without enclosing quotes/brackets: what gets masked. */
  coreStart: number;
  coreEnd: number;
  quoted: boolean;
  tooLong: boolean;
}

/** The next whitespace-separated token from i, reading at most MAX_TOKEN + 1 characters of it. */
export function readToken(text: string, from: number): Token | null {
  // Sticky expressions: the engine's own loop, much faster than ours, and bounded.
  SPACES.lastIndex = from;
  SPACES.test(text);
  const start = SPACES.lastIndex;
  if (start >= text.length) return null;
  TOKEN.lastIndex = start;
  TOKEN.test(text);
  const end = TOKEN.lastIndex;
  const tooLong = end - start > MAX_TOKEN;
  let cs = start;
  let ce = end;
  let quoted = false;
  while (cs < ce && OPENERS.has(text[cs]!)) {
    cs++;
    quoted = true;
  }
  while (ce > cs && CLOSERS.has(text[ce - 1]!)) {
    ce--;
    quoted = true;
  }
  return { start, end, coreStart: cs, coreEnd: ce, quoted, tooLong };
}

/** A token's text for word comparisons: normalised, trailing sentence punctuation removed. */
export function wordOf(norm: string, t: Token): string {
  return norm.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, '');
}

export const hasMask = (s: string): boolean => s.includes('•');

/** The word before position `at` (normalised text, trailing punctuation off): "commande n° 123" → "n°". */
export function previousWord(norm: string, at: number): string {
  let i = at;
  while (i > 0 && isSpace(norm[i - 1])) i--;
  const end = i;
  while (i > 0 && end - i < 20 && !isSpace(norm[i - 1])) i--;
  return norm.slice(i, end).replace(TRAILING_PUNCT, '');
}
