/**
 * The masker's word lists, read from locales/<lang>/secrets.json at import (the shape is described at the top of
 * ../secrets.ts). Each rule imports the lists it consults under the names below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, LOCALES_DIR } from '../../render/i18n.js';
import { normalise } from './text.js';

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
      throw new Error(`secrets: cannot read ${path} (${(error as Error).message}); every language lists its words there, see src/desk/secrets.ts and src/desk/secrets/words.ts`);
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
export const FILLER = SECRET_WORDS.filler;

/** After these, the value is a phrase, not a password: "mon mdp c'est *le* nom de mon chien". */
export const DETERMINERS = SECRET_WORDS.determiners;

/** Fillers that announce the value itself: after them a plain word is taken as the password ("mon mdp c'est chaton"). */
export const ANNOUNCERS = SECRET_WORDS.announcers;

/**
 * Ordinary words that follow a cue in normal sentences: the sentence is about the password, there is no value.
 * "mot de passe oublié", "le code est expiré", "my password is wrong". Seeing one ends the search for a value.
 */
export const STOP = SECRET_WORDS.stop;

/** Words right after a value that end it: a multi-word value ("mdp : marie claire") stops before them. */
export const VALUE_ENDS = SECRET_WORDS.valueEnds;

/** Prepositions a service name comes with between a cue and its value: "mot de passe *sur le site de la* mutuelle : X". */
export const PREPOSITIONS = SECRET_WORDS.prepositions;

/** "code postal", "code d'erreur", "error code": codes a volunteer needs to read. */
export const CODE_NOT_AFTER = SECRET_WORDS.codeNotAfter;
export const CODE_NOT_BEFORE = SECRET_WORDS.codeNotBefore;

/** A number followed by one of these is a quantity, not a PIN: "mot de passe de 12 caractères", "2 fois". */
export const UNITS = SECRET_WORDS.units;
/** Letters glued to a number that make it a quantity: "15Go", "3e", "10ans" (never "1985clara"). */
export const UNIT_SUFFIXES = SECRET_WORDS.unitSuffixes;

/** Words before a number that make it a reference, not a code: "commande n° 12345678". */
export const REFERENCE_WORDS = SECRET_WORDS.referenceWords;

/** Product names glued to a version ("Windows11", "Office365") are not passwords. */
export const PRODUCTS = SECRET_WORDS.products;

/**
 * Common four-letter words: four of these in a row are a sentence ("pour bien vous dire"), not a Google app
 * password (four random groups of four letters).
 */
export const COMMON4 = SECRET_WORDS.common4;