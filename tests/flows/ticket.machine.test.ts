import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { ticketMachine } from '../../src/flows/ticket.machine.js';
import type { TicketEvent, TicketIntent, Volunteer } from '../../src/flows/ticket.types.js';

const marie: Volunteer = { desk: 'matrix', id: '@marie:asso.org', name: 'Marie', signature: 'Marie' };
const paul: Volunteer = { desk: 'telegram', id: '42', name: 'Paul', signature: null };

function ticket() {
  const intents: TicketIntent[] = [];
  const actor = createActor(ticketMachine, {
    input: {
      card: { oldProvider: 'gmail', answers: {}, chosen: 'posteo', step: null, lang: 'fr', platform: 'telegram', name: null },
    },
  });
  actor.on('*', (intent) => intents.push(intent as TicketIntent));
  actor.start();
  const send = (event: TicketEvent) => {
    intents.length = 0;
    actor.send(event);
    return [...intents];
  };
  return { actor, send, state: () => actor.getSnapshot().value, context: () => actor.getSnapshot().context };
}

describe('ticket machine', () => {
  it('starts asked; consent queues it, opens a thread and schedules the unclaimed alert', () => {
    const t = ticket();
    expect(t.state()).toBe('asked');
    const intents = t.send({ type: 'CONSENT', shareName: true, name: ' Jeanne ' });
    expect(t.state()).toBe('queued');
    expect(t.context().card.name).toBe('Jeanne');
    expect(intents.map((i) => i.type)).toEqual(['openThread', 'deskNotice', 'schedule', 'count']);
  });

  it('keeps the name out of the card when the person did not agree to share it', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false, name: 'Jeanne' });
    expect(t.context().card.name).toBeNull();
  });

  it('declining ends it without anything reaching the desk', () => {
    const t = ticket();
    expect(t.send({ type: 'DECLINE' })).toEqual([]);
    expect(t.actor.getSnapshot().status).toBe('done');
  });

  it('one volunteer wins a claim; the other is told who holds it', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    const won = t.send({ type: 'CLAIM', volunteer: marie });
    expect(t.state()).toBe('claimed');
    expect(won).toContainEqual({ type: 'tellUser', news: 'claimed', volunteer: marie });
    expect(won).toContainEqual({ type: 'cancel', deadline: 'unclaimed' });
    expect(won).toContainEqual({ type: 'schedule', deadline: 'inactive' });
    const lost = t.send({ type: 'CLAIM', volunteer: paul });
    expect(lost).toEqual([{ type: 'refuse', to: paul, refusal: 'alreadyClaimed', holder: marie }]);
    expect(t.context().holder).toEqual(marie);
    expect(t.send({ type: 'CLAIM', volunteer: marie })).toEqual([{ type: 'refuse', to: marie, refusal: 'alreadyHolder', holder: marie }]);
  });

  it('only the holder is relayed, releases, hands back or closes', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    expect(t.send({ type: 'VOLUNTEER_MESSAGE', volunteer: marie })).toEqual([{ type: 'refuse', to: marie, refusal: 'notClaimed' }]);
    t.send({ type: 'CLAIM', volunteer: marie });
    expect(t.send({ type: 'VOLUNTEER_MESSAGE', volunteer: marie })).toEqual([{ type: 'relayToUser', volunteer: marie }]);
    for (const event of [
      { type: 'VOLUNTEER_MESSAGE', volunteer: paul },
      { type: 'RELEASE', volunteer: paul },
      { type: 'HANDBACK', volunteer: paul },
      { type: 'CLOSE', by: 'volunteer', volunteer: paul },
    ] as TicketEvent[]) {
      expect(t.send(event)).toEqual([{ type: 'refuse', to: paul, refusal: 'notHolder', holder: marie }]);
      expect(t.state()).toBe('claimed');
    }
  });

  it('release puts it back in the queue and tells the person; takeover reassigns it', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    t.send({ type: 'CLAIM', volunteer: marie });
    const released = t.send({ type: 'RELEASE', volunteer: marie });
    expect(t.state()).toBe('queued');
    expect(released).toContainEqual({ type: 'tellUser', news: 'released' });
    expect(released).toContainEqual({ type: 'schedule', deadline: 'unclaimed' });
    t.send({ type: 'CLAIM', volunteer: marie });
    const taken = t.send({ type: 'TAKEOVER', volunteer: paul });
    expect(t.context().holder).toEqual(paul);
    expect(taken).toContainEqual({ type: 'deskNotice', notice: 'takenOver', volunteer: paul });
    expect(taken).toContainEqual({ type: 'tellUser', news: 'claimed', volunteer: paul });
  });

  it('hand back closes it with the step for the person; the person writing again can reopen it', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    t.send({ type: 'CLAIM', volunteer: marie });
    const back = t.send({ type: 'HANDBACK', volunteer: marie, step: 'phone' });
    expect(t.state()).toBe('closed');
    expect(t.context().closeReason).toBe('handedBack');
    expect(back).toContainEqual({ type: 'tellUser', news: 'handedBack', volunteer: marie, step: 'phone' });
    expect(back).toContainEqual({ type: 'closeThread' });
    expect(t.send({ type: 'CLAIM', volunteer: paul })).toEqual([{ type: 'refuse', to: paul, refusal: 'closed' }]);
    const reopened = t.send({ type: 'REOPEN' });
    expect(t.state()).toBe('queued');
    expect(reopened).toContainEqual({ type: 'deskNotice', notice: 'reopened', volunteer: marie });
    expect(reopened).toContainEqual({ type: 'reopenThread' });
  });

  it('inactivity: "still there?" first, then closed; a word from the person cancels it', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    t.send({ type: 'CLAIM', volunteer: marie });
    expect(t.send({ type: 'DEADLINE', deadline: 'inactive' })).toContainEqual({ type: 'tellUser', news: 'stillThere' });
    const answered = t.send({ type: 'USER_MESSAGE' });
    expect(answered).toContainEqual({ type: 'cancel', deadline: 'stillThere' });
    expect(answered).toContainEqual({ type: 'schedule', deadline: 'inactive' });
    // A stale stillThere deadline (answered meanwhile) does not close the ticket.
    t.send({ type: 'DEADLINE', deadline: 'stillThere' });
    expect(t.state()).toBe('claimed');
    t.send({ type: 'DEADLINE', deadline: 'inactive' });
    const closed = t.send({ type: 'DEADLINE', deadline: 'stillThere' });
    expect(t.state()).toBe('closed');
    expect(closed).toContainEqual({ type: 'tellUser', news: 'closedInactive', volunteer: marie });
  });

  it('an unclaimed ticket alerts the desk again, and again', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    expect(t.send({ type: 'DEADLINE', deadline: 'unclaimed' })).toEqual([
      { type: 'alertDesk', alerts: 1 },
      { type: 'schedule', deadline: 'unclaimed' },
    ]);
    expect(t.send({ type: 'DEADLINE', deadline: 'unclaimed' })[0]).toEqual({ type: 'alertDesk', alerts: 2 });
  });

  it('an unreachable person is shown once, and cleared when they write again', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    t.send({ type: 'CLAIM', volunteer: marie });
    expect(t.send({ type: 'USER_UNREACHABLE' })).toContainEqual({ type: 'deskNotice', notice: 'userUnreachable' });
    expect(t.send({ type: 'USER_UNREACHABLE' })).toEqual([]);
    expect(t.send({ type: 'USER_MESSAGE' })).toContainEqual({ type: 'deskNotice', notice: 'userBack' });
    expect(t.context().userUnreachable).toBe(false);
  });

  it('erasing closes it without telling the (gone) person', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    const intents = t.send({ type: 'ERASED' });
    expect(t.context().closeReason).toBe('erased');
    expect(intents.some((i) => i.type === 'tellUser')).toBe(false);
    expect(intents).toContainEqual({ type: 'deskNotice', notice: 'erased' });
  });

  it('restores from its persisted snapshot and carries on', () => {
    const t = ticket();
    t.send({ type: 'CONSENT', shareName: false });
    t.send({ type: 'CLAIM', volunteer: marie });
    const restored = createActor(ticketMachine, { snapshot: JSON.parse(JSON.stringify(t.actor.getPersistedSnapshot())) as never } as never).start();
    expect(restored.getSnapshot().value).toBe('claimed');
    restored.send({ type: 'RELEASE', volunteer: marie });
    expect(restored.getSnapshot().value).toBe('queued');
  });
});
