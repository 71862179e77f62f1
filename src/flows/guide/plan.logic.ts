/** The plan region's named guards and actions: walking the steps, putting some off, coming back to them. */
import type { PlanStepId } from '../../catalog/types.js';
import type { GuideContext, StepStatus } from '../guide.types.js';
import { emptyPlan, nextOpenStep } from './context.js';
import { choiceOf, countOnce, say, set, steps, type Enqueue, type GuideArgs } from './kit.js';

export const stepAt = (context: GuideContext): PlanStepId | undefined => context.plan.steps[context.plan.cursor];

export const planGuards = {
  hasSalvagedPlan: ({ context }: GuideArgs) => context.chosen !== null && context.plan.steps.length > 0,
  isStepDone: ({ event }: GuideArgs) => choiceOf(event) === 'done',
  isStepSkip: ({ event }: GuideArgs) => choiceOf(event) === 'skip',
  isStepLater: ({ event }: GuideArgs) => choiceOf(event) === 'later',
  isStepHelp: ({ event }: GuideArgs) => choiceOf(event) === 'help',
  planHasOpenStep: ({ context }: GuideArgs) => nextOpenStep(context.plan, 0) !== -1,
  hasPreviousStep: ({ context }: GuideArgs) => context.plan.cursor > 0,
  isResumeLater: ({ context, event }: GuideArgs) =>
    choiceOf(event) === 'resume' && context.plan.steps.some((s) => context.plan.status[s] === 'later'),
  isOtherProvider: ({ event }: GuideArgs) => choiceOf(event) === 'otherProvider',
};

export const planActions = {
  markStep: set({
    plan: ({ context, event }) => {
      const step = stepAt(context)!;
      const status: StepStatus = choiceOf(event) === 'done' ? 'done' : choiceOf(event) === 'skip' ? 'skipped' : 'later';
      return { ...context.plan, status: { ...context.plan.status, [step]: status } };
    },
    misunderstood: 0,
    offerHuman: false,
  }),
  emitStepNoted: say(({ context }) => {
    const step = stepAt(context)!;
    return { type: 'stepNoted' as const, step, status: context.plan.status[step]! };
  }),
  /** Move to the next open step after this one, wrapping round to earlier open ones. */
  advanceStep: set({
    plan: ({ context }) => {
      const after = nextOpenStep(context.plan, context.plan.cursor + 1);
      const cursor = after !== -1 ? after : nextOpenStep(context.plan, 0);
      return { ...context.plan, cursor: cursor === -1 ? context.plan.cursor : cursor };
    },
  }),
  previousStep: set({
    plan: ({ context }) => {
      const cursor = context.plan.cursor - 1;
      const status = { ...context.plan.status };
      delete status[context.plan.steps[cursor]!];
      return { ...context.plan, cursor, status };
    },
  }),
  reopenLastStep: set({
    plan: ({ context }) => {
      const cursor = context.plan.steps.length - 1;
      const status = { ...context.plan.status };
      delete status[context.plan.steps[cursor]!];
      return { ...context.plan, cursor, status };
    },
  }),
  resumeLaterSteps: set({
    plan: ({ context }) => {
      const status = { ...context.plan.status };
      for (const step of context.plan.steps) if (status[step] === 'later') delete status[step];
      return { ...context.plan, status, cursor: nextOpenStep({ ...context.plan, status }, 0) };
    },
  }),
  emitStepHelp: say(({ context }) => ({ type: 'stepHelp' as const, step: stepAt(context)! })),
  forgetChoice: set({ chosen: null, plan: emptyPlan(), page: 0 }),
  countFinished: steps(({ context, enqueue }) => {
    const later = context.plan.steps.some((s) => context.plan.status[s] === 'later');
    if (!later) countOnce(context, enqueue as Enqueue, ['finishedPlan']);
  }),
};
