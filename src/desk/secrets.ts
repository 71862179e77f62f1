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
 * The masker uses the union of all languages (see loadSecretWords). What each list does is said where it is used.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, LOCALES_DIR } from '../render/i18n.js';

export const MASK = '••••••';

export interface Masked {
  text: string;
  /** how many secrets were masked */
  count: number;
}

type Range = [start: number, end: number];

/** Longer "tokens" are pasted logs, links or base64 blobs, not something a person types as a password; also bounds the work per cue. */
const MAX_TOKEN = 128;
/** How many tokens after a cue we look at for its value ("le code que j'ai reçu par SMS est 123456"). */
const MAX_STEPS_AFTER_CUE = 8;

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
// Normalisation
// ---------------------------------------------------------------------------------------------------------------

const normCache = new Map<string, string>();

/**
 * Lower case, accents dropped, apostrophes unified — one code unit for one code unit, so that indices match the
 * original. People write "Mot de passe", "mot de passé", "c’est" and "c'est" alike on phones.
 */
function normalise(text: string): string {
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
const isSpace = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(c);
};
const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Quotes and brackets around a value are not part of it: « Soleil2024! » keeps its guillemets readable. */
const OPENERS = new Set(['"', "'", '«', '“', '‘', '„', '(', '[', '{', '<', '`']);
const CLOSERS = new Set(['"', "'", '»', '”', '’', ')', ']', '}', '>', '`']);
/** Sentence punctuation glued to a word ("oublié.", "merci !") — stripped before comparing words. */
const TRAILING_PUNCT = /[.,;:!?…]+$/u;

const SPACES = /\s*/y;
const NON_SPACES = /\S*/y;
const TOKEN = new RegExp(String.raw`\S{1,${MAX_TOKEN + 1}}`, 'y');

interface Token {
  start: number;
  end: number;
  /** The token without enclosing quotes/brackets: what gets masked. */
  coreStart: number;
  coreEnd: number;
  quoted: boolean;
  tooLong: boolean;
}

/** The next whitespace-separated token from i, reading at most MAX_TOKEN + 1 characters of it. */
function readToken(text: string, from: number): Token | null {
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
function wordOf(norm: string, t: Token): string {
  return norm.slice(t.coreStart, t.coreEnd).replace(TRAILING_PUNCT, '');
}

const hasMask = (s: string): boolean => s.includes('•');

// ---------------------------------------------------------------------------------------------------------------
// Word lists, from locales/<lang>/secrets.json (normalised: lower case, no accents, straight apostrophe)
// ---------------------------------------------------------------------------------------------------------------

/** The lists every locales/<lang>/secrets.json holds, by name; each rule below says what its list is for. */
export const SECRET_WORD_LISTS = [
  'filler',
  'determiners',
  'announcers',
  'stop',
  'valueEnds',
  'prepositions',
  'codeNotAfter',
  'codeNotBefore',
  'units',
  'unitSuffixes',
  'referenceWords',
  'products',
  'common4',
  'pairSeparators',
  'passphraseStart',
  'aroundCode',
  'quantifiers',
] as const;
export type SecretWordList = (typeof SECRET_WORD_LISTS)[number];
export type SecretWords = Readonly<Record<SecretWordList, ReadonlySet<string>>>;

/**
 * Reads every language's secrets.json and makes one set per list, all languages together: people mix them ("mon
 * password c'est …"), and a word of one language is no secret in the other. Synchronous, at import, like the texts
 * (src/render/i18n.ts): the masker must be ready before the first message. A file that is missing, not JSON, lacks
 * a list or holds a word the masker could never match (not normalised) stops the start with what to fix.
 */
export function loadSecretWords(dir: string = LOCALES_DIR): SecretWords {
  const sets = Object.fromEntries(SECRET_WORD_LISTS.map((name) => [name, new Set<string>()])) as Record<SecretWordList, Set<string>>;
  for (const lang of LANGUAGES) {
    const path = join(dir, lang, 'secrets.json');
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`secrets: cannot read ${path} (${(error as Error).message}); every language lists its words there, see src/desk/secrets.ts`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new Error(`secrets: ${path} must be an object of word lists ({ "filler": ["c'est", …], … })`);
    }
    const lists = file as Record<string, unknown>;
    for (const name of Object.keys(lists)) {
      if (!(SECRET_WORD_LISTS as readonly string[]).includes(name)) {
        throw new Error(`secrets: ${path} has a list "${name}" the masker does not use; the lists are ${SECRET_WORD_LISTS.join(', ')}`);
      }
    }
    for (const name of SECRET_WORD_LISTS) {
      const list = lists[name];
      if (!Array.isArray(list)) throw new Error(`secrets: ${path} lacks the list "${name}" (an array of words; [] if the language has none)`);
      for (const word of list) {
        if (typeof word !== 'string' || word.length === 0 || /\s/.test(word)) {
          throw new Error(`secrets: ${path}, list "${name}": ${JSON.stringify(word)} is not one word (no spaces: a phrase is several tokens)`);
        }
        if (normalise(word) !== word) {
          throw new Error(
            `secrets: ${path}, list "${name}": "${word}" would never match, the masker compares normalised words; write "${normalise(word)}"`,
          );
        }
        sets[name].add(word);
      }
    }
  }
  return sets;
}

/** The lists the rules use, read once at import. */
export const SECRET_WORDS: SecretWords = loadSecretWords();

/**
 * Words between a cue and its value that are skipped, never masked: "le mot de passe *de ma boîte Orange c'est* X",
 * "le code *que j'ai reçu par SMS est* X", "mot de passe *d'application :* X", "mdp *habituel* X".
 */
const FILLER = SECRET_WORDS.filler;

/** After these, the value is a phrase, not a password: "mon mdp c'est *le* nom de mon chien". */
const DETERMINERS = SECRET_WORDS.determiners;

/** Fillers that announce the value itself: after them a plain word is taken as the password ("mon mdp c'est chaton"). */
const ANNOUNCERS = SECRET_WORDS.announcers;

/**
 * Ordinary words that follow a cue in normal sentences: the sentence is about the password, there is no value.
 * "mot de passe oublié", "le code est expiré", "my password is wrong". Seeing one ends the search for a value.
 */
const STOP = SECRET_WORDS.stop;

/** Words right after a value that end it: a multi-word value ("mdp : marie claire") stops before them. */
const VALUE_ENDS = SECRET_WORDS.valueEnds;

/** Prepositions a service name comes with between a cue and its value: "mot de passe *sur le site de la* mutuelle : X". */
const PREPOSITIONS = SECRET_WORDS.prepositions;

/** "code postal", "code d'erreur", "error code": codes a volunteer needs to read. */
const CODE_NOT_AFTER = SECRET_WORDS.codeNotAfter;
const CODE_NOT_BEFORE = SECRET_WORDS.codeNotBefore;

/** A number followed by one of these is a quantity, not a PIN: "mot de passe de 12 caractères", "2 fois". */
const UNITS = SECRET_WORDS.units;
/** Letters glued to a number that make it a quantity: "15Go", "3e", "10ans" (never "1985clara"). */
const UNIT_SUFFIXES = SECRET_WORDS.unitSuffixes;

/** Words before a number that make it a reference, not a code: "commande n° 12345678". */
const REFERENCE_WORDS = SECRET_WORDS.referenceWords;

/** Product names glued to a version ("Windows11", "Office365") are not passwords. */
const PRODUCTS = SECRET_WORDS.products;

/**
 * Common four-letter words: four of these in a row are a sentence ("pour bien vous dire"), not a Google app
 * password (four random groups of four letters).
 */
const COMMON4 = SECRET_WORDS.common4;
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

function maskAppPasswords(text: string, ranges: Range[]): void {
  APP_PASSWORD.lastIndex = 0;
  for (let m = APP_PASSWORD.exec(text); m !== null; m = APP_PASSWORD.exec(text)) {
    const groups = m[0].toLowerCase().split(/[ \u00a0\u202f-]/);
    if (APP_PASSWORD_CASE.test(m[0]) && (m[0].includes('-') || looksRandom(groups))) ranges.push([m.index, m.index + m[0].length]);
    else APP_PASSWORD.lastIndex = m.index + 5; // a sentence: the next group may start a real one
  }
}

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

function previousWord(norm: string, at: number): string {
  let i = at;
  while (i > 0 && isSpace(norm[i - 1])) i--;
  const end = i;
  while (i > 0 && end - i < 20 && !isSpace(norm[i - 1])) i--;
  return norm.slice(i, end).replace(TRAILING_PUNCT, '');
}

/** "code postal", "error code", "QR code" are not about a secret. */
function isCodeAntiCue(text: string, norm: string, start: number, end: number): boolean {
  if (CODE_NOT_BEFORE.has(previousWord(norm, start))) return true;
  const next = readToken(text, end);
  return next !== null && !next.tooLong && CODE_NOT_AFTER.has(wordOf(norm, next));
}

function maskAfterCues(text: string, norm: string, ranges: Range[]): void {
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

function maskVerificationCodes(text: string, norm: string, ranges: Range[], answering: boolean): void {
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

// ---------------------------------------------------------------------------------------------------------------
// Rule 4 — strong-looking tokens without any cue: "Tr0ub4dor&3", "xK9#mQ2!pL", "Noël2024"
// ---------------------------------------------------------------------------------------------------------------

/**
 * People paste a password alone or mid-sentence without saying what it is. A token of 8+ characters mixing three
 * of lower case, upper case, digits and symbols is almost never prose — once the shapes below are set aside.
 * A capitalised word glued to a year ("Noël2024", "Soleil2024") IS masked: it is the commonest shape of a French
 * password, and people writing about Christmas 2024 put a space.
 */
function maskStrongTokens(text: string, ranges: Range[]): void {
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
function secretLooking(s: string): boolean {
  for (const c of s) {
    if (DIGIT.test(c)) return true;
    if (!LETTER.test(c) && !PROSE_PUNCT.has(c) && !EMOJI.test(c)) return true;
  }
  return false;
}

const EMAIL = /^[^\s@]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;
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
function isBenignShape(s: string): boolean {
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

function maskWordWithNumber(text: string, ranges: Range[]): void {
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

function maskCardNumbers(text: string, norm: string, ranges: Range[]): void {
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

function maskIbans(text: string, ranges: Range[]): void {
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
