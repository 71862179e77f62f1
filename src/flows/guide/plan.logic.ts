/**
 * The plan region's named guards and actions: asking what the plan needs (mailbox labels, an ISP subscription's
 * end), building the plan for the person's situation, walking its items, putting some off, coming back to them,
 * and choosing another host mid-plan without losing what still holds.
 */
import type { Catalog, Offer } from '../../catalog/types.js';
import { rankProvidersCached as rankProviders } from '../../catalog/ranking-cache.js';
import { offerOf } from '../../catalog/match.js';
import type { AccountFinding, ProviderSetups } from '../../catalog/setup-types.js';
import { findingWays } from '../account-finding.js';
import { FINDING_ITEM, addFindingItem } from '../followup.js';
import type { GuideContext, GuideEvent, PlanItemKey, StepStatus } from '../guide.types.js';
import { planFor, planItems, situationGaps, type MovePlan, type Situation, type SituationGap } from '../plan.js';
import { changeHost } from '../plan-change.js';
import { isIsoDate } from '../plan-dates.js';
import { situationOf as situationFromAnswers } from '../plan-answers.js';
import { emptyPlan, nextOpenStep } from './context.js';
import { choiceOf, countOnce, say, set, steps, textOf, type Enqueue, type GuideArgs } from './kit.js';

export const stepAt = (context: GuideContext): PlanItemKey | undefined => context.plan.steps[context.plan.cursor];

/** A typed date, as the interpreter passes it on: "date:2027-03-15". */
export const DATE_CHOICE = 'date:';
/** Mailbox labels: at most this many, each at most this long (they are names, not addresses). */
export const MAX_MAILBOXES = 50;
export const MAX_MAILBOX_LABEL = 30;

/** "Papa, Maman, Léa et Hugo" → ["Papa", "Maman", "Léa", "Hugo"]; duplicates and empty parts dropped. */
export function mailboxLabels(text: string): string[] {
  const labels = text
    .split(/\s*(?:,|;|\n|\bet\b|\band\b|\+|\/)\s*/i)
    .map((label) => label.trim().slice(0, MAX_MAILBOX_LABEL))
    .filter(Boolean);
  return [...new Set(labels)].slice(0, MAX_MAILBOXES);
}

/** How many mailboxes the person said, when they said an exact number (typed) — a button's range is not one. */
export function mailboxCount(context: GuideContext): number | undefined {
  if (context.answers.forWhom === 'me') return 1;
  if (context.amounts?.mailboxes !== undefined) return context.amounts.mailboxes;
  return context.answers.mailboxes === 'one' ? 1 : undefined;
}

/** Several mailboxes were asked for (a family, an association, a business), even when how many is not known. */
function severalMailboxes(context: GuideContext): boolean {
  const count = mailboxCount(context);
  if (count !== undefined) return count > 1;
  const bucket = context.answers.mailboxes;
  return bucket === 'upTo5' || bucket === 'upTo20' || bucket === 'moreThan20';
}

/** The offer matching counted for the chosen host: the cheapest that meets everything the person said. */
export function chosenOffer(context: GuideContext, catalog: Catalog): Offer | undefined {
  const provider = catalog.provider(context.chosen ?? '');
  if (!provider) return undefined;
  const ranked = rankProviders(catalog, context.answers, context.amounts ?? {}).ranked.find((r) => r.providerId === provider.id);
  return ranked?.offerId ? offerOf(provider, ranked.offerId) : undefined;
}

/** The person's situation, from their answers, what the plan asked and (with the catalogue) the chosen offer. */
export function situationOf(context: GuideContext, catalog?: Catalog): Situation {
  const { situation = {} } = context;
  const isp = situation.isp;
  const offer = catalog ? chosenOffer(context, catalog) : undefined;
  const offerGb = offer && offer.facts.storageGb !== 'unknown' ? offer.facts.storageGb.value : undefined;
  return situationFromAnswers(context.answers, context.amounts ?? {}, {
    ...(situation.mailboxes ? { mailboxLabels: situation.mailboxes } : {}),
    ...(isp ? { isp: { cancelling: isp.cancelling, ...(isp.cancelDate ? { cancelDate: isp.cancelDate } : {}) } } : {}),
    ...(offerGb !== undefined ? { offerStorageGb: offerGb } : {}),
  });
}

/** What the plan still needs to ask, in order; a date the person does not know yet is not asked again. */
export function gapsOf(context: GuideContext, catalog: Catalog): SituationGap[] {
  const old = catalog.oldProvider(context.answers.oldProvider ?? '');
  const partial: Partial<Situation> = { ...situationOf(context) };
  if (!context.situation?.mailboxes) delete partial.mailboxes;
  if (!context.situation?.isp) delete partial.isp;
  const several = severalMailboxes(context);
  return situationGaps(partial, old, several ? Math.max(2, mailboxCount(context) ?? 2) : 1).filter(
    (gap) =>
      gap !== 'domain' &&
      // Names given are the answer, however many: the person may follow three of their fifteen boxes by name.
      !(gap === 'mailboxLabels' && context.situation?.mailboxes) &&
      !(gap === 'ispCancelDate' && context.situation?.isp?.dateUnknown),
  );
}

export function movePlanOf(context: GuideContext, catalog: Catalog, setups: ProviderSetups): MovePlan | undefined {
  const provider = catalog.provider(context.chosen ?? '');
  if (!provider) return undefined;
  const old = catalog.oldProvider(context.answers.oldProvider ?? '');
  return planFor(situationOf(context, catalog), old, provider, setups[provider.id]);
}

const gapIs = (context: GuideContext, gap: SituationGap) => context.gap === gap;
const dateOf = (event: GuideEvent) => (choiceOf(event).startsWith(DATE_CHOICE) ? choiceOf(event).slice(DATE_CHOICE.length) : '');

/** A way of finding accounts offered on the findAccounts step: `find:<way id>` (see ../account-finding.ts). */
const wayOf = (event: GuideEvent) => (choiceOf(event).startsWith(FINDING_ITEM) ? choiceOf(event).slice(FINDING_ITEM.length) : '');

/** The ways of finding accounts for the person's old mailbox, by id. */
export function findingWayIds(context: GuideContext, finding: AccountFinding | undefined): string[] {
  return finding ? findingWays(context.answers.oldProvider ?? 'other', finding, context.lang).map((way) => way.id) : [];
}

export function findingLogic(finding: AccountFinding | undefined) {
  return {
    guards: {
      isNewFindingWay: ({ context, event }: GuideArgs) =>
        findingWayIds(context, finding).includes(wayOf(event)) && !(context.checklist.finding ?? []).includes(wayOf(event)),
    },
    actions: {
      addFindingWay: steps(({ context, event, enqueue }) => {
        enqueue.assign({ checklist: addFindingItem(context.checklist, wayOf(event)) });
        enqueue.emit({ type: 'findingAdded', way: wayOf(event) });
      }),
    },
  };
}

export function situationGuards(catalog: Catalog) {
  return {
    situationGapsRemain: ({ context }: GuideArgs) => gapsOf(context, catalog).length > 0,
    gapIs: ({ context }: GuideArgs, gap: SituationGap) => gapIs(context, gap),
    hasMailboxLabels: ({ event }: GuideArgs) => mailboxLabels(textOf(event)).length > 0,
    canNumberMailboxes: ({ context, event }: GuideArgs) => choiceOf(event) === 'numbered' && (mailboxCount(context) ?? 0) > 1,
    isCancelDate: ({ event }: GuideArgs) => isIsoDate(dateOf(event)),
    isDateNotKnownYet: ({ event }: GuideArgs) => choiceOf(event) === 'dateNotKnownYet',
    hasProgress: ({ context }: GuideArgs) => Object.keys(context.plan.status).length > 0,
  };
}

export const planGuards = {
  hasSalvagedPlan: ({ context }: GuideArgs) => context.chosen !== null && context.plan.steps.length > 0,
  isStepDone: ({ event }: GuideArgs) => choiceOf(event) === 'done',
  isStepSkip: ({ event }: GuideArgs) => choiceOf(event) === 'skip',
  isStepLater: ({ event }: GuideArgs) => choiceOf(event) === 'later',
  isStepHelp: ({ event }: GuideArgs) => choiceOf(event) === 'help',
  planHasOpenStep: ({ context }: GuideArgs) => nextOpenStep(context.plan, 0) !== -1,
  hasPreviousStep: ({ context }: GuideArgs) => context.plan.cursor > 0,
  isResumeLater: ({ context, event }: GuideArgs) =>
    choiceOf(event) === 'resume' && context.plan.steps.some((s) => context.plan.status[s] === 'later'),
  isOtherProvider: ({ event }: GuideArgs) => choiceOf(event) === 'otherProvider',
};

export const planActions = {
  markStep: set({
    plan: ({ context, event }) => {
      const step = stepAt(context)!;
      const status: StepStatus = choiceOf(event) === 'done' ? 'done' : choiceOf(event) === 'skip' ? 'skipped' : 'later';
      return { ...context.plan, status: { ...context.plan.status, [step]: status } };
    },
    misunderstood: 0,
    offerHuman: false,
  }),
  emitStepNoted: say(({ context }) => {
    const step = stepAt(context)!;
    return { type: 'stepNoted' as const, step, status: context.plan.status[step]! };
  }),
  /** Move to the next open step after this one, wrapping round to earlier open ones. */
  advanceStep: set({
    plan: ({ context }) => {
      const after = nextOpenStep(context.plan, context.plan.cursor + 1);
      const cursor = after !== -1 ? after : nextOpenStep(context.plan, 0);
      return { ...context.plan, cursor: cursor === -1 ? context.plan.cursor : cursor };
    },
  }),
  previousStep: set({
    plan: ({ context }) => {
      const cursor = context.plan.cursor - 1;
      const status = { ...context.plan.status };
      delete status[context.plan.steps[cursor]!];
      return { ...context.plan, cursor, status };
    },
  }),
  reopenLastStep: set({
    plan: ({ context }) => {
      const cursor = context.plan.steps.length - 1;
      const status = { ...context.plan.status };
      delete status[context.plan.steps[cursor]!];
      return { ...context.plan, cursor, status };
    },
  }),
  resumeLaterSteps: set({
    plan: ({ context }) => {
      const status = { ...context.plan.status };
      for (const step of context.plan.steps) if (status[step] === 'later') delete status[step];
      return { ...context.plan, status, cursor: nextOpenStep({ ...context.plan, status }, 0) };
    },
  }),
  emitStepHelp: say(({ context }) => ({ type: 'stepHelp' as const, step: stepAt(context)! })),
  forgetChoice: set({ chosen: null, plan: emptyPlan(), page: 0, hostChange: undefined }),
  /** "Choose another host", confirmed: the plan is set aside, to carry over what still holds for the next host. */
  setPlanAside: set(({ context }) => ({
    hostChange: { from: context.chosen ?? '', status: context.plan.status },
    chosen: null,
    plan: emptyPlan(),
    page: 0,
  })),
  countFinished: steps(({ context, enqueue }) => {
    const later = context.plan.steps.some((s) => context.plan.status[s] === 'later');
    if (!later) countOnce(context, enqueue as Enqueue, ['finishedPlan']);
  }),
};

export function situationActions(catalog: Catalog, setups: ProviderSetups) {
  return {
    askNextGap: set({ gap: ({ context }) => gapsOf(context, catalog)[0] }),
    setMailboxLabels: steps(({ context, event, enqueue }) => {
      enqueue.assign({ situation: { ...context.situation, mailboxes: mailboxLabels(textOf(event)) }, misunderstood: 0 });
      enqueue.emit({ type: 'situationNoted', gap: 'mailboxLabels' });
    }),
    numberMailboxes: steps(({ context, enqueue }) => {
      const count = Math.min(mailboxCount(context) ?? 2, MAX_MAILBOXES);
      const mailboxes = Array.from({ length: count }, (_, i) => String(i + 1));
      enqueue.assign({ situation: { ...context.situation, mailboxes }, misunderstood: 0 });
      enqueue.emit({ type: 'situationNoted', gap: 'mailboxLabels' });
    }),
    setCancelling: steps(({ context, event, enqueue }) => {
      enqueue.assign({ situation: { ...context.situation, isp: { cancelling: choiceOf(event) === 'yes' } }, misunderstood: 0 });
      enqueue.emit({ type: 'situationNoted', gap: 'ispCancelling' });
    }),
    setCancelDate: steps(({ context, event, enqueue }) => {
      enqueue.assign({ situation: { ...context.situation, isp: { cancelling: true, cancelDate: dateOf(event) } }, misunderstood: 0 });
      enqueue.emit({ type: 'situationNoted', gap: 'ispCancelDate' });
    }),
    setCancelDateUnknown: steps(({ context, enqueue }) => {
      enqueue.assign({ situation: { ...context.situation, isp: { cancelling: true, dateUnknown: true } }, misunderstood: 0 });
      enqueue.emit({ type: 'situationNoted', gap: 'ispCancelDate' });
    }),
    /**
     * The plan for the person's situation. After a host change, what still holds is carried over and the person is
     * told what to redo (the forwarding points at the address being abandoned). A dated ISP deadline is scheduled.
     */
    buildPlan: steps(({ context, enqueue }) => {
      const provider = catalog.provider(context.chosen ?? '');
      if (!provider) return;
      const old = catalog.oldProvider(context.answers.oldProvider ?? '');
      const situation = situationOf(context, catalog);
      let plan: MovePlan;
      let status: Partial<Record<PlanItemKey, StepStatus>> = {};
      const previous = context.hostChange;
      const previousPlan = previous && catalog.provider(previous.from) ? planFor(situation, old, catalog.provider(previous.from)!, setups[previous.from]) : undefined;
      if (previous && previousPlan) {
        const change = changeHost(previousPlan, previous.status, situation, old, provider, setups[provider.id]);
        plan = change.plan;
        status = change.kept;
        enqueue.emit({ type: 'hostChanged', from: previous.from, kept: Object.keys(change.kept).length, redo: change.redo });
      } else {
        plan = planFor(situation, old, provider, setups[provider.id]);
      }
      const items = planItems(plan).map((item) => item.key);
      const first = nextOpenStep({ steps: items, status, cursor: 0 }, 0);
      enqueue.assign({ plan: { steps: items, status, cursor: Math.max(0, first) }, gap: undefined, hostChange: undefined });
      if (plan.ispDates) enqueue.emit({ type: 'scheduleIspReminder', on: plan.ispDates.remindOn });
      else if (context.situation?.isp) enqueue.emit({ type: 'cancelIspReminder' });
    }),
    emitIspAccessEnding: say({ type: 'ispAccessEnding' as const }),
    emitNoLabels: say(({ context }) => ({ type: 'notUnderstood' as const, reason: 'noLabels' as const, times: context.misunderstood })),
  };
}
