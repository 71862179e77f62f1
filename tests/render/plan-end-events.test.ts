/**
 * The end of the plan, and a check-in, offer the campaign's next events that suit, when the composition root hands
 * them in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { nextEvents, parseEvents } from '../../src/catalog/events.js';
import { loadChecklistFile } from '../../src/catalog/checklist.js';
import { loadPlanData } from '../../src/catalog/setup-schema.js';
import { createGuideMachine } from '../../src/flows/guide.machine.js';
import type { GuideEvent } from '../../src/flows/guide.types.js';
import type { GuideStateView } from '../../src/flows/prompt.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { createTexts, type Lang } from '../../src/render/i18n.js';
import { plainText } from '../../src/render/markup.js';
import { createRenderer } from '../../src/render/render.js';
import { catalog } from '../support/guide.js';

const texts = createTexts();
const checklist = loadChecklistFile();
const planData = loadPlanData();
const machine = createGuideMachine(catalog, checklist, { setups: planData.setups, finding: planData.finding });
const events = parseEvents(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/events.example.json'), 'utf8')));
const NOW = Date.parse('2027-01-01T00:00:00Z');

function planEnd(then: GuideEvent[] = []): GuideStateView {
  const actor = createActor(machine, { input: {} }).start();
  const send = (event: GuideEvent) => actor.send(event);
  send({ type: 'CHOOSE', choice: 'begin' });
  for (let i = 0; i < 12 && JSON.stringify(actor.getSnapshot().value).includes('asking'); i++) {
    const q = actor.getSnapshot().context.question;
    const choices = QUESTIONS[q] as readonly string[];
    send({ type: 'CHOOSE', choice: choices.includes('dontKnow') ? 'dontKnow' : choices[0]! });
  }
  send({ type: 'CHOOSE', choice: `provider:${actor.getSnapshot().context.ranked[0]}` });
  for (let i = 0; i < 80 && JSON.stringify(actor.getSnapshot().value).includes('planning'); i++) {
    const view = actor.getSnapshot() as unknown as GuideStateView;
    const choices = renderer({}).promptOf(view).choices as readonly string[];
    send({ type: 'CHOOSE', choice: choices.includes('done') ? 'done' : choices.includes('skip') ? 'skip' : choices[0]! });
  }
  then.forEach(send);
  return actor.getSnapshot() as unknown as GuideStateView;
}

function renderer(options: { eventsFor?: (lang: Lang) => ReturnType<typeof nextEvents> }) {
  return createRenderer(texts, catalog, { retentionDays: 180, reminderDays: [7, 30, 90], checklist, planData, ...options });
}

describe('events at the end of the plan', () => {
  const view = planEnd();

  it('reaches the end of the plan', () => {
    expect(renderer({}).promptOf(view).kind).toBe('planEnd');
  });

  it('offers the next ones in the person\'s language, and says nothing of events when none suits', () => {
    const eventsFor = (lang: Lang) => nextEvents(events, { now: NOW, lang });
    const fr = plainText(renderer({ eventsFor }).render([], view).text);
    expect(fr).toContain('Des bénévoles de la campagne proposent aussi ces rendez-vous :');
    expect(fr).toContain('EXEMPLE — Webinaire : quitter Gmail en une soirée');
    expect(fr).not.toContain('EXAMPLE — Webinar');
    const none = plainText(renderer({ eventsFor: () => [] }).render([], view).text);
    expect(none).not.toContain('rendez-vous');
    expect(plainText(renderer({}).render([], view).text)).toBe(none);
  });
});

describe('events in a check-in', () => {
  it('adds the next ones under the check-in\'s question, and nothing when none suits', () => {
    // Reminders on (the check-ins come only then), then the 30-day one.
    const view = planEnd([{ type: 'REMINDERS' }, { type: 'CHOOSE', choice: 'yes' }, { type: 'CHECKIN', day: 30, last: false }]);
    expect(renderer({}).promptOf(view).kind).toBe('checkin');
    const eventsFor = (lang: Lang) => nextEvents(events, { now: NOW, lang });
    const withEvents = plainText(renderer({ eventsFor }).render([], view).text);
    expect(withEvents).toContain('Des bénévoles de la campagne proposent aussi ces rendez-vous :');
    expect(withEvents).toContain('EXEMPLE — Webinaire : quitter Gmail en une soirée');
    expect(withEvents.indexOf('rendez-vous')).toBeGreaterThan(withEvents.indexOf(plainText(texts.t('fr')('followup:checkin.whichSites'))));
    expect(plainText(renderer({ eventsFor: () => [] }).render([], view).text)).not.toContain('rendez-vous');
  });
});
