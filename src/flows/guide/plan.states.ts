/**
 * The plan region: what the plan needs to know (asked only when it matters), then one item at a time with
 * done / help / later / skip, then the end of the plan; choosing another host is confirmed first.
 */
import { and, or } from 'xstate';
import type { SituationGap } from '../plan.js';
import type { GuideSetup } from './setup.js';

const gap = (value: SituationGap) => ({ type: 'gapIs' as const, params: value });

export function planStates(s: GuideSetup) {
  return {
    /** Decides what comes after choosing a host: a question the plan needs, or the plan itself. */
    situating: s.createStateConfig({
      always: [
        { guard: 'situationGapsRemain', target: 'askingSituation', actions: 'askNextGap' },
        { target: 'planning', actions: 'buildPlan' },
      ],
    }),
    /** Mailbox labels (several mailboxes), whether an ISP subscription is being cancelled, and when. */
    askingSituation: s.createStateConfig({
      on: {
        TEXT: [
          { guard: and([gap('mailboxLabels'), 'hasMailboxLabels']), target: 'situating', actions: 'setMailboxLabels' },
          { guard: gap('mailboxLabels'), actions: ['countMisunderstood', 'emitNoLabels'] },
        ],
        CHOOSE: [
          { guard: and([gap('mailboxLabels'), 'canNumberMailboxes']), target: 'situating', actions: 'numberMailboxes' },
          { guard: and([gap('ispCancelling'), or(['isYes', 'isNo'])]), target: 'situating', actions: 'setCancelling' },
          { guard: and([gap('ispCancelDate'), 'isCancelDate']), target: 'situating', actions: 'setCancelDate' },
          { guard: and([gap('ispCancelDate'), 'isDateNotKnownYet']), target: 'situating', actions: 'setCancelDateUnknown' },
        ],
        BACK: { target: 'recommending', actions: 'unchoose' },
      },
    }),
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
          { guard: 'hasProgress', target: '#guide.confirmHostChange' },
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
          { guard: 'isOtherProvider', target: '#guide.confirmHostChange' },
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

/** Overlays of the plan region, outside `main` so that "no" returns to where the person was. */
export function planOverlays(s: GuideSetup) {
  return {
    /** Another host mid-plan: what was done is set aside, and what still holds is carried over to the new plan. */
    confirmHostChange: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isYes', target: 'main.recommending', actions: ['setPlanAside', 'rank'] },
          { guard: 'isNo', target: 'main.history' },
        ],
        BACK: { target: 'main.history' },
      },
    }),
  };
}
