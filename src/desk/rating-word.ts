/**
 * The person's word after "did this help?", made fit for the ticket's card and the desk: safe to display, its
 * secrets masked (./secrets.ts, as everything kept), and — unlike a message relayed to a volunteer, who may need an
 * address to help — its e-mail addresses masked too: the help is over, a rating's word is feedback for the team,
 * and the card keeps it as long as the ticket lives. Each address is one MASK, like a secret.
 */
import { safeForDisplay } from './display-safe.js';
import { MASK, maskSecrets } from './secrets.js';

/** The longest word kept: the interpreter already cuts free text to this (MAX_FREE_TEXT); kept here as a bound. */
const MAX_WORD = 254;

/**
 * One whitespace-free token holding an "@" between a local part and a dotted domain ("jean.dupont@free.fr," with
 * its punctuation around). Tokens are split by hand below, so this only ever sees one token: no backtracking run.
 */
const ADDRESS = /^([("'«“]*)([^\s@()"'«»“”<>]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})([)"'»”.,;:!?]*)$/u;

export interface MaskedWord {
  text: string;
  /** Secrets (passwords, codes) masked. */
  secrets: number;
  /** E-mail addresses masked. */
  addresses: number;
}

export function maskRatingWord(word: string): MaskedWord {
  const masked = maskSecrets(safeForDisplay(word).trim().slice(0, MAX_WORD));
  let addresses = 0;
  const text = masked.text
    .split(/(\s+)/)
    .map((token) => {
      const found = ADDRESS.exec(token);
      if (!found) return token;
      addresses += 1;
      return `${found[1]}${MASK}${found[3]}`;
    })
    .join('');
  return { text, secrets: masked.count, addresses };
}
