import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { CatalogError, loadCatalog, parseCatalog } from '../../src/catalog/load.js';
import { FIXTURES_DIR, readFixture } from './helpers.js';

type Json = any; // raw JSON that tests break on purpose

const providers = (): Json[] => readFixture('providers.json') as Json[];
const oldProviders = (): Json[] => readFixture('old-providers.json') as Json[];

/** The problems reported for these files, or [] when they are valid. */
function problemsOf(providersJson: unknown, oldProvidersJson: unknown = oldProviders()): string[] {
  try {
    parseCatalog(providersJson, oldProvidersJson);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return [...(error as CatalogError).problems];
  }
}

describe('catalogue validation', () => {
  it('accepts the fixtures, with servers left out when IMAP is unknown', () => {
    const catalog = parseCatalog(providers(), oldProviders());
    expect(catalog.providers.map((p) => p.id)).toEqual(['alpha', 'beta']);
    expect(catalog.provider('beta')?.facts.servers).toBe('unknown');
    expect(catalog.oldProvider('gmail')?.name).toBe('Gmail');
    expect(catalog.provider('nope')).toBeUndefined();
  });

  it('names the file, the provider and the field, in plain words', () => {
    const data = providers();
    data[0].facts.country.checked = 'yesterday';
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.country.checked: expected a date YYYY-MM-DD, got "yesterday"',
    ]);
  });

  it('rejects dates that do not exist or are in the future', () => {
    const data = providers();
    data[0].facts.kind.checked = '2026-02-30';
    data[0].offers[0].facts.eurPerMonth.checked = '2999-01-01';
    const problems = problemsOf(data);
    expect(problems).toContain('data/providers.json: provider "alpha", field facts.kind.checked: expected a date YYYY-MM-DD, got "2026-02-30"');
    expect(problems).toContain('data/providers.json: provider "alpha", offer "free", field facts.eurPerMonth.checked: expected a date that is not in the future, got "2999-01-01"');
  });

  it('wants sources that are web addresses', () => {
    const data = providers();
    data[0].facts.founded.source = 'my notes';
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.founded.source: expected a web address starting with http:// or https://, got "my notes"',
    ]);
  });

  it('wants country codes in two capital letters', () => {
    const data = providers();
    data[0].facts.country.value = 'fr';
    expect(problemsOf(data)[0]).toMatch(/provider "alpha", field facts\.country\.value: expected a two-letter country code.*got "fr"/);
  });

  it('accepts only known old providers (or "anyImap", for mail) in an import tool, kind of data by kind of data', () => {
    const data = providers();
    data[0].facts.importTool.value.from.mail = ['gmail', 'hotmail'];
    data[0].facts.importTool.value.from.calendar = ['hotmail'];
    const problems = problemsOf(data);
    expect(problems[0]).toMatch(/provider "alpha", field facts\.importTool\.value\.from\.mail\[1\]: expected one of "anyImap", "gmail".*got "hotmail"/);
    expect(problems[1]).toMatch(/provider "alpha", field facts\.importTool\.value\.from\.calendar\[0\]: expected one of "anyImap", "gmail".*got "hotmail"/);
    expect(problems).toHaveLength(2);
  });

  it('says "anyImap" is for mail only: contacts and calendars name their old providers', () => {
    const data = providers();
    data[0].facts.importTool.value.from.contacts = ['gmail', 'anyImap'];
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.importTool.value.from.contacts[1]: expected an old provider by name: ' +
        '"anyImap" is for mail only (contacts and calendars do not travel over IMAP), got "anyImap"',
    ]);
  });

  it('wants an import tool to name at least one kind of data, and knows only mail, contacts and calendar', () => {
    const data = providers();
    data[0].facts.importTool.value.from = {};
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.importTool.value.from: names no kind of data: give "mail", "contacts" and/or "calendar", each with the old providers it imports from',
    ]);
    data[0].facts.importTool.value.from = { mail: [], calendars: ['gmail'] };
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.importTool.value.from.mail: expected at least one old provider (or "anyImap"), got a list',
      'data/providers.json: provider "alpha", field facts.importTool.value.from.calendars: not a field we know (check its spelling)',
    ]);
  });

  it('points at the old shape of import tools (one list for every kind, plus "covers")', () => {
    const data = providers();
    data[0].facts.importTool.value.from = ['gmail', 'anyImap'];
    data[0].facts.importTool.value.covers = ['mail'];
    const problems = problemsOf(data);
    expect(problems).toContain('data/providers.json: provider "alpha", field facts.importTool.value.from: expected an object, got a list');
    expect(problems).toContain('data/providers.json: provider "alpha", field facts.importTool.value.covers: not a field we know (check its spelling)');
  });

  it('wants requiresOwnDomain for every provider, and some offer with your own domain when it is true', () => {
    const data = providers();
    delete data[1].facts.requiresOwnDomain;
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "beta", field facts.requiresOwnDomain: missing (write "unknown" if you could not find it)',
    ]);
    const contradicting = providers();
    contradicting[0].facts.requiresOwnDomain.value = true;
    contradicting[0].offers[0].facts.customDomain.value = false;
    contradicting[0].offers[1].facts.customDomain.value = false;
    expect(problemsOf(contradicting)).toEqual([
      'data/providers.json: provider "alpha", field facts.requiresOwnDomain: true (mail only on your own domain), but no offer allows your own domain (customDomain false)',
    ]);
  });

  it('wants at least one offer, with ids unique within the provider, and names the offer in every problem', () => {
    const none = providers();
    none[1].offers = [];
    expect(problemsOf(none)).toEqual([
      'data/providers.json: provider "beta", field offers: expected at least one offer (a plan the provider sells or gives), got a list',
    ]);
    const twice = providers();
    twice[0].offers[1].id = 'free';
    expect(problemsOf(twice)).toEqual([
      'data/providers.json: provider "alpha", offer "free", field id: the offer id "free" is used twice in this provider',
    ]);
    const broken = providers();
    broken[0].offers[1].facts.storageGb.value = -2;
    broken[0].offers[1].facts.sync.value = 'yes';
    delete broken[0].offers[1].facts.trialDays;
    broken[1].offers[0].facts.calendarContacts = 'unknown';
    expect(problemsOf(broken)).toEqual([
      'data/providers.json: provider "alpha", offer "plus", field facts.storageGb.value: expected a number of GB above 0, got -2',
      'data/providers.json: provider "alpha", offer "plus", field facts.sync.value: expected one of "caldav", "appOnly", "none", got "yes"',
      'data/providers.json: provider "alpha", offer "plus", field facts.trialDays: missing (write "unknown" if you could not find it)',
      'data/providers.json: provider "beta", offer "mail", field facts.calendarContacts: not a field we know (check its spelling)',
    ]);
  });

  it('points at the old shape: provider-wide plan facts are not fields any more', () => {
    const data = providers();
    data[1].facts.free = 'unknown';
    data[1].facts.cheapestPaidEurPerMonth = 'unknown';
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "beta", field facts: fields we do not know: "free", "cheapestPaidEurPerMonth" (check their spelling)',
    ]);
  });

  it('says a missing fact should be written "unknown", and catches misspelt fields', () => {
    const data = providers();
    delete data[1].facts.imap;
    data[1].facts.frenchSuport = 'unknown';
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "beta", field facts.imap: missing (write "unknown" if you could not find it)',
      'data/providers.json: provider "beta", field facts.frenchSuport: not a field we know (check its spelling)',
    ]);
  });

  it('rejects a value that is neither "unknown" nor a fact', () => {
    const data = providers();
    data[1].facts.chatons = 'no';
    data[1].offers[0].facts.webmail = 'yes';
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "beta", field facts.chatons: expected "unknown" or a fact { "value", "source", "checked" }, got "no"',
      'data/providers.json: provider "beta", offer "mail", field facts.webmail: expected "unknown" or a fact { "value", "source", "checked" }, got "yes"',
    ]);
  });

  it('reports duplicate ids, even alongside other mistakes', () => {
    const data = providers();
    data[1].id = 'alpha';
    data[0].facts.country.value = 'France';
    const problems = problemsOf(data);
    expect(problems).toContain('data/providers.json: provider "alpha", field id: the id "alpha" is used twice');
    expect(problems).toHaveLength(2);
  });

  it('wants server settings (even "unknown") when IMAP is known to work', () => {
    const data = providers();
    delete data[0].facts.servers;
    expect(problemsOf(data)).toEqual([
      'data/providers.json: provider "alpha", field facts.servers: missing; imap is true, so give the server settings (or "unknown" if you could not find them)',
    ]);
    data[0].facts.servers = 'unknown';
    expect(problemsOf(data)).toEqual([]);
  });

  it('rejects facts that contradict each other', () => {
    const data = providers();
    data[0].facts.imap.value = false;
    data[0].offers[0].facts.eurPerYear.value = 12;
    const problems = problemsOf(data);
    expect(problems).toContain('data/providers.json: provider "alpha", field facts.servers: server settings are given but imap is false');
    expect(problems).toContain(
      'data/providers.json: provider "alpha", offer "free", field facts.eurPerYear: a yearly price (12) is given but eurPerMonth says the plan is free (0)',
    );
    expect(problems).toContain(
      'data/providers.json: provider "alpha", offer "plus", field facts.imap: true on this plan, but the provider\'s imap is false (no plan speaks IMAP): one of them is wrong',
    );
    const member = providers();
    member[0].facts.membershipRequired.value = true;
    expect(problemsOf(member)).toContain(
      'data/providers.json: provider "alpha", offer "plus", field facts.membershipRequired: false on this plan, but the provider\'s membershipRequired is true (joining is required for every plan)',
    );
  });

  it('checks old providers too: known ids, plan steps, one owner per domain', () => {
    const olds = oldProviders();
    olds.push({ ...structuredClone(olds[0]), id: 'yahoo', name: 'Yahoo' });
    expect(problemsOf(providers(), olds)).toEqual([
      'data/old-providers.json: old provider "yahoo", field domains[0]: "gmail.com" already belongs to "gmail"',
      'data/old-providers.json: old provider "yahoo", field domains[1]: "googlemail.com" already belongs to "gmail"',
    ]);
    olds[1].domains = ['yahoo.com'];
    olds[1].traps[0].step = 'party';
    olds[1].id = 'hotmail';
    const problems = problemsOf(providers(), olds);
    expect(problems.some((p) => p.startsWith('data/old-providers.json: old provider "hotmail", field id: expected one of "gmail"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('data/old-providers.json: old provider "hotmail", field traps[0].step: expected one of "createAccount"'))).toBe(true);
  });

  it('says when a file is not a list', () => {
    expect(problemsOf({ providers: [] }, 3)).toEqual([
      'data/providers.json: expected a list of providers, got an object',
      'data/old-providers.json: expected a list of old providers, got 3',
    ]);
  });
});

describe('loadCatalog', () => {
  function dataDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'demailbot-catalog-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('loads a data directory', () => {
    const dir = dataDir({});
    copyFileSync(join(FIXTURES_DIR, 'providers.json'), join(dir, 'providers.json'));
    copyFileSync(join(FIXTURES_DIR, 'old-providers.json'), join(dir, 'old-providers.json'));
    expect(loadCatalog(dir).provider('alpha')?.name).toBe('Alpha Mail');
  });

  it('says which file is missing or is not JSON', () => {
    const dir = dataDir({ 'providers.json': '[{"id": ' });
    expect(() => loadCatalog(dir)).toThrow(CatalogError);
    try {
      loadCatalog(dir);
    } catch (error) {
      const [notJson, missing] = (error as CatalogError).problems;
      expect(notJson).toMatch(/providers\.json: not valid JSON/);
      expect(missing).toMatch(/old-providers\.json: cannot read the file \(it does not exist\)/);
    }
  });
});
