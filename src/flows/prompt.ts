/**
 * The prompt a guide conversation rests on, derived from its state and context alone (pure).
 * Every prompt offers at least one choice, so no state is without a way out; `back`, `help`, `restart`, the
 * language and "where am I" are always available as commands too.
 *
 * Choice ids are stable words ("begin", "done", "provider:posteo", "question:budget"); two are special and read
 * by the interpreter as commands wherever they appear: "back" and "restart".
 */
import { QUESTIONS, QUESTION_ORDER, impliedAnswer } from './questions.js';
import type { GuideContext, Prompt, PromptKind } from './guide.types.js';
import {
  CHECKIN_ANSWERS,
  CHECKLIST_CHOICES,
  LAST_CHECKIN_ANSWERS,
  PAGE_SIZE,
  PROVIDER_CHOICE,
  QUESTION_CHOICE,
  READING_CHOICE,
  STEP_CHOICES,
  TEMPLATE_NAMES,
  TIME_ZONE_CHOICE,
  answeredQuestions,
  handoffOf,
} from './guide/context.js';
import { TICKET_RATINGS } from './ticket-news.js';
import { FINDING_ITEM, TIME_ZONE_CHOICES, checklistItems } from './followup.js';
import { parseItemKey } from './plan.js';
import { mailboxCount } from './guide/plan.logic.js';
import { FORGET_DEPARTEMENT, offerMeetInPerson } from './guide/departement.logic.js';

/** The parts of an XState snapshot we read: works on live and persisted snapshots alike. */
export interface GuideStateView {
  value: unknown;
  context: GuideContext;
}

export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'main' in value) return String((value as { main: unknown }).main);
  return 'welcome';
}

/** Top-level states that are prompts of their own (the overlays), by state name. */
const OVERLAY_PROMPTS: Record<string, PromptKind> = {
  confirmRestart: 'confirmRestart',
  confirmForget: 'confirmForget',
  checklist: 'checklistItem',
  checklistEnd: 'checklistEnd',
  checklistAdd: 'checklistAdd',
  templates: 'templates',
  typingAddress: 'typingAddress',
  remindersOffer: 'remindersOffer',
  timeZone: 'timeZone',
  typingTimeZone: 'typingTimeZone',
  checkin: 'checkin',
  departementAsk: 'departement',
  departementAskForVolunteer: 'departement',
  departementConfirm: 'departementConfirm',
  departementConfirmForVolunteer: 'departementConfirm',
  handoffConsent: 'handoffConsent',
  withVolunteer: 'withVolunteer',
  mediaConsent: 'mediaConsent',
  rateHelp: 'rateHelp',
  rateWord: 'rateWord',
  confirmHostChange: 'confirmHostChange',
};

/** Prompts where a "talk to a volunteer" choice would be out of place (already about volunteers, or a yes/no). */
const NO_HUMAN_OFFER: ReadonlySet<PromptKind> = new Set([
  'handoffConsent',
  'withVolunteer',
  'mediaConsent',
  'confirmForget',
  'confirmRestart',
  'confirmHostChange',
  // Just after the conversation with a volunteer ended: offering one again belongs to the close's own words.
  'rateHelp',
  'rateWord',
]);

/** The prompt kind of a state; `context` tells which of the plan's questions is asked (askingSituation). */
export function promptKind(value: unknown, context?: Pick<GuideContext, 'gap'>): PromptKind {
  if (typeof value === 'string' && value in OVERLAY_PROMPTS) return OVERLAY_PROMPTS[value]!;
  switch (stateName(value)) {
    case 'askingSituation':
      return context?.gap && context.gap !== 'domain' ? context.gap : 'mailboxLabels';
    case 'asking':
      return 'question';
    case 'clarifying':
      return 'clarify';
    case 'recommending':
      return 'recommendations';
    case 'whyNot':
      return 'whyNot';
    case 'changeAnswer':
      return 'changeAnswer';
    case 'planning':
      return 'planStep';
    case 'planEnd':
      return 'planEnd';
    default:
      return 'welcome';
  }
}

/**
 * Which question this is and how many there are in all, counted so that the number only ever goes up by one:
 * the answered ones come first, whatever their order. Implied questions don't count, so the total can drop by one
 * when an answer makes a question unnecessary ("pour moi": no "how many mailboxes").
 */
export function questionPosition(context: GuideContext): { number: number; total: number } {
  const relevant = QUESTION_ORDER.filter((q) => impliedAnswer(q, context.answers) === undefined);
  const answered = relevant.filter((q) => q !== context.question && context.answers[q] !== undefined).length;
  return { number: answered + 1, total: relevant.length };
}

/** What a prompt may offer besides the conversation's own state. */
export interface PromptOptions {
  /** A volunteers' desk is configured: "talk to a volunteer" is offered (never a choice that can only say no). */
  desk?: boolean;
  /** The ways of finding accounts for this person's old mailbox (ids): offered on the findAccounts step. */
  findingWays?: readonly string[];
  /** Someone can be met in person (a desk serves by département, an event has a place): offer to give one's département. */
  inPerson?: boolean;
}

/**
 * `categoryIds`: the checklist's categories (data/checklist.json), which number the checklist's items.
 */
export function promptOf(view: GuideStateView, categoryIds: readonly string[], options: PromptOptions = {}): Prompt {
  const prompt = basePromptOf(view, categoryIds);
  if (options.inPerson) offerMeetInPerson(prompt);
  // Finding the accounts: each way (a search, a sign-in list) is one tap away from the checklist.
  if (prompt.kind === 'planStep' && parseItemKey(prompt.step)?.step === 'findAccounts' && options.findingWays) {
    const added = view.context.checklist.finding ?? [];
    const ways = options.findingWays.filter((way) => !added.includes(way)).map((way) => FINDING_ITEM + way);
    prompt.choices.splice(1, 0, ...ways);
  }
  if (options.desk === false) {
    prompt.choices = prompt.choices.filter((c) => c !== 'human');
    return prompt;
  }
  // Someone who asked for help or seems stuck is offered a person, right there (the plan steps always offer one).
  const { context } = view;
  const status = handoffOf(context).status;
  if (context.offerHuman && !NO_HUMAN_OFFER.has(prompt.kind) && !prompt.choices.includes('human') && status !== 'queued') {
    const at = prompt.choices.findIndex((c) => c === 'back' || c === 'restart');
    prompt.choices.splice(at === -1 ? prompt.choices.length : at, 0, 'human');
  }
  return prompt;
}

function basePromptOf({ value, context }: GuideStateView, categoryIds: readonly string[]): Prompt {
  const kind = promptKind(value, context);
  switch (kind) {
    case 'welcome':
      return { kind, choices: ['begin', context.lang === 'fr' ? 'lang:en' : 'lang:fr'] };
    case 'question': {
      const { number, total } = questionPosition(context);
      return { kind, question: context.question, number, total, choices: [...QUESTIONS[context.question], 'back'] };
    }
    case 'clarify': {
      const readings = context.clarify ?? [];
      return { kind, question: context.question, readings, choices: [...readings.map((_, i) => READING_CHOICE + i), 'back'] };
    }
    case 'recommendations': {
      const providers = context.ranked.slice(context.page * PAGE_SIZE, (context.page + 1) * PAGE_SIZE);
      const choices = providers.map((id) => PROVIDER_CHOICE + id);
      if (context.ranked.length > PAGE_SIZE) choices.push('more');
      if (context.excluded.length > 0) choices.push('whyNot');
      choices.push('change', 'restart');
      return { kind, providers, page: context.page, choices };
    }
    case 'whyNot':
      return { kind, choices: [...context.excluded.map((id) => PROVIDER_CHOICE + id), 'back'] };
    case 'changeAnswer':
      return { kind, choices: [...answeredQuestions(context.answers).map((q) => QUESTION_CHOICE + q), 'back'] };
    case 'planStep': {
      const { steps, cursor } = context.plan;
      const step = steps[cursor]!;
      const choices: string[] = [...STEP_CHOICES, 'human'];
      // Where a step has more to offer, say so right there: the checklist, the texts filled with the new address.
      if (step === 'changeAddress') choices.splice(2, 0, 'checklist');
      if (step === 'tellContacts' || step === 'autoReply') choices.splice(2, 0, 'templates');
      return { kind, step, number: cursor + 1, total: steps.length, choices };
    }
    case 'planEnd': {
      const later = context.plan.steps.filter((s) => context.plan.status[s] === 'later');
      const choices = [
        ...(later.length > 0 ? ['resume'] : []),
        'checklist',
        'templates',
        context.reminders.on ? 'stopReminders' : 'reminders',
        'otherProvider',
        'restart',
      ];
      return { kind, later, choices };
    }
    case 'confirmRestart':
    case 'confirmForget':
    case 'confirmHostChange':
      return { kind, choices: ['yes', 'no'] };
    case 'mailboxLabels': {
      const count = mailboxCount(context) ?? null;
      return { kind, count, choices: [...(count !== null && count > 1 ? ['numbered'] : []), 'back'] };
    }
    case 'ispCancelling':
      return { kind, choices: ['yes', 'no', 'back'] };
    case 'ispCancelDate':
      return { kind, choices: ['dateNotKnownYet', 'back'] };
    case 'checklistItem': {
      const items = checklistItems(categoryIds, context.checklist);
      const cursor = Math.min(context.checklist.cursor, items.length - 1);
      return { kind, item: items[cursor]!, number: cursor + 1, total: items.length, choices: [...CHECKLIST_CHOICES, 'back'] };
    }
    case 'checklistEnd': {
      const later = Object.values(context.checklist.status).includes('later');
      return { kind, choices: [...(later ? ['resume'] : []), 'add', 'back'] };
    }
    case 'checklistAdd':
    case 'typingAddress':
    case 'typingTimeZone':
      return { kind, choices: ['back'] };
    case 'templates':
      return { kind, choices: [...TEMPLATE_NAMES, 'setAddress', ...(context.newAddress ? ['forgetAddress'] : []), 'back'] };
    case 'remindersOffer':
      return { kind, choices: ['yes', 'timeZone', 'no'] };
    case 'timeZone':
      return { kind, choices: [...TIME_ZONE_CHOICES.map((zone) => TIME_ZONE_CHOICE + zone), 'otherTimeZone', 'back'] };
    case 'checkin': {
      const checkin = context.checkin ?? { day: 0, last: false };
      const answers = checkin.last ? LAST_CHECKIN_ANSWERS : CHECKIN_ANSWERS;
      // "Which sites still write to the old address?": typed, added to the list as they come.
      return { kind, ...checkin, choices: [...answers, 'add', 'checklist', 'stopReminders'] };
    }
    case 'departement': {
      const known = context.departement ?? null;
      return { kind, known, forVolunteer: value === 'departementAskForVolunteer', choices: [...(known ? [FORGET_DEPARTEMENT] : []), 'back'] };
    }
    case 'departementConfirm':
      return { kind, departement: context.departementGuess ?? '', choices: ['yes', 'no'] };
    case 'handoffConsent':
      return { kind, choices: ['yes', 'yesWithName', 'no'] };
    case 'withVolunteer':
      return { kind, volunteer: handoffOf(context).volunteer, choices: ['bot', 'closeTicket'] };
    case 'mediaConsent':
      return { kind, volunteer: handoffOf(context).volunteer, count: context.heldMedia?.length ?? 0, choices: ['sendMedia', 'cancelMedia'] };
    case 'rateHelp':
      return { kind, choices: [...TICKET_RATINGS] };
    case 'rateWord':
      return { kind, choices: ['skip'] };
  }
}
