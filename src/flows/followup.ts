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
  /** The category each custom item was filed under (`custom:<index>` → category id), for the per-category figure. */
  categoryOf?: Record<string, string>;
  /** Ways of finding accounts the person added in one tap (`search:invoice`, `list:googleConnections`), in order. */
  finding?: string[];
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

export const FINDING_ITEM = 'find:';

/**
 * Every item: the catalogue's categories, then the ways of finding accounts the person added (`find:<way>`), then
 * the person's own accounts.
 */
export function checklistItems(categoryIds: readonly string[], checklist: ChecklistState): string[] {
  return [
    ...categoryIds,
    ...(checklist.finding ?? []).map((way) => `${FINDING_ITEM}${way}`),
    ...checklist.custom.map((_, i) => `${CUSTOM_ITEM}${i}`),
  ];
}

/** The person's own account added to the list, filed under a category when they chose one. Pure: a new state. */
export function addCustomItem(checklist: ChecklistState, label: string, categoryId?: string): ChecklistState {
  const trimmed = label.trim().slice(0, MAX_CUSTOM_LABEL);
  if (!trimmed || checklist.custom.length >= MAX_CUSTOM_ITEMS) return checklist;
  const id = `${CUSTOM_ITEM}${checklist.custom.length}`;
  return {
    ...checklist,
    custom: [...checklist.custom, trimmed],
    ...(categoryId ? { categoryOf: { ...checklist.categoryOf, [id]: categoryId } } : {}),
  };
}

/** A way of finding accounts (a search, a sign-in list) added to the list in one tap; adding it twice does nothing. */
export function addFindingItem(checklist: ChecklistState, wayId: string): ChecklistState {
  const finding = checklist.finding ?? [];
  return finding.includes(wayId) ? checklist : { ...checklist, finding: [...finding, wayId] };
}

/**
 * The checklist figure, per category: accounts found (the person's own accounts filed there, plus the category
 * itself once answered "done" or "later", i.e. the person has such accounts) and how many are updated ("done").
 * Own accounts filed under no category count under "other". Categories answered "not concerned" show 0 / 0.
 */
export function checklistFigures(categoryIds: readonly string[], checklist: ChecklistState) {
  const figures = new Map<string, { found: number; updated: number }>(categoryIds.map((id) => [id, { found: 0, updated: 0 }]));
  const count = (category: string, status: ChecklistStatus | undefined) => {
    if (status === 'notConcerned') return;
    const figure = figures.get(category) ?? { found: 0, updated: 0 };
    figure.found += 1;
    if (status === 'done') figure.updated += 1;
    figures.set(category, figure);
  };
  for (const id of categoryIds) {
    const status = checklist.status[id];
    if (status === 'done' || status === 'later') count(id, status);
  }
  checklist.custom.forEach((_, index) => {
    const id = `${CUSTOM_ITEM}${index}`;
    count(checklist.categoryOf?.[id] ?? 'other', checklist.status[id]);
  });
  return [...figures].map(([category, figure]) => ({ category, ...figure }));
}

/** First item from `from` with no answer yet, or -1. */
export function nextOpenItem(items: readonly string[], checklist: ChecklistState, from = 0): number {
  for (let i = from; i < items.length; i++) if (checklist.status[items[i]!] === undefined) return i;
  return -1;
}

/**
 * done / later / notConcerned, and two totals: `all` is every item (the header's "n of all" counts the same list,
 * so the two figures never disagree), `total` leaves out the items the person is not concerned by.
 */
export function checklistProgress(items: readonly string[], checklist: ChecklistState) {
  const count = (s: ChecklistStatus) => items.filter((id) => checklist.status[id] === s).length;
  const notConcerned = count('notConcerned');
  return { done: count('done'), later: count('later'), notConcerned, all: items.length, total: items.length - notConcerned };
}

/* ---- Check-ins ---- */

/**
 * How a check-in names the time since the last one: "this week" only when it was a week ago or less; otherwise the
 * number of days (day 30 after day 7: "these 23 days"). The words are locale keys followup:checkin.since.<kind>.
 */
export function checkinSince(day: number, previousDay: number | undefined): { kind: 'start' | 'week' | 'days'; days: number } {
  const days = day - (previousDay ?? 0);
  if (previousDay === undefined) return { kind: 'start', days };
  return days <= 7 ? { kind: 'week', days } : { kind: 'days', days };
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
