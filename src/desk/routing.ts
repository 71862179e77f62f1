/**
 * Which desk serves a person, pure: from the host they chose (Sans-nuage → ARN's volunteers), the département they
 * gave (only asked when they want to meet someone in person), their language, else the desk for everyone else.
 *
 * One rule bends the order: a desk is not given someone it cannot talk to. When the desk of their host or
 * département does not speak their language and another desk serves that language, that desk takes them.
 */
import type { Lang } from '../render/i18n.js';
import type { DeskSpec } from './desks.js';

export interface Seeker {
  /** The provider id they chose, if any (the ticket card's `chosen`). */
  host: string | null;
  /** A département number ("92", "2A"), only if they gave one. */
  departement?: string | null;
  lang: Lang;
}

export type RouteReason = 'host' | 'departement' | 'lang' | 'default';

export interface Route {
  desk: DeskSpec;
  by: RouteReason;
}

/** The desk for this person; undefined only when there is no desk at all. */
export function routeTicket(desks: readonly DeskSpec[], seeker: Seeker): Route | undefined {
  const byLang = desks.find((desk) => desk.serves.langs.includes(seeker.lang));
  const speaks = (desk: DeskSpec) => desk.langs.includes(seeker.lang);
  const matched: Route[] = [];
  if (seeker.host) {
    const desk = desks.find((d) => d.serves.hosts.includes(seeker.host!));
    if (desk) matched.push({ desk, by: 'host' });
  }
  if (seeker.departement) {
    const desk = desks.find((d) => d.serves.departements.includes(seeker.departement!));
    if (desk) matched.push({ desk, by: 'departement' });
  }
  const understood = matched.find((route) => speaks(route.desk));
  if (understood) return understood;
  if (byLang) return { desk: byLang, by: 'lang' };
  if (matched[0]) return matched[0];
  const fallback = desks.find((desk) => desk.serves.default) ?? desks[0];
  return fallback ? { desk: fallback, by: 'default' } : undefined;
}
