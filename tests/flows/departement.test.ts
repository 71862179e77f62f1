/**
 * The département on the guide's side, by events (issue 17): asked only when the person wants to meet someone in
 * person — from the plan's end and from the consent question — noted (a number, nothing finer), a postcode's
 * confirmed first, words that give none asked again, forgotten on request, cleared by a restart; and an older
 * snapshot without the field restores as it is.
 */
import { describe, expect, it } from 'vitest';
import { answerAll, categoryIds, startGuide, type Guide } from '../support/guide.js';
import { promptOf } from '../../src/flows/prompt.js';
import { cardOf } from '../../src/flows/ticket-card.js';
import type { GuideIntent } from '../../src/flows/guide.types.js';

/** A person at the end of their plan. */
function atPlanEnd(): Guide {
  const guide = startGuide();
  guide.choose('begin');
  answerAll(guide, { oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
  guide.choose(`provider:${guide.context.ranked[0]}`);
  for (let i = 0; i < 30 && guide.state === 'planning'; i++) guide.choose('skip');
  expect(guide.state).toBe('planEnd');
  return guide;
}
const inPerson = (guide: Guide) => promptOf(guide.actor.getSnapshot(), categoryIds, { inPerson: true });
const types = (intents: GuideIntent[]) => intents.map((i) => i.type);

describe('the département, to meet someone in person', () => {
  it('is offered at the plan\'s end and at the consent question only when someone can be met in person', () => {
    const guide = atPlanEnd();
    expect(guide.prompt.choices).not.toContain('meetInPerson');
    expect(inPerson(guide).choices).toContain('meetInPerson');
    expect(inPerson(guide).choices.indexOf('meetInPerson')).toBe(inPerson(guide).choices.indexOf('restart') - 1);
    guide.send({ type: 'HUMAN', available: true });
    expect(guide.state).toBe('handoffConsent');
    expect(inPerson(guide).choices).toEqual(['yes', 'yesWithName', 'meetInPerson', 'no']);
  });

  it('from the plan\'s end: asked, noted and said back, then the plan\'s end again (its events near them)', () => {
    const guide = atPlanEnd();
    guide.choose('meetInPerson');
    expect(guide.actor.getSnapshot().value).toBe('departementAsk');
    expect(guide.prompt).toEqual({ kind: 'departement', known: null, forVolunteer: false, choices: ['back'] });
    const said = guide.choose('departement:35');
    expect(said).toContainEqual({ type: 'departementNoted', departement: '35', forVolunteer: false });
    expect(guide.state).toBe('planEnd');
    expect(guide.context.departement).toBe('35');
  });

  it('a postcode is confirmed first: yes notes it, no asks again; nothing finer is kept', () => {
    const guide = atPlanEnd();
    guide.choose('meetInPerson');
    guide.choose('postcode:35');
    expect(guide.prompt).toEqual({ kind: 'departementConfirm', departement: '35', choices: ['yes', 'no'] });
    expect(guide.context.departement).toBeNull();
    guide.choose('no');
    expect(guide.prompt.kind).toBe('departement');
    expect(guide.context.departementGuess).toBeNull();
    guide.choose('postcode:2A');
    expect(types(guide.choose('yes'))).toContain('departementNoted');
    expect(guide.context).toMatchObject({ departement: '2A', departementGuess: null });
    expect(guide.state).toBe('planEnd');
  });

  it('words that give none are answered kindly and asked again; back leaves without it', () => {
    const guide = atPlanEnd();
    guide.choose('meetInPerson');
    const said = guide.send({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(types(said)).toEqual(['departementNotUnderstood']);
    expect(guide.prompt.kind).toBe('departement');
    expect(guide.context.misunderstood).toBe(1);
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('planEnd');
    expect(guide.context.departement).toBeNull();
  });

  it('can be changed or forgotten; a restart forgets it with the rest', () => {
    const guide = atPlanEnd();
    guide.choose('meetInPerson');
    guide.choose('departement:35');
    guide.choose('meetInPerson');
    expect(guide.prompt).toEqual({ kind: 'departement', known: '35', forVolunteer: false, choices: ['forgetDepartement', 'back'] });
    expect(types(guide.choose('forgetDepartement'))).toEqual(['departementForgotten']);
    expect(guide.context.departement).toBeNull();
    guide.choose('meetInPerson');
    guide.choose('departement:29');
    guide.send({ type: 'RESTART' });
    guide.choose('yes');
    expect(guide.context.departement).toBeNull();
  });

  it('from the consent question: the request is withdrawn while it is asked, then asked again with it on the card', () => {
    const guide = atPlanEnd();
    guide.send({ type: 'HUMAN', available: true });
    const left = guide.choose('meetInPerson');
    expect(types(left)).toContain('consentDeclined');
    expect(guide.actor.getSnapshot().value).toBe('departementAskForVolunteer');
    expect(guide.prompt).toMatchObject({ kind: 'departement', forVolunteer: true });
    expect(guide.context.handoff?.status).toBe('none');
    const back = guide.choose('departement:92');
    expect(back).toContainEqual({ type: 'departementNoted', departement: '92', forVolunteer: true });
    expect(types(back)).toContain('askVolunteer');
    expect(guide.state).toBe('handoffConsent');
    expect(guide.context.handoff?.status).toBe('asked');
    expect(cardOf(guide.context, 'telegram').departement).toBe('92');
    guide.choose('yes');
    expect(guide.context.handoff?.status).toBe('queued');
  });

  it('back from the consent\'s département question returns to the consent question', () => {
    const guide = atPlanEnd();
    guide.send({ type: 'HUMAN', available: true });
    guide.choose('meetInPerson');
    expect(types(guide.send({ type: 'BACK' }))).toContain('askVolunteer');
    expect(guide.state).toBe('handoffConsent');
    expect(cardOf(guide.context, 'telegram')).not.toHaveProperty('departement');
  });

  it('a snapshot saved before the field existed restores, without one', () => {
    const guide = atPlanEnd();
    const saved = JSON.parse(JSON.stringify(guide.actor.getPersistedSnapshot())) as { context: Record<string, unknown> };
    delete saved.context.departement;
    delete saved.context.departementGuess;
    const restored = startGuide({ snapshot: saved });
    expect(restored.state).toBe('planEnd');
    expect(cardOf(restored.context, 'matrix')).not.toHaveProperty('departement');
    restored.choose('meetInPerson');
    restored.choose('departement:35');
    expect(restored.context.departement).toBe('35');
  });
});
