/** `npm run catalog:check`: the questions to ask each host, and the JSON report of deciding facts. */
import { execFileSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import {
  catalogFigures,
  catalogReport,
  isStale,
  questionsToAsk,
  registrableDomain,
  summarizeCatalog,
} from '../../src/catalog/check.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Known } from '../../src/catalog/types.js';
import { FIXTURES_DIR, catalogOf, host, known, offer } from './helpers.js';

const at = <T>(value: T, source: string, checked = '2026-11-25'): Known<T> => ({ value, source, checked });

describe('deciding facts', () => {
  const catalog = catalogOf(
    {
      ...host(
        'kitten',
        { country: at('FR', 'https://www.kitten.example.org/about'), kind: at('association', 'https://wiki.example.com/Kitten', '2024-06-01') },
        offer('free', { eurPerMonth: at(0, 'https://help.kitten.example.org/plans'), storageGb: at(1, 'https://review.example.net/kitten') }, 'Chaton libre'),
      ),
      website: 'https://kitten.example.org',
    },
    host('club', { membershipRequired: known(true), imap: known(false) }, offer('mail', {}, 'Club')),
  );

  it('lists, per provider, the unknown ones, the third-party ones and the stale ones', () => {
    const report = catalogReport(catalog, '2026-12-01');
    expect(report).toEqual({
      providers: [
        {
          id: 'kitten',
          unknown: ['offers.free.customDomain', 'offers.free.sync', 'offers.free.imap', 'offers.free.membershipRequired', 'offers.free.audience'],
          // example.com is not kitten.example.org's registrable domain; a subdomain of the site is the site.
          thirdParty: ['kind', 'offers.free.storageGb'],
          stale: ['kind'],
        },
        {
          id: 'club',
          // Membership for every plan and no IMAP at all settle those two for its plan.
          unknown: ['country', 'kind', 'offers.mail.eurPerMonth', 'offers.mail.storageGb', 'offers.mail.customDomain', 'offers.mail.sync', 'offers.mail.audience'],
          thirdParty: [],
          stale: [],
        },
      ],
    });
  });

  it('asks about them in plain words', () => {
    const questions = questionsToAsk(catalog.provider('kitten')!);
    expect(questions).toContain('Can one use a domain name of one\'s own with "Chaton libre"?');
    expect(questions).toContain('With "Chaton libre", do calendar and contacts sync with the phone\'s own apps (CalDAV/CardDAV), or only in your app?');
    expect(questions).toHaveLength(5);
    expect(summarizeCatalog(catalog, '2026-12-01')).toContain('Questions to ask this host');
  });

  it('counts the figures of the closing note', () => {
    expect(catalogFigures(catalog, '2026-12-01')).toEqual({
      providers: 2,
      offers: 2,
      deciding: 16,
      unknown: 12,
      known: 4,
      firstParty: 2,
      complete: 0,
    });
  });

  it('reads registrable domains with the public suffix list, and staleness as 12 months', () => {
    expect(registrableDomain('https://howto.disroot.org/de/x')).toBe('disroot.org');
    expect(registrableDomain('https://www.example.co.uk/a')).toBe('example.co.uk');
    expect(registrableDomain('not a url')).toBeUndefined();
    expect(isStale('2025-12-01', '2026-12-01')).toBe(false);
    expect(isStale('2025-11-30', '2026-12-01')).toBe(true);
  });
});

describe('npm run catalog:check', () => {
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/catalog/check.ts', ...args], { encoding: 'utf8' });

  it('-- --json prints exactly {"providers": [{"id", "unknown", "thirdParty", "stale"}]}', () => {
    const json = JSON.parse(run('--json', FIXTURES_DIR)) as { providers: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toEqual(['providers']);
    expect(json.providers.map((p) => p.id)).toEqual(['alpha', 'beta']);
    for (const entry of json.providers) expect(Object.keys(entry)).toEqual(['id', 'unknown', 'thirdParty', 'stale']);
  });

  it('covers every provider of the real data', () => {
    const report = catalogReport(loadCatalog());
    expect(report.providers.map((p) => p.id)).toEqual(loadCatalog().providers.map((p) => p.id));
  });
});
