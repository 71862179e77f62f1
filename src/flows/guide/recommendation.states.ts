/** The recommendation region: the hosts that fit, page by page, and why the others were left out. */
import type { GuideSetup } from './setup.js';

export function recommendationStates(s: GuideSetup) {
  return {
    recommending: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isRankedProvider', target: 'situating', actions: ['choose', 'emitProviderChosen', 'countChose'] },
          { guard: 'isMore', actions: 'nextPage' },
          { guard: 'isFirstPageAgain', actions: 'firstPage' },
          { guard: 'isWhyNot', target: 'whyNot' },
          { guard: 'isChange', target: 'changeAnswer' },
        ],
        BACK: { target: 'asking', actions: 'askLastAnswered' },
      },
    }),
    whyNot: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isExcludedProvider', target: 'recommending', actions: 'emitWhyLeftOut' },
        ],
        BACK: { target: 'recommending' },
      },
    }),
  };
}
