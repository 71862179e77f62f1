/**
 * The guide: from "which mailbox do you use today?" to a chosen provider and a step-by-step move plan.
 *
 * Pure XState v5: no I/O, no platform, no sentences. It remembers answers in its context, emits intents (ids and
 * numbers) for the renderer, and always rests on a prompt (see ./prompt.ts) that has a way out. The catalogue is
 * passed in when the machine is built because matching and planning are pure functions of it.
 *
 * Layout:
 *   boot ─► main (history) ─ welcome ─► asking ─► recommending ⇄ whyNot / changeAnswer ─► planning ─► planEnd
 *        └► overlays, from anywhere, returning to where we were through main's history state:
 *           confirmRestart, confirmForget; checklist (+ add an item); ready-to-copy texts (+ type the new address);
 *           reminders offer (+ time zone); check-in (fired by the scheduler);
 *           a volunteer: consent (handoffConsent), then — once one claims the ticket — withVolunteer, where what
 *           the person writes is relayed and the guide stays quiet. The ticket itself is another machine
 *           (ticket.machine.ts); the desk tells this one its news with TICKET events.
 */
import { and, assign, emit, enqueueActions, not, setup } from 'xstate';
import type { Catalog, PlanStepId } from '../catalog/types.js';
import { rankProvidersCached as rankProviders } from '../catalog/ranking-cache.js';
import { planSteps } from './plan.js';
import { AMOUNT_OF, QUESTION_ORDER, impliedAnswer, isChoiceOf, type Amounts, type Answers, type QuestionId } from './questions.js';
import { NO_HANDOFF, type Reading, type GuideContext, type GuideEvent, type GuideIntent, type Handoff, type Lang, type Metric, type StepStatus } from './guide.types.js';
import type { UserNews } from './ticket.types.js';
import {
  CUSTOM_ITEM,
  DEFAULT_TIME_ZONE,
  MAX_CUSTOM_ITEMS,
  MAX_CUSTOM_LABEL,
  checklistItems,
  emptyChecklist,
  isTimeZone,
  looksLikeAddress,
  nextOpenItem,
  type ChecklistStatus,
} from './followup.js';
import type { ChecklistCategory } from '../catalog/checklist.js';

export const PAGE_SIZE = 3;
/** After this many answers in a row we could not understand, the renderer offers more help. */
export const MISUNDERSTOOD_HELP_AFTER = 3;

export const PROVIDER_CHOICE = 'provider:';
export const QUESTION_CHOICE = 'question:';
/** A button of the `clarify` prompt: `reading:<index>` into context.clarify. */
export const READING_CHOICE = 'reading:';
export const STEP_CHOICES = ['done', 'help', 'later', 'skip'] as const;
export const CHECKLIST_CHOICES = ['done', 'notConcerned', 'later', 'add'] as const;
export const TEMPLATE_NAMES = ['tellContacts', 'autoReply', 'signature'] as const;
export const TIME_ZONE_CHOICE = 'tz:';
export const CHECKIN_ANSWERS = ['yes', 'no', 'dontKnow'] as const;
export const LAST_CHECKIN_ANSWERS = ['switched', 'notYet'] as const;

export interface GuideInput {
  lang?: Lang;
  /** What we salvaged from a snapshot that no longer fits this machine: resume at the nearest sensible point. */
  salvage?: Partial<Pick<GuideContext, 'lang' | 'answers' | 'chosen' | 'plan' | 'checklist' | 'newAddress' | 'reminders'>>;
}

export function emptyPlan(): GuideContext['plan'] {
  return { steps: [], status: {}, cursor: 0 };
}

export function initialContext(input: GuideInput = {}): GuideContext {
  const salvage = input.salvage ?? {};
  return {
    lang: salvage.lang ?? input.lang ?? 'fr',
    answers: { ...(salvage.answers ?? {}) },
    question: QUESTION_ORDER[0]!,
    asked: [],
    editing: false,
    ranked: [],
    excluded: [],
    page: 0,
    chosen: salvage.chosen ?? null,
    plan: salvage.plan ?? emptyPlan(),
    misunderstood: 0,
    checklist: salvage.checklist ?? emptyChecklist(),
    newAddress: salvage.newAddress ?? null,
    reminders: salvage.reminders ?? { on: false, timeZone: DEFAULT_TIME_ZONE, answers: {} },
    checkin: null,
    counted: [],
    handoff: NO_HANDOFF,
    offerHuman: false,
  };
}

export function handoffOf(context: GuideContext): Handoff {
  return context.handoff ?? NO_HANDOFF;
}

/** The next question still to ask, skipping those already answered or implied by earlier answers. */
export function nextQuestion(answers: Answers, after?: QuestionId): QuestionId | undefined {
  const start = after === undefined ? 0 : QUESTION_ORDER.indexOf(after) + 1;
  return QUESTION_ORDER.slice(start).find((q) => answers[q] === undefined && impliedAnswer(q, answers) === undefined);
}

/** Questions the user actually answered (not implied), in order — what "change an answer" offers. */
export function answeredQuestions(answers: Answers): QuestionId[] {
  return QUESTION_ORDER.filter((q) => answers[q] !== undefined);
}

/** The first step of the plan, from `from`, that is neither done, skipped nor put off. */
function nextOpenStep(plan: GuideContext['plan'], from: number): number {
  for (let i = from; i < plan.steps.length; i++) {
    if (plan.status[plan.steps[i]!] === undefined) return i;
  }
  return -1;
}

/**
 * The answer an event gives to the current question: a choice (with the value typed, if any), or one of the
 * readings offered when the words could mean two things. Undefined when the event is not an answer.
 */
export function answerOf(context: GuideContext, event: GuideEvent): Reading | undefined {
  if (event.type !== 'CHOOSE') return undefined;
  if (event.choice.startsWith(READING_CHOICE)) return context.clarify?.[Number(event.choice.slice(READING_CHOICE.length))];
  return isChoiceOf(context.question, event.choice) ? { choice: event.choice, ...(event.amounts ? { amounts: event.amounts } : {}) } : undefined;
}

/** Amounts with the current question's value replaced by the one just given (or removed: a button has none). */
function withAmountOf(amounts: Amounts, question: QuestionId, given: Amounts | undefined): Amounts {
  const field = AMOUNT_OF[question];
  if (!field) return amounts;
  const next: Amounts = { ...amounts };
  delete next[field];
  const value = given?.[field];
  if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  return next;
}

/** The part of XState's `enqueue` the counting needs (typed loosely so it can be shared by several actions). */
interface Enqueue {
  assign(values: Partial<GuideContext>): void;
  emit(intent: GuideIntent): void;
}

/** Counts funnel steps for the statistics, each once per journey (RESTART begins a new one). */
function countOnce(context: GuideContext, enqueue: Enqueue, ...steps: Array<[Metric, string?]>): void {
  const counted = [...context.counted];
  for (const [metric, detail] of steps) {
    if (counted.includes(metric)) continue;
    counted.push(metric);
    enqueue.emit({ type: 'milestone', metric, ...(detail ? { detail } : {}) });
  }
  if (counted.length !== context.counted.length) enqueue.assign({ counted });
}

export function createGuideMachine(catalog: Catalog, checklist: readonly ChecklistCategory[]) {
  const categoryIds = checklist.map((c) => c.id);
  const itemsOf = (context: GuideContext) => checklistItems(categoryIds, context.checklist);
  const stepAt = (context: GuideContext): PlanStepId | undefined => context.plan.steps[context.plan.cursor];
  const choiceOf = (event: GuideEvent): string => (event.type === 'CHOOSE' ? event.choice : '');
  const textOf = (event: GuideEvent): string => (event.type === 'TEXT' ? event.text.trim() : '');
  const providerOf = (event: GuideEvent): string => choiceOf(event).slice(PROVIDER_CHOICE.length);
  const isOneOf = (list: readonly string[]) => (event: GuideEvent) => list.includes(choiceOf(event));

  return setup({
    types: {
      context: {} as GuideContext,
      events: {} as GuideEvent,
      input: {} as GuideInput,
      emitted: {} as GuideIntent,
    },
    guards: {
      hasSalvagedPlan: ({ context }) => context.chosen !== null && context.plan.steps.length > 0,
      hasSalvagedAnswers: ({ context }) => Object.keys(context.answers).length > 0,
      allQuestionsAnswered: ({ context }) => nextQuestion(context.answers) === undefined,
      isBegin: ({ event }) => choiceOf(event) === 'begin',
      isLanguageChoice: ({ event }) => choiceOf(event).startsWith('lang:'),
      answersCurrentQuestion: ({ context, event }) => !choiceOf(event).startsWith(READING_CHOICE) && answerOf(context, event) !== undefined,
      isReading: ({ context, event }) => choiceOf(event).startsWith(READING_CHOICE) && answerOf(context, event) !== undefined,
      isEditing: ({ context }) => context.editing,
      hasAskedBefore: ({ context }) => context.asked.length > 0,
      questionsRemain: ({ context }) => nextQuestion(context.answers) !== undefined,
      isRankedProvider: ({ context, event }) =>
        choiceOf(event).startsWith(PROVIDER_CHOICE) && context.ranked.includes(providerOf(event)),
      isExcludedProvider: ({ context, event }) =>
        choiceOf(event).startsWith(PROVIDER_CHOICE) && context.excluded.includes(providerOf(event)),
      isMore: ({ context, event }) =>
        choiceOf(event) === 'more' && (context.page + 1) * PAGE_SIZE < context.ranked.length,
      isFirstPageAgain: ({ context, event }) =>
        choiceOf(event) === 'more' && context.ranked.length > PAGE_SIZE && (context.page + 1) * PAGE_SIZE >= context.ranked.length,
      isWhyNot: ({ context, event }) => choiceOf(event) === 'whyNot' && context.excluded.length > 0,
      isChange: ({ event }) => choiceOf(event) === 'change',
      isAnsweredQuestion: ({ context, event }) =>
        choiceOf(event).startsWith(QUESTION_CHOICE) &&
        answeredQuestions(context.answers).includes(choiceOf(event).slice(QUESTION_CHOICE.length) as QuestionId),
      isStepDone: ({ event }) => choiceOf(event) === 'done',
      isStepSkip: ({ event }) => choiceOf(event) === 'skip',
      isStepLater: ({ event }) => choiceOf(event) === 'later',
      isStepHelp: ({ event }) => choiceOf(event) === 'help',
      planHasOpenStep: ({ context }) => nextOpenStep(context.plan, 0) !== -1,
      hasPreviousStep: ({ context }) => context.plan.cursor > 0,
      isResumeLater: ({ context, event }) =>
        choiceOf(event) === 'resume' && context.plan.steps.some((s) => context.plan.status[s] === 'later'),
      isOtherProvider: ({ event }) => choiceOf(event) === 'otherProvider',
      isYes: ({ event }) => choiceOf(event) === 'yes',
      isNo: ({ event }) => choiceOf(event) === 'no',

      /* --- follow-through --- */
      isChecklistChoice: ({ event }) => choiceOf(event) === 'checklist',
      isTemplatesChoice: ({ event }) => choiceOf(event) === 'templates',
      isRemindersChoice: ({ event }) => choiceOf(event) === 'reminders',
      isStopReminders: ({ event }) => choiceOf(event) === 'stopReminders',
      remindersAreOn: ({ context }) => context.reminders.on,
      checklistHasOpenItem: ({ context }) => nextOpenItem(itemsOf(context), context.checklist) !== -1,
      isItemAnswer: ({ event }) => isOneOf(['done', 'notConcerned', 'later'])(event),
      isAddItem: ({ context, event }) => choiceOf(event) === 'add' && context.checklist.custom.length < MAX_CUSTOM_ITEMS,
      isResumeChecklist: ({ context, event }) =>
        choiceOf(event) === 'resume' && Object.values(context.checklist.status).includes('later'),
      hasText: ({ event }) => textOf(event).length > 0,
      isAddress: ({ event }) => looksLikeAddress(textOf(event)),
      isTimeZoneText: ({ event }) => isTimeZone(textOf(event)),
      isTimeZoneChoice: ({ event }) =>
        choiceOf(event).startsWith(TIME_ZONE_CHOICE) && isTimeZone(choiceOf(event).slice(TIME_ZONE_CHOICE.length)),
      isOtherTimeZone: ({ event }) => choiceOf(event) === 'otherTimeZone',
      isChangeTimeZone: ({ event }) => choiceOf(event) === 'timeZone',
      isTemplate: ({ event }) => isOneOf(TEMPLATE_NAMES)(event),
      isSetAddress: ({ event }) => choiceOf(event) === 'setAddress',
      isForgetAddress: ({ context, event }) => choiceOf(event) === 'forgetAddress' && context.newAddress !== null,
      isCheckinAnswer: ({ context, event }) =>
        isOneOf(context.checkin?.last ? LAST_CHECKIN_ANSWERS : CHECKIN_ANSWERS)(event),

      /* --- the volunteers --- */
      handoffIs: ({ context }, status: Handoff['status']) => handoffOf(context).status === status,
      deskAvailable: ({ event }) => event.type !== 'HUMAN' || event.available !== false,
      isReopenable: ({ event }) => event.type === 'HUMAN' && event.reopenable === true,
      isYesWithName: ({ event }) => choiceOf(event) === 'yesWithName',
      isBot: ({ event }) => choiceOf(event) === 'bot',
      isTooLong: ({ event }) => event.type === 'UNCLEAR' && event.reason === 'tooLong',
      isCloseTicket: ({ event }) => choiceOf(event) === 'closeTicket',
      newsIs: ({ event }, news: readonly UserNews[]) => event.type === 'TICKET' && news.includes(event.news),
      handbackStepInPlan: ({ context, event }) =>
        event.type === 'TICKET' && event.step !== undefined && context.plan.steps.includes(event.step),
    },
    actions: {
      /* --- answers and questions --- */
      applyPreset: assign({
        answers: ({ context, event }) => {
          if (event.type !== 'START' || !event.preset) return context.answers;
          const valid = Object.entries(event.preset).filter(([q, c]) => isChoiceOf(q as QuestionId, String(c)));
          return { ...context.answers, ...Object.fromEntries(valid) };
        },
      }),
      askFirstOpenQuestion: assign({
        question: ({ context }) => nextQuestion(context.answers) ?? QUESTION_ORDER[0]!,
        editing: false,
      }),
      /** Records the answer (a choice or a reading) with its value, and echoes it: every answer is said back. */
      recordAnswer: enqueueActions(({ context, event, enqueue }) => {
        const answer = answerOf(context, event);
        if (!answer) return;
        const question = context.question;
        const answers: Answers = { ...context.answers, [question]: answer.choice };
        let amounts = withAmountOf(context.amounts ?? {}, question, answer.amounts);
        // A changed "for whom" may make "how many mailboxes" implied, or no longer implied.
        for (const q of QUESTION_ORDER) {
          if (impliedAnswer(q, answers) !== undefined) {
            delete answers[q];
            amounts = withAmountOf(amounts, q, undefined);
          }
        }
        enqueue.assign({
          answers,
          amounts,
          clarify: undefined,
          asked: [...context.asked.filter((q) => q !== question), question],
          misunderstood: 0,
          offerHuman: false,
        });
        const echoed = withAmountOf({}, question, answer.amounts);
        enqueue.emit({ type: 'understood', question, choice: answer.choice, ...(Object.keys(echoed).length ? { amounts: echoed } : {}) });
      }),
      startClarifying: assign({ clarify: ({ event }) => (event.type === 'AMBIGUOUS' ? event.readings : undefined) }),
      stopClarifying: assign({ clarify: undefined }),
      askNextQuestion: assign({
        question: ({ context }) => nextQuestion(context.answers, context.question) ?? nextQuestion(context.answers)!,
      }),
      askPreviousQuestion: assign({
        question: ({ context }) => context.asked[context.asked.length - 1]!,
        asked: ({ context }) => context.asked.slice(0, -1),
      }),
      askLastAnswered: assign({
        question: ({ context }) => context.asked[context.asked.length - 1] ?? QUESTION_ORDER[0]!,
        asked: ({ context }) => context.asked.slice(0, -1),
      }),
      startEditing: assign({
        question: ({ event }) => choiceOf(event).slice(QUESTION_CHOICE.length) as QuestionId,
        editing: true,
      }),
      stopEditing: assign({ editing: false }),
      emitAnswerChanged: emit(({ context }) => ({ type: 'answerChanged' as const, question: context.question })),

      /* --- recommendation --- */
      rank: assign(({ context }) => {
        const result = rankProviders(catalog, context.answers, context.amounts ?? {});
        return {
          ranked: result.ranked.map((r) => r.providerId),
          excluded: result.excluded.map((e) => e.providerId),
          page: 0,
        };
      }),
      nextPage: assign({ page: ({ context }) => context.page + 1 }),
      firstPage: assign({ page: 0 }),
      emitWhyLeftOut: emit(({ event }) => ({ type: 'whyLeftOut' as const, providerId: providerOf(event) })),

      /* --- the plan --- */
      choose: assign(({ context, event }) => {
        const providerId = providerOf(event);
        const provider = catalog.provider(providerId)!;
        const oldId = context.answers.oldProvider ?? 'other';
        const steps = planSteps(oldId, catalog.oldProvider(oldId), provider);
        return { chosen: providerId, plan: { steps, status: {}, cursor: 0 } };
      }),
      emitProviderChosen: emit(({ context }) => ({ type: 'providerChosen' as const, providerId: context.chosen! })),
      markStep: assign({
        plan: ({ context, event }) => {
          const step = stepAt(context)!;
          const status: StepStatus = choiceOf(event) === 'done' ? 'done' : choiceOf(event) === 'skip' ? 'skipped' : 'later';
          return { ...context.plan, status: { ...context.plan.status, [step]: status } };
        },
        misunderstood: 0,
        offerHuman: false,
      }),
      emitStepNoted: emit(({ context }) => {
        const step = stepAt(context)!;
        return { type: 'stepNoted' as const, step, status: context.plan.status[step]! };
      }),
      /** Move to the next open step after this one, wrapping round to earlier open ones. */
      advanceStep: assign({
        plan: ({ context }) => {
          const after = nextOpenStep(context.plan, context.plan.cursor + 1);
          const cursor = after !== -1 ? after : nextOpenStep(context.plan, 0);
          return { ...context.plan, cursor: cursor === -1 ? context.plan.cursor : cursor };
        },
      }),
      previousStep: assign({
        plan: ({ context }) => {
          const cursor = context.plan.cursor - 1;
          const status = { ...context.plan.status };
          delete status[context.plan.steps[cursor]!];
          return { ...context.plan, cursor, status };
        },
      }),
      reopenLastStep: assign({
        plan: ({ context }) => {
          const cursor = context.plan.steps.length - 1;
          const status = { ...context.plan.status };
          delete status[context.plan.steps[cursor]!];
          return { ...context.plan, cursor, status };
        },
      }),
      resumeLaterSteps: assign({
        plan: ({ context }) => {
          const status = { ...context.plan.status };
          for (const step of context.plan.steps) if (status[step] === 'later') delete status[step];
          return { ...context.plan, status, cursor: nextOpenStep({ ...context.plan, status }, 0) };
        },
      }),
      emitStepHelp: emit(({ context }) => ({ type: 'stepHelp' as const, step: stepAt(context)! })),
      forgetChoice: assign({ chosen: null, plan: emptyPlan(), page: 0 }),

      /* --- anywhere --- */
      setLanguage: assign({
        lang: ({ context, event }) => {
          if (event.type === 'SET_LANG' && event.lang) return event.lang;
          if (event.type === 'CHOOSE' && event.choice.startsWith('lang:')) return event.choice.slice(5) as Lang;
          return context.lang === 'fr' ? 'en' : 'fr';
        },
      }),
      adoptStartLanguage: assign({
        lang: ({ context, event }) => (event.type === 'START' && event.lang ? event.lang : context.lang),
      }),
      emitLanguageChanged: emit({ type: 'languageChanged' as const }),
      countMisunderstood: assign({
        misunderstood: ({ context }) => context.misunderstood + 1,
        offerHuman: ({ context }) => context.offerHuman === true || context.misunderstood + 1 >= MISUNDERSTOOD_HELP_AFTER,
      }),
      offerHuman: assign({ offerHuman: true }),
      emitNotUnderstood: emit(({ context, event }) => ({
        type: 'notUnderstood' as const,
        reason: event.type === 'UNCLEAR' ? event.reason : event.type === 'UNKNOWN_COMMAND' ? 'unknownCommand' : 'noMatch',
        times: context.misunderstood,
        ...(event.type === 'UNCLEAR' && event.reason === 'vague' ? { question: context.question } : {}),
      })),
      emitUnsupported: emit(({ event }) => ({
        type: 'unsupported' as const,
        what: event.type === 'UNSUPPORTED' ? event.what : 'other',
      })),
      emitProgress: emit({ type: 'progress' as const }),
      emitHelp: emit({ type: 'help' as const }),
      emitNothingBefore: emit({ type: 'nothingBefore' as const }),
      emitWelcomeBack: emit({ type: 'welcomeBack' as const }),
      emitUpdated: emit({ type: 'updated' as const }),
      emitRestarted: emit({ type: 'restarted' as const }),
      emitStale: emit({ type: 'stale' as const }),
      emitForgetMe: emit({ type: 'forgetMe' as const }),
      emitMyData: emit({ type: 'myData' as const }),
      resetConversation: assign(({ context }) => initialContext({ lang: context.lang })),

      /* --- statistics (each step of the funnel once per journey) --- */
      countStarted: enqueueActions(({ context, enqueue }) => countOnce(context, enqueue as Enqueue, ['started'])),
      countAnswered: enqueueActions(({ context, enqueue }) =>
        countOnce(context, enqueue as Enqueue, ['answered'], ...(context.ranked.length > 0 ? [['recommended'] as [Metric]] : [])),
      ),
      countChose: enqueueActions(({ context, enqueue }) =>
        countOnce(context, enqueue as Enqueue, ['chose', context.chosen ?? undefined]),
      ),
      countFinished: enqueueActions(({ context, enqueue }) => {
        const later = context.plan.steps.some((s) => context.plan.status[s] === 'later');
        if (!later) countOnce(context, enqueue as Enqueue, ['finishedPlan']);
      }),

      /* --- the checklist --- */
      goToOpenItem: assign({
        checklist: ({ context }) => {
          const items = itemsOf(context);
          const after = nextOpenItem(items, context.checklist, context.checklist.cursor + 1);
          const cursor = after !== -1 ? after : nextOpenItem(items, context.checklist);
          return { ...context.checklist, cursor: cursor === -1 ? 0 : cursor };
        },
      }),
      goToFirstOpenItem: assign({
        checklist: ({ context }) => ({ ...context.checklist, cursor: Math.max(0, nextOpenItem(itemsOf(context), context.checklist)) }),
      }),
      markItem: assign({
        checklist: ({ context, event }) => {
          const item = itemsOf(context)[context.checklist.cursor]!;
          return { ...context.checklist, status: { ...context.checklist.status, [item]: choiceOf(event) as ChecklistStatus } };
        },
      }),
      emitItemNoted: emit(({ event }) => ({ type: 'checklistNoted' as const, status: choiceOf(event) as ChecklistStatus })),
      addItem: assign({
        checklist: ({ context, event }) => {
          const custom = [...context.checklist.custom, textOf(event).slice(0, MAX_CUSTOM_LABEL)];
          return { ...context.checklist, custom, cursor: categoryIds.length + custom.length - 1 };
        },
      }),
      emitItemAdded: emit({ type: 'checklistAdded' as const }),
      resumeLaterItems: assign({
        checklist: ({ context }) => {
          const status = Object.fromEntries(Object.entries(context.checklist.status).filter(([, s]) => s !== 'later'));
          return { ...context.checklist, status, cursor: 0 };
        },
      }),

      /* --- ready-to-copy texts --- */
      emitTemplate: emit(({ event }) => ({ type: 'template' as const, name: choiceOf(event) as (typeof TEMPLATE_NAMES)[number] })),
      setAddress: assign({ newAddress: ({ event }) => textOf(event) }),
      emitAddressNoted: emit({ type: 'addressNoted' as const }),
      forgetAddress: assign({ newAddress: null }),
      emitAddressForgotten: emit({ type: 'addressForgotten' as const }),
      emitNotAnAddress: emit(({ context }) => ({ type: 'notUnderstood' as const, reason: 'notAnAddress' as const, times: context.misunderstood })),

      /* --- reminders --- */
      turnRemindersOn: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ reminders: { ...context.reminders, on: true } });
        enqueue.emit({ type: 'remindersOn' });
        countOnce(context, enqueue as Enqueue, ['remindersOn']);
      }),
      turnRemindersOff: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ reminders: { ...context.reminders, on: false } });
        enqueue.emit({ type: 'remindersOff' });
      }),
      setTimeZone: assign({
        reminders: ({ context, event }) => ({
          ...context.reminders,
          timeZone: event.type === 'TEXT' ? textOf(event) : choiceOf(event).slice(TIME_ZONE_CHOICE.length),
        }),
      }),
      emitTimeZoneSet: emit({ type: 'timeZoneSet' as const }),
      emitNotATimeZone: emit(({ context }) => ({ type: 'notUnderstood' as const, reason: 'notATimeZone' as const, times: context.misunderstood })),
      startCheckin: assign({ checkin: ({ event }) => (event.type === 'CHECKIN' ? { day: event.day, last: event.last } : null) }),
      recordCheckin: enqueueActions(({ context, event, enqueue }) => {
        const checkin = context.checkin!;
        const answer = choiceOf(event);
        enqueue.assign({
          reminders: { ...context.reminders, answers: { ...context.reminders.answers, [String(checkin.day)]: answer } },
          checkin: null,
        });
        enqueue.emit({ type: 'checkinAnswered', day: checkin.day, last: checkin.last, answer });
        if (answer === 'switched') countOnce(context, enqueue as Enqueue, ['switched']);
      }),

      /* --- the volunteers --- */
      askConsent: enqueueActions(({ enqueue }) => {
        enqueue.assign({ handoff: { status: 'asked', volunteer: null } });
        enqueue.emit({ type: 'askVolunteer' });
      }),
      giveConsent: enqueueActions(({ event, enqueue }) => {
        enqueue.assign({ handoff: { status: 'queued', volunteer: null }, offerHuman: false });
        enqueue.emit({ type: 'consentGiven', shareName: choiceOf(event) === 'yesWithName' });
      }),
      /** Leaving the question unanswered (no, back, another command, a restart) withdraws the request. */
      withdrawUnansweredConsent: enqueueActions(({ context, enqueue }) => {
        if (handoffOf(context).status !== 'asked') return;
        enqueue.assign({ handoff: NO_HANDOFF });
        enqueue.emit({ type: 'consentDeclined' });
      }),
      relayToVolunteer: emit(({ event }) => ({ type: 'relayToVolunteer' as const, text: event.type === 'TEXT' ? event.text : '' })),
      leaveVolunteer: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ handoff: { status: 'closed', volunteer: handoffOf(context).volunteer } });
        enqueue.emit({ type: 'leaveVolunteer' });
      }),
      closeTicket: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ handoff: { status: 'closed', volunteer: handoffOf(context).volunteer } });
        enqueue.emit({ type: 'closeTicket' });
      }),
      reopenTicket: enqueueActions(({ enqueue }) => {
        enqueue.assign({ handoff: { status: 'queued', volunteer: null } });
        enqueue.emit({ type: 'reopenTicket' });
      }),
      emitAlreadyQueued: emit({ type: 'alreadyQueued' as const }),
      emitNoVolunteers: emit({ type: 'noVolunteers' as const }),
      emitVolunteerHint: emit({ type: 'volunteerHint' as const }),
      emitRelayTooLong: emit({ type: 'relayTooLong' as const }),
      emitUnsupportedForVolunteer: emit(({ event }) => ({
        type: 'unsupportedForVolunteer' as const,
        what: event.type === 'UNSUPPORTED' ? event.what : 'other',
      })),
      takeNews: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'TICKET') return;
        const volunteer = event.volunteer ?? null;
        const status: Handoff['status'] | undefined =
          event.news === 'claimed' ? 'claimed' : event.news === 'released' ? 'queued' : event.news === 'stillThere' ? undefined : 'closed';
        if (status) enqueue.assign({ handoff: { status, volunteer: status === 'queued' ? null : volunteer ?? handoffOf(context).volunteer } });
        // Just closed: writing to the volunteer again is one tap away (it reopens the same ticket for a while).
        if (status === 'closed') enqueue.assign({ offerHuman: true });
        enqueue.emit({ type: 'handoffNews', news: event.news, volunteer: volunteer ?? handoffOf(context).volunteer, ...(event.step ? { step: event.step } : {}) });
      }),
      goToHandbackStep: assign({
        plan: ({ context, event }) => {
          if (event.type !== 'TICKET' || !event.step) return context.plan;
          const cursor = context.plan.steps.indexOf(event.step);
          const status = { ...context.plan.status };
          delete status[event.step];
          return { ...context.plan, cursor, status };
        },
      }),
    },
  }).createMachine({
    id: 'guide',
    context: ({ input }) => initialContext(input),
    initial: 'boot',
    // Anything a child state does not handle lands here: every state keeps these ways out.
    on: {
      HELP: { actions: ['emitHelp', 'offerHuman'] },
      HUMAN: [
        { guard: { type: 'handoffIs', params: 'claimed' }, target: '.withVolunteer' },
        { guard: { type: 'handoffIs', params: 'queued' }, actions: 'emitAlreadyQueued' },
        { guard: not('deskAvailable'), actions: 'emitNoVolunteers' },
        { guard: 'isReopenable', actions: 'reopenTicket' },
        { target: '.handoffConsent' },
      ],
      TICKET: [
        { guard: { type: 'newsIs', params: ['claimed'] }, target: '.withVolunteer', actions: 'takeNews' },
        { guard: and([{ type: 'newsIs', params: ['handedBack'] as UserNews[] }, 'handbackStepInPlan']), target: '.main.planning', actions: ['takeNews', 'goToHandbackStep'] },
        { guard: { type: 'newsIs', params: ['handedBack'] }, target: '.main.history', actions: 'takeNews' },
        { actions: 'takeNews' },
      ],
      WHERE: { actions: 'emitProgress' },
      SET_LANG: { actions: ['setLanguage', 'emitLanguageChanged'] },
      RESTART: { target: '.confirmRestart' },
      FORGET: { target: '.confirmForget' },
      START: { actions: 'emitWelcomeBack' },
      CHOOSE: [
        // /close while waiting in the queue: the person no longer wants a volunteer.
        { guard: and(['isCloseTicket', { type: 'handoffIs', params: 'queued' as Handoff['status'] }]), actions: 'closeTicket' },
        { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      ],
      UNCLEAR: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      AMBIGUOUS: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      UNKNOWN_COMMAND: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      UNSUPPORTED: { actions: 'emitUnsupported' },
      STALE: { actions: 'emitStale' },
      TEXT: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      CHECKLIST: { target: '.checklistRouting' },
      MYDATA: { actions: 'emitMyData' },
      REMINDERS: [
        { guard: 'remindersAreOn', actions: 'turnRemindersOff' },
        { target: '.remindersOffer' },
      ],
      // A check-in only speaks if reminders are (still) on; otherwise it passes silently.
      CHECKIN: { guard: 'remindersAreOn', target: '.checkin', actions: 'startCheckin' },
      BACK: { actions: 'emitNothingBefore' },
    },
    states: {
      /** Where a conversation begins — fresh, or salvaged from a snapshot of an older machine. */
      boot: {
        always: [
          { guard: and(['hasSalvagedPlan', 'planHasOpenStep']), target: 'main.planning', actions: 'emitUpdated' },
          { guard: 'hasSalvagedPlan', target: 'main.planEnd', actions: 'emitUpdated' },
          { guard: 'hasSalvagedAnswers', target: 'main.recommending', actions: ['emitUpdated', 'rank'] },
          { target: 'main.welcome' },
        ],
      },
      main: {
        initial: 'welcome',
        states: {
          history: { type: 'history', history: 'deep' },
          welcome: {
            on: {
              START: { actions: ['applyPreset', 'adoptStartLanguage'] },
              CHOOSE: [
                { guard: 'isBegin', target: 'routing', actions: 'countStarted' },
                { guard: 'isLanguageChoice', actions: ['setLanguage', 'emitLanguageChanged'] },
              ],
            },
          },
          /** Decides where answering resumes: the next open question, or the recommendation. */
          routing: {
            always: [
              { guard: 'questionsRemain', target: 'asking', actions: 'askFirstOpenQuestion' },
              { target: 'recommending', actions: 'rank' },
            ],
          },
          asking: {
            on: {
              CHOOSE: [
                {
                  guard: 'answersCurrentQuestion',
                  actions: ['recordAnswer'],
                  target: 'afterAnswer',
                },
              ],
              AMBIGUOUS: { target: 'clarifying', actions: 'startClarifying' },
              BACK: [
                { guard: 'isEditing', target: 'recommending', actions: 'stopEditing' },
                { guard: 'hasAskedBefore', target: 'asking', reenter: true, actions: 'askPreviousQuestion' },
                { target: 'welcome' },
              ],
            },
          },
          /** "4": four mailboxes, or choice 4? Never guessed: both readings are offered, and a fresh answer is taken. */
          clarifying: {
            on: {
              CHOOSE: [
                { guard: 'isReading', target: 'afterAnswer', actions: 'recordAnswer' },
                { guard: 'answersCurrentQuestion', target: 'afterAnswer', actions: 'recordAnswer' },
              ],
              AMBIGUOUS: { target: 'clarifying', reenter: true, actions: 'startClarifying' },
              BACK: { target: 'asking', actions: 'stopClarifying' },
            },
          },
          afterAnswer: {
            always: [
              { guard: 'isEditing', target: 'recommending', actions: ['emitAnswerChanged', 'stopEditing', 'rank'] },
              { guard: 'questionsRemain', target: 'asking', reenter: true, actions: 'askNextQuestion' },
              { target: 'recommending', actions: ['rank', 'countAnswered'] },
            ],
          },
          recommending: {
            on: {
              CHOOSE: [
                { guard: 'isRankedProvider', target: 'planning', actions: ['choose', 'emitProviderChosen', 'countChose'] },
                { guard: 'isMore', actions: 'nextPage' },
                { guard: 'isFirstPageAgain', actions: 'firstPage' },
                { guard: 'isWhyNot', target: 'whyNot' },
                { guard: 'isChange', target: 'changeAnswer' },
              ],
              BACK: { target: 'asking', actions: 'askLastAnswered' },
            },
          },
          whyNot: {
            on: {
              CHOOSE: [
                { guard: 'isExcludedProvider', target: 'recommending', actions: 'emitWhyLeftOut' },
              ],
              BACK: { target: 'recommending' },
            },
          },
          changeAnswer: {
            on: {
              CHOOSE: [
                { guard: 'isAnsweredQuestion', target: 'asking', actions: 'startEditing' },
              ],
              BACK: { target: 'recommending' },
            },
          },
          planning: {
            on: {
              CHOOSE: [
                { guard: 'isStepHelp', actions: 'emitStepHelp' },
                {
                  guard: 'isStepDone',
                  target: 'afterStep',
                  actions: ['markStep', 'emitStepNoted'],
                },
                { guard: 'isStepSkip', target: 'afterStep', actions: ['markStep', 'emitStepNoted'] },
                { guard: 'isStepLater', target: 'afterStep', actions: ['markStep', 'emitStepNoted'] },
                { guard: 'isChecklistChoice', target: '#guide.checklistRouting' },
                { guard: 'isTemplatesChoice', target: '#guide.templates' },
              ],
              BACK: [
                { guard: 'hasPreviousStep', actions: 'previousStep' },
                { target: 'recommending', actions: ['forgetChoice', 'rank'] },
              ],
            },
          },
          afterStep: {
            always: [
              { guard: 'planHasOpenStep', target: 'planning', actions: 'advanceStep' },
              { target: 'planEnd', actions: 'countFinished' },
            ],
          },
          planEnd: {
            on: {
              CHOOSE: [
                { guard: 'isResumeLater', target: 'planning', actions: 'resumeLaterSteps' },
                { guard: 'isOtherProvider', target: 'recommending', actions: ['forgetChoice', 'rank'] },
                { guard: 'isChecklistChoice', target: '#guide.checklistRouting' },
                { guard: 'isTemplatesChoice', target: '#guide.templates' },
                { guard: 'isRemindersChoice', target: '#guide.remindersOffer' },
                { guard: 'isStopReminders', actions: 'turnRemindersOff' },
              ],
              BACK: { target: 'planning', actions: 'reopenLastStep' },
            },
          },
        },
      },
      confirmRestart: {
        on: {
          CHOOSE: [
            { guard: 'isYes', target: 'main.welcome', actions: ['resetConversation', 'emitRestarted'] },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          RESTART: {},
        },
      },
      /** Erasing is final, so it is asked once more. The engine does the erasing when it sees `forgetMe`. */
      confirmForget: {
        on: {
          CHOOSE: [
            { guard: 'isYes', target: 'main.welcome', actions: ['resetConversation', 'emitForgetMe'] },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          FORGET: {},
        },
      },

      /* --- the address-change checklist --- */
      checklistRouting: {
        always: [
          { guard: 'checklistHasOpenItem', target: 'checklist', actions: 'goToFirstOpenItem' },
          { target: 'checklistEnd' },
        ],
      },
      checklist: {
        on: {
          CHOOSE: [
            { guard: 'isItemAnswer', target: 'checklistAfter', actions: ['markItem', 'emitItemNoted'] },
            { guard: 'isAddItem', target: 'checklistAdd' },
          ],
          BACK: { target: 'main.history' },
          CHECKLIST: {},
        },
      },
      checklistAfter: {
        always: [
          { guard: 'checklistHasOpenItem', target: 'checklist', actions: 'goToOpenItem' },
          { target: 'checklistEnd' },
        ],
      },
      checklistEnd: {
        on: {
          CHOOSE: [
            { guard: 'isResumeChecklist', target: 'checklistRouting', actions: 'resumeLaterItems' },
            { guard: 'isAddItem', target: 'checklistAdd' },
          ],
          BACK: { target: 'main.history' },
          CHECKLIST: {},
        },
      },
      checklistAdd: {
        on: {
          TEXT: { guard: 'hasText', target: 'checklist', actions: ['addItem', 'emitItemAdded'] },
          BACK: { target: 'checklistRouting' },
        },
      },

      /* --- ready-to-copy texts --- */
      templates: {
        on: {
          CHOOSE: [
            { guard: 'isTemplate', actions: 'emitTemplate' },
            { guard: 'isSetAddress', target: 'typingAddress' },
            { guard: 'isForgetAddress', actions: ['forgetAddress', 'emitAddressForgotten'] },
          ],
          BACK: { target: 'main.history' },
        },
      },
      typingAddress: {
        on: {
          TEXT: [
            { guard: 'isAddress', target: 'templates', actions: ['setAddress', 'emitAddressNoted'] },
            { actions: ['countMisunderstood', 'emitNotAnAddress'] },
          ],
          BACK: { target: 'templates' },
        },
      },

      /* --- reminders --- */
      remindersOffer: {
        on: {
          CHOOSE: [
            { guard: 'isYes', target: 'main.history', actions: 'turnRemindersOn' },
            { guard: 'isChangeTimeZone', target: 'timeZone' },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          REMINDERS: {},
        },
      },
      timeZone: {
        on: {
          CHOOSE: [
            { guard: 'isTimeZoneChoice', target: 'remindersOffer', actions: ['setTimeZone', 'emitTimeZoneSet'] },
            { guard: 'isOtherTimeZone', target: 'typingTimeZone' },
          ],
          BACK: { target: 'remindersOffer' },
        },
      },
      typingTimeZone: {
        on: {
          TEXT: [
            { guard: 'isTimeZoneText', target: 'remindersOffer', actions: ['setTimeZone', 'emitTimeZoneSet'] },
            { actions: ['countMisunderstood', 'emitNotATimeZone'] },
          ],
          BACK: { target: 'timeZone' },
        },
      },
      /* --- the volunteers --- */
      /** "Here is exactly what a volunteer will see — may I?" The card is frozen by the engine on entry. */
      handoffConsent: {
        entry: 'askConsent',
        // However the question is left, an answer not given is a no: the request is withdrawn on the way out.
        exit: 'withdrawUnansweredConsent',
        // Consent given (the status moved on from "asked"): back to where the person was.
        always: { guard: not({ type: 'handoffIs', params: 'asked' as Handoff['status'] }), target: 'main.history' },
        on: {
          CHOOSE: [
            { guard: 'isYes', actions: 'giveConsent' },
            { guard: 'isYesWithName', actions: 'giveConsent' },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          HUMAN: {},
        },
      },
      /**
       * A volunteer holds the ticket: what the person writes goes to them, and the guide stays quiet. Only /bot
       * (back to the guide), /close, and the privacy commands act on the bot; anything else gets a reminder of those.
       */
      withVolunteer: {
        on: {
          TEXT: { actions: 'relayToVolunteer' },
          CHOOSE: [
            { guard: 'isBot', target: 'main.history', actions: 'leaveVolunteer' },
            { guard: 'isCloseTicket', target: 'main.history', actions: 'closeTicket' },
            { actions: 'emitVolunteerHint' },
          ],
          TICKET: [
            { guard: { type: 'newsIs', params: ['released', 'closed', 'closedInactive'] }, target: 'main.history', actions: 'takeNews' },
          ],
          UNSUPPORTED: { actions: 'emitUnsupportedForVolunteer' },
          UNCLEAR: [{ guard: 'isTooLong', actions: 'emitRelayTooLong' }, { actions: 'emitVolunteerHint' }],
          HELP: { actions: 'emitVolunteerHint' },
          WHERE: { actions: 'emitVolunteerHint' },
          BACK: { actions: 'emitVolunteerHint' },
          RESTART: { actions: 'emitVolunteerHint' },
          CHECKLIST: { actions: 'emitVolunteerHint' },
          REMINDERS: { actions: 'emitVolunteerHint' },
          UNKNOWN_COMMAND: { actions: 'emitVolunteerHint' },
          STALE: { actions: 'emitVolunteerHint' },
          START: { actions: 'emitVolunteerHint' },
          HUMAN: { actions: 'emitVolunteerHint' },
          // A check-in would talk over the volunteer: it passes.
          CHECKIN: {},
        },
      },

      checkin: {
        on: {
          CHOOSE: [
            { guard: 'isCheckinAnswer', target: 'main.history', actions: 'recordCheckin' },
            { guard: 'isChecklistChoice', target: 'checklistRouting' },
            { guard: 'isStopReminders', target: 'main.history', actions: 'turnRemindersOff' },
          ],
          BACK: { target: 'main.history' },
        },
      },
    },
  });
}

export type GuideMachine = ReturnType<typeof createGuideMachine>;
