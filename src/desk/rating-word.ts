/**
 * The person's word after "did this help?", made fit for the ticket's card and the desk: safe to display, its
 * secrets masked (./secrets.ts, as everything kept), and — unlike a message relayed to a volunteer, who may need an
 * address to help — its e-mail addresses masked too: the help is over, a rating's word is feedback for the team,
 * and the card keeps it as long as the ticket lives. Each address is one MASK, like a secret.
 */
import { MAX_FREE_TEXT } from '../engine/interpret.js';
import { safeForDisplay } from './display-safe.js';
import { MASK, maskSecrets } from './secrets.js';
import { isEmailAddress } from './secrets/shapes.js';

/** A token's punctuation around it: "(jean.dupont@free.fr)," is the address between. */
const AROUND = /^([("'«“]*)(.*?)([)"'»”.,;:!?]*)$/u;

export interface MaskedWord {
  text: string;
  /** Secrets (passwords, codes) masked. */
  secrets: number;
  /** E-mail addresses masked. */
  addresses: number;
}

export function maskRatingWord(word: string): MaskedWord {
  const masked = maskSecrets(safeForDisplay(word).trim().slice(0, MAX_FREE_TEXT));
  let addresses = 0;
  const text = masked.text
    .split(/(\s+)/)
    .map((token) => {
      const found = AROUND.exec(token);
      if (!found || !isEmailAddress(found[2]!)) return token;
      addresses += 1;
      return `${found[1]}${MASK}${found[3]}`;
    })
    .join('');
  return { text, secrets: masked.count, addresses };
}
