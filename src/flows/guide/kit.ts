/**
 * Typed building blocks for the guide's regions: XState's assign / emit / enqueueActions bound to the guide's
 * context, events and intents, so that each region can define its named guards and actions in its own file and
 * setup.ts can put them together. Also the small readings of an event that every region uses.
 */
import { assign, emit, enqueueActions } from 'xstate';
import type { GuideContext, GuideEvent, GuideIntent, Metric } from '../guide.types.js';

/** What a guard or an action receives. */
export interface GuideArgs {
  context: GuideContext;
  event: GuideEvent;
}

export type Guard<P = undefined> = P extends undefined ? (args: GuideArgs) => boolean : (args: GuideArgs, params: P) => boolean;

export const set = (assignment: Parameters<typeof assign<GuideContext, GuideEvent, undefined, GuideEvent, never>>[0]) =>
  assign<GuideContext, GuideEvent, undefined, GuideEvent, never>(assignment);

export const say = (intent: Parameters<typeof emit<GuideContext, GuideEvent, undefined, GuideEvent, GuideIntent>>[0]) =>
  emit<GuideContext, GuideEvent, undefined, GuideEvent, GuideIntent>(intent);

export const steps = (
  collect: Parameters<typeof enqueueActions<GuideContext, GuideEvent, undefined, GuideEvent, never, never, never, never, GuideIntent>>[0],
) => enqueueActions<GuideContext, GuideEvent, undefined, GuideEvent, never, never, never, never, GuideIntent>(collect);

export const choiceOf = (event: GuideEvent): string => (event.type === 'CHOOSE' ? event.choice : '');
export const textOf = (event: GuideEvent): string => (event.type === 'TEXT' ? event.text.trim() : '');
export const isOneOf = (list: readonly string[]) => (event: GuideEvent) => list.includes(choiceOf(event));

/** The part of XState's `enqueue` the counting needs (typed loosely so it can be shared by several actions). */
export interface Enqueue {
  assign(values: Partial<GuideContext>): void;
  emit(intent: GuideIntent): void;
}

/** Counts funnel steps for the statistics, each once per journey (RESTART begins a new one). */
export function countOnce(context: GuideContext, enqueue: Enqueue, ...milestones: Array<[Metric, string?]>): void {
  const counted = [...context.counted];
  for (const [metric, detail] of milestones) {
    if (counted.includes(metric)) continue;
    counted.push(metric);
    enqueue.emit({ type: 'milestone', metric, ...(detail ? { detail } : {}) });
  }
  if (counted.length !== context.counted.length) enqueue.assign({ counted });
}
