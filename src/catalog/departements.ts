/**
 * The 101 départements, number and name (data/departements.json, from INSEE's Code officiel géographique): what
 * lets a person answer "Ille-et-Vilaine" as well as "35" when they want to meet someone in person, and what lets
 * the guide say back what it noted ("Ille-et-Vilaine (35)"). Validated like the other data files: a problem names
 * the file, the entry and the field.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { displayPath, readJsonFile, validateData } from './data-issues.js';
import { checkedDate, httpUrl } from './schema.js';

export const DEPARTEMENTS_FILE = fileURLToPath(new URL('../../data/departements.json', import.meta.url));

/** A département's number as INSEE writes it: "01" to "95" (no "20": Corsica is "2A" and "2B"), "971" to "976". */
export const DEPARTEMENT_CODE = /^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$/;

/** A département number in a data file (a desk's `serves`, an event's place), with the error that teaches it. */
export const departementNumber = z
  .string()
  .regex(DEPARTEMENT_CODE, 'expected a département number as text: "01" to "95", "2A", "2B", or "971" to "976"');

export interface Departement {
  code: string;
  name: string;
}

export class DepartementsError extends Error {
  override readonly name = 'DepartementsError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const fileSchema = z
  .object({
    about: z.string().optional(),
    source: httpUrl,
    sourceTitle: z.string().optional(),
    checked: checkedDate,
    checkedHow: z.string().optional(),
    departements: z.array(
      z
        .object({
          code: departementNumber,
          name: z.string().trim().min(1, 'expected some text'),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.departements.forEach((d, index) => {
      if (seen.has(d.code)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['departements', index, 'code'], message: 'this number is already an earlier entry\'s' });
      seen.add(d.code);
    });
  });

/** Validates already-parsed JSON (tests use it directly). */
export function parseDepartements(json: unknown, file = 'data/departements.json'): Departement[] {
  const result = validateData<{ departements: Departement[] }>(fileSchema, json, file, { path: ['departements'], entity: 'département' });
  if (result.value === undefined) throw new DepartementsError(result.problems);
  return result.value.departements.map(({ code, name }) => ({ code, name }));
}

export function loadDepartements(path: string = DEPARTEMENTS_FILE): Departement[] {
  const name = displayPath(path);
  const read = readJsonFile(path, name);
  if ('problem' in read) throw new DepartementsError([read.problem]);
  return parseDepartements(read.json, name);
}

let cached: ReadonlyMap<string, Departement> | undefined;

/** The list of data/departements.json by number, read once (the file ships with the code). */
export function departementsByCode(): ReadonlyMap<string, Departement> {
  return (cached ??= new Map(loadDepartements().map((d) => [d.code, d])));
}

/** "Ille-et-Vilaine", or undefined for a number that is not a département's. */
export function departementName(code: string): string | undefined {
  return departementsByCode().get(code)?.name;
}
