/**
 * "Did this help?" on the person's side, by events: asked once after a close where a volunteer helped (the desk
 * core's `rate` on the ticket's news, or the person's own /close or /bot), one tap then an optional word, and back
 * to where the person was. It never traps: anything else leaves the question and is answered there.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { answerAll, machine, startGuide, type Guide } from '../support/guide.js';
import type { GuideIntent } from '../../src/flows/guide.types.js';

/** A person at the first step of a plan, whose ticket a volunteer (Marie) holds. */
function withMarie(): Guide {
  const guide = startGuide();
  guide.choose('begin');
  answerAll(guide, { oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
  guide.choose(`provider:${guide.context.ranked[0]}`);
  expect(guide.state).toBe('planning');
  guide.choose('done'); // at step 2 now: where she will come back to
  guide.send({ type: 'HUMAN', available: true });
  guide.choose('yes');
  guide.send({ type: 'TICKET', news: 'claimed', volunteer: 'Marie' });
  expect(guide.state).toBe('withVolunteer');
  return guide;
}

const ratings = (intents: GuideIntent[]) => intents.filter((i) => i.type === 'rateTicket');

describe('did this help?', () => {
  it('asks after a close the desk flags, takes one tap and a word, sends both once and goes back to the plan', () => {
    const guide = withMarie();
    const closed = guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    expect(closed).toContainEqual({ type: 'handoffNews', news: 'closed', volunteer: 'Marie' });
    expect(guide.state).toBe('rateHelp');
    expect(guide.prompt).toEqual({ kind: 'rateHelp', choices: ['helped', 'partly', 'not'] });
    expect(ratings(guide.choose('helped'))).toEqual([]);
    expect(guide.prompt).toEqual({ kind: 'rateWord', choices: ['skip'] });
    expect(guide.context.rating).toBe('helped');
    const said = guide.send({ type: 'TEXT', text: '  Merci Marie !  ' });
    expect(ratings(said)).toEqual([{ type: 'rateTicket', rating: 'helped', word: 'Merci Marie !' }]);
    expect(guide.state).toBe('planning');
    expect(guide.context.plan.cursor).toBe(1);
    expect(guide.context.rating).toBeNull();
  });

  it('"skip" sends the tap alone', () => {
    const guide = withMarie();
    guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    guide.choose('not');
    expect(ratings(guide.choose('skip'))).toEqual([{ type: 'rateTicket', rating: 'not', word: null }]);
    expect(guide.state).toBe('planning');
  });

  it('is not asked when the desk does not flag the close (nobody helped, already rated, gone silent)', () => {
    const guide = withMarie();
    guide.send({ type: 'TICKET', news: 'closedInactive' });
    expect(guide.state).toBe('planning');
    const again = withMarie();
    again.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie' });
    expect(again.state).toBe('planning');
  });

  it('is asked when the person ends the conversation themselves, with /close or /bot', () => {
    const closing = withMarie();
    expect(closing.choose('closeTicket')).toContainEqual({ type: 'closeTicket' });
    expect(closing.state).toBe('rateHelp');
    const leaving = withMarie();
    expect(leaving.choose('bot')).toContainEqual({ type: 'leaveVolunteer' });
    expect(leaving.state).toBe('rateHelp');
    leaving.choose('partly');
    leaving.choose('skip');
    expect(leaving.state).toBe('planning');
  });

  it('a handback to a step: rated first, then that very step', () => {
    const guide = withMarie();
    const step = guide.context.plan.steps[3]!;
    guide.send({ type: 'TICKET', news: 'handedBack', volunteer: 'Marie', step, rate: true });
    expect(guide.state).toBe('rateHelp');
    guide.choose('helped');
    guide.choose('skip');
    expect(guide.state).toBe('planning');
    expect(guide.context.plan.steps[guide.context.plan.cursor]).toBe(step);
  });

  it('never traps: a command at the question is answered where the person was, and nothing is rated', () => {
    const guide = withMarie();
    guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    const help = guide.send({ type: 'HELP' });
    expect(help).toContainEqual({ type: 'help' });
    expect(ratings(help)).toEqual([]);
    expect(guide.state).toBe('planning');
    // Words that are no rating are taken as words said at the plan step.
    const other = withMarie();
    other.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    expect(other.send({ type: 'UNCLEAR', reason: 'noMatch' })).toContainEqual(expect.objectContaining({ type: 'notUnderstood' }));
    expect(other.state).toBe('planning');
    // The checklist, a restart: the question steps aside for them too.
    const listing = withMarie();
    listing.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    listing.send({ type: 'CHECKLIST' });
    expect(listing.state).toBe('checklist');
  });

  it('a tap whose word never comes still counts: leaving the word by any way sends it, once', () => {
    const guide = withMarie();
    guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    guide.choose('partly');
    const where = guide.send({ type: 'WHERE' });
    expect(ratings(where)).toEqual([{ type: 'rateTicket', rating: 'partly', word: null }]);
    expect(where).toContainEqual({ type: 'progress' });
    expect(guide.state).toBe('planning');
    expect(ratings(guide.choose('done'))).toEqual([]);
    // Forgetting everything from the word's prompt: the tap was given, it goes first.
    const forgetting = withMarie();
    forgetting.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    forgetting.choose('helped');
    expect(ratings(forgetting.send({ type: 'FORGET' }))).toEqual([{ type: 'rateTicket', rating: 'helped', word: null }]);
    expect(forgetting.state).toBe('confirmForget');
  });

  it('a conversation saved at the word restores there and goes on', () => {
    const guide = withMarie();
    guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie', rate: true });
    guide.choose('helped');
    const saved = JSON.parse(JSON.stringify(guide.actor.getPersistedSnapshot()));
    const restored = startGuide({ snapshot: saved });
    expect(restored.state).toBe('rateWord');
    expect(ratings(restored.send({ type: 'TEXT', text: 'top' }))).toEqual([{ type: 'rateTicket', rating: 'helped', word: 'top' }]);
    expect(restored.state).toBe('planning');
    // And one saved before ratings existed (no `rating` in its context) restores as it was.
    const old = JSON.parse(JSON.stringify(withMarie().actor.getPersistedSnapshot()));
    delete old.context.rating;
    const actor = createActor(machine, { snapshot: old } as never).start();
    expect(actor.getSnapshot().value).toBe('withVolunteer');
  });
});
