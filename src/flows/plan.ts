/**
 * The move plan for one pair (old provider × new provider), as data: which steps, in which order, and the
 * decisions the texts depend on (how mail gets copied, how the phone is set up, whether forwarding works).
 * Pure: no I/O and no sentences. The words live in locales/<lang>/plan.json, rendered by src/render/plan-text.ts.
 */
import {
  factValue,
  importToolReach,
  isKnown,
  type DataKind,
  type Forwarding,
  type ImportTool,
  type OldProvider,
  type PlanStepId,
  type Provider,
} from '../catalog/types.js';

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
