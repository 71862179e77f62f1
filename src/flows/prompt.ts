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
import { PAGE_SIZE, PROVIDER_CHOICE, QUESTION_CHOICE, STEP_CHOICES, answeredQuestions } from './guide.machine.js';

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

export function promptKind(value: unknown): PromptKind {
  switch (stateName(value)) {
    case 'asking':
      return 'question';
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
    case 'confirmRestart':
      return 'confirmRestart';
    case 'confirmForget':
      return 'confirmForget';
    default:
      return 'welcome';
  }
}

/** How many questions this person will be asked in all (implied ones don't count), and which one this is. */
export function questionPosition(context: GuideContext): { number: number; total: number } {
  const asked = QUESTION_ORDER.filter((q) => impliedAnswer(q, context.answers) === undefined);
  const index = asked.indexOf(context.question);
  return { number: index + 1, total: asked.length };
}

export function promptOf({ value, context }: GuideStateView): Prompt {
  const kind = promptKind(value);
  switch (kind) {
    case 'welcome':
      return { kind, choices: ['begin', context.lang === 'fr' ? 'lang:en' : 'lang:fr'] };
    case 'question': {
      const { number, total } = questionPosition(context);
      return { kind, question: context.question, number, total, choices: [...QUESTIONS[context.question], 'back'] };
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
      return { kind, step: steps[cursor]!, number: cursor + 1, total: steps.length, choices: [...STEP_CHOICES] };
    }
    case 'planEnd': {
      const later = context.plan.steps.filter((s) => context.plan.status[s] === 'later');
      const choices = [...(later.length > 0 ? ['resume'] : []), 'otherProvider', 'restart'];
      return { kind, later, choices };
    }
    case 'confirmRestart':
    case 'confirmForget':
      return { kind, choices: ['yes', 'no'] };
  }
}
