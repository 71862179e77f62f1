/** The questions region: the welcome, the questions one by one, an answer clarified, one answer changed. */
import { and } from 'xstate';
import type { GuideSetup } from './setup.js';

export function questionStates(s: GuideSetup) {
  return {
    welcome: s.createStateConfig({
      on: {
        START: { actions: ['applyPreset', 'adoptStartLanguage'] },
        CHOOSE: [
          { guard: 'isBegin', target: 'routing', actions: 'countStarted' },
          { guard: 'isLanguageChoice', actions: ['setLanguage', 'emitLanguageChanged'] },
        ],
      },
    }),
    /** Decides where answering resumes: the next open question, or the recommendation. */
    routing: s.createStateConfig({
      always: [
        // A plan under way (back from a volunteer after an update, say) is where to resume, not the questions.
        { guard: and(['hasSalvagedPlan', 'planHasOpenStep']), target: 'planning' },
        { guard: 'hasSalvagedPlan', target: 'planEnd' },
        { guard: 'questionsRemain', target: 'asking', actions: 'askFirstOpenQuestion' },
        { target: 'recommending', actions: 'rank' },
      ],
    }),
    asking: s.createStateConfig({
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
    }),
    /** "4": four mailboxes, or choice 4? Never guessed: both readings are offered, and a fresh answer is taken. */
    clarifying: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isReading', target: 'afterAnswer', actions: 'recordAnswer' },
          { guard: 'answersCurrentQuestion', target: 'afterAnswer', actions: 'recordAnswer' },
        ],
        AMBIGUOUS: { target: 'clarifying', reenter: true, actions: 'startClarifying' },
        BACK: { target: 'asking', actions: 'stopClarifying' },
      },
    }),
    afterAnswer: s.createStateConfig({
      always: [
        { guard: 'isEditing', target: 'recommending', actions: ['emitAnswerChanged', 'stopEditing', 'rank'] },
        { guard: 'questionsRemain', target: 'asking', reenter: true, actions: 'askNextQuestion' },
        { target: 'recommending', actions: ['rank', 'countAnswered'] },
      ],
    }),
    changeAnswer: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isAnsweredQuestion', target: 'asking', actions: 'startEditing' },
        ],
        BACK: { target: 'recommending' },
      },
    }),
  };
}
