/** The real catalogue in data/: it loads, it is big enough, and every fact says where and when it was read. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DATA_DIR, OLD_PROVIDERS_FILE, PROVIDERS_FILE, loadCatalog, parseCatalog } from '../../src/catalog/load.js';
import { isKnown, type Fact } from '../../src/catalog/types.js';
import { createTexts } from '../../src/render/i18n.js';
import { readFixture } from './helpers.js';

const readData = (file: string): unknown => JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8'));
const realOldProviders = existsSync(join(DATA_DIR, OLD_PROVIDERS_FILE));
// data/old-providers.json is written by someone else: until it exists, pair the real providers with the fixture.
const catalog = parseCatalog(readData(PROVIDERS_FILE), realOldProviders ? readData(OLD_PROVIDERS_FILE) : readFixture('old-providers.json'));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('data/providers.json', () => {
  it('loads, with at least 20 providers', () => {
    expect(catalog.providers.length).toBeGreaterThanOrEqual(20);
  });

  it.skipIf(!realOldProviders)('loads together with data/old-providers.json', () => {
    expect(loadCatalog().providers.length).toBe(catalog.providers.length);
  });

  it('gives every known fact, of providers and of their offers, a web source and the date it was checked', () => {
    for (const provider of catalog.providers) {
      const offerFacts = provider.offers.flatMap((offer) =>
        (Object.entries(offer.facts) as Array<[string, Fact<unknown>]>).map(([field, fact]): [string, Fact<unknown>] => [`offers.${offer.id}.${field}`, fact]),
      );
      for (const [field, fact] of [...(Object.entries(provider.facts) as Array<[string, Fact<unknown>]>), ...offerFacts]) {
        if (!isKnown(fact)) continue;
        expect(fact.source, `${provider.id}.${field}`).toMatch(/^https?:\/\//);
        expect(fact.checked, `${provider.id}.${field}`).toMatch(ISO_DATE);
      }
    }
  });

  it('knows at least one thing about every provider, and where to sign up', () => {
    for (const provider of catalog.providers) {
      expect(Object.values(provider.facts).some((fact) => isKnown(fact as Fact<unknown>)), provider.id).toBe(true);
      expect(provider.signupUrl, provider.id).toMatch(/^https?:\/\//);
    }
  });

  it('lists only providers that offer mailboxes (Framaspace has none)', () => {
    expect(catalog.providers.some((p) => /frama\.?space/i.test(p.id + p.name))).toBe(false);
  });

  it('mixes companies and associations or cooperatives', () => {
    const kinds = new Set(catalog.providers.map((p) => (isKnown(p.facts.kind) ? p.facts.kind.value : 'unknown')));
    expect(kinds).toContain('company');
    expect(kinds).toContain('association');
    expect(kinds).toContain('cooperative');
  });

  it('has a name, in both languages, for every country it uses', () => {
    const texts = createTexts();
    const countries = new Set(catalog.providers.flatMap((p) => (isKnown(p.facts.country) ? [p.facts.country.value] : [])));
    for (const country of countries) {
      expect(texts.has(`catalog:countries.${country}`, 'fr'), country).toBe(true);
      expect(texts.has(`catalog:countries.${country}`, 'en'), country).toBe(true);
    }
  });
});
