/**
 * Rule 3 of the masker (../secrets.ts): verification codes — 6 to 8 digits in a message about a code received, or
 * a number alone (or nearly) in a reply to a volunteer who just asked for one — told apart from dates, prices,
 * phone numbers, postcodes and references.
 */
import { isCodeAntiCue } from './cues.js';
import { LETTER_OR_DIGIT, isDigitCode, previousWord, readToken, wordOf, type Range } from './text.js';
import { REFERENCE_WORDS, SECRET_WORDS, UNITS } from './words.js';

// ---------------------------------------------------------------------------------------------------------------
// Rule 3 — verification codes: 6 to 8 digits, with a cue in the message or alone
// ---------------------------------------------------------------------------------------------------------------

/** Words that mean a message is about a code received, so its 6–8 digit numbers are that code. */
const CODE_CUE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(codes?|verification|verifier|otp|2fa|sms|authenticator|confirmation|validation` +
    String.raw`|recu|recue|recus|recevoir|envoye|texto|authentification` + // fr
    String.raw`|received|texted|text|sent)(?![\p{L}\p{N}])`, // en
  'gu',
);

/** Words a code is said with when it answers a question: "c'est 482913", "ok 482913", "482913 voilà", "here: 739102". */
const AROUND_CODE = SECRET_WORDS.aroundCode;
/** A message this short, of such words and one number, is that number. */
const ALONE_MAX_WORDS = 5;

function messageHasCodeCue(text: string, norm: string): boolean {
  CODE_CUE.lastIndex = 0;
  for (let m = CODE_CUE.exec(norm); m !== null; m = CODE_CUE.exec(norm)) {
    if (!m[0].startsWith('code') || !isCodeAntiCue(text, norm, m.index, m.index + m[0].length)) return true;
  }
  return false;
}

/** What may surround a code sent alone: « 123 456 ». */
const AROUND_ALONE = new Set([...` \t\n\r\u00a0\u202f"'«»“”().:!?,-`]);
const YEAR = /^(?:19|20)\d\d$/;
const CODE_SEPARATORS = new Set([' ', '-', '.', '\u00a0', '\u202f']);
/** Before or after a number, these make it a phone number, a price, a date, a time or a decimal. */
const NOT_BEFORE_CODE = new Set(['+', '/', ':', ',', '€', '$', '£', '#', '@', '_', '°', '.']);
const NOT_AFTER_CODE = new Set(['/', ':', '€', '$', '£', '%', '@', '_', '°']);

export function maskVerificationCodes(text: string, norm: string, ranges: Range[], answering: boolean): void {
  let cue: boolean | undefined;
  let contentStart: number | undefined;
  let contentEnd = 0;
  let spoken: boolean | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // A run of digit groups joined by single spaces, dashes or dots: "123456", "123 456", "12-34-56". Linear.
    const start = i;
    const groups: string[] = [];
    for (;;) {
      let j = i;
      while (j < n && isDigitCode(text.charCodeAt(j))) j++;
      groups.push(text.slice(i, j));
      if (j + 1 < n && CODE_SEPARATORS.has(text[j]!) && isDigitCode(text.charCodeAt(j + 1))) {
        i = j + 1;
        continue;
      }
      i = j;
      break;
    }
    const end = i;
    // Answering a volunteer, a short reply around one number of four digits or more is the code they asked for.
    if (answering && shortReply(text, norm, start, end) && answerShaped(norm, start, groups) && codeShaped(text, norm, start, end, groups, 4)) {
      ranges.push([start, end]);
      continue;
    }
    if (!codeShaped(text, norm, start, end, groups)) continue;
    // Alone in the message, it can only be a code; otherwise the message must be about a code.
    if (contentStart === undefined) {
      contentStart = 0;
      while (contentStart < n && AROUND_ALONE.has(text[contentStart]!)) contentStart++;
      contentEnd = n;
      while (contentEnd > 0 && AROUND_ALONE.has(text[contentEnd - 1]!)) contentEnd--;
    }
    spoken ??= onlyAroundWords(text, norm, start, end);
    const alone = (start <= contentStart && end >= contentEnd) || spoken;
    if (!alone) {
      cue ??= messageHasCodeCue(text, norm);
      if (!cue) continue;
    }
    ranges.push([start, end]);
  }
}

/** The words of the message outside [start, end), normalised, sentence punctuation dropped. */
function wordsAround(text: string, norm: string, start: number, end: number): string[] | null {
  const out: string[] = [];
  for (const [from, to] of [[0, start], [end, text.length]] as const) {
    if (to - from > 200) return null;
    const part = norm.slice(from, to).replace(/[\s"«»“”().:!?,;-]+/g, ' ').trim();
    if (part) out.push(...part.split(' '));
    if (out.length > 12) return null;
  }
  return out;
}

/** "c'est 482913", "Voici : 482913", "482913 voilà": only words a code is said with. */
function onlyAroundWords(text: string, norm: string, start: number, end: number): boolean {
  const around = wordsAround(text, norm, start, end);
  return around !== null && around.length > 0 && around.length <= ALONE_MAX_WORDS && around.every((w) => AROUND_CODE.has(w));
}

/** Words before a number that make it a count or a place, even in a reply: "environ 1500", "code postal 35000". */
const QUANTIFIERS = SECRET_WORDS.quantifiers;

/**
 * In a reply, a number is a code unless it reads as something else: five digits alone are a postcode (SMS codes
 * have six, PINs four), and a quantifier before it makes it a count.
 */
function answerShaped(norm: string, start: number, groups: string[]): boolean {
  if (groups.length === 1 && groups[0]!.length === 5) return false;
  const previous = previousWord(norm, start);
  return !QUANTIFIERS.has(previous) && !REFERENCE_WORDS.has(previous);
}

/** A short reply (a few words) around the number at [start, end). */
function shortReply(text: string, norm: string, start: number, end: number): boolean {
  const around = wordsAround(text, norm, start, end);
  return around !== null && around.length <= ALONE_MAX_WORDS + 1;
}

function codeShaped(text: string, norm: string, start: number, end: number, groups: string[], minDigits = 6): boolean {
  let total = 0;
  for (const g of groups) total += g.length;
  if (total < minDigits || total > 8) return false; // 4-digit years and PINs, 10-digit phone numbers
  if (total === 4 && groups.length === 1 && YEAR.test(groups[0]!)) return false; // a year: since 2019
  if (groups.length > 1 && groups.some((g) => g.length > 4)) return false;
  // Next to a mask ("000000 ••••••"): this was part of a longer number whose rest a cue masked; leave it as the
  // first pass did, so that masking twice changes nothing.
  if (text[start - 2] === '•' || text[end + 1] === '•') return false;
  const before = text[start - 1];
  if (before !== undefined && (NOT_BEFORE_CODE.has(before) || LETTER_OR_DIGIT.test(before))) return false;
  const after = text[end];
  if (after !== undefined) {
    if (NOT_AFTER_CODE.has(after) || LETTER_OR_DIGIT.test(after)) return false;
    if ((after === ',' || after === '.') && isDigitCode(text.charCodeAt(end + 1))) return false;
  }
  // 25-11-2026, 2026.11.25: dates
  if (groups.length === 3) {
    const [a, b, c] = groups.map((g) => g.length) as [number, number, number];
    if ((a <= 2 && b <= 2 && c === 4) || (a === 4 && b <= 2 && c <= 2)) return false;
  }
  if (groups.length > 1 && groups.every((g) => YEAR.test(g))) return false; // "2024 2025"
  // "06 12 34 56": the start of a phone number
  if (groups.length >= 4 && groups[0]!.startsWith('0') && groups.every((g) => g.length === 2)) return false;
  const next = readToken(text, end);
  if (next !== null && !next.tooLong && UNITS.has(wordOf(norm, next))) return false; // "150 000 €", "123456 mails"
  const previous = previousWord(norm, start);
  if (REFERENCE_WORDS.has(previous)) return false; // "commande n° 12345678", "erreur 80070005"
  // "error code 80070005": the code a volunteer needs to read
  if ((previous === 'code' || previous === 'code:') && isCodeAntiCue(text, norm, norm.lastIndexOf('code', start), start)) return false;
  return true;
}
