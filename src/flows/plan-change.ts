/** Choosing another host mid-plan: which steps still hold, and what to redo. Pure. */
import type { OldProvider, Provider } from '../catalog/types.js';
import type { ProviderSetup } from '../catalog/setup-types.js';
import { planFor, planItems, type ItemStatus, type MovePlan, type MoveStepId, type Situation } from './plan.js';

/* ---- Choosing another host mid-plan ---- */

/**
 * What changes when the person picks another host after starting: the steps of the new plan, which of them were
 * already done and still hold (finding accounts, buying the domain, copying before a cancellation, telling the
 * ISP date…), and which were done for the abandoned host and must be redone (the forwarding and the automatic
 * reply point at the abandoned address; the MX records point at the abandoned host).
 */
export interface HostChange {
  plan: MovePlan;
  /** Progress carried over to the new plan (item key → status). */
  kept: Record<string, ItemStatus>;
  /** Items done for the old host that must be done again, in plan order, with why (locale key plan:change.<why>). */
  redo: Array<{ key: string; why: 'forwardingPointsAtOld' | 'autoReplyNamesOld' | 'mxPointsAtOld' | 'newBox' }>;
}

/** Steps whose result does not depend on the host: done is done. */
const HOST_INDEPENDENT: ReadonlySet<MoveStepId> = new Set(['copyBeforeCancel', 'buyDomain', 'findAccounts', 'storageCheck']);
const REDO_WHY: Partial<Record<MoveStepId, HostChange['redo'][number]['why']>> = {
  forwarding: 'forwardingPointsAtOld',
  autoReply: 'autoReplyNamesOld',
  tellContacts: 'autoReplyNamesOld',
  changeAddress: 'autoReplyNamesOld',
  switchMx: 'mxPointsAtOld',
  dnsAuth: 'mxPointsAtOld',
};

export function changeHost(
  previous: MovePlan,
  status: Readonly<Record<string, ItemStatus | undefined>>,
  situation: Situation,
  old: OldProvider | undefined,
  provider: Provider,
  setup?: ProviderSetup,
): HostChange {
  const plan = planFor(situation, old, provider, setup);
  const newKeys = new Set(planItems(plan).map((item) => item.key));
  const kept: Record<string, ItemStatus> = {};
  const redo: HostChange['redo'] = [];
  for (const item of planItems(previous)) {
    const was = status[item.key];
    if (!was || !newKeys.has(item.key)) continue;
    if (HOST_INDEPENDENT.has(item.step)) kept[item.key] = was;
    else if (was === 'done') redo.push({ key: item.key, why: REDO_WHY[item.step] ?? 'newBox' });
    // "later" and "skipped" for host-bound steps are asked again: the new host may make them easier or needed.
  }
  return { plan, kept, redo };
}
