/**
 * The département through the desk (issue 17), on a real SQLite file with the real engine, guide, interpreter and
 * renderer, and in-memory desk ports (tests/support/fake-desk.ts, as in ./coalition.test.ts: the desks' logic is
 * the subject). A person who wants to meet someone in person gives "Hauts-de-Seine" at the consent question: the
 * card they are shown again, and the volunteers' card, say so, and the ticket goes to the desk serving the 92.
 * At the plan's end, the events near them are offered with the online ones. /mesdonnees shows it; /oublier erases it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import { parseDesks } from '../../src/desk/desks.js';
import { parseEvents } from '../../src/catalog/events.js';
import { contextOf } from '../../src/desk/snapshot.js';
import { plainText } from '../../src/render/markup.js';
import { catalog, makeEngine, tempDbPath, texts } from '../support/engine.js';
import { FakeDeskPort } from '../support/fake-desk.js';

const HOSTS = new Set(catalog.providers.map((p) => p.id));
/** Wednesday 25 November 2026, 11:00 in Paris: both desks open, the example events all to come. */
const WEDNESDAY_MORNING = Date.UTC(2026, 10, 25, 10, 0, 0);
const EVENTS = parseEvents(JSON.parse(readFileSync(new URL('../../data/events.example.json', import.meta.url), 'utf8')));

function world(options: { events?: boolean; girofleHours?: Record<string, string[]> } = {}) {
  const tmp = tempDbPath();
  const clock = () => WEDNESDAY_MORNING;
  const made = makeEngine(tmp.path, { now: clock, ...(options.events ? { events: EVENTS } : {}) });
  const desks = parseDesks(
    {
      desks: [
        {
          id: 'girofle',
          name: 'Le Cloud Girofle',
          telegramChatId: '-1001',
          langs: ['fr'],
          timeZone: 'Europe/Paris',
          ...(options.girofleHours ? { hours: options.girofleHours } : {}),
          serves: { departements: ['92'] },
        },
        { id: 'coalition', name: 'Démailnagement', matrixRoomId: '!c:example.org', langs: ['fr'], timeZone: 'Europe/Paris', serves: { default: true } },
      ],
    },
    HOSTS,
  );
  const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: clock, lang: 'fr', desks, ...(options.events ? { events: EVENTS } : {}) });
  const ports = { girofle: new FakeDeskPort('telegram/girofle'), coalition: new FakeDeskPort('matrix/coalition') };
  for (const port of Object.values(ports)) desk.register(port);
  return {
    ...made,
    ports,
    tmp,
    lastText: () => plainText(made.sender.last.text),
    choiceIds: () => made.sender.last.choices.map((c) => c.id),
    card: () => contextOf(made.db.prepare('SELECT * FROM tickets ORDER BY id DESC LIMIT 1').get() as never).card,
  };
}
type World = ReturnType<typeof world>;

/** Through the questions to the first host offered, as a person pressing the first choice each time. */
async function toPlan(w: World, chatId = 'alice') {
  const c = w.chat(chatId);
  await c.start();
  await c.press('begin');
  for (let i = 0; i < 20 && !w.choiceIds().some((id) => id.startsWith('provider:')); i++) await c.press(w.choiceIds()[0]!);
  await c.press(w.choiceIds().find((id) => id.startsWith('provider:'))!);
  return c;
}

let w: World | undefined;
afterEach(() => {
  w?.close();
  w?.tmp.cleanup();
  w = undefined;
});

describe('the département through the desk', () => {
  it('given at the consent question, it is on both cards and the ticket goes to the desk serving it', async () => {
    w = world();
    const c = await toPlan(w);
    await c.press('human');
    expect(w.choiceIds()).toEqual(['yes', 'yesWithName', 'meetInPerson', 'no']);
    await c.press('meetInPerson');
    expect(w.lastText()).toMatch(/numéro de département.*rien de plus précis/s);
    expect(w.lastText()).toMatch(/Rien n'est transmis pour l'instant : ensuite, je vous remontre exactement ce que verra/);
    // Not "declined": the consent question comes back once the département is given.
    expect(w.lastText()).not.toMatch(/je n'ai rien transmis/);
    await c.say('je sais pas');
    expect(w.lastText()).toMatch(/Je n'ai pas reconnu de département.*35000 → 35/s);
    await c.say('hauts de seine');
    expect(w.lastText()).toMatch(/Noté : Hauts-de-Seine \(92\)\./);
    // The consent question again, its card now saying it.
    expect(w.lastText()).toMatch(/Département : Hauts-de-Seine \(92\)/);
    expect(w.choiceIds()).toEqual(['yes', 'yesWithName', 'meetInPerson', 'no']);
    expect(w.card().departement).toBe('92');
    await c.press('yes');
    expect(w.ports.girofle.threads.size).toBe(1);
    expect(w.ports.coalition.threads.size).toBe(0);
    expect(plainText(w.ports.girofle.only().card.text)).toMatch(/Département : Hauts-de-Seine \(92\)/);
  });

  it('without one, the same person goes to the desk for everyone else, and no card names a département', async () => {
    w = world();
    const c = await toPlan(w);
    await c.press('human');
    await c.press('yes');
    expect(w.ports.coalition.threads.size).toBe(1);
    expect(w.ports.girofle.threads.size).toBe(0);
    expect(plainText(w.ports.coalition.only().card.text)).not.toMatch(/Département/);
  });

  it('a postcode is echoed for confirmation, never noted silently; "non" leaves without it', async () => {
    w = world();
    const c = await toPlan(w);
    await c.press('human');
    await c.press('meetInPerson');
    await c.say('92100');
    expect(w.lastText()).toMatch(/code postal.*département Hauts-de-Seine \(92\) \?/s);
    expect(w.choiceIds()).toEqual(['yes', 'no']);
    await c.say('non');
    expect(w.lastText()).toMatch(/numéro de département/);
    await c.say('non');
    expect(w.lastText()).not.toMatch(/Noté/);
    expect(w.lastText()).toMatch(/Voici \*\*exactement\*\*|Voici exactement ce que la personne verra/);
    await c.press('yes');
    expect(w.card()).not.toHaveProperty('departement');
    expect(w.ports.coalition.threads.size).toBe(1);
  });

  it('at the plan\'s end: the events near them join the online ones; /mesdonnees shows it, /oublier erases it', async () => {
    w = world({ events: true });
    const c = await toPlan(w);
    for (let i = 0; i < 30 && !w.choiceIds().includes('otherProvider'); i++) await c.press('skip');
    expect(w.lastText()).toMatch(/EXEMPLE — Webinaire/);
    expect(w.lastText()).not.toMatch(/EXEMPLE — Permanence/);
    await c.press('meetInPerson');
    await c.say('Paris');
    // Noted, honest that nothing is held in Paris, and back at the plan's end.
    expect(w.lastText()).toMatch(/Noté : Paris \(75\)\./);
    expect(w.lastText()).toMatch(/Aucun atelier en personne n'est annoncé dans ce département/);
    await c.press('meetInPerson');
    expect(w.lastText()).toMatch(/Noté pour l'instant : Paris \(75\)/);
    await c.say('92');
    expect(w.lastText()).toMatch(/Noté : Hauts-de-Seine \(92\)\./);
    expect(w.lastText()).not.toMatch(/Aucun atelier en personne/);
    expect(w.lastText()).toMatch(/EXEMPLE — Webinaire[\s\S]*EXEMPLE — Permanence/);
    await c.say('/mesdonnees');
    expect(w.sender.sent.map((s) => plainText(s.message.text)).join('\n')).toMatch(/Département \(pour rencontrer quelqu'un près de chez vous\) : Hauts-de-Seine \(92\)/);
    await c.say('/oublier');
    await c.press('yes');
    await c.start();
    await c.say('/mesdonnees');
    expect(w.lastText()).not.toMatch(/Département/);
  });

  it('outside the desk\'s hours, the queue\'s note offers the events near them too', async () => {
    const evenings = { mon: ['18:00-21:00'], tue: ['18:00-21:00'], wed: ['18:00-21:00'], thu: ['18:00-21:00'], fri: ['18:00-21:00'] };
    w = world({ events: true, girofleHours: evenings });
    const c = await toPlan(w);
    await c.press('human');
    await c.press('meetInPerson');
    await c.say('92');
    await c.press('yes');
    expect(w.ports.girofle.threads.size).toBe(1);
    expect(w.lastText()).toMatch(/18 h/);
    expect(w.lastText()).toMatch(/EXEMPLE — Webinaire[\s\S]*EXEMPLE — Permanence/);
  });

  it('in English too', async () => {
    w = world();
    const c = await toPlan(w, 'bob');
    await c.say('/lang en');
    await c.press('human');
    await c.press('meetInPerson');
    expect(w.lastText()).toMatch(/Your département number \(e\.g\. 35\), only to find help near you — nothing finer/);
    await c.say('I live in the Hauts-de-Seine');
    expect(w.lastText()).toMatch(/Noted: Hauts-de-Seine \(92\)\./);
    await c.press('yes');
    expect(w.ports.girofle.threads.size).toBe(1);
  });
});
