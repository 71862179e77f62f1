import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { desksFromSettings, parseDesks } from '../../src/desk/desks.js';
import { routeTicket } from '../../src/desk/routing.js';

const HOSTS = new Set(loadCatalog().providers.map((p) => p.id));
const example = () => JSON.parse(readFileSync(join(import.meta.dirname, '../../data/desks.example.json'), 'utf8'));
// The example: arn serves the host sans-nuage (fr), girofle the département 92 (fr), libretic English (fr, en),
// coalition everyone else (fr).
const desks = parseDesks(example(), HOSTS);
const route = (host: string | null, lang: 'fr' | 'en', departement?: string) => {
  const found = routeTicket(desks, { host, lang, ...(departement ? { departement } : {}) });
  return found && `${found.desk.id} by ${found.by}`;
};

describe('routing a ticket to a desk', () => {
  it('by the chosen host first', () => {
    expect(route('sans-nuage', 'fr')).toBe('arn by host');
    expect(route('sans-nuage', 'fr', '92')).toBe('arn by host');
  });

  it('by the département given, when the host has no desk of its own', () => {
    expect(route('posteo', 'fr', '92')).toBe('girofle by departement');
    expect(route(null, 'fr', '92')).toBe('girofle by departement');
    expect(route(null, 'fr', '75')).toBe('coalition by default');
  });

  it('by language, else the desk for everyone else', () => {
    expect(route('posteo', 'en')).toBe('libretic by lang');
    expect(route(null, 'fr')).toBe('coalition by default');
    expect(route('mailbox-org', 'fr')).toBe('coalition by default');
  });

  it('never to a desk that cannot talk with the person when one can', () => {
    // ARN's volunteers speak French only: an English speaker who chose Sans-nuage goes to the English desk.
    expect(route('sans-nuage', 'en')).toBe('libretic by lang');
    // With no desk serving English, their host's desk is still the best there is.
    const json = example();
    json.desks[2].serves = { departements: ['34'] };
    const withoutEnglish = parseDesks(json, HOSTS);
    expect(routeTicket(withoutEnglish, { host: 'sans-nuage', lang: 'en' })?.desk.id).toBe('arn');
  });

  it('the one desk of the single-desk variables takes everyone; no desk, no route', () => {
    const single = desksFromSettings({ matrixRoomId: '!r:example.org', volunteers: [], lang: 'fr', timeZone: 'Europe/Paris' });
    expect(routeTicket(single, { host: 'sans-nuage', lang: 'en', departement: '92' })).toEqual({ desk: single[0], by: 'default' });
    expect(routeTicket([], { host: null, lang: 'fr' })).toBeUndefined();
  });
});
