/** The questions region's named guards and actions: answering, clarifying, going back, changing one answer. */
import { QUESTION_ORDER, impliedAnswer, isChoiceOf, type Answers, type QuestionId } from '../questions.js';
import {
  QUESTION_CHOICE,
  READING_CHOICE,
  answerOf,
  answeredQuestions,
  nextQuestion,
  withAmountOf,
} from './context.js';
import { choiceOf, say, set, steps, type GuideArgs } from './kit.js';

export const questionGuards = {
  hasSalvagedAnswers: ({ context }: GuideArgs) => Object.keys(context.answers).length > 0,
  allQuestionsAnswered: ({ context }: GuideArgs) => nextQuestion(context.answers) === undefined,
  questionsRemain: ({ context }: GuideArgs) => nextQuestion(context.answers) !== undefined,
  isBegin: ({ event }: GuideArgs) => choiceOf(event) === 'begin',
  isLanguageChoice: ({ event }: GuideArgs) => choiceOf(event).startsWith('lang:'),
  answersCurrentQuestion: ({ context, event }: GuideArgs) =>
    !choiceOf(event).startsWith(READING_CHOICE) && answerOf(context, event) !== undefined,
  isReading: ({ context, event }: GuideArgs) => choiceOf(event).startsWith(READING_CHOICE) && answerOf(context, event) !== undefined,
  isEditing: ({ context }: GuideArgs) => context.editing,
  hasAskedBefore: ({ context }: GuideArgs) => context.asked.length > 0,
  isChange: ({ event }: GuideArgs) => choiceOf(event) === 'change',
  isAnsweredQuestion: ({ context, event }: GuideArgs) =>
    choiceOf(event).startsWith(QUESTION_CHOICE) &&
    answeredQuestions(context.answers).includes(choiceOf(event).slice(QUESTION_CHOICE.length) as QuestionId),
};

export const questionActions = {
  applyPreset: set({
    answers: ({ context, event }) => {
      if (event.type !== 'START' || !event.preset) return context.answers;
      const valid = Object.entries(event.preset).filter(([q, c]) => isChoiceOf(q as QuestionId, String(c)));
      return { ...context.answers, ...Object.fromEntries(valid) };
    },
  }),
  askFirstOpenQuestion: set({
    question: ({ context }) => nextQuestion(context.answers) ?? QUESTION_ORDER[0]!,
    editing: false,
  }),
  /** Records the answer (a choice or a reading) with its value, and echoes it: every answer is said back. */
  recordAnswer: steps(({ context, event, enqueue }) => {
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
  startClarifying: set({ clarify: ({ event }) => (event.type === 'AMBIGUOUS' ? event.readings : undefined) }),
  stopClarifying: set({ clarify: undefined }),
  askNextQuestion: set({
    question: ({ context }) => nextQuestion(context.answers, context.question) ?? nextQuestion(context.answers)!,
  }),
  askPreviousQuestion: set({
    question: ({ context }) => context.asked[context.asked.length - 1]!,
    asked: ({ context }) => context.asked.slice(0, -1),
  }),
  askLastAnswered: set({
    question: ({ context }) => context.asked[context.asked.length - 1] ?? QUESTION_ORDER[0]!,
    asked: ({ context }) => context.asked.slice(0, -1),
  }),
  startEditing: set({
    question: ({ event }) => choiceOf(event).slice(QUESTION_CHOICE.length) as QuestionId,
    editing: true,
  }),
  stopEditing: set({ editing: false }),
  emitAnswerChanged: say(({ context }) => ({ type: 'answerChanged' as const, question: context.question })),
};
