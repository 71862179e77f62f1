/**
 * The provider-matching questionnaire, as data: question ids, their choice ids, and when a question is skipped.
 * Pure and platform-free. Labels live in locales/<lang>/guide.json under `questions.<id>.choices.<choice>`.
 *
 * Every matching question has a "dontKnow" answer (people often don't know, and should not be blocked).
 * The old provider is asked first; it tailors the move plan, not the matching.
 */
export const QUESTIONS = {
  oldProvider: ['gmail', 'outlook', 'yahoo', 'icloud', 'orange', 'sfr', 'free', 'laposte', 'other'],
  forWhom: ['me', 'family', 'association', 'business', 'dontKnow'],
  mailboxes: ['one', 'upTo5', 'upTo20', 'moreThan20', 'dontKnow'],
  storage: ['under1', 'under5', 'under20', 'over20', 'dontKnow'],
  domain: ['have', 'want', 'no', 'dontKnow'],
  budget: ['free', 'about1', 'about5', 'more', 'dontKnow'],
  groupware: ['yes', 'no', 'dontKnow'],
  location: ['france', 'europe', 'dontKnow'],
  humanHelp: ['yes', 'no', 'dontKnow'],
  membership: ['yes', 'no', 'dontKnow'],
} as const satisfies Record<string, readonly string[]>;

export type QuestionId = keyof typeof QUESTIONS;
export type ChoiceOf<Q extends QuestionId> = (typeof QUESTIONS)[Q][number];
export type Answers = { [Q in QuestionId]?: ChoiceOf<Q> };
export type OldProviderId = Exclude<ChoiceOf<'oldProvider'>, 'other'>;

/** The order in which questions are asked. */
export const QUESTION_ORDER: readonly QuestionId[] = [
  'oldProvider',
  'forWhom',
  'mailboxes',
  'storage',
  'domain',
  'budget',
  'groupware',
  'location',
  'humanHelp',
  'membership',
];

/** Questions that do not need asking given earlier answers (and the answer they imply). */
export function impliedAnswer(question: QuestionId, answers: Answers): string | undefined {
  // One person needs one mailbox: don't make them answer it.
  if (question === 'mailboxes' && answers.forWhom === 'me') return 'one';
  return undefined;
}

export function isChoiceOf(question: QuestionId, choice: string): boolean {
  return (QUESTIONS[question] as readonly string[]).includes(choice);
}
