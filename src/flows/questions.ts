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
  // france; eu: the European Union; europe: Europe at large (the EU, plus Switzerland, Norway, the UK…).
  location: ['france', 'eu', 'europe', 'dontKnow'],
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

/**
 * What a typed answer said beyond its bucket: the number itself ("30 Go", "2 € par mois", "une quinzaine").
 * The buttons give buckets (choices above); typing gives a value too, and the value is what matching uses.
 * Each field belongs to one question, and is dropped when that question is answered again without a value.
 */
export interface Amounts {
  /** storage: the space the person needs, GB ("500 Mo" = 0.5). */
  storageGb?: number;
  /**
   * budget: the most they will pay, euros per month ("20 € par an" = 1.67); `perMailbox` when they said "par boîte";
   * `exclusive` when the amount itself is too much ("5 € par boîte c'est trop": under 5).
   */
  budget?: { eurPerMonth: number; perMailbox: boolean; exclusive: boolean };
  /** mailboxes: how many ("12", "une quinzaine", "nous sommes 4"). */
  mailboxes?: number;
}

/** The field of Amounts that belongs to each question, where one does. */
export const AMOUNT_OF: Partial<Record<QuestionId, keyof Amounts>> = {
  storage: 'storageGb',
  budget: 'budget',
  mailboxes: 'mailboxes',
};

/**
 * The bucket a typed value falls in, so that the answer shown on buttons, in /mesdonnees and on the desk's card
 * agrees with the value: 3 GB → "under5", 2 € → "about5", 4 mailboxes → "upTo5".
 */
export function bucketOfAmount<Q extends 'storage' | 'budget' | 'mailboxes'>(question: Q, amounts: Amounts): ChoiceOf<Q> | undefined {
  switch (question) {
    case 'storage': {
      const gb = amounts.storageGb;
      if (gb === undefined) return undefined;
      return (gb <= 1 ? 'under1' : gb <= 5 ? 'under5' : gb <= 20 ? 'under20' : 'over20') as ChoiceOf<Q>;
    }
    case 'budget': {
      const budget = amounts.budget;
      if (budget === undefined) return undefined;
      const eur = budget.eurPerMonth;
      if (eur === 0) return 'free' as ChoiceOf<Q>;
      return (eur <= 1.5 ? 'about1' : eur <= 6 ? 'about5' : 'more') as ChoiceOf<Q>;
    }
    case 'mailboxes': {
      const n = amounts.mailboxes;
      if (n === undefined) return undefined;
      return (n <= 1 ? 'one' : n <= 5 ? 'upTo5' : n <= 20 ? 'upTo20' : 'moreThan20') as ChoiceOf<Q>;
    }
  }
  return undefined;
}
