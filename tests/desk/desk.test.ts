/**
 * The desk core on a real SQLite file, with the real engine and guide, and an in-memory desk port
 * (tests/support/fake-desk.ts). A fake clock drives the durable deadlines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import { plainText } from '../../src/render/markup.js';
import type { DeskInbound } from '../../src/desk/port.js';
import { RecipientGoneError } from '../../src/engine/types.js';
import { catalog, makeEngine, tempDbPath, texts } from '../support/engine.js';
import { FakeDeskPort } from '../support/fake-desk.js';

const HOUR = 3600_000;

function world(options: { port?: boolean; allowList?: string[] } = {}) {
  const tmp = tempDbPath();
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  const clock = () => now;
  const made = makeEngine(tmp.path, { now: clock });
  const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: clock, lang: 'fr', ...(options.allowList ? { allowList: options.allowList } : {}) });
  const port = new FakeDeskPort('matrix');
  port.members.add('@marie:asso.org');
  port.members.add('@paul:asso.org');
  if (options.port !== false) desk.register(port);
  let n = 0;
  const volunteer = (id: string, name: string) => (text: string, threadId = port.only().id) =>
    desk.receive({ desk: 'matrix', threadId, messageId: `d${++n}`, from: { id, name }, input: { kind: 'text', text } } as DeskInbound);
  return {
    ...made,
    desk,
    port,
    tmp,
    advance: (ms: number) => (now += ms),
    marie: volunteer('@marie:asso.org', 'Marie'),
    paul: volunteer('@paul:asso.org', 'Paul'),
    stranger: volunteer('@eve:elsewhere.org', 'Eve'),
    userTexts: () => made.sender.sent.map((s) => plainText(s.message.text)),
    posts: () => port.only().posts.map((p) => p.text),
  };
}

type World = ReturnType<typeof world>;

async function reachPlan(w: World, chatId = 'alice') {
  const c = w.chat(chatId);
  await c.start();
  await c.press('begin');
  for (let i = 0; i < 20; i++) {
    const choices = w.sender.last.choices.map((ch) => ch.id);
    const provider = choices.find((id) => id.startsWith('provider:'));
    if (provider) {
      await c.press(provider);
      return c;
    }
    await c.press(choices[0]!);
  }
  throw new Error('never reached the recommendations');
}

async function escalate(w: World, chatId = 'alice', withName = false) {
  const c = await reachPlan(w, chatId);
  await c.press('human');
  await c.send({ kind: 'choice', choice: withName ? 'yesWithName' : 'yes', promptSeq: w.sender.last.promptSeq }, { displayName: 'Jeanne Martin' });
  return c;
}

let w: World;
afterEach(() => {
  w?.close();
  w?.tmp.cleanup();
});

describe('asking for a volunteer', () => {
  beforeEach(() => {
    w = world();
  });

  it('every plan step offers a volunteer; consent shows the card first, and nothing reaches the desk before yes', async () => {
    const c = await reachPlan(w);
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('human');
    await c.press('human');
    const consent = w.userTexts().at(-1)!;
    expect(consent).toContain('exactement');
    expect(consent).toContain('Messagerie actuelle');
    expect(consent).toContain('Étape atteinte : 1/');
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['yes', 'yesWithName', 'no']);
    expect(w.port.threads.size).toBe(0);
    await c.press('no');
    expect(w.userTexts().at(-1)).toContain("je n'ai rien transmis");
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 0 });
  });

  it('a consent question left for another command withdraws the request', async () => {
    const c = await reachPlan(w);
    await c.press('human');
    expect(w.db.prepare('SELECT status FROM tickets').all()).toEqual([{ status: 'asked' }]);
    await c.say('/liste');
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 0 });
    expect(w.port.threads.size).toBe(0);
  });

  it('yes: a thread with the card, the queue place and the usual wait; the guide keeps working meanwhile', async () => {
    await escalate(w);
    const reply = w.userTexts().at(-1)!;
    expect(reply).toMatch(/n°1 dans la file/);
    expect(reply).toContain('environ 4 heures'); // no history: the configured default (240 min)
    const thread = w.port.only();
    expect(thread.title).toMatch(/^#\d+ · .+ → .+ · étape 1 · en attente$/);
    expect(plainText(thread.card.text)).toContain('Nom : non communiqué');
    expect(thread.card.buttons?.[0]?.id).toBe('claim');
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('done');
  });

  it('the display name reaches the card only with "yes, with my first name" — and the question shows it', async () => {
    const c = await reachPlan(w);
    await c.send({ kind: 'text', text: '/humain' }, { displayName: 'Jeanne Martin' });
    expect(w.userTexts().at(-1)).toContain('elle verra aussi : Jeanne Martin');
    await c.send({ kind: 'choice', choice: 'yesWithName', promptSeq: w.sender.last.promptSeq }, { displayName: 'Jeanne Martin' });
    expect(plainText(w.port.only().card.text)).toContain('Jeanne Martin');
  });

  it('"humain" and /humain ask too; asking again while waiting says so', async () => {
    const c = await reachPlan(w);
    await c.say('humain');
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['yes', 'yesWithName', 'no']);
    await c.say('oui');
    await c.say('/humain');
    expect(w.userTexts().at(-1)).toContain('déjà transmise');
  });

  it('without a desk, asking for a person is answered honestly', async () => {
    w.close();
    w.tmp.cleanup();
    w = world({ port: false });
    const c = await reachPlan(w);
    await c.say('/humain');
    expect(w.userTexts().at(-1)).toContain('aucun·e bénévole');
  });

  it('someone stuck (three answers not understood) is offered a person', async () => {
    const c = w.chat();
    await c.start();
    await c.press('begin');
    for (let i = 0; i < 3; i++) await c.say('blablabla');
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('human');
  });
});

describe('a volunteer takes the ticket', () => {
  beforeEach(() => {
    w = world();
  });

  it('claim, relay both ways, the bot quiet, /bot back to the guide', async () => {
    const c = await escalate(w);
    await w.marie('/name Marie');
    await w.marie('/claim');
    expect(w.userTexts().at(-1)).toContain('Marie, bénévole, a pris votre demande');
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['bot', 'closeTicket']);
    expect(w.port.only().title).toContain('pris par Marie');

    const before = w.sender.sent.length;
    await c.say("Bonjour, je n'arrive pas à importer mes messages");
    expect(w.sender.sent.length).toBe(before); // quiet
    expect(w.posts().at(-1)).toContain("je n'arrive pas à importer");

    await w.marie('Bonjour ! Avez-vous créé un mot de passe d’application ?');
    expect(w.userTexts().at(-1)).toContain('Marie :');
    expect(w.userTexts().at(-1)).toContain('mot de passe d’application');

    // A word that is a choice label elsewhere is for the volunteer here.
    await c.say('terminer');
    expect(w.posts().at(-1)).toContain('terminer');

    // Too long to pass on: said so, nothing half-sent.
    const posted = w.posts().length;
    await c.say('x'.repeat(5000));
    expect(w.userTexts().at(-1)).toContain('trop long pour être transmis');
    expect(w.posts().length).toBe(posted);

    await c.say('/bot');
    expect(w.userTexts().at(-1)).toContain('je reprends la main');
    expect(w.posts().at(-1)).toContain('revenue au guide');
    expect(w.port.only().closed).toBe(true);
  });

  it('masks a password before the desk sees it, and reminds the person', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await c.say('mon mdp c’est Soleil2024!');
    expect(w.posts().at(-1)).not.toContain('Soleil2024');
    expect(w.userTexts().at(-1)).toContain('masqué');
  });

  it('two volunteers race to claim: one wins, the other is told who holds it', async () => {
    await escalate(w);
    await Promise.all([w.marie('/claim'), w.paul('/claim')]);
    const posts = w.posts();
    expect(posts.filter((p) => p.includes('prend la demande'))).toHaveLength(1);
    expect(posts.some((p) => p.includes('déjà prise par'))).toBe(true);
    expect(w.userTexts().filter((t) => t.includes('a pris votre demande'))).toHaveLength(1);
  });

  it('a non-holder is not relayed and told why; a non-volunteer learns nothing', async () => {
    await escalate(w);
    await w.marie('/claim');
    const sent = w.sender.sent.length;
    await w.paul('Je peux aider aussi');
    expect(w.sender.sent.length).toBe(sent);
    expect(w.posts().at(-1)).toContain("n'a pas été transmis");
    await w.stranger('/claim');
    expect(w.posts().at(-1)).toBe('Désolé, seul·es les bénévoles inscrit·es de l\'association peuvent agir ici.');
  });

  it('the allow-list narrows membership', async () => {
    w.close();
    w.tmp.cleanup();
    w = world({ allowList: ['matrix:@marie:asso.org'] });
    await escalate(w);
    await w.paul('/claim');
    expect(w.posts().at(-1)).toContain('seul·es les bénévoles');
    await w.marie('/claim');
    expect(w.posts().at(-1)).toContain('prend la demande');
  });

  it('release tells the person and re-queues; handback returns them to a plan step', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await w.marie('/release');
    expect(w.userTexts().at(-1)).toContain('retourne dans la file');
    await w.paul('/claim');
    await w.paul('/handback 3');
    const last = w.userTexts().at(-1)!;
    expect(last).toContain('vous rend la main');
    // Paul helped: "did this help?" first, in one tap; then the step he handed them back to.
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['helped', 'partly', 'not']);
    await c.press('partly');
    await c.press('skip');
    expect(w.userTexts().at(-1)).toMatch(/Étape 3 sur \d+/);
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('done');
  });

  it('/snippet sends a prepared answer in the person\'s language; /note stays internal', async () => {
    const c = await escalate(w);
    await c.say('/lang en');
    await w.marie('/claim');
    const sent = w.sender.sent.length;
    await w.marie('/note she seems worried about her photos');
    expect(w.sender.sent.length).toBe(sent);
    await w.marie('/snippet importMail');
    expect(w.userTexts().at(-1)).toContain('To bring your old messages over');
    await w.marie('/snippet nope');
    expect(w.posts().at(-1)).toContain('importMail');
  });
});

describe('deadlines, faults and erasing', () => {
  beforeEach(() => {
    w = world();
  });

  it('unclaimed: the desk is alerted again after the configured hours, and again', async () => {
    await escalate(w);
    w.advance(4 * HOUR + 1);
    await w.engine.fireDue();
    expect(w.port.announced.at(-1)).toMatch(/attend depuis 4 h/);
    w.advance(4 * HOUR + 1);
    await w.engine.fireDue();
    expect(w.port.announced).toHaveLength(2);
  });

  it('claimed and silent: "still there?", then closed — surviving a restart in between', async () => {
    await escalate(w);
    await w.marie('/claim');
    w.advance(7 * 24 * HOUR + 1);
    await w.engine.fireDue();
    expect(w.userTexts().at(-1)).toContain('toujours là');
    // Restart: a new engine and desk on the same file.
    w.close();
    const restarted = makeEngine(w.tmp.path, { now: () => Date.UTC(2026, 10, 25, 10) + 10 * 24 * HOUR + 2 });
    const desk = new Desk({ db: restarted.db, host: restarted.engine, texts, catalog, now: () => Date.UTC(2026, 10, 25, 10) + 10 * 24 * HOUR + 2 });
    desk.register(w.port);
    await restarted.engine.fireDue();
    expect(plainText(restarted.sender.last.text)).toContain('Sans nouvelles de votre part');
    expect(w.port.only().posts.at(-1)?.text).toContain('Sans réponse');
    restarted.close();
    w = { ...w, close: () => w.db };
  });

  it('"still there?" waits for the morning where the person lives', async () => {
    await escalate(w); // 10:00 UTC, 11:00 in Paris
    await w.marie('/claim');
    w.advance(7 * 24 * HOUR + 11 * HOUR); // 21:00 UTC: 22:00 in Paris, quiet
    await w.engine.fireDue();
    expect(w.userTexts().at(-1)).not.toContain('toujours là');
    w.advance(11 * HOUR); // 08:00 UTC: 09:00 in Paris
    await w.engine.fireDue();
    expect(w.userTexts().at(-1)).toContain('toujours là');
  });

  it('a deleted topic is recreated with the card, and the conversation continues there', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    const first = w.port.only();
    first.gone = true;
    await c.say('Vous êtes là ?');
    const second = w.port.only();
    expect(second.id).not.toBe(first.id);
    expect(second.posts.map((p) => p.text).join('\n')).toContain('recréé');
    expect(second.posts.at(-1)?.text).toContain('Vous êtes là');
    await w.marie('Oui !', second.id);
    expect(w.userTexts().at(-1)).toContain('Oui !');
  });

  it('a desk outage loses nothing: relayed words wait in the outbox and go when it is back', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    w.port.down = true;
    await c.say('Premier message');
    await c.say('Deuxième message');
    w.port.down = false;
    w.advance(10 * 60_000);
    await w.engine.fireDue();
    const posts = w.posts();
    expect(posts.indexOf(posts.find((p) => p.includes('Premier'))!)).toBeLessThan(posts.indexOf(posts.find((p) => p.includes('Deuxième'))!));
  });

  it('a person who blocked the bot is shown on the ticket', async () => {
    await escalate(w);
    await w.marie('/claim');
    w.engine.register('test', { send: async () => { throw new RecipientGoneError('blocked'); } });
    await w.marie('Vous êtes toujours là ?');
    expect(w.posts().at(-1)).toContain('Impossible de joindre la personne');
    expect(plainText(w.port.only().card.text)).toContain('bloqué le bot');
    // Only the person writing again clears it — not a volunteer's action that tells them something.
    await w.marie('/release');
    expect(w.posts().some((p) => p.includes('de nouveau joignable'))).toBe(false);
    expect(plainText(w.port.only().card.text)).toContain('bloqué le bot');
  });

  it('/forget closes the ticket on the desk, deletes the relayed words there, and erases every row', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await c.say('Mon adresse est jeanne@example.org');
    const relayed = w.port.only().posts.find((p) => p.text.includes('jeanne@example.org'))!;
    await c.say('/oublier');
    await c.press('yes');
    expect(w.port.deleted).toContain(relayed.id);
    const thread = w.port.only();
    expect(thread.posts.some((p) => p.text.includes('jeanne@example.org'))).toBe(false);
    expect(thread.posts.at(-1)?.text).toContain('effacé ses données');
    expect(plainText(thread.card.text)).not.toContain('Messagerie');
    for (const table of ['tickets', 'desk_relays', 'deadlines', 'conversations']) {
      expect(w.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });

  it('/forget while a relayed message is still in flight to the desk: that message is taken back too', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    // The desk is briefly down: the words wait in the outbox; the scheduler's retry round is slow to post them.
    w.port.down = true;
    await c.say("mon fils s'appelle Kevin Martin, il habite à Brest");
    w.port.down = false;
    w.advance(60_000);
    const held = w.port.holdNextPost();
    const retrying = w.desk.drainAll();
    await held.started;
    await c.say('/oublier');
    const forgetting = c.press('yes');
    held.release();
    await Promise.all([retrying, forgetting]);
    await w.desk.drainAll();
    expect(w.port.only().posts.at(-1)?.text).toContain('effacé ses données');
    expect(w.port.only().posts.some((p) => p.text.includes('Kevin'))).toBe(false);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM desk_relays').get()).toEqual({ n: 0 });
  });

  it('the retention purge erases the desk side as /forget does: card reduced, relayed words deleted, topic closed', async () => {
    const c = await escalate(w, 'alice', true);
    await w.marie('/claim');
    await c.say("j'habite 12 rue des Lilas à Lyon");
    await w.marie('/close réglé');
    w.advance(31 * 24 * HOUR);
    expect(w.desk.purge()).toBe(1);
    await w.desk.drainAll();
    const thread = w.port.only();
    expect(thread.posts.some((p) => p.text.includes('Lilas'))).toBe(false);
    expect(plainText(thread.card.text)).not.toContain('Jeanne');
    expect(thread.title).toContain('expirées');
    expect(thread.closed).toBe(true);
    expect(thread.posts.at(-1)?.text).toContain('Durée de conservation atteinte');
  });

  it('/mydata shows the ticket and its card, as text and in the JSON document', async () => {
    const c = await escalate(w, 'alice', true);
    await w.marie('/name Marie');
    await w.marie('/claim');
    await c.say('/mesdonnees');
    const text = w.userTexts().at(-1)!;
    expect(text).toMatch(/Demande de bénévole n°\d+ \(prise en charge/);
    expect(text).toContain('Bénévole : Marie.');
    const json = JSON.parse(w.sender.sent.at(-1)!.message.attachment!.content) as { tickets: Array<{ card: { name: string }; volunteer: string }> };
    expect(json.tickets[0]!.card.name).toBe('Jeanne Martin');
    expect(json.tickets[0]!.volunteer).toBe('Marie');
  });

  it('/mydata never gives the platform name of a volunteer who chose no name; it shows their close note and what waits to be sent', async () => {
    w.port.members.add('@mhd:asso.org');
    let n = 0;
    const durand = (text: string) =>
      w.desk.receive({ desk: 'matrix', threadId: w.port.only().id, messageId: `x${++n}`, from: { id: '@mhd:asso.org', name: 'Marie-Hélène Durand' }, input: { kind: 'text', text } } as DeskInbound);
    const c = await escalate(w);
    await durand('/claim');
    w.port.down = true;
    await c.say("je vous envoie la capture d'écran demain");
    await c.say('/mesdonnees');
    let json = JSON.parse(w.sender.sent.at(-1)!.message.attachment!.content) as { tickets: Array<{ volunteer: string | null; waiting: string[]; closeNote: string | null }> };
    expect(JSON.stringify(json)).not.toContain('Durand');
    expect(w.userTexts().at(-1)).not.toContain('Durand');
    expect(w.userTexts().at(-1)).toContain('Bénévole : un·e bénévole.');
    expect(json.tickets[0]!.volunteer).toBeNull();
    expect(json.tickets[0]!.waiting.join('\n')).toContain("capture d'écran demain");
    expect(w.userTexts().at(-1)).toContain("capture d'écran demain");
    w.port.down = false;
    w.advance(60_000);
    await w.desk.drainAll();
    await durand('/close réinitialisé son mot de passe Orange en Lapin2025');
    await c.say('/mesdonnees');
    json = JSON.parse(w.sender.sent.at(-1)!.message.attachment!.content) as typeof json;
    expect(json.tickets[0]!.closeNote).toBe('réinitialisé son mot de passe Orange en ••••••');
    expect(w.userTexts().at(-1)).toContain('Note de clôture');
    expect(JSON.stringify(json)).not.toContain('Durand');
  });

  it("the volunteer's close note is masked on the desk, and deleted from it at /forget", async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await w.marie('/close réinitialisé son mot de passe Orange en Lapin2025');
    const notice = w.posts().find((p) => p.includes('a clos la demande'))!;
    expect(notice).toContain('••••••');
    expect(w.posts().join('\n')).not.toContain('Lapin2025');
    expect(plainText(w.port.only().card.text)).not.toContain('Lapin2025');
    await c.say('/oublier');
    await c.press('yes');
    expect(w.posts().some((p) => p.includes('a clos la demande'))).toBe(false);
  });

  it('relayed text keeps its backslashes, stars and backticks as typed, both ways (escaped once, not twice)', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await c.say('**b** `c` C:\\Users\\jeanne');
    expect(w.posts().at(-1)).toContain('**b** `c` C:\\Users\\jeanne');
    await w.marie('Tapez C:\\Users\\jeanne puis **OK**');
    expect(w.userTexts().at(-1)).toContain('Tapez C:\\Users\\jeanne puis **OK**');
  });

  it('bidi overrides and control characters are not relayed (display spoofing), either way', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await c.say('voir \u202egnp.exe\u202c et \u0007\u001b[31mrouge');
    const relayed = w.posts().at(-1)!;
    expect(relayed).toContain('voir gnp.exe et ');
    expect(relayed).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f]/);
    await w.marie('ouvrez \u2067fichier\u2069\u001b[2J');
    expect(w.sender.sent.at(-1)!.message.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/);
  });

  it('a lone code answering the holding volunteer is masked ("c\'est 7391")', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await w.marie('Quel code Microsoft vous affiche-t-il ?');
    await c.say("c'est 7391");
    expect(w.posts().at(-1)).toContain("c'est ••••••");
    expect(w.userTexts().at(-1)).toContain('masqué');
  });

  it('closed, then the person asks again within the window: the same ticket reopens', async () => {
    const c = await escalate(w);
    await w.marie('/claim');
    await w.marie('/close résolu');
    expect(w.userTexts().at(-1)).toContain("Merci d'avoir fait appel aux bénévoles");
    // "Did this help?" answered (tap and skip): then writing again is one tap away.
    await c.press('helped');
    await c.press('skip');
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('human');
    await c.press('human');
    expect(w.userTexts().at(-1)).toContain('Je rouvre votre demande');
    expect(w.port.threads.size).toBe(1);
    expect(w.posts().at(-1)).toContain('rouvert');
    w.advance(100 * HOUR);
    await w.marie('/claim');
    await w.marie('/close');
    w.advance(73 * HOUR);
    await c.say('/humain');
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['yes', 'yesWithName', 'no']);
  });
});

describe('titles', () => {
  it("a volunteer's name with markup characters shows once in the topic title and the card, not with backslashes", async () => {
    w = world();
    w.port.members.add('@star:asso.org');
    const c = await escalate(w);
    void c;
    await w.desk.receive({ desk: 'matrix', threadId: w.port.only().id, messageId: 's1', from: { id: '@star:asso.org', name: 'Ma*rie_`x`' }, input: { kind: 'text', text: '/claim' } } as DeskInbound);
    expect(w.port.only().title).toContain('pris par Ma*rie_`x`');
    expect(plainText(w.port.only().card.text)).toContain('Ma*rie_`x`');
    expect(w.port.only().title).not.toContain('\\');
  });
});
