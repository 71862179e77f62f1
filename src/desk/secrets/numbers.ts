/**
 * Rule 6 of the masker (../secrets.ts): numbers a volunteer never needs and that prove themselves by their check
 * digits — card numbers (Luhn), French social-security numbers (their key), IBANs (mod 97).
 */
import { previousWord, type Range } from './text.js';
import { REFERENCE_WORDS } from './words.js';

// ---------------------------------------------------------------------------------------------------------------
// Rule 6 — card numbers (Luhn), social-security numbers (their key), IBANs (mod 97): never needed by a volunteer
// ---------------------------------------------------------------------------------------------------------------

/** 13 to 19 digits, alone or in groups of one space or dash: "4970 1012 3456 7893", "1 85 05 78 006 084 91". */
const LONG_NUMBER = /(?<![\p{L}\p{N}.,/])\d(?:[ -]?\d){12,18}(?![\p{N}]|[.,/]\d|\p{L})/gu;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = digits.charCodeAt(digits.length - 1 - k) - 48;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A French NIR: sex, year, month, département, commune, order, then its key (97 − number mod 97). */
function nir(digits: string): boolean {
  if (digits.length !== 15 || (digits[0] !== '1' && digits[0] !== '2')) return false;
  const body = BigInt(digits.slice(0, 13));
  return 97n - (body % 97n) === BigInt(digits.slice(13));
}

export function maskCardNumbers(text: string, norm: string, ranges: Range[]): void {
  LONG_NUMBER.lastIndex = 0;
  for (let m = LONG_NUMBER.exec(text); m !== null; m = LONG_NUMBER.exec(text)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (REFERENCE_WORDS.has(previousWord(norm, m.index))) continue; // "Siret 123 456 789 00012", "colis …"
    if (luhn(digits) || nir(digits)) ranges.push([m.index, m.index + m[0].length]);
  }
}

/** Two letters and two check digits, then letters or digits in groups separated by one space. */
const IBAN_START = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}/gu;
const ALNUM = /[A-Za-z0-9]/;

/** The IBAN check (ISO 13616): the first four characters moved to the end, letters as 10–35, mod 97 is 1. */
function ibanValid(chars: string): boolean {
  if (chars.length < 15 || chars.length > 34) return false;
  let rest = 0;
  for (let k = 0; k < chars.length; k++) {
    const code = chars.charCodeAt((k + 4) % chars.length);
    const v = code >= 97 ? code - 87 : code >= 65 ? code - 55 : code - 48;
    rest = (rest * (v >= 10 ? 100 : 10) + v) % 97;
  }
  return rest === 1;
}

export function maskIbans(text: string, ranges: Range[]): void {
  IBAN_START.lastIndex = 0;
  for (let m = IBAN_START.exec(text); m !== null; m = IBAN_START.exec(text)) {
    // The groups that follow, 34 characters at most in all; the longest run that checks is the IBAN.
    let chars = '';
    const ends: Array<[end: number, length: number]> = [];
    let j = m.index;
    while (j < text.length && chars.length < 34) {
      let k = j;
      while (k < text.length && ALNUM.test(text[k]!) && chars.length + (k - j) < 35) k++;
      if (k === j) break;
      chars += text.slice(j, k);
      ends.push([k, chars.length]);
      if (text[k] !== ' ' || !ALNUM.test(text[k + 1] ?? '')) break;
      j = k + 1;
    }
    if (chars.length < 15) continue;
    for (let e = ends.length - 1; e >= 0; e--) {
      const [end, length] = ends[e]!;
      if (length >= 15 && ibanValid(chars.slice(0, length))) {
        ranges.push([m.index, end]);
        IBAN_START.lastIndex = end;
        break;
      }
    }
  }
}
