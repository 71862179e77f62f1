/**
 * A person's files for the volunteer, on the guide's side, by events: the ticket's first file waits for a yes
 * (mediaConsent), then goes with those sent meanwhile; later ones go straight. However the question is left
 * without a yes, nothing goes and nothing is kept. A new ticket asks again.
 */
import { describe, expect, it } from 'vitest';
import { answerAll, startGuide, type Guide } from '../support/guide.js';
import type { GuideEvent, GuideIntent } from '../../src/flows/guide.types.js';
import type { MediaRef } from '../../src/engine/media.js';

const file = (id: string): MediaRef => ({ platform: 'telegram', id, kind: 'photo', mimeType: 'image/jpeg', size: 1000 });
const media = (id: string, extra: Partial<Extract<GuideEvent, { type: 'MEDIA' }>> = {}): GuideEvent => ({ type: 'MEDIA', media: file(id), deskAvailable: true, ...extra });
const relayed = (intents: GuideIntent[]) => intents.flatMap((i) => (i.type === 'relayMediaToVolunteer' ? [i.media.id] : []));

function withMarie(): Guide {
  const guide = startGuide();
  guide.choose('begin');
  answerAll(guide, { oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
  guide.choose(`provider:${guide.context.ranked[0]}`);
  guide.send({ type: 'HUMAN', available: true });
  guide.choose('yes');
  guide.send({ type: 'TICKET', news: 'claimed', volunteer: 'Marie' });
  expect(guide.state).toBe('withVolunteer');
  return guide;
}

describe('files for the volunteer', () => {
  it('the first waits for a yes, with those sent meanwhile; then they go in order, and the next ones go straight', () => {
    const guide = withMarie();
    expect(relayed(guide.send(media('a', { caption: 'voilà' })))).toEqual([]);
    expect(guide.state).toBe('mediaConsent');
    expect(guide.prompt).toEqual({ kind: 'mediaConsent', volunteer: 'Marie', count: 1, choices: ['sendMedia', 'cancelMedia'] });
    guide.send(media('b'));
    expect(guide.prompt).toMatchObject({ count: 2 });
    // Words meanwhile are for the volunteer, and the question stays.
    expect(guide.send({ type: 'TEXT', text: 'regardez' })).toContainEqual({ type: 'relayToVolunteer', text: 'regardez' });
    expect(guide.state).toBe('mediaConsent');
    const sent = guide.choose('sendMedia');
    expect(sent).toContainEqual({ type: 'relayMediaToVolunteer', media: file('a'), caption: 'voilà' });
    expect(relayed(sent)).toEqual(['a', 'b']);
    expect(sent).toContainEqual({ type: 'mediaSent', count: 2 });
    expect(guide.state).toBe('withVolunteer');
    expect(guide.context.heldMedia).toEqual([]);
    expect(relayed(guide.send(media('c')))).toEqual(['c']);
    expect(guide.state).toBe('withVolunteer');
  });

  it('cancel, back, or the ticket closing: nothing goes, nothing is kept', () => {
    const guide = withMarie();
    guide.send(media('a'));
    expect(guide.choose('cancelMedia')).toContainEqual({ type: 'mediaCancelled' });
    expect(guide.context.heldMedia).toEqual([]);
    guide.send(media('b'));
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('withVolunteer');
    expect(guide.context.heldMedia).toEqual([]);
    guide.send(media('c'));
    const closed = guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie' });
    expect(relayed(closed)).toEqual([]);
    expect(guide.context.heldMedia).toEqual([]);
    expect(guide.state).not.toBe('mediaConsent');
  });

  it('a refused file is said so and never held; with no volunteer, files are answered as the guide answers what it cannot read', () => {
    const guide = withMarie();
    expect(guide.send(media('big', { refusal: 'tooBig' }))).toContainEqual({ type: 'mediaRefused', reason: 'tooBig', what: 'photo' });
    expect(guide.state).toBe('withVolunteer');
    const alone = startGuide();
    alone.choose('begin');
    expect(alone.send(media('x'))).toContainEqual({ type: 'mediaWithoutVolunteer', what: 'photo', queued: false });
    expect(alone.context.offerHuman).toBe(true);
  });

  it('a new ticket asks again', () => {
    const guide = withMarie();
    guide.send(media('a'));
    guide.choose('sendMedia');
    guide.send({ type: 'TICKET', news: 'closed', volunteer: 'Marie' });
    guide.send({ type: 'HUMAN', available: true });
    guide.choose('yes');
    guide.send({ type: 'TICKET', news: 'claimed', volunteer: 'Paul' });
    guide.send(media('b'));
    expect(guide.state).toBe('mediaConsent');
  });
});
