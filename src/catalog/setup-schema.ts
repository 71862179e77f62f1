/**
 * Validation of the move-plan data (data/provider-setup.json, data/registrars.json, data/account-finding.json),
 * with errors that name the file, the entry and the field in plain words, like ./load.ts does for the catalogue:
 *   data/provider-setup.json: provider "posteo", field dav.value.caldav: expected a web address starting with https://
 * Loaded once at start; a bad file stops the bot with a CatalogError listing every problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z, type ZodIssue, type ZodTypeAny } from 'zod';
import { CatalogError, DATA_DIR } from './load.js';
import { OLD_PROVIDER_IDS } from './schema.js';
import {
  SEARCH_KINDS,
  type AccountFinding,
  type ProviderSetups,
  type Registrar,
  type RegistrarDirectory,
} from './setup-types.js';

export const PROVIDER_SETUP_FILE = 'provider-setup.json';
export const REGISTRARS_FILE = 'registrars.json';
export const ACCOUNT_FINDING_FILE = 'account-finding.json';

/* ---- Building blocks (the same rules as the catalogue's facts) ---- */

const httpsUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}, 'expected a web address starting with https://');

const checked = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'expected a date YYYY-MM-DD')
  .refine((value) => value <= new Date().toISOString().slice(0, 10), 'expected a date that is not in the future');

const text = z.string().trim().min(1, 'expected some text');

function fact<T extends ZodTypeAny>(value: T) {
  return z.union([
    z.literal('unknown'),
    z.object({ value, source: httpsUrl, checked, doubt: text.optional() }).strict(),
  ]);
}

const hostName = z.string().regex(/^[a-z0-9._-]+\.[a-z]{2,}\.?$/i, 'expected a host name like mail.example.org');

/* ---- provider-setup.json ---- */

const davServers = z
  .object({ caldav: httpsUrl, carddav: httpsUrl, username: z.enum(['full', 'local']) })
  .strict();

const domainSetup = z
  .object({
    mx: fact(
      z
        .array(z.object({ host: hostName, priority: z.number().int().nonnegative().nullable() }).strict())
        .min(1, 'expected at least one MX record'),
    ),
    spfInclude: fact(z.string().regex(/^include:[a-z0-9._-]+$/i, 'expected an SPF include like "include:_spf.example.org"')),
    dkim: fact(
      z
        .object({
          source: z.enum(['fixedCname', 'shownInPanel']),
          records: z.array(z.object({ name: text, target: hostName }).strict()).optional(),
        })
        .strict()
        .refine((dkim) => dkim.source !== 'fixedCname' || (dkim.records?.length ?? 0) > 0, 'expected the records of a fixedCname DKIM'),
    ),
    helpUrl: fact(httpsUrl),
  })
  .strict();

const providerSetup = z
  .object({
    dav: fact(z.union([z.literal('appOnly'), z.literal('none'), davServers])),
    domain: fact(domainSetup),
    devicePassword: fact(z.object({ url: httpsUrl }).strict()),
    importPicker: fact(z.boolean()),
  })
  .strict();

const providerSetupFile = z
  .object({ $comment: z.string().optional(), providers: z.record(z.string().regex(/^[a-z0-9-]+$/), providerSetup) })
  .strict();

/* ---- registrars.json ---- */

const registrar = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'expected an id in lowercase letters, digits and dashes'),
    name: text,
    url: httpsUrl,
    kind: fact(z.enum(['association', 'cooperative', 'company'])),
    eurPerYear: z.object({ fr: fact(z.number().positive()), org: fact(z.number().positive()) }).strict(),
  })
  .strict();

const registrarsFile = z
  .object({
    $comment: z.string().optional(),
    registrars: z.array(registrar).min(1, 'expected at least one registrar'),
    directory: z.object({ name: text, url: httpsUrl, source: httpsUrl, checked, doubt: text.optional() }).strict(),
  })
  .strict();

/* ---- account-finding.json ---- */

const query = z.object({ fr: text, en: text }).strict();
const mailboxSearches = z
  .object({
    where: z.string().regex(/^[a-z]+$/),
    queries: z.object(Object.fromEntries(SEARCH_KINDS.map((kind) => [kind, query])) as Record<(typeof SEARCH_KINDS)[number], typeof query>).strict(),
    source: httpsUrl,
    checked,
    doubt: text.optional(),
  })
  .strict();

const oldIds = [...OLD_PROVIDER_IDS, 'other'] as [string, ...string[]];
const accountFindingFile = z
  .object({
    $comment: z.string().optional(),
    searches: z.record(z.enum(oldIds), mailboxSearches),
    signInLists: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z][A-Za-z]*$/, 'expected an id in camelCase'),
          for: z.array(z.enum([...OLD_PROVIDER_IDS, 'any'] as [string, ...string[]])).min(1),
          url: httpsUrl.nullable(),
          source: httpsUrl,
          checked,
          doubt: text.optional(),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const id of oldIds) {
      if (!file.searches[id]) ctx.addIssue({ code: 'custom', path: ['searches', id], message: `missing: every old provider needs its searches (${id})` });
    }
  });

/* ---- Parsing with readable errors ---- */

export interface PlanData {
  setups: ProviderSetups;
  registrars: Registrar[];
  registrarDirectory: RegistrarDirectory;
  finding: AccountFinding;
}

export function parseProviderSetups(json: unknown, file = `data/${PROVIDER_SETUP_FILE}`): ProviderSetups {
  return parse(providerSetupFile, json, file, describeProviderPath).providers as ProviderSetups;
}

export function parseRegistrars(json: unknown, file = `data/${REGISTRARS_FILE}`) {
  const parsed = parse(registrarsFile, json, file, (path) => describeListPath(json, 'registrars', 'registrar', path));
  return { registrars: parsed.registrars as Registrar[], directory: parsed.directory as RegistrarDirectory };
}

export function parseAccountFinding(json: unknown, file = `data/${ACCOUNT_FINDING_FILE}`): AccountFinding {
  return parse(accountFindingFile, json, file, (path) =>
    path[0] === 'searches' && path.length > 1
      ? `searches for "${String(path[1])}", field ${path.slice(2).join('.') || '(the entry)'}`
      : describeListPath(json, 'signInLists', 'sign-in list', path),
  ) as AccountFinding;
}

export function loadPlanData(dir: string = DATA_DIR): PlanData {
  const read = (name: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      throw new CatalogError([`data/${name}: cannot be read as JSON: ${(error as Error).message}`]);
    }
  };
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (error instanceof CatalogError) problems.push(...error.problems);
      else throw error;
      return undefined;
    }
  };
  const setups = attempt(() => parseProviderSetups(read(PROVIDER_SETUP_FILE)));
  const registrars = attempt(() => parseRegistrars(read(REGISTRARS_FILE)));
  const finding = attempt(() => parseAccountFinding(read(ACCOUNT_FINDING_FILE)));
  if (problems.length > 0 || !setups || !registrars || !finding) throw new CatalogError(problems);
  return { setups, registrars: registrars.registrars, registrarDirectory: registrars.directory, finding };
}

function parse<T extends ZodTypeAny>(schema: T, json: unknown, file: string, where: (path: (string | number)[]) => string): z.output<T> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(resolveUnions);
  throw new CatalogError([...new Set(issues.map((issue) => `${file}: ${issue.path.length ? where(issue.path) + ': ' : ''}${message(issue)}`))]);
}

function describeProviderPath(path: (string | number)[]): string {
  if (path[0] !== 'providers' || path.length < 2) return `field ${path.join('.')}`;
  return `provider "${String(path[1])}", field ${path.slice(2).join('.') || '(the entry)'}`;
}

function describeListPath(json: unknown, list: string, entity: string, path: (string | number)[]): string {
  if (path[0] !== list || typeof path[1] !== 'number') return `field ${path.join('.')}`;
  const id = (json as Record<string, Array<{ id?: unknown }> | undefined>)?.[list]?.[path[1]]?.id;
  return `${entity} ${typeof id === 'string' ? `"${id}"` : `#${path[1] + 1}`}, field ${path.slice(2).join('.') || '(the entry)'}`;
}

function message(issue: ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'missing (write "unknown" if you could not find it)';
  if (issue.code === 'unrecognized_keys') return `fields we do not know: ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (check their spelling)`;
  if (issue.code === 'invalid_enum_value') return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(issue.received)}`;
  return issue.message;
}

/** A fact's union fails twice ("not 'unknown'", and the real problem): keep the branch that saw an object. */
function resolveUnions(issue: ZodIssue): ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const meaningful = issue.unionErrors
    .map((branch) => branch.issues)
    .filter((issues) => !issues.every((i) => i.code === 'invalid_literal' || (i.code === 'invalid_type' && i.path.length === issue.path.length)));
  return meaningful.length > 0 ? meaningful.flat().flatMap(resolveUnions) : [issue];
}
