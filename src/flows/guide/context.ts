/**
 * The guide's context: how it starts, the choice ids its prompts use, and the pure readings of it that the
 * machine, the prompts and the renderer share (which question is next, which step is open, what an event answers).
 */
import { AMOUNT_OF, QUESTION_ORDER, impliedAnswer, isChoiceOf, type Amounts, type Answers, type QuestionId } from '../questions.js';
import { NO_HANDOFF, type GuideContext, type GuideEvent, type Handoff, type Lang, type Reading } from '../guide.types.js';
import { DEFAULT_TIME_ZONE, emptyChecklist } from '../followup.js';

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
  salvage?: Partial<
    Pick<GuideContext, 'lang' | 'answers' | 'amounts' | 'situation' | 'handoff' | 'chosen' | 'plan' | 'checklist' | 'newAddress' | 'reminders' | 'departement'>
  >;
}

export function emptyPlan(): GuideContext['plan'] {
  return { steps: [], status: {}, cursor: 0 };
}

export function initialContext(input: GuideInput = {}): GuideContext {
  const salvage = input.salvage ?? {};
  return {
    lang: salvage.lang ?? input.lang ?? 'fr',
    answers: { ...(salvage.answers ?? {}) },
    amounts: { ...(salvage.amounts ?? {}) },
    // Every optional field is named, even when empty: a restart assigns this context over the old one, and a
    // field left out would survive it (the plan's answers of the previous journey, a clarification under way).
    situation: salvage.situation,
    gap: undefined,
    hostChange: undefined,
    clarify: undefined,
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
    departement: salvage.departement ?? null,
    departementGuess: null,
    counted: [],
    handoff: salvage.handoff ?? NO_HANDOFF,
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
export function nextOpenStep(plan: GuideContext['plan'], from: number): number {
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

/** Amounts with one question's value replaced by the one just given (or removed: a button has none). */
export function withAmountOf(amounts: Amounts, question: QuestionId, given: Amounts | undefined): Amounts {
  const field = AMOUNT_OF[question];
  if (!field) return amounts;
  const next: Amounts = { ...amounts };
  delete next[field];
  const value = given?.[field];
  if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  return next;
}
