/**
 * Rules 1, 4 and 5 of the masker (../secrets.ts): secrets known by their shape alone, with no cue — a Google app
 * password ("abcd efgh ijkl mnop"), a strong-looking token ("Tr0ub4dor&3"), a word glued to a number ("soleil2024")
 * — and the shapes a volunteer must read even though they look alike (addresses, links, dates, prices, versions).
 */
import { LETTER_OR_DIGIT, TRAILING_PUNCT, hasMask, isSpace, readToken, type Range } from './text.js';
import { COMMON4, PRODUCTS, UNITS, UNIT_SUFFIXES } from './words.js';

// ---------------------------------------------------------------------------------------------------------------
// Rule 1 — Google-style app passwords: "abcd efgh ijkl mnop"
// ---------------------------------------------------------------------------------------------------------------

/**
 * Google shows app passwords as four groups of four lower-case letters; people copy them with the spaces, or
 * dashes. Fixed-width groups: the expression cannot backtrack more than a few characters.
 */
const APP_PASSWORD = /(?<![\p{L}\p{N}])[a-zA-Z]{4}(?:[ \u00a0\u202f-][a-zA-Z]{4}){3}(?![\p{L}\p{N}])/gu;
/** Copied as shown (lower case), in capitals, or with the phone's capital first letter — never mixed inside. */
const APP_PASSWORD_CASE = /^(?:[a-z]{4}(?:[ \u00a0\u202f-][a-z]{4}){3}|[A-Z]{4}(?:[ \u00a0\u202f-][A-Z]{4}){3}|[A-Z][a-z]{3}(?:[ \u00a0\u202f-][a-z]{4}){3})$/u;
const VOWEL = /[aeiouy]/;

/**
 * Masked without any cue when written with dashes (prose never does that), or when the groups look random:
 * none is a common word, and there are few vowels or a group without any (random letters are ~23 % vowels,
 * French and English words far more).
 */
function looksRandom(groups: string[]): boolean {
  if (groups.some((g) => COMMON4.has(g))) return false;
  let vowels = 0;
  for (const g of groups) for (const c of g) if (VOWEL.test(c)) vowels++;
  return vowels <= 5 || groups.some((g) => !VOWEL.test(g));
}

export function maskAppPasswords(text: string, ranges: Range[]): void {
  APP_PASSWORD.lastIndex = 0;
  for (let m = APP_PASSWORD.exec(text); m !== null; m = APP_PASSWORD.exec(text)) {
    const groups = m[0].toLowerCase().split(/[ \u00a0\u202f-]/);
    if (APP_PASSWORD_CASE.test(m[0]) && (m[0].includes('-') || looksRandom(groups))) ranges.push([m.index, m.index + m[0].length]);
    else APP_PASSWORD.lastIndex = m.index + 5; // a sentence: the next group may start a real one
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 4 — strong-looking tokens without any cue: "Tr0ub4dor&3", "xK9#mQ2!pL", "Noël2024"
// ---------------------------------------------------------------------------------------------------------------

/**
 * People paste a password alone or mid-sentence without saying what it is. A token of 8+ characters mixing three
 * of lower case, upper case, digits and symbols is almost never prose — once the shapes below are set aside.
 * A capitalised word glued to a year ("Noël2024", "Soleil2024") IS masked: it is the commonest shape of a French
 * password, and people writing about Christmas 2024 put a space.
 */
export function maskStrongTokens(text: string, ranges: Range[]): void {
  let i = 0;
  while (i < text.length) {
    const t = readToken(text, i);
    if (t === null) return;
    if (t.tooLong) {
      // skip the rest of a very long token without looking at it
      let j = t.end;
      while (j < text.length && !isSpace(text[j])) j++;
      i = j;
      continue;
    }
    i = t.end;
    if (t.coreEnd - t.coreStart < 8) continue;
    // "<b>Échecs</b>": markup typed around a word is the word's business, not a symbol of a password.
    const whole = text.slice(t.start, t.end);
    if (HTML_TAG.test(whole) && !strong(whole.replace(HTML_TAGS, ''))) continue;
    let start = t.coreStart;
    let core = text.slice(start, t.coreEnd);
    if (isBenign(core.replace(TRAILING_PUNCT, ''))) continue;
    // "MDP=azerty123", "pwd:Xy12!", "jean/Azerty12": a key or a login glued to the value; only the value is secret.
    const key = KEY_PREFIX.exec(core);
    if (key !== null && key[0].length < core.length) {
      start += key[0].length;
      core = core.slice(key[0].length);
    }
    const bare = core.replace(TRAILING_PUNCT, '');
    if (isBenign(bare) || !strong(core.replace(/[.,;…]+$/u, ''))) continue;
    ranges.push([start, t.coreEnd]);
  }
}

const KEY_PREFIX = /^[\p{L}._-]+[=:/]/u;
const HTML_TAG = /<\/?[a-z][a-z0-9]*>/i;
const HTML_TAGS = /<\/?[a-z][a-z0-9]*>/gi;

const LOWER = /[\p{Ll}\p{Lo}\p{Lm}]/u;
const UPPER = /[\p{Lu}\p{Lt}]/u;
const DIGIT = /\p{Nd}/u;
const LETTER = /\p{L}/u;
const EMOJI = /[\p{Extended_Pictographic}\u200d\ufe0f\u{1f3fb}-\u{1f3ff}]/u;
const PROSE_PUNCT = new Set([...`.,;:!?'’"«»“”()…-–—`]);

/** 8+ characters and three classes; an apostrophe between letters or a hyphen inside a word is not a symbol. */
/** "Bonjour2tous", "Merci2fois": a digit standing for a word between two words, not a password. */
const DIGIT_AS_WORD = /^\p{Lu}?\p{Ll}{2,}\d\p{Ll}{2,}$/u;

function strong(s: string): boolean {
  const chars = [...s];
  if (chars.length < 8 || DIGIT_AS_WORD.test(s)) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let symbol = 0;
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    if (LOWER.test(c)) lower = 1;
    else if (UPPER.test(c)) upper = 1;
    else if (DIGIT.test(c)) digit = 1;
    else if (EMOJI.test(c)) continue;
    else if ((c === "'" || c === '’') && LETTER.test(chars[k - 1] ?? '') && LETTER.test(chars[k + 1] ?? '')) continue;
    else if (c === '-' && LETTER_OR_DIGIT.test(chars[k - 1] ?? '') && LETTER_OR_DIGIT.test(chars[k + 1] ?? '')) continue;
    else symbol = 1;
  }
  return lower + upper + digit + symbol >= 3;
}

/** Anything with a digit or a symbol other than sentence punctuation ("Soleil2024", "p@ss"). */
export function secretLooking(s: string): boolean {
  for (const c of s) {
    if (DIGIT.test(c)) return true;
    if (!LETTER.test(c) && !PROSE_PUNCT.has(c) && !EMOJI.test(c)) return true;
  }
  return false;
}

const EMAIL = /^[^\s@]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;

/** One token that is an e-mail address ("jean.dupont@free.fr"): never a secret, but personal all the same. */
export function isEmailAddress(token: string): boolean {
  return EMAIL.test(token);
}
const URL_LIKE = /^(?:https?:\/\/|www\.)|:\/\//i;
/** Domains, servers with a port, file names: imap.mailo.com:993, mailbox.org/fr, Sauvegarde_2024.pst */
const DOMAIN = /^[\p{L}\p{N}_~+-]+(?:\.[\p{L}\p{N}_~+-]+)*\.[a-z]{2,6}(?::\d{1,5})?(?:[/?#]\S*)?$/iu;
/** Telegram and Matrix handles: @jean_dupont, @jean:matrix.org; hashtags */
const HANDLE = /^[@#][\p{L}\p{N}_.=-]+(?::[\p{L}\p{N}.-]+)?$/u;
const WINDOWS_PATH = /^[a-z]:\\|^~?\//i;
const DATE_TIME = /^\d{1,4}([/.-])\d{1,2}\1\d{1,4}(?:[T,à]*\d{1,2}[:h]\d{2}(?::\d{2})?)?$/iu;
const TIME = /^\d{1,2}[:h]\d{2}(?::\d{2})?$/i;
const PRICE = /^[€$£]?\d+(?:[.,]\d+)?(?:[€$£]|eur|euros?)(?:\/[\p{L}.]+)?$|^[€$£]\d+(?:[.,]\d+)?(?:\/[\p{L}.]+)?$/iu;
/** "15Go/mois", "2To", "50Mo": a number and a unit */
const QUANTITY = /^\d+(?:[.,]\d+)?(\p{L}{1,5})(?:\/\p{L}+)?$/u;
const POSTAL = /^\d{5}[-/]\p{L}[\p{L}'’-]*$/u;
const NUMERO = /^n[°o]\d+$/iu;
const HEX = /^0x[0-9a-f]+$/i;
const PHONE = /^\+?[\d().-]{8,}$/;
const PRODUCT = /^(\p{L}+)[-_]?\d+\p{L}{0,3}$/u;

/** Shapes a volunteer must read even though they mix classes, and prose: never a secret without a cue. */
function isBenign(s: string): boolean {
  return isBenignShape(s) || !secretLooking(s); // prose: letters and sentence punctuation only ("Bonjour,Merci", "aujourd'hui")
}

/** Addresses, links, dates, prices, quantities, versions…: not secrets even right after a cue. */
export function isBenignShape(s: string): boolean {
  if (s.length === 0 || hasMask(s)) return true;
  if (EMAIL.test(s) || URL_LIKE.test(s) || DOMAIN.test(s) || HANDLE.test(s) || WINDOWS_PATH.test(s)) return true;
  if (DATE_TIME.test(s) || TIME.test(s) || PRICE.test(s) || POSTAL.test(s) || NUMERO.test(s)) return true;
  const quantity = QUANTITY.exec(s);
  if (quantity !== null && UNIT_SUFFIXES.has(quantity[1]!.toLowerCase())) return true;
  if (HEX.test(s) || PHONE.test(s)) return true;
  const product = PRODUCT.exec(s);
  return product !== null && PRODUCTS.has(product[1]!.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 5 — a word glued to a number, without any cue: "soleil2024", "chaton75", "2004lucas"
// ---------------------------------------------------------------------------------------------------------------

/**
 * The commonest French password is a lower-case word (a pet, a first name, a town) glued to a year, a birthday or
 * a département. Prose never glues them ("en 2024", "75 Paris"); products and versions ("Windows11") are set apart.
 */
const WORD_THEN_NUMBER = /^(\p{L}{4,})(\d{2,4})[!?*#.]?$/u;
const NUMBER_THEN_WORD = /^(\d{2,4})(\p{L}{4,})$/u;

export function maskWordWithNumber(text: string, ranges: Range[]): void {
  let i = 0;
  while (i < text.length) {
    const t = readToken(text, i);
    if (t === null) return;
    i = t.end;
    if (t.tooLong) {
      while (i < text.length && !isSpace(text[i])) i++;
      continue;
    }
    const core = text.slice(t.coreStart, t.coreEnd).replace(/[.,;:…]+$/u, '');
    if (hasMask(core)) continue;
    const glued = WORD_THEN_NUMBER.exec(core);
    if (glued !== null) {
      if (PRODUCTS.has(glued[1]!.toLowerCase()) || UNITS.has(glued[1]!.toLowerCase())) continue;
      ranges.push([t.coreStart, t.coreStart + core.length]);
      continue;
    }
    const reversed = NUMBER_THEN_WORD.exec(core);
    if (reversed !== null && !UNIT_SUFFIXES.has(reversed[2]!.toLowerCase()) && !UNITS.has(reversed[2]!.toLowerCase())) {
      ranges.push([t.coreStart, t.coreStart + core.length]);
    }
  }
}
