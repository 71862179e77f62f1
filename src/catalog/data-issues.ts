/**
 * Zod's issues, as sentences naming the file, the entry and the field — the style of the catalogue's errors
 * (./load.ts), for the smaller data files that are a list of entries with ids (data/desks.json: "desk",
 * data/events.json: "event"), e.g.
 *   data/desks.json: desk "arn", field hours.mon[0]: expected a range like "18:00-21:00", got "6pm"
 * so that whoever edits the JSON by hand can fix it without reading zod's output.
 *
 * load.ts has its own sentences for the providers (offers nested in providers, facts "unknown" or sourced: it knows
 * more shapes than these files have) and shares the reading and the words for values, types and paths from here.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { ZodIssue, ZodTypeAny } from 'zod';

/** Where the entries are in the file (`["desks"]`), and what one is called in a sentence ("desk"). */
export interface EntryList {
  path: readonly string[];
  entity: string;
}

export type ReadResult = { json: unknown } | { problem: string };

export function readJsonFile(path: string, name: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : (code ?? String(error));
    return { problem: `${name}: cannot read the file (${why})` };
  }
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    return { problem: `${name}: not valid JSON (${(error as Error).message})` };
  }
}

/** The path relative to the working directory when inside it (so messages say "data/desks.json"). */
export function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return (inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path).split(sep).join('/');
}

/** The parsed value, or every problem as a sentence (deduplicated, in zod's order). */
export function validateData<T>(
  schema: ZodTypeAny,
  json: unknown,
  file: string,
  list: EntryList,
): { value: T; problems: [] } | { value?: undefined; problems: string[] } {
  const result = schema.safeParse(json);
  if (result.success) return { value: result.data as T, problems: [] };
  const problems = result.error.issues.flatMap((issue) => resolveUnions(issue)).map((issue) => describeIssue(issue, json, file, list));
  return { problems: [...new Set(problems)] };
}

function describeIssue(issue: ZodIssue, json: unknown, file: string, list: EntryList): string {
  const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
  const insideList = list.path.every((part, i) => path[i] === part) && typeof path[list.path.length] === 'number';
  if (!insideList) {
    const fieldText = path.length > 0 ? `, field ${formatPath(path)}` : '';
    return `${file}${fieldText}: ${whatIsWrong(issue, valueAt(json, path))}`;
  }
  const index = path[list.path.length] as number;
  const rest = path.slice(list.path.length + 1);
  const where = entryLabel(list.entity, valueAt(json, list.path), index);
  const fieldText = rest.length > 0 ? `, field ${formatPath(rest)}` : '';
  return `${file}: ${where}${fieldText}: ${whatIsWrong(issue, valueAt(json, path))}`;
}

/** 'desk "arn"', or 'desk #4 (no id)' when the entry has no usable id. */
export function entryLabel(entity: string, entries: unknown, index: number): string {
  const id = valueAt(entries, [index, 'id']);
  return typeof id === 'string' && id !== '' ? `${entity} "${id}"` : `${entity} #${index + 1} (no id)`;
}

/** What is wrong with a value, in words; `expectedList` names what a whole file's list should be ("a list of desks"). */
export function whatIsWrong(issue: ZodIssue, value: unknown, expectedList?: string): string {
  const got = value === undefined ? 'nothing' : describeValue(value);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return 'missing';
      return `expected ${expectedList ?? describeType(issue.expected)}, got ${got}`;
    case 'invalid_literal':
      return `expected ${JSON.stringify(issue.expected)}, got ${got}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${got}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? 'not a field we know (check its spelling)'
        : `fields we do not know: ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (check their spelling)`;
  }
  // Our own messages (refinements, min/max) start with "expected …": add what was found.
  return issue.message.startsWith('expected') && value !== undefined ? `${issue.message}, got ${got}` : issue.message;
}

/**
 * A union's issue keeps one error per branch. Keep the branch that recognised the shape of the value (its issues
 * are more than "wrong type here"), so a fact with a bad date says "checked: expected a date", not "expected
 * \"unknown\"". When no branch recognised it, `unrecognised` says what the union accepts (plainly by default).
 */
export function resolveUnions(issue: ZodIssue, unrecognised: (issue: ZodIssue & { code: 'invalid_union' }) => ZodIssue = plainly): ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const here = issue.path.length;
  const isShapeMismatchHere = (i: ZodIssue) =>
    i.path.length === here && (i.code === 'invalid_type' || i.code === 'invalid_literal');
  const recognised = issue.unionErrors.find((branch) => branch.issues.some((i) => !isShapeMismatchHere(i)));
  if (recognised) return recognised.issues.flatMap((i) => resolveUnions(i, unrecognised));
  return [unrecognised(issue)];
}

function plainly(issue: ZodIssue): ZodIssue {
  return { code: 'custom', path: issue.path, message: 'expected a value of another form' } as ZodIssue;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

export function valueAt(json: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = json;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function describeType(type: string): string {
  const words: Record<string, string> = {
    string: 'some text',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    null: 'null',
  };
  return words[type] ?? type;
}
