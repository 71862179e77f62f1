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
 */

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

export function maskSecrets(text: string): Masked {
  if (text.length === 0) return { text, count: 0 };
  const norm = normalise(text);
  const ranges: Range[] = [];
  maskAppPasswords(text, ranges);
  maskAfterCues(text, norm, ranges);
  maskVerificationCodes(text, norm, ranges);
  maskStrongTokens(text, ranges);
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
// Word lists (normalised: lower case, no accents, straight apostrophe)
// ---------------------------------------------------------------------------------------------------------------

const set = (words: string): Set<string> => new Set(words.trim().split(/\s+/));

/**
 * Words between a cue and its value that are skipped, never masked: "le mot de passe *de ma boîte Orange c'est* X",
 * "le code *que j'ai reçu par SMS est* X", "mot de passe *d'application :* X".
 */
const FILLER = set(`
  c c' cest c'est ce sont est etait sera serait reste is was are it's its s'est
  de d' du des pour for of my mon ma mes ton ta tes votre vos your the le la l' les un une a an au
  compte account boite mail email e-mail mails messagerie adresse gmail google outlook hotmail orange free sfr yahoo
  icloud apple microsoft laposte bouygues wanadoo proton mailo
  application app appli d'application d'appli d'app l'application l'appli
  temporaire provisoire actuel actuelle nouveau nouvelle new current temporary one-time unique secret
  pin sms otp 2fa mfa totp verification confirmation securite validation connexion acces d'acces activation
  authentification d'authentification login
  recu recue recus envoye envoyee received sent que qu'on qu'il j'ai m'a m'ont on par via by texto
  voici voila here ci-dessous suivant this that
`);

/** After these, the value is a phrase, not a password: "mon mdp c'est *le* nom de mon chien". */
const DETERMINERS = set(`le la l' les un une mon ma mes ton ta tes votre vos son sa ses the a an my your his her de du des d'`);

/** Fillers that announce the value itself: after them a plain word is taken as the password ("mon mdp c'est chaton"). */
const ANNOUNCERS = set(`c'est cest est etait sera serait reste is was are sont it's voici voila here`);

/**
 * Ordinary words that follow a cue in normal sentences: the sentence is about the password, there is no value.
 * "mot de passe oublié", "le code est expiré", "my password is wrong". Seeing one ends the search for a value.
 */
const STOP = set(`
  oublie oublies perdu change recu pas de du le la les a est et ou ne n' n'est n'a n'ai n'arrive non oui ok
  incorrect incorrecte correct correcte faux fausse bon bonne mauvais mauvaise invalide valide expire bloque refuse
  trop tres toujours jamais encore deja bien mal juste quoi qui quand comment pourquoi dans sur avec sans
  en ce cette ca cela il elle je j' tu on nous vous ils elles me m' te se lui leur meme different differente
  ancien ancienne vide long longue court courte simple complique facile difficile securise fort forte faible
  obligatoire requis necessaire demande arrive affiche depuis avant apres hier demain aujourd'hui maintenant
  plus moins rien tout tous toute toutes aussi donc mais car si alors ici marche marchent fonctionne fonctionnent
  sert suffit svp stp merci bonjour aide help doit dois faut peux peut veux voulez pouvez avez ai as avait
  a-t-il ont sont etre avoir faire mettre taper saisir entrer rentrer ecrire noter retrouver recevoir
  the is was not no yes wrong incorrect correct invalid valid expired too very still never again already same
  different old empty short required needed forgotten forgot lost reset locked doesn't does do did didn't isn't
  wasn't won't can't cannot don't for to of in on at with and or but please thanks thank it which what when why
  how works working work field manager box has have had will would should could must
  mot mots mdp mdps password passwords passwd pwd pass code codes identifiant identifiants
  postal erreur d'erreur source promo promotionnel couleur route qr barre barres html iban bic swift
`);

/** "code postal", "code d'erreur", "error code": codes a volunteer needs to read. */
const CODE_NOT_AFTER = set(`postal postaux d'erreur erreur source promo promotionnel couleur route qr barre barres html css iban bic swift naf ape insee civil penal client article`);
const CODE_NOT_BEFORE = set(`error erreur status statut http smtp imap qr zip postal area country promo source`);

/** A number followed by one of these is a quantity, not a PIN: "mot de passe de 12 caractères", "2 fois". */
const UNITS = set(`
  chiffres chiffre caracteres caractere lettres lettre characters chars digits letters fois times jours jour days
  heures heure hours h min minutes secondes sec s ans an years mois months euros euro eur € $ % go mo ko to gb mb
  personnes essais essai tentatives tentative attempts tries messages mails
`);

/** Words before a number that make it a reference, not a code: "commande n° 12345678". */
const REFERENCE_WORDS = set(`n° no n numero num ref reference commande facture client dossier ticket siret siren tel telephone mobile portable fixe port compte iban # erreur error`);

/** Product names glued to a version ("Windows11", "Office365") are not passwords. */
const PRODUCTS = set(`
  windows win office microsoft iphone ipad ipod macbook imac android galaxy pixel redmi note thunderbird outlook ios
  macos osx ubuntu debian fedora mint k samsung huawei xiaomi oneplus honor oppo nokia motorola firefox chrome
  edge safari opera gmail proton protonmail tuta tutanota
`);

/**
 * Common four-letter words: four of these in a row are a sentence ("pour bien vous dire"), not a Google app
 * password (four random groups of four letters).
 */
const COMMON4 = set(`
  pour dans avec mais bien tout vous nous elle sont plus fait donc sans sous chez leur quoi quel faut peux veux
  dois ceci cela voir dire mail code mois jour ans aide temps fois rien deux cinq neuf huit onze mdps sent lire
  part elle ils vont voila avez ont etre avoir font peut doit vers ceux tous mail moi toi lui ici trop tres
  deja plus mois jean marc paul anne rose alex theo hugo lucas lina emma leon jule remi yves eric ines jade
  that this with have from they will your what when them been were said each make like time just know take into
  year good some than then look only come over also back work well even want give most need help here sent mean
  much many such very must read send sure open mine same last next done does test word pass user name site page
  smtp imap http html sftp ftps dkim port host mail text link info tous cela avec fait tout juin mars aout
  bonne gens beau cher chez note sera sera etat fin lien clic menu haut bas mode date heure
`);

// ---------------------------------------------------------------------------------------------------------------
// Rule 1 — Google-style app passwords: "abcd efgh ijkl mnop"
// ---------------------------------------------------------------------------------------------------------------

/**
 * Google shows app passwords as four groups of four lower-case letters; people copy them with the spaces, or
 * dashes. Fixed-width groups: the expression cannot backtrack more than a few characters.
 */
const APP_PASSWORD = /(?<![\p{L}\p{N}])[a-z]{4}(?:[ \u00a0\u202f-][a-z]{4}){3}(?![\p{L}\p{N}])/gu;
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
    const groups = m[0].split(/[ \u00a0\u202f-]/);
    if (m[0].includes('-') || looksRandom(groups)) ranges.push([m.index, m.index + m[0].length]);
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
    String.raw`|mots?${W}de${W}passe|mdps?|passwords?|passwd|passcode|passphrase|pwd|pass|pin|otp|totp|2fa|mfa)(?![\p{L}\p{N}])`,
  'gu',
);
/** "identifiant et mot de passe : jean / X", "login/mdp : jean X": the first value is the login, kept readable. */
const PAIR_BEFORE = /(?:identifiants?|login|username|user|utilisateur|e-?mail|adresse(?:\s+e?-?mail)?|id)\s*(?:et|and|&|\/|\+|,)\s*(?:(?:le|mon|ton|votre|the|my|son)\s+)?$/u;
const PAIR_SEPARATORS = set(`/ | et and , - + & ;`);
/** Characters that separate a cue from its value and make the value explicit: "mdp: X", "pwd=X", "code → X". */
const SEPARATOR_CHARS = new Set([':', '=', '→', '>']);
const DASHES = new Set(['-', '–', '—']);

const DIGITS_ONLY = /^\d+(?:[-.]\d+)*$/;
const LOWER16 = /^[a-z]{16}$/;
const LOWER4 = /^[a-z]{4}$/;
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
    maskValueAfter(text, norm, end, pair, ranges);
  }
}

/** Walk the few tokens after a cue: skip fillers, stop at ordinary words, mask the first value that is one. */
function maskValueAfter(text: string, norm: string, from: number, pair: boolean, ranges: Range[]): void {
  let i = from;
  let announced = false; // an explicit ":", "=", "est", "c'est" or "is" came before the value
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
      continue;
    }
    const t = readToken(text, i);
    if (t === null || t.tooLong) return;
    i = t.end;
    const core = text.slice(t.coreStart, t.coreEnd);
    if (core.length === 0) continue;
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
      else if (DETERMINERS.has(word)) announced = false;
      continue;
    }
    const bare = core.replace(TRAILING_PUNCT, '');
    if (STOP.has(word) || ORDINARY_ENDING.test(bare.toLowerCase()) || ENGLISH_ED.test(word)) return;

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
      maskDigitsAfterCue(text, norm, t, ranges);
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
      return;
    }
    // A plain word is a password only when announced ("mon mdp c'est chaton", "mdp: chaton", « chaton »).
    if ((announced || t.quoted) && [...bare].length >= 3) ranges.push([t.coreStart, t.coreEnd]);
    return;
  }
}

/** "le code est 482 913", "PIN 4821": the digits and the groups that follow; not "12 caractères", not "2". */
function maskDigitsAfterCue(text: string, norm: string, first: Token, ranges: Range[]): void {
  let digits = countDigits(text.slice(first.coreStart, first.coreEnd));
  let end = first.coreEnd;
  let next = readToken(text, first.end);
  for (let groups = 1; next !== null && !next.tooLong && groups < 6; groups++) {
    const s = text.slice(next.coreStart, next.coreEnd);
    if (!DIGITS_ONLY.test(s.replace(TRAILING_PUNCT, ''))) break;
    digits += countDigits(s);
    end = next.coreEnd;
    next = readToken(text, next.end);
  }
  if (next !== null && !next.tooLong && UNITS.has(wordOf(norm, next))) return;
  if (digits < 4) return; // "code 2", "étape 3": PINs and codes have four digits or more
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
const CODE_CUE = /(?<![\p{L}\p{N}])(codes?|verification|verifier|recu|recue|recus|sms|otp|2fa|texto|authentification|authenticator|confirmation|validation)(?![\p{L}\p{N}])/gu;

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

function maskVerificationCodes(text: string, norm: string, ranges: Range[]): void {
  let cue: boolean | undefined;
  let contentStart: number | undefined;
  let contentEnd = 0;
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
    if (!codeShaped(text, norm, start, end, groups)) continue;
    // Alone in the message, it can only be a code; otherwise the message must be about a code.
    if (contentStart === undefined) {
      contentStart = 0;
      while (contentStart < n && AROUND_ALONE.has(text[contentStart]!)) contentStart++;
      contentEnd = n;
      while (contentEnd > 0 && AROUND_ALONE.has(text[contentEnd - 1]!)) contentEnd--;
    }
    const alone = start <= contentStart && end >= contentEnd;
    if (!alone) {
      cue ??= messageHasCodeCue(text, norm);
      if (!cue) continue;
    }
    ranges.push([start, end]);
  }
}

function codeShaped(text: string, norm: string, start: number, end: number, groups: string[]): boolean {
  let total = 0;
  for (const g of groups) total += g.length;
  if (total < 6 || total > 8) return false; // 4-digit years and PINs, 10-digit phone numbers
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

const LOWER = /[\p{Ll}\p{Lo}\p{Lm}]/u;
const UPPER = /[\p{Lu}\p{Lt}]/u;
const DIGIT = /\p{Nd}/u;
const LETTER = /\p{L}/u;
const EMOJI = /[\p{Extended_Pictographic}\u200d\ufe0f\u{1f3fb}-\u{1f3ff}]/u;
const PROSE_PUNCT = new Set([...`.,;:!?'’"«»“”()…-–—`]);

/** 8+ characters and three classes; an apostrophe between letters or a hyphen inside a word is not a symbol. */
function strong(s: string): boolean {
  const chars = [...s];
  if (chars.length < 8) return false;
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
const QUANTITY = /^\d+(?:[.,]\d+)?\p{L}{1,5}(?:\/\p{L}+)?$/u;
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
  if (DATE_TIME.test(s) || TIME.test(s) || PRICE.test(s) || QUANTITY.test(s) || POSTAL.test(s) || NUMERO.test(s)) return true;
  if (HEX.test(s) || PHONE.test(s)) return true;
  const product = PRODUCT.exec(s);
  return product !== null && PRODUCTS.has(product[1]!.toLowerCase());
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
