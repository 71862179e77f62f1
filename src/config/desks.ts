/**
 * The coalition's desks as the app and the doctor read them: from the desks file (DESKS_FILE, data/desks.json)
 * when there is one, checked against the catalogue's hosts and the platforms that run; and each platform's share
 * of them (its groups or rooms, and the port names the desk core knows them by).
 */
import type { DeskPlace } from '../adapters/platform.js';
import type { Catalog } from '../catalog/types.js';
import { loadDesks, type DeskSpec } from '../desk/desks.js';
import { placesOf } from '../desk/directory.js';
import type { Config } from './config.js';

/** The coalition's desks when a desks file says them (DESKS_FILE, data/desks.json); none: the single-desk variables. */
export function coalitionDesks(config: Config, catalog: Catalog, env: NodeJS.ProcessEnv): DeskSpec[] | undefined {
  const running = (name: string) => config.platforms.some((p) => p.module.name === name);
  const source = loadDesks({
    env,
    settings: { volunteers: config.desk.volunteers, lang: config.desk.lang, timeZone: config.desk.timeZone },
    knownHosts: new Set(catalog.providers.map((p) => p.id)),
    platforms: { telegram: running('telegram'), matrix: running('matrix') },
  });
  return source.from === 'environment' ? undefined : source.desks;
}

/** A platform's share of the desks: each desk's group or room on it, and the port name the desk core knows. */
export function deskPlacesOn(platform: string, desks: readonly DeskSpec[] | undefined): DeskPlace[] {
  return (desks ?? []).flatMap((desk) =>
    placesOf(desk)
      .filter((p) => p.platform === platform)
      .map((p) => ({ place: p.place, port: p.port, deskId: desk.id })),
  );
}

