/**
 * Every state of the guide is reachable, and every resting state can be left: a traversal of the machine with
 * @xstate/graph, sending every choice its prompt offers plus the commands available everywhere.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths, getStateNodes } from '@xstate/graph';
import { transition } from 'xstate';
import { catalog, checklist } from '../support/guide.js';
import { createGuideMachine } from '../../src/flows/guide.machine.js';

// Reachability does not depend on how many checklist categories there are: three keep the traversal small.
const shortChecklist = checklist.slice(0, 3);
const categoryIds = shortChecklist.map((c) => c.id);
const machine = createGuideMachine(catalog, shortChecklist);
import type { GuideEvent } from '../../src/flows/guide.types.js';
import { promptKind, promptOf, type GuideStateView } from '../../src/flows/prompt.js';
import { QUESTIONS } from '../../src/flows/questions.js';

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
  { type: 'CHECKLIST' },
  { type: 'MYDATA' },
  { type: 'REMINDERS' },
  { type: 'CHECKIN', day: 7, last: false },
  { type: 'CHECKIN', day: 90, last: true },
  { type: 'HUMAN', available: true },
  { type: 'HUMAN', available: true, reopenable: true },
  { type: 'HUMAN', available: false },
  { type: 'TICKET', news: 'claimed', volunteer: 'Marie' },
  { type: 'TICKET', news: 'released' },
  { type: 'TICKET', news: 'closed' },
  { type: 'TICKET', news: 'closed', rate: true },
  { type: 'TICKET', news: 'handedBack', step: 'createAccount' },
  { type: 'TICKET', news: 'stillThere' },
];

/** Free text where a prompt takes it: a valid one, and one that is not. */
const TEXTS: GuideEvent[] = [
  { type: 'TEXT', text: 'Papa, Maman' },
  { type: 'CHOOSE', choice: 'date:2027-03-15' },
  { type: 'TEXT', text: 'mon club de sport' },
  { type: 'TEXT', text: 'nouvelle@exemple.fr' },
  { type: 'TEXT', text: 'Europe/Paris' },
  // The département, as the interpreter hands it: a number, or a postcode's to confirm.
  { type: 'CHOOSE', choice: 'departement:35' },
  { type: 'CHOOSE', choice: 'postcode:35' },
];

function eventsFor(state: GuideStateView): GuideEvent[] {
  // With someone to meet in person (a desk by département, an event in a place): every choice is offered.
  const choices = promptOf(state, categoryIds, { inPerson: true }).choices.map((choice): GuideEvent => {
    if (choice === 'back') return { type: 'BACK' };
    if (choice === 'restart') return { type: 'RESTART' };
    return { type: 'CHOOSE', choice };
  });
  // An answer that could be read two ways, where a question is asked: its first two choices as the readings.
  const kind = promptKind(state.value, state.context);
  const readings = QUESTIONS[state.context.question].slice(0, 2).map((choice) => ({ choice }));
  const ambiguous: GuideEvent[] = kind === 'question' || kind === 'clarify' ? [{ type: 'AMBIGUOUS', readings }] : [];
  return [...choices, ...COMMANDS, ...TEXTS, ...ambiguous];
}

/** Whether choosing a host will lead to the plan's own questions (an ISP box being left, several mailboxes). */
function planWouldAsk(c: GuideStateView['context']): boolean {
  const isp = catalog.oldProvider(c.answers.oldProvider ?? '')?.isp === true && c.answers.domain !== 'have' && c.answers.domain !== 'want';
  const several = c.answers.forWhom !== 'me' && ['upTo5', 'upTo20', 'moreThan20'].includes(c.answers.mailboxes ?? '');
  return isp || several;
}

/**
 * Coarse identity of a state: where we are, plus only what changes what that prompt offers (keeps the traversal
 * finite and small; the machine tests check the details).
 */
function serialize(state: GuideStateView): string {
  const c = state.context;
  const kind = promptKind(state.value, state.context);
  const parts: unknown[] = [state.value, c.reminders.on];
  // What decides the plan's own questions (an ISP box, several mailboxes) is part of where the answers lead.
  if (['question', 'clarify', 'recommendations'].includes(kind)) parts.push(planWouldAsk(c));
  if (kind === 'question' || kind === 'clarify') parts.push(c.question, c.editing);
  if (kind === 'recommendations') {
    parts.push(c.page, c.ranked.length > 0, c.excluded.length > 0);
  }
  if (kind === 'mailboxLabels' || kind === 'ispCancelling' || kind === 'ispCancelDate') parts.push(c.situation);
  if (kind === 'confirmHostChange') parts.push(Object.keys(c.plan.status).length > 0);
  if (kind === 'planStep') parts.push(c.plan.cursor);
  if (kind === 'planEnd') parts.push(Object.values(c.plan.status).includes('later'));
  if (kind.startsWith('checklist')) {
    parts.push(Object.keys(c.checklist.status).length, Math.min(c.checklist.custom.length, 1), Object.values(c.checklist.status).includes('later'));
  }
  if (kind === 'templates') parts.push(c.newAddress !== null);
  if (kind === 'checkin') parts.push(c.checkin?.last);
  if (kind === 'departement') parts.push(c.departement ?? null);
  return JSON.stringify(parts);
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
      expect(promptOf(state, categoryIds).choices.length).toBeGreaterThan(0);
      const from = JSON.stringify(state.value);
      const leaves = eventsFor(state).some((event) => {
        const [next] = transition(machine, state as never, event);
        return JSON.stringify(next.value) !== from;
      });
      expect(leaves, `stuck in ${from}`).toBe(true);
    }
  });
});
