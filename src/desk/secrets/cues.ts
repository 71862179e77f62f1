/**
 * Rule 2 of the masker (../secrets.ts): the value after a cue — "mon mdp c'est X", "password: X", "le code est
 * 482 913", "identifiant et mot de passe : jean / X". The commonest way a secret is given, and the one with the
 * most ordinary sentences to tell apart ("mot de passe oublié", "le code est expiré").
 */
import { isBenignShape, secretLooking } from './shapes.js';
import { MAX_TOKEN, NON_SPACES, TRAILING_PUNCT, hasMask, isDigitCode, isSpace, previousWord, readToken, wordOf, type Range, type Token } from './text.js';
import { ANNOUNCERS, CODE_NOT_AFTER, CODE_NOT_BEFORE, DETERMINERS, FILLER, PREPOSITIONS, SECRET_WORDS, STOP, UNITS, VALUE_ENDS } from './words.js';

/** How many tokens after a cue we look at for its value ("le code que j'ai reçu par SMS est 123456"). */
const MAX_STEPS_AFTER_CUE = 8;

// ---------------------------------------------------------------------------------------------------------------
// Rule 2 — the value after a cue: "mon mdp c'est X", "password: X", "le code est 482 913"
// ---------------------------------------------------------------------------------------------------------------

const W = String.raw`[\s_-]+`;
/**
 * Cue phrases, on the normalised text. "code à 6 chiffres" is one cue so its "6" is never taken as the value.
 * "identifiants"/"credentials" announce a pair (login then password).
 */
const CUE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?<pair>identifiants|credentials)|(?<code>codes?(?:${W}(?:a|de|en)${W}\d{1,2}${W}(?:chiffres|caracteres|lettres|digits))?)` +
    String.raw`|(?<short>mdps?|pwd|pw|passwd)|(?<card>cvv2?|cvc2?|cryptogramme|cryptogram|security${W}code)` +
    String.raw`|(?<sequence>(?:numero${W}de${W})?(?:securite${W}sociale|secu|carte${W}vitale)|social${W}security(?:${W}number)?|ssn)` +
    String.raw`|mots?${W}de${W}passe|passwords?|passcode|passphrase|pass|passe(?=\s*[:=])|pin|otp|totp|2fa|mfa` +
    String.raw`|cles?${W}(?:wifi|wi-fi|wpa2?|wep|de${W}securite(?:${W}reseau)?|reseau|de${W}reseau)|wifi${W}key|wpa${W}key` +
    String.raw`|(?:question|reponse)${W}(?:a${W}la${W}question${W})?secrete|(?:security|secret)${W}(?:answer|question))(?![\p{L}\p{N}])`,
  'gu',
);
/** "identifiant et mot de passe : jean / X", "login/mdp : jean X": the first value is the login, kept readable. */
const PAIR_BEFORE = /(?:identifiants?|login|username|user|utilisateur|e-?mail|adresse(?:\s+e?-?mail)?|id)\s*(?:et|and|&|\/|\+|,)\s*(?:(?:le|mon|ton|votre|the|my|son)\s+)?$/u;
/** What stands between a login and its password: "jean / X", "jean et X". */
const PAIR_SEPARATORS = SECRET_WORDS.pairSeparators;
/** Characters that separate a cue from its value and make the value explicit: "mdp: X", "pwd=X", "code → X". */
const SEPARATOR_CHARS = new Set([':', '=', '→', '>']);
const DASHES = new Set(['-', '–', '—']);

const DIGITS_ONLY = /^\d+(?:[-.]\d+)*$/;
const LOWER16 = /^(?:[a-z]{16}|[A-Z]{16})$/;
const LOWER4 = /^[a-zA-Z]{4}$/;
/** French past participles and adverbs, English -ed: "le mot de passe est refusé", "password is expired". */
const ORDINARY_ENDING = /(?:é|ée|és|ées|ment)$/u;
const ENGLISH_ED = /^[a-z]{3,}ed$/;

/** "code postal", "error code", "QR code" are not about a secret. */
export function isCodeAntiCue(text: string, norm: string, start: number, end: number): boolean {
  if (CODE_NOT_BEFORE.has(previousWord(norm, start))) return true;
  const next = readToken(text, end);
  return next !== null && !next.tooLong && CODE_NOT_AFTER.has(wordOf(norm, next));
}

export function maskAfterCues(text: string, norm: string, ranges: Range[]): void {
  CUE.lastIndex = 0;
  let longTokenEnd = -1;
  for (let m = CUE.exec(norm); m !== null; m = CUE.exec(norm)) {
    const start = m.index;
    const end = start + m[0].length;
    // Deep inside a blob of more than MAX_TOKEN characters ("mdp:mdp:mdp:…"), any value would be too long too:
    // skipping these keeps such input linear.
    if (end + MAX_TOKEN < longTokenEnd) continue;
    if (longTokenEnd < end) {
      const t = readToken(text, end);
      if (t !== null && t.tooLong && t.start === end) {
        NON_SPACES.lastIndex = t.start;
        NON_SPACES.test(text);
        longTokenEnd = NON_SPACES.lastIndex;
        if (end + MAX_TOKEN < longTokenEnd) continue;
      }
    }
    if (m.groups?.code !== undefined && isCodeAntiCue(text, norm, start, end)) continue;
    const pair = m.groups?.pair !== undefined || PAIR_BEFORE.test(norm.slice(Math.max(0, start - 40), start));
    const cue: CueKind = m.groups?.short !== undefined ? 'short' : m.groups?.card !== undefined ? 'card' : m.groups?.sequence !== undefined ? 'sequence' : 'word';
    maskValueAfter(text, norm, end, pair, ranges, cue);
  }
}

/**
 * short: an abbreviation people type right before the value ("mdp chaton"), so a plain word after it is one;
 * card: a card's security code (three digits are enough); sequence: a long number written in many groups (NIR).
 */
type CueKind = 'word' | 'short' | 'card' | 'sequence';

/** Quotes around a value: everything between them is the value (« le chat noir »). */
const QUOTE_PAIRS: Record<string, string> = { '"': '"', '«': '»', '“': '”', '„': '“', "'": "'", '`': '`' };

/** From a quote opening at `at`: the range of what it quotes (trimmed), if it closes on the same line soon enough. */
function quotedValue(text: string, at: number): Range | null {
  const close = QUOTE_PAIRS[text[at]!];
  if (close === undefined) return null;
  for (let j = at + 1; j < text.length && j - at <= 80; j++) {
    if (text[j] === '\n') return null;
    if (text[j] === close) {
      let a = at + 1;
      let b = j;
      while (a < b && isSpace(text[a])) a++;
      while (b > a && isSpace(text[b - 1])) b--;
      return b > a ? [a, b] : null;
    }
  }
  return null;
}

/**
 * Between a cue and its value people name the service, or more: "mot de passe *CAF* : X", "le mdp *de la box* est X",
 * "mot de passe *sur le site de la mutuelle* c'est X". From a plain word after the cue: the position just after the
 * ":"/"="/announcer that follows within a few words, if nothing on the way says the sentence is about something else.
 */
function separatorAhead(text: string, norm: string, from: number): number | null {
  let i = from;
  for (let step = 0; step < 7; step++) {
    while (i < text.length && isSpace(text[i])) i++;
    if (text[i] === '\n') return null;
    if (SEPARATOR_CHARS.has(text[i]!)) return i + 1;
    const t = readToken(text, i);
    if (t === null || t.tooLong) return null;
    const raw = norm.slice(t.coreStart, t.coreEnd);
    const word = wordOf(norm, t);
    if (raw.endsWith(':') || raw.endsWith('=')) return t.end;
    if (ANNOUNCERS.has(word)) return t.end;
    if (/[.!?;,]$/.test(raw)) return null; // the sentence (or clause) ended without giving a value
    if (STOP.has(word) && !PREPOSITIONS.has(word)) return null;
    if (secretLooking(text.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, '')) && !isBenignShape(text.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, ''))) return null;
    i = t.end;
  }
  return null;
}

/** Stop words that may start a passphrase (never a sentence about the password, once a ":" came and words follow). */
const PASSPHRASE_START = SECRET_WORDS.passphraseStart;

function plainWordFollows(text: string, norm: string, t: Token): boolean {
  if (/[.,;!?…]$/.test(text.slice(t.coreStart, t.end))) return false;
  const next = readToken(text, t.end);
  if (next === null || next.tooLong || text.slice(t.end, next.start).includes('\n')) return false;
  const word = wordOf(norm, next);
  return /^\p{L}{3,}$/u.test(word) && !STOP.has(word) && !FILLER.has(word);
}

/** After an explicit "mdp : X", the words of a value in several words ("marie claire", "Soleil 2024"), up to four. */
function extendValue(text: string, norm: string, first: Token, ranges: Range[]): void {
  let last = first;
  for (let k = 0; k < 4; k++) {
    if (/[.,;!?…]$/.test(text.slice(last.coreStart, last.end))) return;
    const gap = text.slice(last.end, last.end + 3);
    if (gap.includes('\n')) return;
    const t = readToken(text, last.end);
    if (t === null || t.tooLong || text.slice(last.end, t.start).includes('\n')) return;
    const word = wordOf(norm, t);
    const bare = text.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, '');
    if (bare.length === 0 || STOP.has(word) || FILLER.has(word) || VALUE_ENDS.has(word) || isBenignShape(bare) || hasMask(bare)) return;
    if (SEPARATOR_CHARS.has(bare[0]!)) return;
    ranges.push([t.coreStart, t.coreEnd]);
    last = t;
  }
}

/** Walk the few tokens after a cue: skip fillers, stop at ordinary words, mask the first value that is one. */
function maskValueAfter(text: string, norm: string, from: number, pair: boolean, ranges: Range[], cue: CueKind = 'word'): void {
  let i = from;
  let announced = false; // an explicit ":", "=", "est", "c'est" or "is" came before the value
  let explicit = false; // a ":" or "=" (not only a word): the value may be several words
  let phrase = false; // a determiner came: "c'est le nom de mon chien" is a phrase, not a value
  /** Pair cue: 0 = expecting the login, 1 = login seen, expecting "/" or the password, 2 = separator seen. */
  let pairStage = pair ? 0 : -1;
  for (let step = 0; step < MAX_STEPS_AFTER_CUE; step++) {
    while (i < text.length && isSpace(text[i])) i++;
    // "mdp:X", "mdp : X", "pwd = X", "code -> X"
    let seps = 0;
    while (
      i < text.length &&
      seps < 4 &&
      (SEPARATOR_CHARS.has(text[i]!) || (DASHES.has(text[i]!) && (isSpace(text[i + 1]) || text[i + 1] === '>')))
    ) {
      i++;
      seps++;
    }
    if (seps > 0) {
      announced = true;
      explicit = true;
      continue;
    }
    if (pairStage === -1 && i < text.length && QUOTE_PAIRS[text[i]!] !== undefined) {
      const quoted = quotedValue(text, i);
      if (quoted !== null && !hasMask(text.slice(quoted[0], quoted[1]))) {
        if (!isBenignShape(text.slice(quoted[0], quoted[1]))) ranges.push(quoted);
        return;
      }
    }
    const t = readToken(text, i);
    if (t === null || t.tooLong) return;
    i = t.end;
    const core = text.slice(t.coreStart, t.coreEnd);
    if (core.length === 0 || /^[,;]+$/.test(core)) continue; // "un code, c'est 7391"
    if (hasMask(core)) return; // already masked: idempotence
    const word = wordOf(norm, t);
    const raw = norm.slice(t.coreStart, t.coreEnd);
    const endsWithSeparator = raw.endsWith(':') || raw.endsWith('=');

    if (pairStage === 1 && PAIR_SEPARATORS.has(word.length > 0 ? word : raw)) {
      pairStage = 2;
      continue;
    }
    if (FILLER.has(word) && pairStage !== 2) {
      if (ANNOUNCERS.has(word) || endsWithSeparator) announced = true;
      else if (DETERMINERS.has(word)) {
        announced = false;
        phrase = true;
      }
      if (endsWithSeparator) explicit = true;
      continue;
    }
    const bare = core.replace(TRAILING_PUNCT, '');
    // A service named before the value: jump to what follows its ":" or "est".
    if (pairStage === -1 && !announced && !secretLooking(bare) && (!STOP.has(word) || PREPOSITIONS.has(word)) && !/[.!?;,]$/.test(core)) {
      const after = separatorAhead(text, norm, t.end);
      if (after !== null) {
        i = after;
        announced = true;
        explicit = SEPARATOR_CHARS.has(text[after - 1]!) || text[after - 1] === '=';
        continue;
      }
    }
    // "password: correct horse battery staple": after a ":", an adjective followed by more words is the value's start.
    const passphrase = explicit && PASSPHRASE_START.has(word) && plainWordFollows(text, norm, t);
    if (!passphrase && (STOP.has(word) || ORDINARY_ENDING.test(bare.toLowerCase()) || ENGLISH_ED.test(word))) return;
    if (passphrase) {
      ranges.push([t.coreStart, t.coreEnd]);
      extendValue(text, norm, t, ranges);
      return;
    }

    if (pairStage === 0) {
      // The login stays readable; "jean/Soleil2024!" glued: only what follows the slash is the password.
      const slash = core.indexOf('/');
      if (slash >= 0 && slash < core.length - 1) {
        ranges.push([t.coreStart + slash + 1, t.coreEnd]);
        return;
      }
      pairStage = 1;
      continue;
    }

    if (DIGITS_ONLY.test(bare)) {
      maskDigitsAfterCue(text, norm, t, ranges, cue);
      return;
    }
    // The app password written after its cue, spaced or in one piece ("mot de passe d'application abcdefghijklmnop").
    if (LOWER16.test(bare)) {
      ranges.push([t.coreStart, t.coreEnd]);
      return;
    }
    if (LOWER4.test(core)) {
      const span = fourGroups(text, t);
      if (span !== null) {
        ranges.push(span);
        return;
      }
    }
    if (isBenignShape(bare)) return;
    if (pairStage >= 1 || secretLooking(bare)) {
      ranges.push([t.coreStart, t.coreEnd]);
      if (explicit && pairStage === -1) extendValue(text, norm, t, ranges);
      return;
    }
    // A plain word is a password when announced ("mon mdp c'est chaton", "mdp: chaton", « chaton »), or right after
    // an abbreviation people type only before the value ("mdp chaton", "pw maplesyrup").
    if ((announced || t.quoted || (cue === 'short' && !phrase)) && [...bare].length >= 3) {
      ranges.push([t.coreStart, t.coreEnd]);
      if (explicit && pairStage === -1) extendValue(text, norm, t, ranges);
    }
    return;
  }
}

/** "le code est 482 913", "PIN 4821": the digits and the groups that follow; not "12 caractères", not "2". */
function maskDigitsAfterCue(text: string, norm: string, first: Token, ranges: Range[], cue: CueKind = 'word'): void {
  let digits = countDigits(text.slice(first.coreStart, first.coreEnd));
  let end = first.coreEnd;
  let next = readToken(text, first.end);
  const maxGroups = cue === 'sequence' ? 9 : 6;
  for (let groups = 1; next !== null && !next.tooLong && groups < maxGroups; groups++) {
    const s = text.slice(next.coreStart, next.coreEnd);
    if (!DIGITS_ONLY.test(s.replace(TRAILING_PUNCT, ''))) break;
    digits += countDigits(s);
    end = next.coreEnd;
    next = readToken(text, next.end);
  }
  if (next !== null && !next.tooLong && UNITS.has(wordOf(norm, next))) return;
  // "code 2", "étape 3": PINs and codes have four digits or more; a card's security code has three.
  if (digits < (cue === 'card' ? 3 : 4)) return;
  ranges.push([first.coreStart, end]);
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (isDigitCode(s.charCodeAt(i))) n++;
  return n;
}

/** Four tokens of four lower-case letters in a row from `first`, as one range. */
function fourGroups(text: string, first: Token): Range | null {
  let t: Token | null = first;
  for (let k = 1; k < 4; k++) {
    t = readToken(text, t.end);
    if (t === null || t.tooLong) return null;
    const s = text.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, '');
    if (!LOWER4.test(s)) return null;
  }
  return [first.coreStart, t.coreStart + 4];
}
