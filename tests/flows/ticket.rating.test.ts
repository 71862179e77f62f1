import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { mayAskRating, ticketMachine } from '../../src/flows/ticket.machine.js';
import type { TicketContext, TicketEvent, TicketIntent, Volunteer } from '../../src/flows/ticket.types.js';
import { createDeskTexts } from '../../src/render/desk-text.js';
import { createTexts } from '../../src/render/i18n.js';
import { loadCatalog } from '../../src/catalog/load.js';

const marie: Volunteer = { desk: 'matrix', id: '@marie:asso.org', name: 'Marie', signature: 'Marie' };

function ticket() {
  const intents: TicketIntent[] = [];
  const actor = createActor(ticketMachine, {
    input: { card: { oldProvider: 'gmail', answers: {}, chosen: 'posteo', step: null, lang: 'fr', platform: 'telegram', name: null } },
  });
  actor.on('*', (intent) => intents.push(intent as TicketIntent));
  actor.start();
  const send = (event: TicketEvent) => {
    intents.length = 0;
    actor.send(event);
    return [...intents];
  };
  return { actor, send, state: () => actor.getSnapshot().value, context: () => actor.getSnapshot().context as TicketContext };
}

function helpedAndClosed() {
  const t = ticket();
  t.send({ type: 'CONSENT', shareName: false });
  t.send({ type: 'CLAIM', volunteer: marie });
  t.send({ type: 'CLOSE', by: 'volunteer', volunteer: marie });
  return t;
}

describe('rating a closed ticket', () => {
  it('is asked after help, once: the rating goes to the card, a notice and the per-desk count', () => {
    const t = helpedAndClosed();
    expect(mayAskRating(t.context())).toBe(true);
    const intents = t.send({ type: 'RATE', rating: 'partly', word: '  merci quand même ' });
    expect(t.context().rating).toEqual({ value: 'partly', word: 'merci quand même' });
    expect(intents).toEqual([{ type: 'deskNotice', notice: 'rated' }, { type: 'updateCard' }, { type: 'countRating', rating: 'partly' }]);
    expect(mayAskRating(t.context())).toBe(false);
    expect(t.send({ type: 'RATE', rating: 'helped' })).toEqual([]);
    expect(t.context().rating?.value).toBe('partly');
  });

  it('is not asked when nobody helped, the person erased their data or went silent; not before the close', () => {
    const closedWaiting = ticket();
    closedWaiting.send({ type: 'CONSENT', shareName: false });
    expect(closedWaiting.send({ type: 'RATE', rating: 'helped' })).toEqual([]); // queued: not a state that rates
    closedWaiting.send({ type: 'USER_CLOSE' });
    expect(mayAskRating(closedWaiting.context())).toBe(false);
    expect(closedWaiting.send({ type: 'RATE', rating: 'not' })).toEqual([]);

    const erased = ticket();
    erased.send({ type: 'CONSENT', shareName: false });
    erased.send({ type: 'CLAIM', volunteer: marie });
    erased.send({ type: 'ERASED' });
    expect(mayAskRating(erased.context())).toBe(false);

    const silent = ticket();
    silent.send({ type: 'CONSENT', shareName: false });
    silent.send({ type: 'CLAIM', volunteer: marie });
    silent.send({ type: 'DEADLINE', deadline: 'inactive' });
    silent.send({ type: 'DEADLINE', deadline: 'stillThere' });
    expect(silent.context().closeReason).toBe('inactive');
    expect(mayAskRating(silent.context())).toBe(false);
  });

  it('a reopened ticket forgets the old rating, so its next close is asked again', () => {
    const t = helpedAndClosed();
    t.send({ type: 'RATE', rating: 'not' });
    t.send({ type: 'REOPEN' });
    expect(t.context().rating).toBeNull();
    t.send({ type: 'CLAIM', volunteer: marie });
    t.send({ type: 'HANDBACK', volunteer: marie });
    expect(mayAskRating(t.context())).toBe(true);
  });

  it('a ticket stored before ratings existed (no rating in its context) restores unrated and can be rated', () => {
    const t = helpedAndClosed();
    const snapshot = JSON.parse(JSON.stringify(t.actor.getPersistedSnapshot()));
    delete snapshot.context.rating;
    const restored = createActor(ticketMachine, { snapshot } as never).start();
    expect(mayAskRating(restored.getSnapshot().context)).toBe(true);
    restored.send({ type: 'RATE', rating: 'helped' });
    expect(restored.getSnapshot().context.rating).toEqual({ value: 'helped', word: null });
  });

  it('the card and the notice show it, the word escaped once', () => {
    const t = helpedAndClosed();
    t.send({ type: 'RATE', rating: 'helped', word: 'top *merci*' });
    const texts = createTexts();
    const desk = createDeskTexts(texts.t('fr'), loadCatalog(), 'fr', 'Europe/Paris');
    const facts = { id: 7, status: 'closed' as const, queued_at: 0, created_at: 0 };
    expect(desk.card(facts, t.context(), 60).text).toContain('Note de la personne : ça a aidé — « top \\*merci\\* ».');
    expect(desk.notice({ type: 'deskNotice', notice: 'rated' }, t.context())).toBe(
      '⭐ La personne a répondu à « cela vous a-t-il aidé ? ». Note de la personne : ça a aidé — « top \\*merci\\* ».',
    );
  });
});
