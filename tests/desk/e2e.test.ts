/**
 * The escalation desk end to end, as in production (src/main.ts): one Engine and one Desk (the real core) over one
 * SQLite file, the Telegram and Matrix platforms in this process, people and volunteers on both platforms.
 *
 * What is REAL: grammY and matrix-bot-sdk, talking HTTP over loopback; the adapters and their desk ports
 * (src/adapters/telegram/desk/, src/adapters/matrix/desk/); the desk core, the ticket machine, the guide and the
 * engine; SQLite on a file (stopped, closed and opened again for the restart). Time is a clock the test moves (the
 * `now` of Engine and Desk), and due deadlines are fired by `engine.fireDue()`, as the scheduler does each minute:
 * days of waiting cannot be waited for.
 *
 * What is EMULATED, and why:
 *  - Telegram's servers → telegram-test-api (a Bot API emulator): the bot long-polls it and sends to it; people and
 *    volunteers post through its client routes as Telegram apps would. We cannot run Telegram.
 *  - What that emulator lacks → answered by the harness's grammY API transformer (tests/telegram/forum.ts) before a
 *    call reaches it: forum topics (create/edit/close/reopen/delete, "message thread not found"), pinChatMessage,
 *    getChatMember; and a person who blocked the bot (every call naming their chat answered 403, as Telegram does).
 *  - Matrix → our test homeserver (tests/support/homeserver.ts): the client-server API over HTTP, in memory, no
 *    federation, no encryption (the adapters run without the native crypto module, as on CI).
 * The harnesses are tests/telegram/harness.ts and tests/matrix/harness.ts, shared through ./world.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, TG_DESK, World, tgVisible, type DeskConfig } from './world.js';

let w: World | undefined;
afterEach(async () => {
  // Nothing along the way was an error for the engine, the desk or either adapter.
  const errors = w ? [...w.logs, ...w.tg.bot.logs, ...(w.mx.bot?.logs ?? [])].filter((l) => l.includes('"level":"error"')) : [];
  await w?.close();
  w = undefined;
  expect(errors).toEqual([]);
});

async function world(config: DeskConfig): Promise<World> {
  w = await World.start(config);
  return w;
}

describe('a Telegram person, a Matrix desk', () => {
  it('asks with the button, consents with their first name; Marie claims, they talk, /handback 2 returns them to the guide', async () => {
    const w = await world({ matrixDesk: true });
    const marie = await w.mxVolunteer('marie');
    const jeanne = w.tgPerson(1001, 'Jeanne');
    await jeanne.reachPlan();
    expect(jeanne.choices()).toContain('human');

    const consent = (await jeanne.choose('human')).map((m) => tgVisible(m.text));
    expect(consent.join('\n')).toContain('exactement');
    expect(jeanne.choices()).toEqual(['yes', 'yesWithName', 'no']);
    expect(w.mxDeskEvents()).toEqual([]); // nothing on the desk before yes

    const queued = await jeanne.choose('yesWithName');
    expect(tgVisible(queued.at(-1)!.text)).toMatch(/demande n°1/);
    const root = w.mxRoot(1);
    expect(w.mxCard(root.event_id)).toContain('Prénom : Jeanne');
    expect(w.mxCard(root.event_id)).toContain('Application : Telegram');
    expect(w.mxCard(root.event_id)).toMatch(/^#1 · .+ · étape 1 · en attente\n/);

    await marie.say('/name Marie', root.event_id);
    expect(w.mxThread(root.event_id).at(-1)!.text).toContain('signés « Marie »');
    await marie.say('/claim', root.event_id);
    expect(w.mxThread(root.event_id).at(-1)!.text).toContain('prend la demande');
    expect(w.mxCard(root.event_id)).toMatch(/^#1 · .+ · pris par /);
    const claimed = await jeanne.news();
    expect(claimed.map((m) => tgVisible(m.text)).join('\n')).toContain('Marie, bénévole, a pris votre demande');

    await marie.say('Bonjour Jeanne ! Où en êtes-vous avec la création du compte ?', root.event_id);
    const said = await jeanne.news();
    expect(said.map((m) => tgVisible(m.text))).toHaveLength(1);
    expect(tgVisible(said[0]!.text)).toContain('Marie');
    expect(tgVisible(said[0]!.text)).toContain('Où en êtes-vous avec la création du compte ?');

    await jeanne.say('Le compte est créé, mais je ne trouve pas la suite');
    expect(w.mxThread(root.event_id).at(-1)!.text).toContain('Le compte est créé, mais je ne trouve pas la suite');

    await marie.say('/handback 2', root.event_id);
    const back = (await jeanne.news()).at(-1)!;
    expect(tgVisible(back.text)).toContain('vous rend la main');
    // Marie helped: "did this help?" in one tap, then the step she handed Jeanne back to.
    expect(jeanne.choices()).toEqual(['helped', 'partly', 'not']);
    await jeanne.choose('helped');
    expect(tgVisible((await jeanne.choose('skip')).at(-1)!.text)).toMatch(/Étape 2 sur \d+/);
    expect(jeanne.choices()).toContain('done');
    expect(w.mxThread(root.event_id).at(-2)!.text).toContain('a rendu la personne au guide');
    expect(w.mxThread(root.event_id).at(-1)!.text).toContain('ça a aidé');
    expect(w.ticket(1)!.status).toBe('closed');
    // The guide has her again: her words are answered by it, not relayed.
    const posts = w.mxThread(root.event_id).length;
    expect(tgVisible((await jeanne.choose('done')).at(-1)!.text)).toMatch(/Étape 3 sur \d+/);
    await jeanne.say('merci');
    expect(w.mxThread(root.event_id)).toHaveLength(posts);
  });

  it('asks with /humain and consents with a plain yes: the card shows no name', async () => {
    const w = await world({ matrixDesk: true });
    const jeanne = w.tgPerson(1002, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    expect(jeanne.choices()).toEqual(['yes', 'yesWithName', 'no']);
    await jeanne.choose('yes');
    const card = w.mxCard(w.mxRoot(1).event_id);
    expect(card).toContain('Nom : non communiqué');
    expect(card).not.toContain('Jeanne');
  });
});

describe('a Matrix person, a Telegram desk', () => {
  it('a forum topic "#1 · … · en attente" with the card pinned; the Claim button; the volunteer replies in the topic', async () => {
    const w = await world({ telegramDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    const queued = await alice.say('1'); // "yes"
    expect(queued.at(-1)).toMatch(/demande n°1/);

    const topic = w.tgTopic(1);
    expect(topic.name).toMatch(/^#1 · .+ → .+ · étape 1 · en attente$/);
    const [card, notice] = w.tgDeskMessages(topic.id);
    expect(w.tg.forum.pins).toEqual([{ chat: String(TG_DESK), messageId: card!.messageId, silent: true }]);
    expect(card!.text).toContain('Application : Matrix');
    expect(card!.keyboard).toEqual([[{ text: '🙋 Je prends', callback_data: 'desk:claim' }]]);
    expect(notice!.text).toContain('Nouvelle demande');

    await paul.press('claim', card!, topic.id);
    expect(w.tg.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
    expect(w.tgTopic(1).name).toMatch(/ · pris par Paul$/);
    expect(w.tgDeskTexts(topic.id).at(-1)).toContain('Paul prend la demande');
    const cardNow = w.tgDeskMessages(topic.id).find((m) => m.messageId === card!.messageId)!;
    expect(cardNow.text).toContain('Pris en charge par <b>Paul</b>');
    expect(cardNow.keyboard ?? []).toEqual([]);
    expect((await alice.news()).join('\n')).toContain('a pris votre demande');

    await paul.say('Bonjour ! Je suis là pour vous aider.', topic.id);
    const said = await alice.news();
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('Bonjour ! Je suis là pour vous aider.');

    await alice.say('Merci ! Je bloque sur l’import des messages.');
    expect(w.tgDeskTexts(topic.id).at(-1)).toContain('Je bloque sur l’import des messages.');
  });
});

describe('who may act', () => {
  it('Matrix desk: a room member not in DESK_VOLUNTEERS is refused /claim without a word about the ticket; nothing changes', async () => {
    const w = await world({ matrixDesk: true, allowList: ['matrix:@marie:localhost'] });
    const eve = await w.mxVolunteer('eve', 'Eve');
    const jeanne = w.tgPerson(1003, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const root = w.mxRoot(1).event_id;
    const card = w.mxCard(root);
    const before = w.mxDeskEvents().length;
    const seen = jeanne.texts().length;

    await eve.say('/claim', root);
    const [refusal, ...more] = w.mxDeskEvents().slice(before);
    expect(more).toEqual([]);
    expect(refusal!.content.body).toBe("Désolé, seul·es les bénévoles inscrit·es de l'association peuvent agir ici.");
    expect(refusal!.content.body).not.toMatch(/#|1|Jeanne|Gmail/);
    expect(w.ticket(1)!.status).toBe('queued');
    expect(w.mxCard(root)).toBe(card);
    expect(jeanne.texts()).toHaveLength(seen);
  });

  it('Telegram desk: a group member not in DESK_VOLUNTEERS presses Claim: refused, nothing changes', async () => {
    const w = await world({ telegramDesk: true, allowList: ['telegram:501'] });
    const mallory = w.tgVolunteer(666, 'Mallory');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1');
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);
    const name = topic.name;
    const posts = w.tgDeskMessages(topic.id).length;

    await mallory.press('claim', card!, topic.id);
    await mallory.say('/claim', topic.id);
    const refusals = w.tgDeskTexts(topic.id).slice(posts);
    expect(refusals).toEqual([
      "Désolé, seul·es les bénévoles inscrit·es de l'association peuvent agir ici.",
      "Désolé, seul·es les bénévoles inscrit·es de l'association peuvent agir ici.",
    ]);
    expect(w.ticket(1)!.status).toBe('queued');
    expect(w.tgTopic(1).name).toBe(name);
    expect(w.tgDeskMessages(topic.id).find((m) => m.messageId === card!.messageId)!.text).toBe(card!.text);
    expect(await alice.news()).toEqual([]);
  });
});

describe('a button press is not proof of membership', () => {
  it('Telegram desk: someone Telegram reports as "left" (a public group shows the card) presses Claim: refused, nothing changes', async () => {
    const w = await world({ telegramDesk: true });
    const mallory = w.tgVolunteer(667, 'Mallory');
    w.tg.forum.setMember(TG_DESK, 667, 'left');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1');
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);
    const posts = w.tgDeskMessages(topic.id).length;
    await mallory.press('claim', card!, topic.id);
    expect(w.tgDeskTexts(topic.id).slice(posts)).toEqual(["Désolé, seul·es les bénévoles inscrit·es de l'association peuvent agir ici."]);
    expect(w.ticket(1)!.status).toBe('queued');
    expect(await alice.news()).toEqual([]);
  });
});

describe('two volunteers race to claim', () => {
  it('Telegram desk: both press Claim at once; one wins, the other is told who holds it, the person is told once', async () => {
    const w = await world({ telegramDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const marie = w.tgVolunteer(502, 'Marie');
    const jeanne = w.tgPerson(1004, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);

    await Promise.all([paul.tap('claim', card!, topic.id), marie.tap('claim', card!, topic.id)]);
    await w.settle();
    const texts = w.tgDeskTexts(topic.id);
    const won = texts.filter((t) => t.includes('prend la demande'));
    expect(won).toHaveLength(1);
    const winner = won[0]!.startsWith('🙋 Paul') ? 'Paul' : 'Marie';
    const loser = winner === 'Paul' ? 'Marie' : 'Paul';
    expect(texts.filter((t) => t.includes('déjà prise par'))).toEqual([`${loser}, la demande est déjà prise par ${winner}. Pour la reprendre : /takeover.`]);
    expect(w.tgTopic(1).name).toMatch(new RegExp(` · pris par ${winner}$`));
    expect((await jeanne.news()).filter((m) => m.text.includes('a pris votre demande'))).toHaveLength(1);
  });

  it('Matrix desk: both send /claim at once; exactly one wins', async () => {
    const w = await world({ matrixDesk: true });
    const marie = await w.mxVolunteer('marie', 'Marie');
    const paul = await w.mxVolunteer('paul', 'Paul');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1');
    const root = w.mxRoot(1).event_id;

    await Promise.all([marie.post('/claim', root), paul.post('/claim', root)]);
    await w.settle();
    const texts = w.mxThread(root).map((p) => p.text);
    expect(texts.filter((t) => t.includes('prend la demande'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('déjà prise par'))).toHaveLength(1);
    expect((await alice.news()).filter((t) => t.includes('a pris votre demande'))).toHaveLength(1);
  });
});

describe('faults', () => {
  it('a deleted topic: the next relay recreates a topic with the card, and the conversation continues there', async () => {
    const w = await world({ telegramDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const jeanne = w.tgPerson(1005, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yesWithName');
    const first = w.tgTopic(1);
    const [card] = w.tgDeskMessages(first.id);
    await paul.press('claim', card!, first.id);
    await jeanne.news();

    w.tg.forum.deleteTopic(TG_DESK, first.id);
    await jeanne.say('Vous êtes là ?');
    const second = w.tgTopic(1);
    expect(second.id).not.toBe(first.id);
    expect(second.name).toMatch(/ · pris par Paul$/);
    const [newCard, ...posts] = w.tgDeskMessages(second.id);
    expect(newCard!.text).toContain('Prénom : Jeanne');
    expect(w.tg.forum.pins.at(-1)).toEqual({ chat: String(TG_DESK), messageId: newCard!.messageId, silent: true });
    expect(posts.map((p) => p.text).join('\n')).toContain('recréé');
    expect(w.tgDeskTexts(second.id).at(-1)).toContain('Vous êtes là ?');

    await paul.say('Oui, toujours là !', second.id);
    expect((await jeanne.news()).map((m) => tgVisible(m.text)).join('\n')).toContain('Oui, toujours là !');
  });

  it('a Telegram person who blocked the bot (403): the volunteer\'s message shows "cannot reach" on the desk and on the card', async () => {
    const w = await world({ matrixDesk: true });
    const marie = await w.mxVolunteer('marie', 'Marie');
    const jeanne = w.tgPerson(1006, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const root = w.mxRoot(1).event_id;
    await marie.say('/claim', root);
    await jeanne.news();

    w.tg.blocked.add(String(jeanne.chatId));
    await marie.say('Vous êtes toujours là ?', root);
    expect(w.mxThread(root).at(-1)!.text).toContain('Impossible de joindre la personne');
    expect(w.mxCard(root)).toContain('bloqué le bot');
    const blocked = w.tg.bot.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(jeanne.chatId));
    expect(blocked.at(-1)!.payload.text).toContain('Vous êtes toujours là ?');

    // She unblocks the bot and writes again: the desk is told, and her words are relayed.
    w.tg.blocked.delete(String(jeanne.chatId));
    await jeanne.say('Pardon, je suis revenue');
    const texts = w.mxThread(root).map((p) => p.text);
    expect(texts.join('\n')).toContain('Pardon, je suis revenue');
    expect(texts.join('\n')).toContain('de nouveau joignable');
    expect(w.mxCard(root)).not.toContain('bloqué le bot');
  });
});

describe('a restart', () => {
  it('one ticket queued, one claimed; after a restart on the same file the deadlines fire and relays still work both ways', async () => {
    const w = await world({ telegramDesk: true, matrixDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const marie = await w.mxVolunteer('marie', 'Marie');
    // Alice (Matrix) waits on the Matrix desk; Jeanne (Telegram) is helped by Paul on the Telegram desk.
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1');
    const aliceRoot = w.mxRoot(1).event_id;
    const jeanne = w.tgPerson(1007, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const topic = w.tgTopic(2);
    const [card] = w.tgDeskMessages(topic.id);
    await paul.say('/name Paul', topic.id);
    await paul.press('claim', card!, topic.id);
    await jeanne.news();
    expect([w.ticket(1)!.status, w.ticket(2)!.status]).toEqual(['queued', 'claimed']);

    await w.restart();
    expect(w.mxAnnounced()).toEqual([]);

    // Four hours unclaimed: the Matrix desk is told again, in its main timeline.
    await w.advance(4 * HOUR + 60_000);
    expect(w.mxAnnounced()).toEqual(['⏳ La demande #1 attend depuis 4 h. Quelqu\'un peut-il la prendre ?']);
    expect(w.ticket(1)!.status).toBe('queued');
    expect(w.mxThread(aliceRoot).map((p) => p.text).join('\n')).toContain('Nouvelle demande');

    // The claimed one still relays both ways, through the new adapters.
    await paul.say('Je suis toujours là, on reprend ?', topic.id);
    expect((await jeanne.news()).map((m) => tgVisible(m.text)).join('\n')).toContain('Je suis toujours là, on reprend ?');
    await jeanne.say('Oui, merci !');
    expect(w.tgDeskTexts(topic.id).at(-1)).toContain('Oui, merci !');

    // The queued one is claimed on the Matrix desk: its thread, opened before the restart, is found again.
    await marie.say('/claim', aliceRoot);
    expect((await alice.news()).join('\n')).toContain('a pris votre demande');
    await marie.say('Bonjour Alice, désolée pour l’attente !', aliceRoot);
    expect((await alice.news()).join('\n')).toContain('désolée pour l’attente');
    await alice.say('Pas de souci, merci');
    expect(w.mxThread(aliceRoot).at(-1)!.text).toContain('Pas de souci, merci');

    // Then a week without a word from Jeanne: "still there?"; three days more: closed.
    await w.advance(7 * DAY + 60_000);
    const asked = await jeanne.news();
    expect(asked.map((m) => tgVisible(m.text)).join('\n')).toContain('Vous êtes toujours là ? Paul attend votre réponse');
    expect(w.tgDeskTexts(topic.id).at(-1)).toContain('je lui ai demandé si elle est toujours là');
    expect(w.ticket(2)!.status).toBe('claimed');
    await w.advance(3 * DAY + 60_000);
    expect((await jeanne.news()).map((m) => tgVisible(m.text)).join('\n')).toContain('Sans nouvelles de votre part, j\'ai clos votre demande');
    expect(w.tgDeskTexts(topic.id).some((t) => t.includes('Sans réponse de la personne'))).toBe(true);
    expect(w.ticket(2)!.status).toBe('closed');
    expect(w.tg.forum.topic(TG_DESK, topic.id)!.closed).toBe(true);
    expect(w.now).toBeGreaterThan(T0 + 10 * DAY);
  });
});

describe('/forget with a claimed ticket', () => {
  const rowsAbout = (w: World) => ['tickets', 'desk_relays', 'desk_outbox', 'conversations', 'deadlines'].map((t) => [t, w.count(t)]);
  const none = [['tickets', 0], ['desk_relays', 0], ['desk_outbox', 0], ['conversations', 0], ['deadlines', 0]];

  it('Telegram person, Matrix desk: "erased" in the thread, their relayed words redacted, no row left', async () => {
    const w = await world({ matrixDesk: true });
    const marie = await w.mxVolunteer('marie', 'Marie');
    const jeanne = w.tgPerson(1008, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yesWithName');
    const root = w.mxRoot(1).event_id;
    await marie.say('/claim', root);
    await jeanne.say('Mon adresse est jeanne@example.org');
    await jeanne.say('Et mon téléphone le 06 12 34 56 78');
    const relayed = w.mxThread(root).filter((p) => p.text.includes('La personne'));
    expect(relayed).toHaveLength(2);
    expect(w.count('desk_relays')).toBe(2);

    await jeanne.say('/oublier');
    const done = await jeanne.choose('yes');
    expect(tgVisible(done.at(-1)!.text)).toContain("j'ai tout effacé");
    expect(w.mxThread(root).at(-1)!.text).toContain('La personne a effacé ses données');
    for (const post of relayed) {
      const event = w.mx.hs.event(post.id)!;
      expect(event.content).toEqual({});
      expect(event.unsigned?.redacted_because).toBeDefined();
    }
    expect(w.mxCard(root)).not.toContain('Jeanne');
    expect(w.mxCard(root)).toContain('la personne a effacé ses données');
    expect(rowsAbout(w)).toEqual(none);
  });

  it('Matrix person, Telegram desk: "erased" in the topic, their relayed words deleted, the topic closed, no row left', async () => {
    const w = await world({ telegramDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('2'); // "yes, with my first name"
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);
    await paul.press('claim', card!, topic.id);
    await alice.say('Mon adresse est alice@example.org');
    const relayed = w.tgDeskMessages(topic.id).filter((m) => m.text.includes('alice@example.org'));
    expect(relayed).toHaveLength(1);

    await alice.say('/oublier');
    expect((await alice.say('1')).join('\n')).toContain("j'ai tout effacé");
    const texts = w.tgDeskTexts(topic.id);
    expect(texts.some((t) => t.includes('alice@example.org'))).toBe(false);
    expect(w.tg.bot.calls.filter((c) => c.method === 'deleteMessage').map((c) => c.payload.message_id)).toContain(relayed[0]!.messageId);
    expect(texts.at(-1)).toContain('La personne a effacé ses données');
    expect(w.tgTopic(1).name).toBe('#1 · données effacées');
    expect(w.tg.forum.topic(TG_DESK, topic.id)!.closed).toBe(true);
    expect(rowsAbout(w)).toEqual(none);
  });
});

describe('a Matrix conversation belongs to the person who started it, not to the room', () => {
  it('invite a relative, then leave: the relative gets no /mesdonnees, cannot write to the volunteer, cannot /oublier; the desk sees the person gone', async () => {
    const w = await world({ telegramDesk: true });
    const paul = w.tgVolunteer(502, 'Paul');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('2'); // "yes, with my first name"
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);
    await paul.press('claim', card!, topic.id);
    await alice.say('mon compte CAF, allocataire 1234567');

    // Alice brings her son into the chat, then leaves it to him.
    const bob = w.mx.hs.user('bob');
    const room = alice.user.room;
    await alice.user.user.invite(room, bob.id);
    await bob.join(room);
    await alice.user.user.leave(room);
    await w.settle();
    const botEventsBefore = w.mx.hs.eventsFrom(w.mx.botId, room).length;
    const deskBefore = w.tgDeskTexts(topic.id).length;

    await bob.say(room, '/mesdonnees').catch(() => {});
    await bob.say(room, 'bonjour, je suis son fils').catch(() => {});
    await bob.say(room, '/oublier').catch(() => {});
    await w.settle();
    // Nothing was said to the relative, nothing of his reached the volunteer, nothing was erased by him.
    expect(w.mx.hs.eventsFrom(w.mx.botId, room).slice(botEventsBefore)).toEqual([]);
    expect(w.tgDeskTexts(topic.id).slice(deskBefore).some((t) => t.includes('fils'))).toBe(false);
    expect(w.mx.hs.membership(room, w.mx.botId)).toBe('leave');
    expect(w.count('conversations')).toBe(1);
    expect(w.ticket(1)!.status).toBe('claimed');

    // The volunteer's next message cannot reach Alice: the ticket says so (RecipientGoneError), nobody else gets it.
    await paul.say('Bonjour Alice, où en êtes-vous ?', topic.id);
    await w.settle();
    expect(w.tgDeskTexts(topic.id).join('\n')).toContain('Impossible de joindre la personne');
    expect(w.mx.hs.eventsFrom(w.mx.botId, room).slice(botEventsBefore)).toEqual([]);
  });

  it('a room that is not a direct chat is left at once', async () => {
    const w = await world({ telegramDesk: true });
    const carol = w.mx.hs.user('carol');
    const dave = w.mx.hs.user('dave');
    const room = await carol.createRoom([w.mx.botId, dave.id]);
    await dave.join(room);
    await w.settle();
    expect(w.mx.hs.membership(room, w.mx.botId)).toBe('leave');
    expect(w.count('conversations')).toBe(0);
  });
});
