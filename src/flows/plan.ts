/**
 * The move plan for one pair (old provider × new provider), as data: which steps, in which order, and the
 * decisions the texts depend on (how mail gets copied, how the phone is set up, whether forwarding works).
 * Pure: no I/O and no sentences. The words live in locales/<lang>/plan.json, rendered by src/render/plan-text.ts.
 */
import {
  factValue,
  importToolReach,
  providerSync,
  isKnown,
  type DataKind,
  type Forwarding,
  type ImportTool,
  type OldProvider,
  type PlanStepId,
  type Provider,
} from '../catalog/types.js';
import type { DavServers, ProviderSetup } from '../catalog/setup-types.js';
import { ispDates, isIsoDate, type IspDates } from './plan-dates.js';


/**
 * The order a volunteer would walk someone through. Every step has a reason to sit where it is:
 *  - createAccount: nothing else can happen before the new box exists.
 *  - phone, early: most people read their mail on the phone. With the new box there from the start, every later
 *    step (imported messages, forwarded mail, replies to the announcement) shows up where they already look, and
 *    the new address stops being an abstraction. The old address stays on the phone too, for the whole transition.
 *  - importMail, contacts, calendar: the new box should feel like home (old messages, people, appointments)
 *    before mail starts arriving there. The import also runs for hours, so it is better started early.
 *  - forwarding, then autoReply: only once the new box is ready; both are set on the old box.
 *  - tellContacts before changeAddress: telling the people close to you is quick and warm, a first success;
 *    changing the address on every site is the long part (weeks, months), so it comes last and stays open.
 */
export const MOVE_ORDER: readonly PlanStepId[] = [
  'createAccount',
  'phone',
  'importMail',
  'contacts',
  'calendar',
  'forwarding',
  'autoReply',
  'tellContacts',
  'changeAddress',
];

/**
 * The steps for this pair, in order. No step is dropped: when a pair cannot do something the usual way (no
 * calendar at the new provider, paid forwarding, no IMAP), the step stays and its text says what works instead,
 * because a silently missing step leaves a question unanswered ("and my calendar?"). The person can still skip it.
 * The pair is part of the signature (unused today, hence the underscores) so that a future, documented exception
 * has one place to live.
 */
export function planSteps(
  _oldProviderId: string,
  _old: OldProvider | undefined,
  _provider: Provider,
): PlanStepId[] {
  return [...MOVE_ORDER];
}

/* ---- Copying old mail ---- */

/**
 * How old messages get into the new box:
 *  - providerTool: the new provider's own import tool reads MAIL from this old provider (Proton Easy Switch,
 *    Posteo Umzugsservice…): the simplest path, nothing to install. What the tool does for contacts or calendars
 *    does not count here: Posteo's Umzugsservice takes Outlook.com contacts, but not its mail.
 *  - thunderbird: the free Thunderbird program on a computer holds both mailboxes and copies between them (IMAP).
 *  - manual: the new provider cannot receive copied mail (no IMAP, no import tool: Tuta): keep the old box open and
 *    keep a copy on the computer.
 */
export type ImportPath = 'providerTool' | 'thunderbird' | 'manual';

export function importPath(old: OldProvider | undefined, provider: Provider): ImportPath {
  if (importToolFor('mail', old, provider)) return 'providerTool';
  return speaksImap(provider) ? 'thunderbird' : 'manual';
}

/**
 * The new provider's import tool, when it can bring this kind of data from this old provider: the tool lists the
 * old provider for that kind (`from.mail`, `from.contacts`, `from.calendar`), or, for mail, reads "any IMAP box".
 * "anyImap" does not stand for old providers that refuse passwords from other tools (Outlook.com since September
 * 2024): those must be listed by name for that kind (see importToolReach in ../catalog/types.ts).
 * For "other" (no old provider data), only "anyImap" can cover it.
 */
export function importToolFor(
  kind: DataKind,
  old: OldProvider | undefined,
  provider: Provider,
): ImportTool | undefined {
  const tool = factValue(provider.facts.importTool);
  return tool && importToolReach(tool, kind, old) ? tool : undefined;
}

/* ---- Phone ---- */

/** providerApp: the provider's own app (no standard IMAP, e.g. Tuta, Proton). mailApp: the phone's usual mail app. */
export type PhoneSetup = 'providerApp' | 'mailApp';

export function phoneSetup(provider: Provider): PhoneSetup {
  return speaksImap(provider) ? 'mailApp' : 'providerApp';
}

/* ---- Forwarding ---- */

/** What the old box can do to pass new mail on; "unknown" also when the old provider itself is unknown ("other"). */
export function forwardingOf(old: OldProvider | undefined): Forwarding | 'unknown' {
  return factValue(old?.facts.forwarding) ?? 'unknown';
}

/* ---- Traps ---- */

export type Trap = OldProvider['traps'][number];

/** The old provider's traps that bite at this step, in data order. */
export function trapsAt(old: OldProvider | undefined, step: PlanStepId): Trap[] {
  return old ? old.traps.filter((trap) => trap.step === step) : [];
}

/* ---- IMAP ---- */

/**
 * Can ordinary mail programs (Thunderbird, the phone's mail app) open the new mailbox? Unknown counts as yes:
 * nearly every mailbox speaks IMAP, and the exceptions we know of (Tuta, Proton without its paid Bridge) are
 * recorded as false in data.
 */
export function speaksImap(provider: Provider): boolean {
  return !(isKnown(provider.facts.imap) && provider.facts.imap.value === false);
}

/* ======================================================================================================== */
/* ---- Situations (issue 12): one plan per situation, not one person changing their own address ---- */

/**
 * Every step a move plan can have: the nine of PLAN_STEP_IDS (../catalog/types.ts) and the steps of the other
 * situations. Own steps live here because PLAN_STEP_IDS belongs to the catalogue (old providers' traps name them).
 */
export const MOVE_STEP_IDS = [
  'copyBeforeCancel',
  'buyDomain',
  'createAccount',
  'verifyDomain',
  'createMailboxes',
  'phone',
  'storageCheck',
  'importMail',
  'contacts',
  'calendar',
  'syncPhone',
  'switchMx',
  'dnsAuth',
  'forwarding',
  'autoReply',
  'tellContacts',
  'findAccounts',
  'changeAddress',
  'ispAccess',
  'cancelOldService',
] as const;
export type MoveStepId = (typeof MOVE_STEP_IDS)[number];

export function isMoveStep(id: string): id is MoveStepId {
  return (MOVE_STEP_IDS as readonly string[]).includes(id);
}

/**
 * Done once for everyone (the account, the domain's records) or once for each mailbox (each box's mail, each
 * person's phone). A one-mailbox plan has one of each anyway.
 */
export type StepScope = 'once' | 'perMailbox';
export const STEP_SCOPE: Record<MoveStepId, StepScope> = {
  copyBeforeCancel: 'perMailbox',
  buyDomain: 'once',
  createAccount: 'once',
  verifyDomain: 'once',
  createMailboxes: 'once',
  phone: 'perMailbox',
  storageCheck: 'once',
  importMail: 'perMailbox',
  contacts: 'perMailbox',
  calendar: 'perMailbox',
  syncPhone: 'perMailbox',
  switchMx: 'once',
  dnsAuth: 'once',
  forwarding: 'perMailbox',
  autoReply: 'perMailbox',
  tellContacts: 'perMailbox',
  findAccounts: 'perMailbox',
  changeAddress: 'perMailbox',
  ispAccess: 'once',
  cancelOldService: 'once',
};

/** What the machine knows of the person's situation, from the answers (nothing else is asked). */
export interface Situation {
  /** The answer to "which mailbox today?", "other" included. */
  oldProviderId: string;
  /** Own domain: none, already has one (the address stays), or wants one (to buy). */
  domain: 'none' | 'have' | 'want';
  /**
   * The labels the person chose for the mailboxes ("Papa", "trésorerie"), one per mailbox, never an address.
   * One entry for a one-person move (the label may be empty).
   */
  mailboxes: string[];
  /** Only for an ISP mailbox: is the box/mobile subscription being cancelled, and when (YYYY-MM-DD)? */
  isp?: { cancelling: boolean; cancelDate?: string };
  /** Mail to move (GB, the person's estimate) against the chosen offer's storage per mailbox (null: unlimited). */
  storage?: { toMoveGb?: number; offerGb?: number | null };
  /** Calendar and contacts wanted on the phone. */
  sync: boolean;
}

/** What is still to ask before the plan can be built; nothing else is asked. */
export type SituationGap = 'domain' | 'mailboxLabels' | 'ispCancelling' | 'ispCancelDate';

export function situationGaps(partial: Partial<Situation>, old: OldProvider | undefined, mailboxCount = 1): SituationGap[] {
  const gaps: SituationGap[] = [];
  if (partial.domain === undefined) gaps.push('domain');
  if (mailboxCount > 1 && (partial.mailboxes?.length ?? 0) < mailboxCount) gaps.push('mailboxLabels');
  // An ISP box only matters for a personal address: with their own domain the ISP box is not what moves.
  if (old?.isp && partial.domain !== 'have' && partial.domain !== 'want') {
    if (partial.isp === undefined) gaps.push('ispCancelling');
    else if (partial.isp.cancelling && !isIsoDate(partial.isp.cancelDate)) gaps.push('ispCancelDate');
  }
  return gaps;
}

/** One step of a plan, and whether it is done once or for each mailbox. */
export interface PlanStep {
  id: MoveStepId;
  scope: StepScope;
}

export interface MovePlan {
  steps: PlanStep[];
  /** The mailbox labels, in the person's order; per-mailbox steps are done for each. */
  mailboxes: string[];
  /** The address stays (own domain): no forwarding, no "I changed address", no sites to update. */
  addressStays: boolean;
  /** ISP subscription being cancelled: the dates that follow from the person's date. */
  ispDates?: IspDates;
  /** Mail to move does not fit the offer: said before the import. */
  storageShort?: { toMoveGb: number; offerGb: number };
}

/**
 * The plan for a situation. Order, and why:
 *  - copyBeforeCancel first when an ISP subscription ends: the mail must be safe before anything else.
 *  - own domain: buy it (if wanted), take the offer, prove the domain, create the boxes, copy each box, and only
 *    then, at a moment the person chooses, switch the MX records and add SPF/DKIM/DMARC; the old service is cancelled
 *    last, once mail arrives at the new host. The address does not change: no forwarding, no texts, no site list.
 *  - personal address: today's order (MOVE_ORDER), with findAccounts before changeAddress (finding comes first).
 *  - storageCheck just before the import, only when the mail does not fit.
 *  - syncPhone after calendar and contacts are in, only when wanted and the host can do it with the phone's apps.
 *  - ispAccess last for a cancelled ISP box: the dated access that remains, and the reminder before it ends.
 */
export function planFor(situation: Situation, old: OldProvider | undefined, provider: Provider, setup?: ProviderSetup): MovePlan {
  const addressStays = situation.domain !== 'none';
  const cancelling = Boolean(old?.isp && situation.isp?.cancelling) && !addressStays;
  const storageShort = storageShortfall(situation.storage);
  const sync = situation.sync && syncAt(provider, setup).kind !== 'none';
  const ids: MoveStepId[] = [];
  const add = (...more: MoveStepId[]) => ids.push(...more);

  if (cancelling) add('copyBeforeCancel');
  if (addressStays) {
    if (situation.domain === 'want') add('buyDomain');
    add('createAccount', 'verifyDomain', 'createMailboxes', 'phone');
    if (storageShort) add('storageCheck');
    add('importMail', 'contacts', 'calendar');
    if (sync) add('syncPhone');
    add('switchMx', 'dnsAuth', 'cancelOldService');
  } else {
    add('createAccount');
    if (situation.mailboxes.length > 1) add('createMailboxes');
    add('phone');
    if (storageShort) add('storageCheck');
    add('importMail', 'contacts', 'calendar');
    if (sync) add('syncPhone');
    add('forwarding', 'autoReply', 'tellContacts', 'findAccounts', 'changeAddress');
    if (cancelling) add('ispAccess');
  }
  const dates = cancelling && isIsoDate(situation.isp?.cancelDate) ? ispDates(situation.isp!.cancelDate!) : undefined;
  return {
    steps: ids.map((id) => ({ id, scope: STEP_SCOPE[id] })),
    mailboxes: situation.mailboxes.length > 0 ? [...situation.mailboxes] : [''],
    addressStays,
    ...(dates ? { ispDates: dates } : {}),
    ...(storageShort ? { storageShort } : {}),
  };
}

/* ---- Progress, per mailbox ---- */

/**
 * A plan as the list the person walks: once-steps once, per-mailbox steps once per mailbox, grouped by step (the
 * treasurer creates every box, then copies each one). `key` is what the machine stores progress under:
 * "importMail" for a once-step or a one-mailbox plan, "importMail#1" for the second mailbox.
 */
export interface PlanItem {
  key: string;
  step: MoveStepId;
  /** Index in plan.mailboxes, for per-mailbox steps of a plan with several mailboxes. */
  mailbox?: number;
}

export function planItems(plan: MovePlan): PlanItem[] {
  const several = plan.mailboxes.length > 1;
  return plan.steps.flatMap(({ id, scope }): PlanItem[] =>
    scope === 'perMailbox' && several
      ? plan.mailboxes.map((_, mailbox) => ({ key: `${id}#${mailbox}`, step: id, mailbox }))
      : [{ key: id, step: id }],
  );
}

export function parseItemKey(key: string): { step: MoveStepId; mailbox?: number } | undefined {
  const [step, index] = key.split('#');
  if (!step || !isMoveStep(step)) return undefined;
  if (index === undefined) return { step };
  const mailbox = Number(index);
  return Number.isInteger(mailbox) && mailbox >= 0 ? { step, mailbox } : undefined;
}

export type ItemStatus = 'done' | 'skipped' | 'later';

/** Done items and all items, overall and for each mailbox (once-steps count for every mailbox). */
export function planProgress(plan: MovePlan, status: Readonly<Record<string, ItemStatus | undefined>>) {
  const items = planItems(plan);
  const finished = (item: PlanItem) => status[item.key] === 'done' || status[item.key] === 'skipped';
  const perMailbox = plan.mailboxes.map((label, index) => {
    const mine = items.filter((item) => item.mailbox === undefined || item.mailbox === index);
    return { label, done: mine.filter(finished).length, total: mine.length };
  });
  return { done: items.filter(finished).length, total: items.length, perMailbox };
}

/* ---- Storage ---- */

/** The mail to move does not fit the offer (per mailbox): the numbers, or undefined when it fits or is unknown. */
export function storageShortfall(storage: Situation['storage']): { toMoveGb: number; offerGb: number } | undefined {
  const toMove = storage?.toMoveGb;
  const offer = storage?.offerGb;
  if (toMove === undefined || offer === undefined || offer === null) return undefined;
  return toMove > offer ? { toMoveGb: toMove, offerGb: offer } : undefined;
}

/* ---- Calendar and contacts on the phone ---- */

export type SyncAt =
  | { kind: 'caldav'; servers?: DavServers }
  | { kind: 'appOnly' }
  | { kind: 'none' }
  | { kind: 'unknown' };

/**
 * How calendar and contacts reach the phone at this host. The ONE place that reads it: provider-setup.json's
 * servers when known; otherwise the catalogue's provider-level fact (to be replaced by the offers' `sync`).
 */
export function syncAt(provider: Provider, setup?: ProviderSetup): SyncAt {
  const dav = factValue(setup?.dav);
  if (dav === 'appOnly' || dav === 'none') return { kind: dav };
  if (dav) return { kind: 'caldav', servers: dav };
  // Without set-up data: what the host's plans say (the best sync of any plan).
  const sync = providerSync(provider);
  return sync === 'unknown' ? { kind: 'unknown' } : { kind: sync };
}

/* ---- Traps, per situation ---- */

/**
 * The old provider's traps at this step, minus those the situation makes wrong: "don't cancel your subscription
 * yet" and "if you cancel one day" when the person IS cancelling (copyBeforeCancel and ispAccess say it, dated);
 * and the personal-address traps (forwarding, sites) when the address stays.
 */
export function trapsFor(plan: MovePlan, old: OldProvider | undefined, step: MoveStepId): Trap[] {
  if (!isPlanStepId(step)) return [];
  const cancelling = plan.steps.some((s) => s.id === 'ispAccess' || s.id === 'copyBeforeCancel');
  return trapsAt(old, step).filter(
    (trap) => !(cancelling && (trap.id === 'ispDontCancelYet' || trap.id === 'ispSixMonthsAfterCancel')),
  );
}

function isPlanStepId(step: string): step is PlanStepId {
  return (MOVE_ORDER as readonly string[]).includes(step);
}

