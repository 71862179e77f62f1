/** data/provider-setup.json, registrars.json, account-finding.json: valid, sourced, and their errors teach the fix. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, loadCatalog, CatalogError } from '../../src/catalog/load.js';
import {
  ACCOUNT_FINDING_FILE,
  loadPlanData,
  parseAccountFinding,
  parseProviderSetups,
  parseRegistrars,
  PROVIDER_SETUP_FILE,
  REGISTRARS_FILE,
} from '../../src/catalog/setup-schema.js';
import { SEARCH_KINDS } from '../../src/catalog/setup-types.js';
import { QUESTIONS } from '../../src/flows/questions.js';

const raw = (name: string) => JSON.parse(readFileSync(join(DATA_DIR, name), 'utf8'));
const problemsOf = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof CatalogError) return [...error.problems];
    throw error;
  }
  return [];
};

describe('the move-plan data', () => {
  const data = loadPlanData();
  const catalog = loadCatalog();

  it('has an entry for every provider of the catalogue, and none for a provider it does not have', () => {
    expect(Object.keys(data.setups).sort()).toEqual(catalog.providers.map((p) => p.id).sort());
  });

  it('knows the phone servers or the "app only" answer for the hosts people pick most', () => {
    expect(data.setups.posteo!.dav).not.toBe('unknown');
    expect(data.setups['mailbox-org']!.dav).not.toBe('unknown');
    expect(data.setups.proton!.dav).toMatchObject({ value: 'appOnly' });
    expect(data.setups.tuta!.dav).toMatchObject({ value: 'appOnly' });
  });

  it('gives the own-domain records with their sources where found', () => {
    const proton = data.setups.proton!.domain;
    expect(proton).not.toBe('unknown');
    if (proton === 'unknown') return;
    expect(proton.value.spfInclude).toMatchObject({ value: 'include:_spf.protonmail.ch' });
    expect(proton.value.mx).toMatchObject({ value: [{ host: 'mail.protonmail.ch', priority: 10 }, { host: 'mailsec.protonmail.ch', priority: 20 }] });
  });

  it('has the six searches for every old provider, in both languages, and the sign-in lists by provider', () => {
    for (const id of [...QUESTIONS.oldProvider]) {
      const searches = data.finding.searches[id as keyof typeof data.finding.searches];
      expect(searches, id).toBeDefined();
      for (const kind of SEARCH_KINDS) expect(searches!.queries[kind].fr.length, `${id} ${kind}`).toBeGreaterThan(0);
    }
    const lists = (id: string) => data.finding.signInLists.filter((l) => l.for.includes(id as never)).map((l) => l.id);
    expect(lists('gmail')).toContain('googleConnections');
    expect(lists('outlook')).toContain('microsoftApps');
    expect(lists('icloud')).toContain('signInWithApple');
  });

  it('lists registrars with a web page, and the directory of all of them', () => {
    expect(data.registrars.length).toBeGreaterThan(0);
    for (const registrar of data.registrars) expect(registrar.url).toMatch(/^https:\/\//);
    expect(data.registrarDirectory.url).toMatch(/^https:\/\//);
  });
});

describe('errors that name the file, the entry and the field', () => {
  it('provider-setup.json: a CalDAV server that is not a web address', () => {
    const json = raw(PROVIDER_SETUP_FILE);
    json.providers.posteo.dav.value.caldav = 'posteo.de:8443';
    expect(problemsOf(() => parseProviderSetups(json))).toEqual([
      'data/provider-setup.json: provider "posteo", field dav.value.caldav: expected a web address starting with https://',
    ]);
  });

  it('provider-setup.json: a fact without its date, and a misspelt field', () => {
    const json = raw(PROVIDER_SETUP_FILE);
    delete json.providers.proton.dav.checked;
    json.providers.proton.devicePasword = 'unknown';
    const problems = problemsOf(() => parseProviderSetups(json));
    expect(problems).toContain('data/provider-setup.json: provider "proton", field dav.checked: missing (write "unknown" if you could not find it)');
    expect(problems.some((p) => p.includes('provider "proton"') && p.includes('"devicePasword" (check their spelling)'))).toBe(true);
  });

  it('registrars.json: names the registrar by its id', () => {
    const json = raw(REGISTRARS_FILE);
    json.registrars[0].kind = { value: 'charity', source: 'https://example.org', checked: '2026-12-01' };
    const [problem] = problemsOf(() => parseRegistrars(json));
    expect(problem).toMatch(/^data\/registrars\.json: registrar "gandi", field kind\.value: expected one of "association", "cooperative", "company", got "charity"$/);
  });

  it('account-finding.json: an old provider without its searches', () => {
    const json = raw(ACCOUNT_FINDING_FILE);
    delete json.searches.orange;
    expect(problemsOf(() => parseAccountFinding(json))).toEqual([
      'data/account-finding.json: searches for "orange", field (the entry): missing: every old provider needs its searches (orange)',
    ]);
  });
});
