/**
 * Loads data/providers.json and data/old-providers.json, validates them (./schema.ts) and builds the lookups of
 * `Catalog`. Synchronous on purpose: the files are small and read once at start.
 *
 * Invalid data stops the bot with a `CatalogError` whose every line names the file, the provider and the field,
 * in plain words, e.g.
 *   data/providers.json: provider "posteo", field facts.country.checked: expected a date YYYY-MM-DD, got "yesterday"
 *   data/providers.json: provider "posteo", offer "mail", field facts.storageGb: expected a number of GB above 0, got -2
 * so that whoever edits the JSON by hand can fix it without reading zod's output.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZodIssue, ZodTypeAny } from 'zod';
import type { Catalog, OldProvider, Provider } from './types.js';
import { displayPath, formatPath, readJsonFile, resolveUnions, valueAt, whatIsWrong as sharedWhatIsWrong } from './data-issues.js';
import { duplicateIdIssues, oldProvidersFileSchema, providersFileSchema, serversMissingForImap } from './schema.js';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
export const PROVIDERS_FILE = 'providers.json';
export const OLD_PROVIDERS_FILE = 'old-providers.json';

/** How the files are named in error messages. */
export interface CatalogFileNames {
  providers: string;
  oldProviders: string;
}
const DEFAULT_NAMES: CatalogFileNames = { providers: `data/${PROVIDERS_FILE}`, oldProviders: `data/${OLD_PROVIDERS_FILE}` };

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export function loadCatalog(dir: string = DATA_DIR): Catalog {
  const providersPath = join(dir, PROVIDERS_FILE);
  const oldProvidersPath = join(dir, OLD_PROVIDERS_FILE);
  const names = { providers: displayPath(providersPath), oldProviders: displayPath(oldProvidersPath) };
  const providers = readJsonFile(providersPath, names.providers);
  const oldProviders = readJsonFile(oldProvidersPath, names.oldProviders);
  const unreadable = [providers, oldProviders].flatMap((file) => ('problem' in file ? [file.problem] : []));
  if (unreadable.length > 0) throw new CatalogError(unreadable);
  return parseCatalog((providers as { json: unknown }).json, (oldProviders as { json: unknown }).json, names);
}

/** Validates already-parsed JSON (tests use it with fixtures) and builds the catalogue. */
export function parseCatalog(
  providersJson: unknown,
  oldProvidersJson: unknown,
  names: CatalogFileNames = DEFAULT_NAMES,
): Catalog {
  const providers = validate<Provider[]>(providersFileSchema, providersJson, names.providers, 'provider');
  const oldProviders = validate<OldProvider[]>(oldProvidersFileSchema, oldProvidersJson, names.oldProviders, 'old provider');
  const problems = [
    ...providers.problems,
    ...missingServerProblems(providersJson, names.providers),
    ...oldProviders.problems,
  ];
  if (problems.length > 0) throw new CatalogError(problems);
  return buildCatalog(providers.value!, oldProviders.value!);
}

function buildCatalog(providers: Provider[], oldProviders: OldProvider[]): Catalog {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const oldById = new Map<string, OldProvider>(oldProviders.map((p) => [p.id, p]));
  return {
    providers,
    oldProviders,
    provider: (id) => byId.get(id),
    oldProvider: (id) => oldById.get(id),
  };
}

/* ---- Reading ---- */

/* ---- Validation and its sentences ---- */

function validate<T>(schema: ZodTypeAny, json: unknown, file: string, entity: string): { value?: T; problems: string[] } {
  const result = schema.safeParse(json);
  if (result.success) return { value: result.data as T, problems: [] };
  const duplicateIds = duplicateIdIssues(json).map((issue) => ({ ...issue, message: issue.message ?? '' }) as ZodIssue);
  const problems = [...result.error.issues, ...duplicateIds]
    .flatMap((issue) => resolveUnions(issue, factOrPlainly))
    .map((issue) => describeIssue(issue, json, file, entity));
  return { problems: [...new Set(problems)] };
}

function missingServerProblems(providersJson: unknown, file: string): string[] {
  if (!Array.isArray(providersJson)) return [];
  return providersJson.flatMap((raw, index) =>
    serversMissingForImap(raw)
      ? [
          `${file}: ${entityLabel('provider', providersJson, index)}, field facts.servers: missing; imap is true, ` +
            'so give the server settings (or "unknown" if you could not find them)',
        ]
      : [],
  );
}

function describeIssue(issue: ZodIssue, json: unknown, file: string, entity: string): string {
  const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
  if (path.length === 0) {
    return `${file}: ${whatIsWrong(issue, json, `a list of ${entity}s`)}`;
  }
  const [index, ...rest] = path;
  let where = typeof index === 'number' ? entityLabel(entity, json, index) : `entry ${String(index)}`;
  let field = rest;
  // Inside a provider's offers: name the offer too, and give the field from the offer ("facts.storageGb").
  if (rest[0] === 'offers' && typeof rest[1] === 'number' && rest.length > 2) {
    where += `, ${entityLabel('offer', valueAt(json, [index!, 'offers']), rest[1])}`;
    field = rest.slice(2);
  }
  const fieldText = field.length > 0 ? `, field ${formatPath(field)}` : '';
  return `${file}: ${where}${fieldText}: ${whatIsWrong(issue, valueAt(json, path))}`;
}

/** "provider "posteo"", or "provider #4 (no id)" when the entry has no usable id. */
function entityLabel(entity: string, json: unknown, index: number): string {
  const id = valueAt(json, [index, 'id']);
  return typeof id === 'string' && id !== '' ? `${entity} "${id}"` : `${entity} #${index + 1} (no id)`;
}

/** The shared words (./data-issues.ts), and the providers' own case: a fact left out is written "unknown". */
function whatIsWrong(issue: ZodIssue, value: unknown, expectedList?: string): string {
  if (issue.code === 'custom' && issue.params?.fact && value === undefined) return 'missing (write "unknown" if you could not find it)';
  return sharedWhatIsWrong(issue, value, expectedList);
}

/** No branch of a union recognised the value: a catalogue fact says what a fact is ("unknown" or sourced). */
function factOrPlainly(issue: ZodIssue & { code: 'invalid_union' }): ZodIssue {
  const acceptsUnknown = issue.unionErrors.some((branch) =>
    branch.issues.some((i) => i.code === 'invalid_literal' && i.expected === 'unknown'),
  );
  const message = acceptsUnknown
    ? 'expected "unknown" or a fact { "value", "source", "checked" }'
    : 'expected a value of another form';
  return { code: 'custom', path: issue.path, message, params: { fact: acceptsUnknown } } as ZodIssue;
}

