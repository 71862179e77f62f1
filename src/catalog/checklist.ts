/**
 * The address-change checklist (data/checklist.json): categories of accounts that use an e-mail address, most
 * important first, with examples of services per language. Validated at load with errors that name the file,
 * the category and the field, like the provider catalogue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATA_DIR, CatalogError } from './load.js';
import { LANGUAGES, type Lang } from '../render/i18n.js';

export const CHECKLIST_FILE = 'checklist.json';

/** Whose checklist a category belongs to: a person's or family's, or an association's own accounts. */
export const CHECKLIST_AUDIENCES = ['person', 'association'] as const;
export type ChecklistAudience = (typeof CHECKLIST_AUDIENCES)[number];

export interface ChecklistCategory {
  id: string;
  for: ChecklistAudience[];
  examples: Record<Lang, string[]>;
}

/** The categories of one audience's checklist, in data order. */
export function checklistFor(categories: readonly ChecklistCategory[], audience: ChecklistAudience): ChecklistCategory[] {
  return categories.filter((category) => category.for.includes(audience));
}

const examples = z.array(z.string().trim().min(1)).min(1, 'expected at least one example');

const checklistSchema = z
  .object({
    $comment: z.string().optional(),
    categories: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][A-Za-z]*$/, 'expected an id in camelCase, like "roots"'),
            for: z.array(z.enum(CHECKLIST_AUDIENCES)).min(1, 'expected "person", "association" or both'),
            examples: z.object(Object.fromEntries(LANGUAGES.map((lang) => [lang, examples])) as Record<Lang, typeof examples>).strict(),
          })
          .strict(),
      )
      .min(12, 'expected at least 12 categories'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.categories.forEach((category, index) => {
      if (seen.has(category.id)) ctx.addIssue({ code: 'custom', path: ['categories', index, 'id'], message: `"${category.id}" is used twice` });
      seen.add(category.id);
    });
  });

export function parseChecklist(json: unknown, file = `data/${CHECKLIST_FILE}`): ChecklistCategory[] {
  const result = checklistSchema.safeParse(json);
  if (result.success) return result.data.categories;
  throw new CatalogError(
    result.error.issues.map((issue) => {
      const [, index, ...field] = issue.path;
      const id = typeof index === 'number' ? (json as { categories?: Array<{ id?: unknown }> })?.categories?.[index]?.id : undefined;
      const where = typeof index === 'number' ? `category ${id ? `"${String(id)}"` : `#${index + 1}`}, field ${field.join('.') || '(the category)'}` : `field ${issue.path.join('.') || '(the file)'}`;
      return `${file}: ${where}: ${issue.message}`;
    }),
  );
}

/**
 * One audience's checklist (a person's by default, as before the association checklist existed).
 * `loadChecklistFile` gives every category, for a machine that picks the audience per conversation.
 */
export function loadChecklist(dir: string = DATA_DIR, audience: ChecklistAudience = 'person'): ChecklistCategory[] {
  return checklistFor(loadChecklistFile(dir), audience);
}

export function loadChecklistFile(dir: string = DATA_DIR): ChecklistCategory[] {
  const path = join(dir, CHECKLIST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogError([`data/${CHECKLIST_FILE}: cannot be read as JSON: ${(error as Error).message}`]);
  }
  return parseChecklist(json);
}
