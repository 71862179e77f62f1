/**
 * The coalition's desks: which associations' volunteers answer, where (a Telegram group and/or a Matrix room),
 * when (opening hours in a time zone), in which languages, whom they serve, and who may act there.
 *
 * The real list is deployment data (real group and room ids), so it is not in the repository: it is read from
 * DESKS_FILE, or data/desks.json when that file exists; data/desks.example.json shows the shape with placeholder
 * ids. Without a desks file the single-desk variables (TELEGRAM_DESK_CHAT_ID, MATRIX_DESK_ROOM_ID, DESK_VOLUNTEERS,
 * DESK_LANG, DESK_TIME_ZONE) make a one-desk list that means what they meant before: one desk, serving everyone,
 * at any hour.
 *
 * The file, validated here with zod like the catalogue (errors name the file, the desk and the field):
 *   {
 *     "about": "free text for whoever edits the file",
 *     "desks": [{
 *       "id": "arn", "name": "Sans-nuage (ARN)",
 *       "telegramChatId": "-100…", "matrixRoomId": "!room:server",    (one of them at least)
 *       "langs": ["fr"],                     the volunteers' languages; the first is the cards' language
 *       "timeZone": "Europe/Paris",
 *       "hours": { "mon": ["18:00-21:00"], … }  weekdays left out are closed; no "hours": any time
 *       "serves": { "hosts": ["sans-nuage"], "departements": ["67"], "langs": ["en"], "default": true },
 *       "volunteers": ["telegram:123", "matrix:@marie:asso.org"]   empty: any member of the group/room
 *     }]
 *   }
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { departementNumber } from '../catalog/departements.js';
import { displayPath, entryLabel, readJsonFile, validateData } from '../catalog/data-issues.js';
import { LANGUAGES, type Lang } from '../render/i18n.js';
import { WEEKDAYS, parseRange, formatClock, type OpeningHours, type TimeRange, type Weekday } from './hours.js';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
export const DESKS_FILE_NAME = 'desks.json';
/** The id of the desk the single-desk variables make. */
export const SINGLE_DESK_ID = 'main';

/** Whom a desk serves; routing (./routing.ts) reads it in this order: host, département, language, default. */
export interface DeskServes {
  /** Provider ids of data/providers.json: people who chose one of these hosts. */
  hosts: string[];
  /** Département numbers ("75", "2A", "974"): people who gave one (to meet someone in person). */
  departements: string[];
  /** People whose language is one of these. */
  langs: Lang[];
  /** Everyone the other desks do not serve. */
  default: boolean;
}

export interface DeskSpec {
  id: string;
  /** Shown to people and volunteers, and accepted by `/transfer NAME` (as is the id). */
  name: string;
  telegramChatId?: string;
  matrixRoomId?: string;
  /** The volunteers' languages; the first is the language of the cards and notices. */
  langs: [Lang, ...Lang[]];
  hours: OpeningHours;
  serves: DeskServes;
  /** "telegram:<user id>" / "matrix:@user:server"; empty: any member of the desk's group or room may act. */
  volunteers: string[];
}

export class DesksError extends Error {
  override readonly name = 'DesksError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/* ---- Schema ---- */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Metropolitan 01–95 (2A and 2B for Corsica, no 20), overseas 971–976. */
const VOLUNTEER = /^(telegram:-?\d+|matrix:@[^:\s]+:\S+)$/;

const nonEmptyText = z.string().trim().min(1, 'expected some text');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function uniqueList<T extends z.ZodTypeAny>(item: T, atLeast?: { count: number; message: string }) {
  const list = atLeast ? z.array(item).min(atLeast.count, atLeast.message) : z.array(item);
  return list.superRefine((list, ctx) => {
    const seen = new Set<unknown>();
    list.forEach((entry, index) => {
      if (seen.has(entry)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `"${String(entry)}" is listed twice` });
      seen.add(entry);
    });
  });
}

const rangeSchema = z
  .string()
  .refine((text) => parseRange(text) !== undefined, 'expected a range like "18:00-21:00" (24-hour clock, 24:00 only as an end)')
  .refine((text) => {
    const range = parseRange(text);
    return range === undefined || range.to > range.from;
  }, 'expected a range that ends after it starts (a range past midnight is two: "22:00-24:00" and the next day\'s "00:00-02:00")');

const dayRangesSchema = z.array(rangeSchema).superRefine((texts, ctx) => {
  const ranges = texts.map(parseRange);
  if (ranges.some((r) => r === undefined || r.to <= r.from)) return; // said above, range by range
  const sorted = (ranges as TimeRange[]).map((r, index) => ({ ...r, index })).sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.from < sorted[i - 1]!.to) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [sorted[i]!.index],
        message: `overlaps "${texts[sorted[i - 1]!.index]}": give each open time once`,
      });
    }
  }
});

const weekSchema = z
  .object({
    mon: dayRangesSchema.optional(),
    tue: dayRangesSchema.optional(),
    wed: dayRangesSchema.optional(),
    thu: dayRangesSchema.optional(),
    fri: dayRangesSchema.optional(),
    sat: dayRangesSchema.optional(),
    sun: dayRangesSchema.optional(),
  } satisfies Record<Weekday, unknown>)
  .strict()
  .refine(
    (week) => WEEKDAYS.some((day) => (week[day]?.length ?? 0) > 0),
    'expected at least one open range (or leave "hours" out for a desk that answers at any time)',
  );

const servesSchema = z
  .object({
    hosts: uniqueList(z.string().regex(SLUG, 'expected a provider id from data/providers.json, e.g. "sans-nuage"')).optional(),
    departements: uniqueList(
      departementNumber,
    ).optional(),
    langs: uniqueList(z.enum(LANGUAGES)).optional(),
    default: z.literal(true).optional(),
  })
  .strict()
  .refine(
    (serves) =>
      Boolean(serves.hosts?.length || serves.departements?.length || serves.langs?.length || serves.default),
    'serves nobody: give "hosts", "departements", "langs", or "default": true',
  );

const deskSchema = z
  .object({
    id: z.string().regex(SLUG, 'expected an id in lowercase letters, digits and dashes, e.g. "arn"'),
    name: nonEmptyText,
    telegramChatId: z.string().regex(/^-?\d+$/, 'expected a Telegram chat id as text, a number like "-1001234567890"').optional(),
    matrixRoomId: z.string().regex(/^![^:\s]+:\S+$/, 'expected a Matrix room id like "!abcdef:example.org"').optional(),
    langs: uniqueList(z.enum(LANGUAGES), { count: 1, message: 'expected at least one language' }),
    timeZone: z.string().refine(isTimeZone, 'expected a time zone name like "Europe/Paris"'),
    hours: weekSchema.optional(),
    serves: servesSchema,
    volunteers: uniqueList(
      z.string().regex(VOLUNTEER, 'expected "telegram:<user id>" or "matrix:@user:server"'),
    ).optional(),
  })
  .strict()
  .refine((desk) => desk.telegramChatId !== undefined || desk.matrixRoomId !== undefined, {
    message: 'has no place: give "telegramChatId" and/or "matrixRoomId"',
  });

type RawDesk = z.output<typeof deskSchema>;

/** The file's schema; `knownHosts` are data/providers.json's ids (a host that is not there is a typo). */
export function desksFileSchema(knownHosts: ReadonlySet<string>) {
  return z
    .object({ about: z.string().optional(), desks: z.array(deskSchema).min(1, 'the list of desks is empty: give at least one') })
    .strict()
    .superRefine((file, ctx) => {
      const issue = (path: Array<string | number>, message: string) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['desks', ...path], message });
      const firstWith = new Map<string, string>();
      const once = (key: string, index: number, path: Array<string | number>, what: string) => {
        const earlier = firstWith.get(key);
        if (earlier !== undefined) issue([index, ...path], `${what} is already desk "${earlier}"'s (each goes to one desk)`);
        else firstWith.set(key, file.desks[index]!.id);
      };
      file.desks.forEach((desk, index) => {
        once(`id:${desk.id}`, index, ['id'], 'this id');
        once(`name:${nameKey(desk.name)}`, index, ['name'], `the name "${desk.name}" (for /transfer)`);
        if (desk.telegramChatId) once(`tg:${desk.telegramChatId}`, index, ['telegramChatId'], 'this Telegram group');
        if (desk.matrixRoomId) once(`mx:${desk.matrixRoomId}`, index, ['matrixRoomId'], 'this Matrix room');
        desk.serves.hosts?.forEach((host, i) => {
          if (!knownHosts.has(host)) issue([index, 'serves', 'hosts', i], `"${host}" is not a provider id of data/providers.json`);
          else once(`host:${host}`, index, ['serves', 'hosts', i], `the host "${host}"`);
        });
        desk.serves.departements?.forEach((d, i) => once(`dep:${d}`, index, ['serves', 'departements', i], `the département "${d}"`));
        desk.serves.langs?.forEach((lang, i) => once(`lang:${lang}`, index, ['serves', 'langs', i], `the language "${lang}"`));
        if (desk.serves.default) once('default', index, ['serves', 'default'], 'serving everyone else');
      });
      if (file.desks.length > 1 && !file.desks.some((desk) => desk.serves.default)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['desks'],
          message: 'no desk serves everyone else: add "default": true to one desk\'s "serves"',
        });
      }
    });
}

/** Names compared for uniqueness and `/transfer`: case, accents and spacing do not count. */
export function nameKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function toDesk(raw: RawDesk, only: boolean): DeskSpec {
  const week = raw.hours
    ? (Object.fromEntries(WEEKDAYS.map((day) => [day, (raw.hours![day] ?? []).map((text) => parseRange(text)!).sort((a, b) => a.from - b.from)])) as Record<Weekday, TimeRange[]>)
    : 'always';
  return {
    id: raw.id,
    name: raw.name,
    ...(raw.telegramChatId !== undefined ? { telegramChatId: raw.telegramChatId } : {}),
    ...(raw.matrixRoomId !== undefined ? { matrixRoomId: raw.matrixRoomId } : {}),
    langs: raw.langs as [Lang, ...Lang[]],
    hours: { timeZone: raw.timeZone, week },
    serves: {
      hosts: raw.serves.hosts ?? [],
      departements: raw.serves.departements ?? [],
      langs: raw.serves.langs ?? [],
      // The only desk serves everyone, whatever else it says.
      default: only || raw.serves.default === true,
    },
    volunteers: raw.volunteers ?? [],
  };
}

/** Validates already-parsed JSON (tests use it directly) into desks. */
export function parseDesks(json: unknown, knownHosts: ReadonlySet<string>, file = `data/${DESKS_FILE_NAME}`): DeskSpec[] {
  const result = validateData<{ desks: RawDesk[] }>(desksFileSchema(knownHosts), json, file, { path: ['desks'], entity: 'desk' });
  if (result.value === undefined) throw new DesksError(result.problems);
  return result.value.desks.map((raw) => toDesk(raw, result.value.desks.length === 1));
}

/* ---- The single-desk variables ---- */

/** What the single-desk variables say, as src/config.ts reads and checks them (its DeskConfig fits). */
export interface SingleDeskSettings {
  telegramChatId?: string;
  matrixRoomId?: string;
  volunteers: string[];
  lang: Lang;
  timeZone: string;
}

/** The one-desk list the variables make: everyone, at any hour; none when neither desk variable is set. */
export function desksFromSettings(settings: SingleDeskSettings): DeskSpec[] {
  if (!settings.telegramChatId && !settings.matrixRoomId) return [];
  return [
    {
      id: SINGLE_DESK_ID,
      name: SINGLE_DESK_ID,
      ...(settings.telegramChatId ? { telegramChatId: settings.telegramChatId } : {}),
      ...(settings.matrixRoomId ? { matrixRoomId: settings.matrixRoomId } : {}),
      langs: [settings.lang],
      hours: { timeZone: settings.timeZone, week: 'always' },
      serves: { hosts: [], departements: [], langs: [], default: true },
      volunteers: [...settings.volunteers],
    },
  ];
}

/* ---- Loading ---- */

export interface DesksSource {
  desks: DeskSpec[];
  /** The file read (as shown in messages), or "environment" for the single-desk variables. */
  from: string;
}

export interface LoadDesksOptions {
  env?: NodeJS.ProcessEnv;
  settings: SingleDeskSettings;
  /** data/providers.json's ids. */
  knownHosts: ReadonlySet<string>;
  /** Which platforms are configured: a desk on a platform the bot does not run on would wait for nobody. */
  platforms?: { telegram: boolean; matrix: boolean };
  /** Where data/desks.json is looked for (tests). */
  dataDir?: string;
}

/**
 * The desks: from DESKS_FILE, else data/desks.json if it exists, else the single-desk variables. A desks file and
 * TELEGRAM_DESK_CHAT_ID / MATRIX_DESK_ROOM_ID together are refused: which one is meant cannot be guessed.
 */
export function loadDesks(options: LoadDesksOptions): DesksSource {
  const env = options.env ?? process.env;
  const named = env.DESKS_FILE?.trim();
  const defaultPath = join(options.dataDir ?? DATA_DIR, DESKS_FILE_NAME);
  const path = named ? resolve(named) : existsSync(defaultPath) ? defaultPath : undefined;
  if (path === undefined) return { desks: desksFromSettings(options.settings), from: 'environment' };

  const name = displayPath(path);
  const problems: string[] = [];
  const variables = ['TELEGRAM_DESK_CHAT_ID', 'MATRIX_DESK_ROOM_ID'].filter((v) => env[v]?.trim());
  if (variables.length > 0) {
    problems.push(
      `${name}: ${variables.join(' and ')} ${variables.length > 1 ? 'are' : 'is'} set too: with a desks file, give each desk's ` +
        'group or room in the file and unset the variable (or remove the file to keep a single desk)',
    );
  }
  const read = readJsonFile(path, name);
  if ('problem' in read) throw new DesksError([...problems, read.problem]);
  let desks: DeskSpec[] = [];
  try {
    desks = parseDesks(read.json, options.knownHosts, name);
  } catch (error) {
    if (!(error instanceof DesksError)) throw error;
    problems.push(...error.problems);
  }
  if (options.platforms) problems.push(...platformProblems(desks, options.platforms, read.json, name));
  if (problems.length > 0) throw new DesksError(problems);
  return { desks, from: name };
}

function platformProblems(desks: DeskSpec[], platforms: { telegram: boolean; matrix: boolean }, json: unknown, file: string): string[] {
  const entries = (json as { desks?: unknown }).desks;
  return desks.flatMap((desk, index) => [
    ...(desk.telegramChatId && !platforms.telegram
      ? [`${file}: ${entryLabel('desk', entries, index)}, field telegramChatId: the bot does not run on Telegram (set TELEGRAM_BOT_TOKEN)`]
      : []),
    ...(desk.matrixRoomId && !platforms.matrix
      ? [`${file}: ${entryLabel('desk', entries, index)}, field matrixRoomId: the bot does not run on Matrix (set MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN)`]
      : []),
  ]);
}

/* ---- Looking desks up ---- */

/** The desk whose group or room this is ("telegram" + chat id, "matrix" + room id). */
export function deskAt(desks: readonly DeskSpec[], platform: string, place: string): DeskSpec | undefined {
  return desks.find((desk) => (platform === 'telegram' ? desk.telegramChatId === place : platform === 'matrix' ? desk.matrixRoomId === place : false));
}

/** `/transfer NAME`: the desk with this id or name (case, accents and spacing do not count). */
export function deskNamed(desks: readonly DeskSpec[], text: string): DeskSpec | undefined {
  const key = nameKey(text);
  return desks.find((desk) => desk.id === key || nameKey(desk.name) === key);
}

/** May this platform user act on this desk? With no allow-list, the port's membership check decides. */
export function onAllowList(desk: DeskSpec, platform: string, userId: string): boolean | 'members' {
  if (desk.volunteers.length === 0) return 'members';
  return desk.volunteers.includes(`${platform}:${userId}`);
}

/** "18:00-21:00", as the file writes it (for doctor and error output). */
export function rangeText(range: TimeRange): string {
  return `${formatClock(range.from)}-${formatClock(range.to)}`;
}
