/**
 * When a stored snapshot no longer fits the machine (an older version, or unreadable), we do not throw the
 * conversation away: we keep what the person told us — language, answers, chosen provider, plan progress,
 * checklist, the new address they typed, their reminders — as
 * far as it still makes sense, and the guide resumes at the nearest sensible point and says it was updated.
 */
import type { Catalog } from '../catalog/types.js';
import { parseItemKey } from '../flows/plan.js';
import { isIsoDate } from '../flows/plan-dates.js';
import type { Handoff } from '../flows/guide.types.js';
import type { GuideInput } from '../flows/guide/context.js';
import { isChoiceOf, QUESTION_ORDER, type Answers, type QuestionId } from '../flows/questions.js';
import { isLang } from '../render/i18n.js';
import { DEPARTEMENT_CODE } from '../catalog/departements.js';
import {
  DEFAULT_TIME_ZONE,
  MAX_CUSTOM_ITEMS,
  isTimeZone,
  looksLikeAddress,
  type ChecklistStatus,
} from '../flows/followup.js';

type Salvage = NonNullable<GuideInput['salvage']>;

export function salvageInput(snapshotJson: string, catalog: Catalog): Salvage | undefined {
  let context: Record<string, unknown>;
  try {
    const parsed = JSON.parse(snapshotJson) as { context?: unknown };
    if (typeof parsed?.context !== 'object' || parsed.context === null) return undefined;
    context = parsed.context as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const salvage: Salvage = {};
  if (isLang(context.lang)) salvage.lang = context.lang;

  if (typeof context.answers === 'object' && context.answers !== null) {
    const answers: Answers = {};
    for (const [question, choice] of Object.entries(context.answers)) {
      if (QUESTION_ORDER.includes(question as QuestionId) && isChoiceOf(question as QuestionId, String(choice))) {
        (answers as Record<string, string>)[question] = String(choice);
      }
    }
    salvage.answers = answers;
  }

  const plan = context.plan as { steps?: unknown; status?: unknown; cursor?: unknown } | undefined;
  if (typeof context.chosen === 'string' && catalog.provider(context.chosen) && Array.isArray(plan?.steps)) {
    // Plan items: step ids, or a step for one mailbox ("importMail#1"); version 2's nine steps are item keys too.
    const steps = plan.steps.filter((s): s is string => typeof s === 'string' && parseItemKey(s) !== undefined);
    const status: Record<string, 'done' | 'skipped' | 'later'> = {};
    for (const [step, value] of Object.entries((plan.status as object) ?? {})) {
      if (steps.includes(step as never) && (value === 'done' || value === 'skipped' || value === 'later')) status[step] = value;
    }
    const firstOpen = steps.findIndex((s) => status[s] === undefined);
    if (steps.length > 0) {
      salvage.chosen = context.chosen;
      salvage.plan = { steps, status, cursor: firstOpen === -1 ? steps.length - 1 : firstOpen };
    }
  }

  // Follow-through (machine version 2 on): what the person ticked, typed and chose for reminders.
  const checklist = context.checklist as { status?: unknown; custom?: unknown } | undefined;
  if (checklist && typeof checklist === 'object') {
    const status: Record<string, ChecklistStatus> = {};
    for (const [item, value] of Object.entries((checklist.status as object) ?? {})) {
      if (value === 'done' || value === 'notConcerned' || value === 'later') status[item] = value;
    }
    const custom = Array.isArray(checklist.custom)
      ? checklist.custom.filter((label): label is string => typeof label === 'string').slice(0, MAX_CUSTOM_ITEMS)
      : [];
    salvage.checklist = { status, custom, cursor: 0 };
  }
  if (typeof context.newAddress === 'string' && looksLikeAddress(context.newAddress)) salvage.newAddress = context.newAddress;
  const reminders = context.reminders as { on?: unknown; timeZone?: unknown; answers?: unknown } | undefined;
  if (reminders && typeof reminders === 'object') {
    const answers = Object.fromEntries(
      Object.entries((reminders.answers as object) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    salvage.reminders = {
      on: reminders.on === true,
      timeZone: typeof reminders.timeZone === 'string' && isTimeZone(reminders.timeZone) ? reminders.timeZone : DEFAULT_TIME_ZONE,
      answers,
    };
  }
  // Version 3 on: the values typed with answers, what the plan asked, and a request to the volunteers under way.
  const amounts = context.amounts as Record<string, unknown> | undefined;
  if (amounts && typeof amounts === 'object') {
    const kept: NonNullable<Salvage['amounts']> = {};
    if (isAmount(amounts.storageGb)) kept.storageGb = amounts.storageGb;
    if (isAmount(amounts.mailboxes) && Number.isInteger(amounts.mailboxes)) kept.mailboxes = amounts.mailboxes;
    const budget = amounts.budget as Record<string, unknown> | undefined;
    if (budget && isAmount(budget.eurPerMonth)) {
      kept.budget = { eurPerMonth: budget.eurPerMonth, perMailbox: budget.perMailbox === true, exclusive: budget.exclusive === true };
    }
    salvage.amounts = kept;
  }
  const situation = context.situation as { mailboxes?: unknown; isp?: Record<string, unknown> } | undefined;
  if (situation && typeof situation === 'object') {
    const kept: NonNullable<Salvage['situation']> = {};
    if (Array.isArray(situation.mailboxes)) {
      const labels = situation.mailboxes.filter((label): label is string => typeof label === 'string').slice(0, 50);
      if (labels.length > 0) kept.mailboxes = labels;
    }
    const isp = situation.isp;
    if (isp && typeof isp === 'object' && typeof isp.cancelling === 'boolean') {
      kept.isp = {
        cancelling: isp.cancelling,
        ...(typeof isp.cancelDate === 'string' && isIsoDate(isp.cancelDate) ? { cancelDate: isp.cancelDate } : {}),
        ...(isp.dateUnknown === true ? { dateUnknown: true } : {}),
      };
    }
    salvage.situation = kept;
  }
  const handoff = context.handoff as { status?: unknown; volunteer?: unknown } | undefined;
  if (handoff && HANDOFF_KEPT.includes(handoff.status as Handoff['status'])) {
    salvage.handoff = {
      status: handoff.status as Handoff['status'],
      volunteer: typeof handoff.volunteer === 'string' ? handoff.volunteer : null,
    };
  }
  // A département number given to meet someone in person: kept as it is when it is one ("35", "2A").
  if (typeof context.departement === 'string' && DEPARTEMENT_CODE.test(context.departement)) salvage.departement = context.departement;
  return salvage;
}

/** A ticket the desk holds stays the person's: waiting, with a volunteer, or just closed (one tap to reopen). */
const HANDOFF_KEPT: readonly Handoff['status'][] = ['queued', 'claimed', 'closed'];

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e6;
}
