/**
 * Masking what looks like a secret before a person's message reaches a volunteer or the store.
 *
 * People moving their mail are asked for nothing secret, yet they paste passwords, app passwords and SMS codes
 * anyway ("mon mdp c'est Soleil2024!", "le code est 482 913"). A volunteer must never read them and the database must
 * never keep them. Volunteers also need to read everything else (addresses, servers, dates, prices, error codes), so
 * every rule below is a trade between a leaked secret and a message made unreadable; each says why it exists.
 *
 * Design, for speed and safety on every relayed message:
 * - cue phrases are found on a normalised copy of the text (lower case, no accents, one kind of apostrophe) of the
 *   *same length*, so positions found there are positions in the original;
 * - everything else walks whitespace-separated tokens by hand; the regular expressions only ever see one token of
 *   at most MAX_TOKEN characters, or are linear (fixed-width groups, literal alternations), so no input can make
 *   them backtrack catastrophically;
 * - each rule only collects [start, end) ranges; overlapping ranges are merged and each merged range becomes one MASK,
 *   which is also what makes masking idempotent (MASK is made of "•", and a token holding "•" is never a secret).
 *
 * The word lists the rules consult live with the other words of each language, in locales/<lang>/secrets.json:
 *
 *   { "filler": ["c'est", "de", …], "stop": ["oublie", …], …one array per name of SECRET_WORD_LISTS }
 *
 * Every file has every list (an empty array where a language has nothing to say); each word is one token,
 * normalised as the text is (lower case, no accents, straight apostrophe: "reponse", "c'est"). Words of no language
 * (brands, protocols, symbols: "gmail", "imap", "€") are in every file, so each reads complete for its language.
 * The masker uses the union of all languages (./secrets/words.ts reads them). What each list does is said where it
 * is used.
 *
 * The rules, one file each under ./secrets/: app passwords, strong tokens and words glued to numbers (shapes.ts), the
 * value after a cue (cues.ts), verification codes (codes.ts), card, social-security and IBAN numbers (numbers.ts);
 * the normalised text and its tokens they all read (text.ts). This file runs them and merges what they found.
 */
import { maskVerificationCodes } from './secrets/codes.js';
import { maskAfterCues } from './secrets/cues.js';
import { maskCardNumbers, maskIbans } from './secrets/numbers.js';
import { maskAppPasswords, maskStrongTokens, maskWordWithNumber } from './secrets/shapes.js';
import { normalise, type Range } from './secrets/text.js';

export const MASK = '••••••';

export interface Masked {
  text: string;
  /** how many secrets were masked */
  count: number;
}



export interface MaskOptions {
  /**
   * The message answers a volunteer who holds the ticket (they may just have asked "what code did you get?"): a
   * number of 4 to 8 digits with a few words around it ("c'est 7391", "oui 5830") is taken as that code.
   */
  answeringVolunteer?: boolean;
}

export function maskSecrets(text: string, options: MaskOptions = {}): Masked {
  // Masking a value can reveal the next one to the rules ("PIN jean Aaaaa00! = 000000": once the password is
  // dots, "= 000000" reads as a code given): mask again until nothing changes, so that masking twice is masking
  // once. Each pass only adds dots, so this ends; a few passes are plenty for any real message.
  let result = maskOnce(text, options);
  let total = result.count;
  for (let pass = 0; pass < MAX_MASK_PASSES && result.count > 0; pass++) {
    result = maskOnce(result.text, options);
    total += result.count;
  }
  return { text: result.text, count: total };
}

/** Passes after the first, at the most (see maskSecrets). */
const MAX_MASK_PASSES = 4;

function maskOnce(text: string, options: MaskOptions): Masked {
  if (text.length === 0) return { text, count: 0 };
  const norm = normalise(text);
  const ranges: Range[] = [];
  maskAppPasswords(text, ranges);
  maskAfterCues(text, norm, ranges);
  maskVerificationCodes(text, norm, ranges, options.answeringVolunteer === true);
  maskStrongTokens(text, ranges);
  maskWordWithNumber(text, ranges);
  maskCardNumbers(text, norm, ranges);
  maskIbans(text, ranges);
  return apply(text, ranges);
}

// ---------------------------------------------------------------------------------------------------------------
// Applying the ranges
// ---------------------------------------------------------------------------------------------------------------

function apply(text: string, ranges: Range[]): Masked {
  if (ranges.length === 0) return { text, count: 0 };
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const parts: string[] = [];
  let count = 0;
  let at = 0;
  let cur: Range | null = null;
  for (const r of ranges) {
    if (r[1] <= r[0]) continue;
    if (cur !== null && r[0] <= cur[1]) {
      if (r[1] > cur[1]) cur[1] = r[1];
      continue;
    }
    if (cur !== null) {
      parts.push(text.slice(at, cur[0]), MASK);
      at = cur[1];
      count++;
    }
    cur = [r[0], r[1]];
  }
  if (cur !== null) {
    parts.push(text.slice(at, cur[0]), MASK);
    at = cur[1];
    count++;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), count };
}
