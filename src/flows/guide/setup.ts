/**
 * The guide's setup: its types and every named guard and action, gathered from the regions' logic files. The
 * regions' states (the *.states.ts files) are built with this setup's `createStateConfig`, so that a guard or an
 * action named in a state is checked against what exists here.
 */
import { setup } from 'xstate';
import type { Catalog } from '../../catalog/types.js';
import type { ChecklistCategory } from '../../catalog/checklist.js';
import type { GuideContext, GuideEvent, GuideIntent } from '../guide.types.js';
import type { GuideInput } from './context.js';
import { commonActions, commonGuards } from './common.logic.js';
import { questionActions, questionGuards } from './questions.logic.js';
import { recommendationActions, recommendationGuards } from './recommendation.logic.js';
import { planActions, planGuards, situationActions, situationGuards } from './plan.logic.js';
import type { ProviderSetups } from '../../catalog/setup-types.js';
import { followThroughLogic } from './followthrough.logic.js';
import { handoffActions, handoffGuards } from './handoff.logic.js';

export function guideSetup(catalog: Catalog, checklist: readonly ChecklistCategory[], setups: ProviderSetups) {
  const followThrough = followThroughLogic(checklist);
  return setup({
    types: {
      context: {} as GuideContext,
      events: {} as GuideEvent,
      input: {} as GuideInput,
      emitted: {} as GuideIntent,
    },
    guards: {
      ...commonGuards,
      ...questionGuards,
      ...recommendationGuards,
      ...planGuards,
      ...situationGuards(catalog),
      ...followThrough.guards,
      ...handoffGuards,
    },
    actions: {
      ...commonActions,
      ...questionActions,
      ...recommendationActions(catalog),
      ...planActions,
      ...situationActions(catalog, setups),
      ...followThrough.actions,
      ...handoffActions,
    },
  });
}

export type GuideSetup = ReturnType<typeof guideSetup>;
