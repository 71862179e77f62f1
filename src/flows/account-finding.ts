/**
 * Finding every site that uses the old address — the hard part, as the Démailnagement article's readers said.
 * The bot never reads anyone's mailbox: it gives ways to look (searches to paste in the old mailbox, lists of the
 * sites the old account signs in to), each one a checklist item added in one tap (`find:<way id>`, see
 * addFindingItem in ./followup.ts). Pure: the data comes from data/account-finding.json.
 */
import { SEARCH_KINDS, type AccountFinding, type SearchKind, type SignInList } from '../catalog/setup-types.js';
import type { Lang } from '../render/i18n.js';

export type FindingWay =
  | { id: `search:${SearchKind}`; type: 'search'; kind: SearchKind; where: string; query: string }
  | { id: `list:${string}`; type: 'list'; list: SignInList };

/**
 * The ways of finding accounts for this old provider, searches first (every kind of mail sites send), then the
 * sign-in lists that apply to it (its own, then those anyone may have). "other" gets plain-word searches.
 */
export function findingWays(oldProviderId: string, finding: AccountFinding, lang: Lang): FindingWay[] {
  const searches = finding.searches[oldProviderId as keyof AccountFinding['searches']] ?? finding.searches.other;
  const ways: FindingWay[] = searches
    ? SEARCH_KINDS.map((kind) => ({
        id: `search:${kind}` as const,
        type: 'search' as const,
        kind,
        where: searches.where,
        query: searches.queries[kind][lang],
      }))
    : [];
  const own = finding.signInLists.filter((list) => list.for.includes(oldProviderId as never));
  const anyone = finding.signInLists.filter((list) => list.for.includes('any') && !own.includes(list));
  for (const list of [...own, ...anyone]) ways.push({ id: `list:${list.id}`, type: 'list', list });
  return ways;
}

/** A way by its id (as stored in the checklist), or undefined when the data no longer has it. */
export function findingWay(oldProviderId: string, finding: AccountFinding, lang: Lang, id: string): FindingWay | undefined {
  return findingWays(oldProviderId, finding, lang).find((way) => way.id === id);
}
