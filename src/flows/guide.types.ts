/**
 * The guide conversation's vocabulary: its context (what we remember), the events it understands, the intents it
 * emits and the prompt it is waiting on. Platform-free and sentence-free: texts are chosen by the renderer.
 */
import type { Answers, QuestionId } from './questions.js';
import type { PlanStepId } from '../catalog/types.js';

export type Lang = 'fr' | 'en';

/** Bump when the machine's states or context change shape; old snapshots are then salvaged, not restored. */
export const GUIDE_MACHINE_VERSION = 1;

export type StepStatus = 'done' | 'skipped' | 'later';

export interface GuideContext {
  lang: Lang;
  answers: Answers;
  /** The question being asked (meaningful in `asking`). */
  question: QuestionId;
  /** Questions answered, in the order they were asked — `back` walks this. */
  asked: QuestionId[];
  /** Changing one answer from the recommendation: go back there after it, not through every question. */
  editing: boolean;
  /** Provider ids, best first, and those left out (recomputed whenever answers change). */
  ranked: string[];
  excluded: string[];
  /** Which page of three recommendations is shown. */
  page: number;
  chosen: string | null;
  plan: { steps: PlanStepId[]; status: Partial<Record<PlanStepId, StepStatus>>; cursor: number };
  /** Answers in a row that we could not understand: after a few, offer more help. */
  misunderstood: number;
}

/** What the machine can be told. Adapters never build these: the engine's interpreter does. */
export type GuideEvent =
  | { type: 'START'; preset?: Answers; lang?: Lang }
  | { type: 'CHOOSE'; choice: string }
  | { type: 'UNCLEAR'; reason: 'empty' | 'tooLong' | 'noMatch' }
  | { type: 'UNSUPPORTED'; what: string }
  | { type: 'UNKNOWN_COMMAND' }
  /** A button of an earlier prompt was pressed: never act on it as if it were current. */
  | { type: 'STALE' }
  | { type: 'HELP' }
  | { type: 'BACK' }
  | { type: 'RESTART' }
  /** Erase everything about me (asks for confirmation first). */
  | { type: 'FORGET' }
  | { type: 'WHERE' }
  | { type: 'SET_LANG'; lang?: Lang };

/**
 * What the machine says, besides the prompt it ends each turn on. The renderer turns each into sentences.
 * Intents carry ids and numbers, never sentences.
 */
export type GuideIntent =
  | { type: 'welcomeBack' }
  | { type: 'updated' }
  | { type: 'notUnderstood'; reason: 'empty' | 'tooLong' | 'noMatch' | 'unknownCommand'; times: number }
  | { type: 'unsupported'; what: string }
  | { type: 'help' }
  | { type: 'progress' }
  | { type: 'languageChanged' }
  | { type: 'nothingBefore' }
  | { type: 'answerChanged'; question: QuestionId }
  | { type: 'providerChosen'; providerId: string }
  | { type: 'whyLeftOut'; providerId: string }
  | { type: 'stepHelp'; step: PlanStepId }
  | { type: 'stepNoted'; step: PlanStepId; status: StepStatus }
  | { type: 'stale' }
  /** Confirmed: the engine erases the conversation instead of saving it. */
  | { type: 'forgetMe' }
  | { type: 'restarted' };

export type PromptKind =
  | 'welcome'
  | 'question'
  | 'recommendations'
  | 'whyNot'
  | 'changeAnswer'
  | 'planStep'
  | 'planEnd'
  | 'confirmRestart'
  | 'confirmForget';

/** The question the conversation is waiting on, as ids: the renderer gives it words, the interpreter reads answers. */
export type Prompt =
  | { kind: 'welcome'; choices: string[] }
  | { kind: 'question'; question: QuestionId; number: number; total: number; choices: string[] }
  | { kind: 'recommendations'; providers: string[]; page: number; choices: string[] }
  | { kind: 'whyNot'; choices: string[] }
  | { kind: 'changeAnswer'; choices: string[] }
  | { kind: 'planStep'; step: PlanStepId; number: number; total: number; choices: string[] }
  | { kind: 'planEnd'; later: PlanStepId[]; choices: string[] }
  | { kind: 'confirmRestart'; choices: string[] }
  | { kind: 'confirmForget'; choices: string[] };
