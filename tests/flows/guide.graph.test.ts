/**
 * Every state of the guide is reachable, and every resting state can be left: a traversal of the machine with
 * @xstate/graph, sending every choice its prompt offers plus the commands available everywhere.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths, getStateNodes } from '@xstate/graph';
import { transition } from 'xstate';
import { machine } from '../support/guide.js';
import type { GuideEvent } from '../../src/flows/guide.types.js';
import { promptOf, type GuideStateView } from '../../src/flows/prompt.js';

const COMMANDS: GuideEvent[] = [
  { type: 'BACK' },
  { type: 'HELP' },
  { type: 'WHERE' },
  { type: 'RESTART' },
  { type: 'FORGET' },
  { type: 'SET_LANG' },
  { type: 'UNCLEAR', reason: 'noMatch' },
  { type: 'UNSUPPORTED', what: 'photo' },
  { type: 'STALE' },
];

function eventsFor(state: GuideStateView): GuideEvent[] {
  const choices = promptOf(state).choices.map((choice): GuideEvent => {
    if (choice === 'back') return { type: 'BACK' };
    if (choice === 'restart') return { type: 'RESTART' };
    return { type: 'CHOOSE', choice };
  });
  return [...choices, ...COMMANDS];
}

/** Coarse identity of a state: where we are, not every answer (keeps the traversal finite and small). */
function serialize(state: GuideStateView): string {
  const c = state.context;
  return JSON.stringify([state.value, c.question, c.page, c.plan.cursor, c.editing, Object.keys(c.answers).length, c.lang]);
}

describe('the guide machine as a graph', () => {
  const paths = getShortestPaths(machine, {
    events: (state) => eventsFor(state as unknown as GuideStateView) as never,
    serializeState: (state) => serialize(state as unknown as GuideStateView),
    limit: 50_000,
  });
  const reached = paths.map((p) => p.state as unknown as GuideStateView & { value: unknown });

  it('reaches every resting state', () => {
    const resting = getStateNodes(machine.root)
      .filter((node) => node.type === 'atomic' && !node.always?.length && node.key !== 'boot')
      .map((node) => node.path.join('.'));
    const seen = new Set(
      reached.map((s) => (typeof s.value === 'string' ? s.value : `main.${(s.value as { main: string }).main}`)),
    );
    for (const state of resting) expect(seen, state).toContain(state);
  });

  it('leaves every reached state by some event, and every prompt offers a choice', () => {
    for (const state of reached) {
      expect(promptOf(state).choices.length).toBeGreaterThan(0);
      const from = JSON.stringify(state.value);
      const leaves = eventsFor(state).some((event) => {
        const [next] = transition(machine, state as never, event);
        return JSON.stringify(next.value) !== from;
      });
      expect(leaves, `stuck in ${from}`).toBe(true);
    }
  });
});
