/**
 * Follow-through, the part after the move plan that the readers of the Démailnagement article said nobody helps
 * with: the address-change checklist, the ready-to-copy texts, and check-ins over the months of transition.
 * Pure helpers shared by the machine, the prompts and the renderer.
 */
export type ChecklistStatus = 'done' | 'notConcerned' | 'later';

export interface ChecklistState {
  status: Record<string, ChecklistStatus>;
  /** Items the person added themselves ("my sports club"), in order; their ids are `custom:<index>`. */
  custom: string[];
  /** Index in the item list of the item being shown. */
  cursor: number;
}

export interface RemindersState {
  on: boolean;
  /** IANA time zone: check-ins are never sent between 21:00 and 09:00 there. */
  timeZone: string;
  /** What the person answered at each check-in, by day ("7": "yes", "90": "switched"). */
  answers: Record<string, string>;
}

export const DEFAULT_TIME_ZONE = 'Europe/Paris';
/** Offered as choices; any other IANA zone can be typed. French-speaking places first. */
export const TIME_ZONE_CHOICES = [
  'Europe/Paris',
  'Europe/Brussels',
  'Europe/Zurich',
  'Europe/Luxembourg',
  'America/Toronto',
  'America/Martinique',
  'Indian/Reunion',
  'Pacific/Noumea',
] as const;

export const MAX_CUSTOM_ITEMS = 30;
export const MAX_CUSTOM_LABEL = 80;
export const CUSTOM_ITEM = 'custom:';

export function emptyChecklist(): ChecklistState {
  return { status: {}, custom: [], cursor: 0 };
}

/** Every item: the catalogue's categories, then the person's own. */
export function checklistItems(categoryIds: readonly string[], checklist: ChecklistState): string[] {
  return [...categoryIds, ...checklist.custom.map((_, i) => `${CUSTOM_ITEM}${i}`)];
}

/** First item from `from` with no answer yet, or -1. */
export function nextOpenItem(items: readonly string[], checklist: ChecklistState, from = 0): number {
  for (let i = from; i < items.length; i++) if (checklist.status[items[i]!] === undefined) return i;
  return -1;
}

export function checklistProgress(items: readonly string[], checklist: ChecklistState) {
  const count = (s: ChecklistStatus) => items.filter((id) => checklist.status[id] === s).length;
  const notConcerned = count('notConcerned');
  return { done: count('done'), later: count('later'), total: items.length - notConcerned };
}

/** A plausible e-mail address: only used to fill the ready-to-copy texts, if the person chooses to type it. */
export function looksLikeAddress(text: string): boolean {
  return /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]{2,}$/.test(text) && text.length <= 254;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}
