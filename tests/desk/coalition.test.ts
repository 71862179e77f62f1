/**
 * Several desks in one bot, through the desk core on a real SQLite file with the real engine and guide, and
 * in-memory desk ports (tests/support/fake-desk.ts) named as the desks' ports are ("telegram/arn",
 * "matrix/coalition"): here the desks' logic is the subject, so the ports are faked; the real adapters opening one
 * port per desk are tested on their own servers (tests/matrix/desks.test.ts, tests/telegram/desks.test.ts). A fake
 * clock drives the hours and the durable deadlines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import { parseDesks } from '../../src/desk/desks.js';
import type { DeskInbound } from '../../src/desk/port.js';
import { contextOf } from '../../src/desk/snapshot.js';
import { plainText } from '../../src/render/markup.js';
import { readStats } from '../../src/stats/report.js';
import { deskStats, formatDeskTable } from '../../src/stats/desk-report.js';
import { catalog, makeEngine, tempDbPath, texts } from '../support/engine.js';
import { FakeDeskPort } from '../support/fake-desk.js';

const HOUR = 3600_000;
const HOSTS = new Set(catalog.providers.map((p) => p.id));
/** Wednesday 25 November 2026, 11:00 in Paris: every desk below is open. */
const WEDNESDAY_MORNING = Date.UTC(2026, 10, 25, 10, 0, 0);
/** Friday 27 November 2026, 22:00 in Paris: ARN (weekdays 18–21) is closed until Monday. */
const FRIDAY_NIGHT = Date.UTC(2026, 10, 27, 21, 0, 0);

const ARN_HOURS = { mon: ['09:00-21:00'], tue: ['09:00-21:00'], wed: ['09:00-21:00'], thu: ['09:00-21:00'], fri: ['09:00-21:00'] };

function desksFile(arnHost: string, arnHours: Record<string, string[]> = ARN_HOURS) {
  return {
    desks: [
      {
        id: 'arn',
        name: 'ARN',
        telegramChatId: '-1001',
        langs: ['fr'],
        timeZone: 'Europe/Paris',
        hours: arnHours,
        serves: { hosts: [arnHost] },
        volunteers: ['telegram:1'],
      },
      { id: 'libretic', name: 'Libretic', telegramChatId: '-1002', langs: ['fr', 'en'], timeZone: 'Europe/Paris', serves: { langs: ['en'] } },
      { id: 'coalition', name: 'Démailnagement', matrixRoomId: '!c:example.org', langs: ['fr'], timeZone: 'Europe/Paris', serves: { default: true } },
    ],
  };
}

function world(options: { arnHost: string; start?: number; arnHours?: Record<string, string[]> }) {
  const tmp = tempDbPath();
  let now = options.start ?? WEDNESDAY_MORNING;
  const clock = () => now;
  const made = makeEngine(tmp.path, { now: clock });
  const desks = parseDesks(desksFile(options.arnHost, options.arnHours), HOSTS);
  const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: clock, lang: 'fr', desks });
  const ports = {
    arn: new FakeDeskPort('telegram/arn'),
    libretic: new FakeDeskPort('telegram/libretic'),
    coalition: new FakeDeskPort('matrix/coalition'),
  };
  ports.arn.members.add('1').add('2');
  ports.coalition.members.add('@marie:asso.org');
  for (const port of Object.values(ports)) desk.register(port);
  let n = 0;
  const act = (port: FakeDeskPort, id: string, name: string) => (text: string, threadId = port.only().id) =>
    desk.receive({ desk: port.name, threadId, messageId: `d${++n}`, from: { id, name }, input: { kind: 'text', text } } as DeskInbound);
  return {
    ...made,
    desk,
    ports,
    tmp,
    advance: (ms: number) => (now += ms),
    /** ARN's volunteer (on its allow-list) and a member of ARN's group who is not on it. */
    arnVolunteer: act(ports.arn, '1', 'Alix'),
    arnMember: act(ports.arn, '2', 'Bob'),
    marie: act(ports.coalition, '@marie:asso.org', 'Marie'),
    userTexts: () => made.sender.sent.map((s) => plainText(s.message.text)),
    chosen: () => contextOf(made.db.prepare('SELECT * FROM tickets ORDER BY id DESC LIMIT 1').get() as never).card.chosen,
  };
}

type World = ReturnType<typeof world>;

async function escalate(w: World, chatId = 'alice') {
  const c = w.chat(chatId);
  await c.start();
  await c.press('begin');
  for (let i = 0; i < 20 && !w.sender.last.choices.some((ch) => ch.id.startsWith('provider:')); i++) {
    await c.press(w.sender.last.choices[0]!.id);
  }
  await c.press(w.sender.last.choices.find((ch) => ch.id.startsWith('provider:'))!.id);
  await c.press('human');
  await c.send({ kind: 'choice', choice: 'yes', promptSeq: w.sender.last.promptSeq });
  return c;
}

/** The host the scripted person ends up choosing (the first one offered): found once, by walking the guide. */
async function chosenHost(): Promise<string> {
  const probe = world({ arnHost: 'posteo' });
  try {
    await escalate(probe);
    return probe.chosen()!;
  } finally {
    probe.close();
    probe.tmp.cleanup();
  }
}

let w: World | undefined;
afterEach(() => {
  w?.close();
  w?.tmp.cleanup();
  w = undefined;
});

describe('several desks', () => {
  it('a ticket goes to the desk of the chosen host; the rest to the desk for everyone else', async () => {
    const host = await chosenHost();
    w = world({ arnHost: host });
    await escalate(w);
    expect(w.ports.arn.threads.size).toBe(1);
    expect(w.ports.coalition.threads.size).toBe(0);
    w.close();
    w.tmp.cleanup();

    w = world({ arnHost: [...HOSTS].find((id) => id !== host)! });
    await escalate(w);
    expect(w.ports.arn.threads.size).toBe(0);
    expect(w.ports.coalition.threads.size).toBe(1);
  });

  it('the allow-list is the desk\'s: a member of ARN\'s group who is not on ARN\'s list cannot act', async () => {
    w = world({ arnHost: await chosenHost() });
    await escalate(w);
    await w.arnMember('/claim');
    expect(w.ports.arn.only().posts.at(-1)?.text).toMatch(/bénévole/i);
    expect(w.ports.arn.only().title).toMatch(/en attente/);
    await w.arnVolunteer('/claim');
    expect(w.ports.arn.only().title).toMatch(/pris par Alix/);
  });

  it('/transfer NAME moves the card to the other desk and tells the person; the history stays behind', async () => {
    w = world({ arnHost: 'posteo' === (await chosenHost()) ? 'mailo' : 'posteo' });
    await escalate(w);
    const first = w.ports.coalition.only();
    await w.marie('Bonjour, je regarde.'); // unclaimed: not relayed, only on this desk
    await w.marie('/transfer arn');
    expect(first.closed).toBe(true);
    expect(first.posts.at(-1)?.text).toContain('passe la demande à l’équipe ARN');
    const moved = w.ports.arn.only();
    expect(moved.card.text).toContain('#1');
    expect(moved.posts.map((p) => p.text).join('\n')).toContain('Demande passée par l’équipe Démailnagement');
    expect(moved.posts.map((p) => p.text).join('\n')).not.toContain('je regarde');
    expect(w.userTexts().at(-1)).toContain('Votre demande passe à l’équipe de bénévoles ARN');
    await w.arnVolunteer('/claim');
    expect(w.ports.arn.only().title).toMatch(/pris par Alix/);
    // An unknown desk: refused, with the names one can give.
    await w.arnVolunteer('/transfer framasoft');
    expect(w.ports.arn.only().posts.at(-1)?.text).toContain('Libretic');
  });

  it('outside the desk\'s hours the person is told when someone will be there, and re-alerts wait for the opening', async () => {
    w = world({ arnHost: await chosenHost(), start: FRIDAY_NIGHT, arnHours: { mon: ['18:00-21:00'], tue: ['18:00-21:00'], wed: ['18:00-21:00'], thu: ['18:00-21:00'], fri: ['18:00-21:00'] } });
    await escalate(w);
    const told = w.userTexts().join('\n');
    expect(told).toContain('du lundi au vendredi, 18 h–21 h');
    expect(told).toContain('prochaine permanence : lundi 30 novembre');
    // Four hours later it is 02:00 on Saturday: no one is there to alert.
    w.advance(4 * HOUR + 1);
    await w.engine.fireDue();
    expect(w.ports.arn.announced).toHaveLength(0);
    // Four *open* hours: Monday's three and Tuesday's first; the alert comes on Tuesday at 19:00.
    w.advance(3 * 24 * HOUR + 16 * HOUR);
    await w.engine.fireDue();
    expect(w.ports.arn.announced).toHaveLength(0);
    w.advance(2 * HOUR);
    await w.engine.fireDue();
    expect(w.ports.arn.announced).toHaveLength(1);
  });

  it('the per-desk statistics count the ticket, its wait in open hours and its close, under the desk\'s id', async () => {
    w = world({ arnHost: await chosenHost() });
    await escalate(w);
    w.advance(HOUR);
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    const rows = readStats(w.db).filter((r) => r.metric.startsWith('desk.'));
    expect(rows.map((r) => `${r.metric} ${r.detail} ${r.count}`).sort()).toEqual([
      'desk.closed arn 1',
      'desk.tickets arn 1',
      'desk.toClose arn:le60 1',
      'desk.wait arn:le60 1',
    ]);
  });

  it('a held ticket moves only at its holder\'s word, and goes back in the queue there', async () => {
    w = world({ arnHost: 'posteo' === (await chosenHost()) ? 'mailo' : 'posteo' });
    await escalate(w);
    await w.marie('/claim');
    expect(w.ports.coalition.only().title).toMatch(/pris par Marie/);
    await w.marie('/transfer Libretic');
    const moved = w.ports.libretic.only();
    expect(moved.title).toMatch(/en attente/);
    expect(w.ports.coalition.threads.size).toBe(1);
    expect([...w.ports.coalition.threads.values()][0]!.closed).toBe(true);
  });
});

describe('the single desk of the variables', () => {
  it('has nobody to transfer to, and says so', async () => {
    const tmp = tempDbPath();
    const made = makeEngine(tmp.path, { now: () => WEDNESDAY_MORNING });
    const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: () => WEDNESDAY_MORNING, lang: 'fr' });
    const port = new FakeDeskPort('matrix');
    port.members.add('@marie:asso.org');
    desk.register(port);
    w = { ...made, desk, ports: { coalition: port }, tmp } as unknown as World;
    await escalate(w);
    await desk.receive({ desk: 'matrix', threadId: port.only().id, messageId: 'x1', from: { id: '@marie:asso.org', name: 'Marie' }, input: { kind: 'text', text: '/transfer arn' } });
    expect(port.only().posts.at(-1)?.text).toBe('Il n’y a pas d’autre équipe de bénévoles sur ce bot : rien à transférer.');
  });
});

describe('did this help?', () => {
  const choices = (x: World) => x.sender.last.choices.map((ch) => ch.id);

  it('closed by the volunteer: one tap, a word with an address in it; the card shows both, masked; the desk\'s statistics count it', async () => {
    w = world({ arnHost: await chosenHost() });
    const c = await escalate(w);
    w.advance(HOUR);
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    expect(w.userTexts().at(-1)).toContain('La conversation avec le / la bénévole est close');
    expect(w.userTexts().at(-1)).toContain('cette aide vous a été utile ?');
    expect(choices(w)).toEqual(['helped', 'partly', 'not']);

    await c.press('helped');
    expect(choices(w)).toEqual(['skip']);
    await c.say('Merci Alix, très clair ! Écrivez-moi à jeanne.dupont@free.fr si besoin, mdp Soleil2024!');
    expect(w.userTexts().at(-1)).toContain('Merci pour votre réponse et votre mot');
    expect(w.userTexts().at(-1)).toContain("J'ai retiré l'adresse e-mail");
    // Back where she was: the plan step she had reached.
    expect(choices(w)).toContain('done');

    await w.desk.flush();
    const thread = w.ports.arn.only();
    const card = plainText(thread.card.text);
    expect(card).toContain('Note de la personne : ça a aidé — « Merci Alix, très clair ! Écrivez-moi à •••••• si besoin, mdp •••••• »');
    expect(thread.posts.at(-1)!.text).toContain('La personne a répondu');
    // Nothing stores the address or the password: not the ticket, not the guide's conversation.
    const stored = JSON.stringify(w.db.prepare('SELECT snapshot FROM tickets UNION ALL SELECT snapshot FROM conversations').all());
    expect(stored).not.toContain('jeanne.dupont');
    expect(stored).not.toContain('Soleil2024');

    const rows = readStats(w.db).filter((r) => r.metric === 'desk.rated');
    expect(rows.map((r) => `${r.detail} ${r.count}`)).toEqual(['arn:helped 1']);
    // What `npm run stats` prints per desk (src/stats/cli.ts): one rated, helped, 100 % helped.
    const line = formatDeskTable(deskStats(readStats(w.db))).split('\n').find((l) => l.startsWith('arn'))!;
    expect(line.split(/\s{2,}/).slice(-5)).toEqual(['1', '1', '0', '0', '100.0%']);
  });

  it('is asked once: a second answer changes nothing, and a reopened ticket is asked again at its next close', async () => {
    w = world({ arnHost: await chosenHost() });
    const c = await escalate(w);
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    await c.press('not');
    await c.press('skip');
    expect(w.userTexts().at(-1)).toContain('Merci pour votre réponse');
    // Asked again for a volunteer: the same ticket reopens, and its next close is a new question.
    await c.press('human');
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    expect(choices(w)).toEqual(['helped', 'partly', 'not']);
    await c.press('partly');
    await c.press('skip');
    const rows = readStats(w.db).filter((r) => r.metric === 'desk.rated');
    expect(rows.map((r) => `${r.detail} ${r.count}`).sort()).toEqual(['arn:not 1', 'arn:partly 1']);
  });

  it('never traps: a command at the question is answered where she was, and nothing is rated', async () => {
    w = world({ arnHost: await chosenHost() });
    const c = await escalate(w);
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    await c.say('/ou');
    expect(w.userTexts().at(-1)).not.toContain('utile ?');
    expect(choices(w)).toContain('done');
    expect(readStats(w.db).filter((r) => r.metric === 'desk.rated')).toEqual([]);
    // Gone for good: an answer later is an old button, not a rating.
    await c.send({ kind: 'choice', choice: 'helped', promptSeq: w.sender.last.promptSeq - 1 });
    expect(readStats(w.db).filter((r) => r.metric === 'desk.rated')).toEqual([]);
  });

  it('"fait" typed at the question is no rating: it answers the plan step she was at', async () => {
    w = world({ arnHost: await chosenHost() });
    const c = await escalate(w);
    const stepBefore = (w.db.prepare('SELECT snapshot FROM conversations').get() as { snapshot: string }).snapshot.match(/"cursor":(\d+)/)![1];
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    expect(choices(w)).toEqual(['helped', 'partly', 'not']);
    await c.say('fait');
    expect(w.userTexts().at(-1)).not.toContain('pas compris');
    const stepAfter = (w.db.prepare('SELECT snapshot FROM conversations').get() as { snapshot: string }).snapshot.match(/"cursor":(\d+)/)![1];
    expect(Number(stepAfter)).toBe(Number(stepBefore) + 1);
    expect(readStats(w.db).filter((r) => r.metric === 'desk.rated')).toEqual([]);
  });

  it('the tap counts even when the word is never written: she goes on with the plan instead', async () => {
    w = world({ arnHost: await chosenHost() });
    const c = await escalate(w);
    await w.arnVolunteer('/claim');
    await w.arnVolunteer('/close');
    await c.press('partly');
    await c.say('/aide');
    expect(readStats(w.db).filter((r) => r.metric === 'desk.rated').map((r) => r.detail)).toEqual(['arn:partly']);
    await w.desk.flush();
    expect(plainText(w.ports.arn.only().card.text)).toContain('Note de la personne : en partie.');
  });
});
