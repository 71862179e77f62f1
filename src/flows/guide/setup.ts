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
import { findingLogic, planActions, planGuards, situationActions, situationGuards } from './plan.logic.js';
import type { AccountFinding, ProviderSetups } from '../../catalog/setup-types.js';
import { followThroughLogic } from './followthrough.logic.js';
import { handoffActions, handoffGuards } from './handoff.logic.js';
import { departementActions, departementGuards } from './departement.logic.js';

/** What the plan needs of data/ beyond the catalogue: the hosts' set-up, and the ways of finding accounts. */
export interface GuidePlanData {
  setups: ProviderSetups;
  finding?: AccountFinding;
}

export function guideSetup(catalog: Catalog, checklist: readonly ChecklistCategory[], plan: GuidePlanData) {
  const followThrough = followThroughLogic(checklist);
  const finding = findingLogic(plan.finding);
  const setups = plan.setups;
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
      ...finding.guards,
      ...followThrough.guards,
      ...departementGuards,
      ...handoffGuards,
    },
    actions: {
      ...commonActions,
      ...questionActions,
      ...recommendationActions(catalog),
      ...planActions,
      ...situationActions(catalog, setups),
      ...finding.actions,
      ...followThrough.actions,
      ...departementActions,
      ...handoffActions,
    },
  });
}

export type GuideSetup = ReturnType<typeof guideSetup>;
