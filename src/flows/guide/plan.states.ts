/** The plan region: one step at a time, with done / help / later / skip, then the end of the plan. */
import type { GuideSetup } from './setup.js';

export function planStates(s: GuideSetup) {
  return {
    planning: s.createStateConfig({
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
    }),
    afterStep: s.createStateConfig({
      always: [
        { guard: 'planHasOpenStep', target: 'planning', actions: 'advanceStep' },
        { target: 'planEnd', actions: 'countFinished' },
      ],
    }),
    planEnd: s.createStateConfig({
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
    }),
  };
}
