import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import {
  DesksError,
  deskAt,
  deskNamed,
  desksFromSettings,
  loadDesks,
  onAllowList,
  parseDesks,
  type SingleDeskSettings,
} from '../../src/desk/desks.js';
import { isOpen } from '../../src/desk/hours.js';

type Json = any; // raw JSON that tests break on purpose

const EXAMPLE = join(import.meta.dirname, '../../data/desks.example.json');
const example = (): Json => JSON.parse(readFileSync(EXAMPLE, 'utf8'));
const HOSTS = new Set(loadCatalog().providers.map((p) => p.id));
const SETTINGS: SingleDeskSettings = { telegramChatId: '-1001234', volunteers: ['telegram:42'], lang: 'fr', timeZone: 'Europe/Paris' };

function problemsOf(json: unknown): string[] {
  try {
    parseDesks(json, HOSTS);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(DesksError);
    return [...(error as DesksError).problems];
  }
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-desks-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the example desks file', () => {
  it('is valid against the real catalogue, with the four desks the brief names', () => {
    const desks = parseDesks(example(), HOSTS);
    expect(desks.map((d) => d.id)).toEqual(['arn', 'girofle', 'libretic', 'coalition']);
    const arn = desks[0]!;
    expect(arn.serves).toEqual({ hosts: ['sans-nuage'], departements: [], langs: [], default: false });
    expect(arn.hours.timeZone).toBe('Europe/Paris');
    expect(isOpen(arn.hours, Date.parse('2026-12-02T17:30:00Z'))).toBe(true); // Wednesday 18:30 in Paris
    expect(desks.filter((d) => d.serves.default).map((d) => d.id)).toEqual(['coalition']);
  });

  it('says its ids are placeholders', () => {
    const json = example();
    expect(json.about).toMatch(/placeholder/);
    for (const desk of json.desks) {
      if (desk.matrixRoomId) expect(desk.matrixRoomId).toMatch(/placeholder.*:example\.org$/);
      if (desk.telegramChatId) expect(desk.telegramChatId).toMatch(/^-100000000000\d$/);
    }
  });
});

describe('validation names the file, the desk and the field', () => {
  it('a bad range', () => {
    const json = example();
    json.desks[0].hours.mon = ['6pm-9pm'];
    expect(problemsOf(json)).toEqual([
      'data/desks.json: desk "arn", field hours.mon[0]: expected a range like "18:00-21:00" (24-hour clock, 24:00 only as an end), got "6pm-9pm"',
    ]);
  });

  it('a range past midnight, overlapping ranges, a misspelt weekday', () => {
    const json = example();
    json.desks[1].hours.wed = ['22:00-02:00'];
    json.desks[1].hours.sat = ['10:00-12:00', '11:00-13:00'];
    json.desks[2].hours.tues = ['12:00-14:00'];
    expect(problemsOf(json)).toEqual([
      expect.stringMatching(/^data\/desks\.json: desk "girofle", field hours\.wed\[0\]: expected a range that ends after it starts \(a range past midnight is two/),
      'data/desks.json: desk "girofle", field hours.sat[1]: overlaps "10:00-12:00": give each open time once',
      'data/desks.json: desk "libretic", field hours.tues: not a field we know (check its spelling)',
    ]);
  });

  it('a host that is not in data/providers.json, and one served twice', () => {
    const json = example();
    json.desks[0].serves.hosts = ['sans-nuag'];
    json.desks[1].serves.hosts = ['posteo'];
    json.desks[2].serves.hosts = ['posteo'];
    expect(problemsOf(json)).toEqual([
      'data/desks.json: desk "arn", field serves.hosts[0]: "sans-nuag" is not a provider id of data/providers.json',
      'data/desks.json: desk "libretic", field serves.hosts[0]: the host "posteo" is already desk "girofle"\'s (each goes to one desk)',
    ]);
  });

  it('départements as text numbers, languages we have, a time zone that exists', () => {
    const json = example();
    json.desks[1].serves.departements = ['92', '20', 92];
    json.desks[2].langs = ['fr', 'de'];
    json.desks[3].timeZone = 'Paris';
    expect(problemsOf(json)).toEqual([
      'data/desks.json: desk "girofle", field serves.departements[1]: expected a département number as text: "01" to "95", "2A", "2B", or "971" to "976", got "20"',
      'data/desks.json: desk "girofle", field serves.departements[2]: expected some text, got 92',
      'data/desks.json: desk "libretic", field langs[1]: expected one of "fr", "en", got "de"',
      'data/desks.json: desk "coalition", field timeZone: expected a time zone name like "Europe/Paris", got "Paris"',
    ]);
  });

  it('a desk with no place, one that serves nobody, a bad volunteer id', () => {
    const json = example();
    delete json.desks[1].matrixRoomId;
    json.desks[2].serves = {};
    json.desks[3].volunteers = ['@marie:asso.org'];
    expect(problemsOf(json)).toEqual([
      'data/desks.json: desk "girofle": has no place: give "telegramChatId" and/or "matrixRoomId"',
      'data/desks.json: desk "libretic", field serves: serves nobody: give "hosts", "departements", "langs", or "default": true',
      'data/desks.json: desk "coalition", field volunteers[0]: expected "telegram:<user id>" or "matrix:@user:server", got "@marie:asso.org"',
    ]);
  });

  it('ids, names (for /transfer), groups and rooms are each one desk\'s; one default desk', () => {
    const json = example();
    json.desks[1].id = 'arn';
    json.desks[2].name = 'le cloud  GIROFLE';
    json.desks[3].telegramChatId = json.desks[0].telegramChatId;
    json.desks[3].serves = { langs: ['fr'] };
    expect(problemsOf(json)).toEqual([
      'data/desks.json: desk "arn", field id: this id is already desk "arn"\'s (each goes to one desk)',
      'data/desks.json: desk "libretic", field name: the name "le cloud  GIROFLE" (for /transfer) is already desk "arn"\'s (each goes to one desk)',
      'data/desks.json: desk "coalition", field telegramChatId: this Telegram group is already desk "arn"\'s (each goes to one desk)',
      'data/desks.json, field desks: no desk serves everyone else: add "default": true to one desk\'s "serves"',
    ]);
  });

  it('an entry without an id, a file that is not an object of desks', () => {
    const json = example();
    delete json.desks[0].id;
    expect(problemsOf(json)[0]).toBe('data/desks.json: desk #1 (no id), field id: missing');
    expect(problemsOf([])).toEqual(['data/desks.json: expected an object, got a list']);
    expect(problemsOf({ desks: [] })).toEqual(['data/desks.json, field desks: the list of desks is empty: give at least one']);
  });

  it('a single desk serves everyone without saying "default"', () => {
    const json = example();
    json.desks = [json.desks[0]];
    expect(parseDesks(json, HOSTS)[0]!.serves.default).toBe(true);
  });
});

describe('the single-desk variables', () => {
  it('make one desk serving everyone at any hour, with the same allow-list, language and zone', () => {
    expect(desksFromSettings({ ...SETTINGS, matrixRoomId: '!r:example.org' })).toEqual([
      {
        id: 'main',
        name: 'main',
        telegramChatId: '-1001234',
        matrixRoomId: '!r:example.org',
        langs: ['fr'],
        hours: { timeZone: 'Europe/Paris', week: 'always' },
        serves: { hosts: [], departements: [], langs: [], default: true },
        volunteers: ['telegram:42'],
      },
    ]);
    expect(desksFromSettings({ volunteers: [], lang: 'en', timeZone: 'UTC' })).toEqual([]);
  });
});

describe('loadDesks', () => {
  it('without a file: the variables, even when data/ has only the example', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'desks.example.json'), JSON.stringify(example()));
    const source = loadDesks({ env: {}, settings: SETTINGS, knownHosts: HOSTS, dataDir: dir });
    expect(source.from).toBe('environment');
    expect(source.desks.map((d) => d.id)).toEqual(['main']);
  });

  it('data/desks.json when it exists; DESKS_FILE wherever it says', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'desks.json'), JSON.stringify(example()));
    expect(loadDesks({ env: {}, settings: { ...SETTINGS, telegramChatId: undefined } as SingleDeskSettings, knownHosts: HOSTS, dataDir: dir }).desks).toHaveLength(4);
    const other = join(tempDir(), 'our-desks.json');
    const json = example();
    json.desks = [json.desks[0]];
    writeFileSync(other, JSON.stringify(json));
    const source = loadDesks({ env: { DESKS_FILE: other }, settings: { volunteers: [], lang: 'fr', timeZone: 'UTC' }, knownHosts: HOSTS, dataDir: dir });
    expect(source.desks.map((d) => d.id)).toEqual(['arn']);
    expect(source.from).toBe(other);
  });

  it('refuses a file together with a desk variable, a missing DESKS_FILE, bad JSON, a platform the bot does not run', () => {
    const dir = tempDir();
    const path = join(dir, 'desks.json');
    writeFileSync(path, JSON.stringify(example()));
    const load = (env: NodeJS.ProcessEnv, platforms?: { telegram: boolean; matrix: boolean }) => {
      try {
        loadDesks({ env, settings: SETTINGS, knownHosts: HOSTS, dataDir: dir, ...(platforms ? { platforms } : {}) });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(DesksError);
        return [...(error as DesksError).problems];
      }
    };
    expect(load({ TELEGRAM_DESK_CHAT_ID: '-1001234' })[0]).toMatch(/TELEGRAM_DESK_CHAT_ID is set too: with a desks file, give each desk's group or room in the file/);
    expect(load({ DESKS_FILE: join(dir, 'nope.json') })).toEqual([`${join(dir, 'nope.json')}: cannot read the file (it does not exist)`]);
    writeFileSync(path, '{ "desks": [');
    expect(load({})[0]).toMatch(/desks\.json: not valid JSON/);
    writeFileSync(path, JSON.stringify(example()));
    expect(load({}, { telegram: true, matrix: false })).toEqual([
      `${path}: desk "arn", field matrixRoomId: the bot does not run on Matrix (set MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN)`,
      `${path}: desk "girofle", field matrixRoomId: the bot does not run on Matrix (set MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN)`,
      `${path}: desk "coalition", field matrixRoomId: the bot does not run on Matrix (set MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN)`,
    ]);
  });
});

describe('looking desks up', () => {
  const desks = parseDesks(example(), HOSTS);

  it('by group or room, by id or name for /transfer, and the allow-list', () => {
    expect(deskAt(desks, 'telegram', '-1000000000003')?.id).toBe('libretic');
    expect(deskAt(desks, 'matrix', '!placeholder-girofle:example.org')?.id).toBe('girofle');
    expect(deskAt(desks, 'matrix', '-1000000000003')).toBeUndefined();
    expect(deskNamed(desks, 'ARN')?.id).toBe('arn');
    expect(deskNamed(desks, 'nuage')).toBeUndefined();
    expect(deskNamed(desks, 'arn')?.id).toBe('arn');
    expect(deskNamed(desks, '  le cloud GIROFLÉ ')?.id).toBe('girofle');
    expect(deskNamed(desks, 'sans-nuage (arn)')?.id).toBe('arn');
    expect(onAllowList(desks[0]!, 'telegram', '1000000001')).toBe(true);
    expect(onAllowList(desks[0]!, 'telegram', '1000000003')).toBe(false);
    expect(onAllowList(desks[1]!, 'matrix', '@anyone:example.org')).toBe('members');
  });
});
