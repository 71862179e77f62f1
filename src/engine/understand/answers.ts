/**
 * Readers for answers that are more than a choice's name: a place said in a sentence ("Suisse ça va", "France ou
 * UE"), an own domain named ("oui on a déjà mon-asso.fr"), an old mailbox given as an address ("jean@sfr.fr"),
 * a choice said by its rank ("le premier", "the second one", "choix 2") and a greeting at the welcome.
 * Each returns undefined when it does not understand: the interpreter then tries the choices' own words.
 */
import { indexOfPhrase, normalize, scanPhrases, type Lexicon } from './lexicon.js';

/** The own-domain question's places, narrowest first: a person who accepts the wider one accepts the narrower. */
const PLACES = ['france', 'eu', 'europe'] as const;
type Place = (typeof PLACES)[number] | 'dontKnow';

export interface OldProviderDomains {
  id: string;
  domains: readonly string[];
}

/** Domain names in a text ("mon-asso.fr", the part after @ in "jean@sfr.fr"), lower-case. */
export function domainsIn(text: string): string[] {
  return [...text.toLowerCase().matchAll(/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b/g)].map((m) => m[0]);
}

export function createAnswerReaders(lexicon: Lexicon, oldProviders: () => readonly OldProviderDomains[]) {
  const isFiller = (phrase: string) => lexicon.set('filler').has(phrase);

  /** Are these words all politeness and hesitation ("merci", "euh", "je pense")? */
  function onlyFiller(words: readonly string[]): boolean {
    return words.length === 0 || scanPhrases(words, (p) => (isFiller(p) ? true : undefined)) !== undefined;
  }

  function negated(words: readonly string[]): boolean {
    return lexicon.words('negations').some((n) => indexOfPhrase(words, n.split(' ')) !== -1);
  }

  /**
   * "France", "UE ou Suisse", "Suisse ça va", "EU is fine": every word a place or a connecting word; when several
   * places are named, the widest one is what the person accepts.
   */
  function place(text: string): Place | undefined {
    const words = normalize(text).split(' ').filter(Boolean);
    const placeOf = (phrase: string): Place | 'word' | undefined => {
      for (const p of [...PLACES, 'dontKnow'] as const) if (lexicon.set(`answers.location.${p}`).has(phrase)) return p;
      return lexicon.set('placeWords').has(phrase) || isFiller(phrase) ? 'word' : undefined;
    };
    const items = scanPhrases(words, placeOf);
    if (!items) return undefined;
    const named = new Set(items.map((i) => i.tag).filter((t): t is Place => t !== 'word'));
    if (named.size === 0) return undefined;
    if (named.has('dontKnow')) return named.size === 1 ? 'dontKnow' : undefined;
    return [...PLACES].reverse().find((p) => named.has(p));
  }

  /** The old provider an address or a domain belongs to ("jean@sfr.fr", "wanadoo.fr"), if we know it. */
  function oldProviderOf(text: string): string | undefined {
    const found = new Set<string>();
    for (const domain of domainsIn(text)) {
      const owner = oldProviders().find((p) => p.domains.some((d) => domain === d || domain.endsWith(`.${d}`)));
      if (owner) found.add(owner.id);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /**
   * At the own-domain question, a domain named is one they have ("on a déjà mon-asso.fr") or want ("je voudrais
   * mon-asso.fr"); a mailbox provider's domain (gmail.com) is not an own domain, and a "no" around it is not a yes.
   */
  function ownDomain(text: string): 'have' | 'want' | undefined {
    const own = domainsIn(text).filter((d) => !oldProviders().some((p) => p.domains.includes(d)));
    if (own.length === 0) return undefined;
    const words = normalize(text).split(' ');
    if (negated(words)) return undefined;
    return lexicon.words('domainWords.want').some((w) => indexOfPhrase(words, w.split(' ')) !== -1) ? 'want' : 'have';
  }

  /** "le premier", "la 2e", "the second one", "choix 2", "n° 3", "#4": the rank (1-based) of the choice meant. */
  function rank(text: string): number | undefined {
    const hash = /^\s*#\s*(\d{1,2})\s*$/.exec(text);
    if (hash) return Number(hash[1]);
    const words = normalize(text).split(' ').filter(Boolean);
    const last = words[words.length - 1];
    if (last && /^\d{1,2}$/.test(last) && words.length > 1 && lexicon.set('choiceNumber').has(words.slice(0, -1).join(' '))) {
      return Number(last);
    }
    const ordinals = lexicon.table('ordinals');
    const nouns = lexicon.set('ordinalNouns');
    const items = scanPhrases(words, (p) => {
      const ordinal = ordinals.get(p);
      if (ordinal !== undefined) return Number(ordinal);
      return nouns.has(p) || isFiller(p) ? 0 : undefined;
    });
    const ranks = items?.map((i) => i.tag).filter((r) => r > 0) ?? [];
    return ranks.length === 1 ? ranks[0] : undefined;
  }

  /** "bonjour", "Salut !", "hello there, I'd like to leave Gmail": a greeting opens the message. */
  function greets(text: string): boolean {
    const words = normalize(text).split(' ').filter(Boolean);
    return lexicon.words('greetings').some((g) => indexOfPhrase(words, g.split(' ')) === 0);
  }

  return { onlyFiller, negated, place, oldProviderOf, ownDomain, rank, greets };
}

export type AnswerReaders = ReturnType<typeof createAnswerReaders>;
