/**
 * The Matrix adapter end to end: the real adapter and matrix-bot-sdk syncing over HTTP with the test homeserver on
 * a loopback port (../support/homeserver.ts), a real engine on a SQLite file, users acting through the
 * client-server API. Every wait is on a condition (the bot has synced past every event): no fixed sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDbPath, texts } from '../support/engine.js';
import { MatrixHarness, visible, type BotMessage } from './harness.js';

let h: MatrixHarness;
let tmp: ReturnType<typeof tempDbPath>;

beforeEach(async () => {
  tmp = tempDbPath();
  h = await MatrixHarness.start();
  await h.startBot(tmp.path);
});

afterEach(async () => {
  await h.stop();
  tmp.cleanup();
});

/** The single notice a user action got in reply. */
const one = async (replies: Promise<BotMessage[]>): Promise<BotMessage> => {
  const list = await replies;
  expect(list.map((m) => m.body)).toHaveLength(1);
  expect(list[0]!.msgtype).toBe('m.notice');
  return list[0]!;
};

/** The number of a choice in a notice's numbered list ("3. Je ne sais pas" → "3"). */
function numberOf(message: BotMessage, label: string): string {
  const line = message.body.split('\n').find((l) => new RegExp(`^\\d+\\. ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(l));
  if (!line) throw new Error(`no choice "${label}" in:\n${message.body}`);
  return line.split('.')[0]!;
}

function choices(message: BotMessage): string[] {
  return message.body.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
}

describe('Matrix, through the test homeserver', () => {
  it('joins a direct chat when invited and runs the guide by numbers and words, to a host and the first plan steps', async () => {
    const alice = h.user('alice');
    const welcome = await one(alice.openDm());
    expect(h.hs.membership(alice.room, h.botId)).toBe('join');
    expect(visible(welcome)).toContain('demailbot');
    // The notice: HTML with the numbered list, and the same as plain text.
    expect(welcome.html).toContain('<strong>demailbot</strong>');
    expect(welcome.html).toMatch(/<ol><li>Commencer<\/li><li>English<\/li><\/ol>$/);
    expect(welcome.event.content.format).toBe('org.matrix.custom.html');
    expect(choices(welcome)).toEqual(['Commencer', 'English']);

    const q1 = await one(alice.say('1'));
    expect(q1.body).toContain('Quelle boîte mail utilisez-vous');
    expect(choices(q1)).toContain('Gmail');
    expect(visible(await one(alice.say('gmail')))).toContain('Pour qui');
    const storage = await one(alice.say('pour moi'));
    expect(storage.body).toContain('Quelle place');
    // At the storage question a bare number is also a size ("5": 5 Go?), so words there; a choice's number where
    // no number is a plausible answer.
    const domain = await one(alice.say('je ne sais pas'));
    await one(alice.say(numberOf(domain, 'Non, pas besoin')));
    for (const answer of ['gratuit', 'oui', 'peu importe', 'oui']) await one(alice.say(answer));
    const recommendations = await one(alice.say('oui'));
    expect(recommendations.body).toMatch(/✓/);
    const host = choices(recommendations)[0]!;

    const step1 = await one(alice.say('1'));
    expect(step1.body).toContain(host.split(' ')[0]!);
    expect(step1.body).toContain('Étape 1 sur');
    expect(choices(step1)).toContain('✓ Fait');
    expect((await one(alice.say(numberOf(step1, '✓ Fait')))).body).toContain('Étape 2 sur');
    expect((await one(alice.say('fait'))).body).toContain('Étape 3 sur');

    // One reply per message: the bot never answered its own notices. Nothing it asked for was unknown here.
    expect(h.hs.eventsFrom(h.botId, alice.room)).toHaveLength(alice.all().length);
    expect(h.hs.unknown).toEqual([]);
    expect(h.bot!.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });

  it('resumes after a restart: same SQLite file, the sync token from it, what was said meanwhile answered', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await one(alice.say('commencer'));
    await one(alice.say('free'));
    const token = h.bot!.db.prepare("SELECT value FROM adapter_state WHERE adapter = 'matrix' AND key = 'sync_token'").get() as { value: string };
    expect(token.value).toMatch(/^s\d+$/);
    await h.bot!.stop();

    const syncsBefore = h.hs.syncs.length;
    await h.user('alice').user.say(alice.room, 'pour ma famille'); // while the bot is down
    await h.startBot(tmp.path);
    const resumed = await one(alice.replies());
    expect(resumed.body).toContain('Question 3 sur');
    // The new client went on from the saved token: no initial sync, no second welcome.
    const firstSync = h.hs.syncs.slice(syncsBefore).find((s) => s.userId === h.botId)!;
    expect(firstSync.since).toMatch(/^s\d+$/);
    expect(alice.all().filter((m) => m.body.includes('Bonjour !'))).toHaveLength(1);
    expect((await one(alice.say('2'))).body).toContain('Question 4 sur');
  });

  it('answers images, stickers, reactions and edits kindly, then asks the current question again', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    const question = await one(alice.say('commencer'));
    const current = question.body.split('\n')[1]!; // "Quelle boîte mail utilisez-vous aujourd'hui ?"
    const t = texts.t('fr');

    const cases: Array<[string, (u: typeof alice.user, room: string) => Promise<string>]> = [
      ['guide:notices.unsupported.photo', (u, room) => u.sendImage(room)],
      ['guide:notices.unsupported.sticker', (u, room) => u.sticker(room)],
      ['guide:notices.unsupported.reaction', (u, room) => u.react(room, question.event.event_id)],
      ['guide:notices.unsupported.edit', async (u, room) => u.edit(room, await u.say(room, 'hmm'), 'gmail')],
    ];
    for (const [key, action] of cases) {
      const replies = await alice.act(action);
      const last = replies[replies.length - 1]!;
      expect(visible(last)).toContain(t(key).split(' ').slice(0, 3).join(' '));
      expect(last.body).toContain(current);
      expect(choices(last)).toContain('Gmail');
    }
  });

  it('never answers a replayed event twice, even after a restart', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await one(alice.say('commencer'));
    const eventId = await alice.user.say(alice.room, 'gmail');
    expect((await one(alice.replies())).body).toContain('Pour qui');

    h.hs.replay(eventId);
    expect(await alice.replies()).toEqual([]);
    await h.bot!.stop();
    h.hs.replay(eventId);
    await h.startBot(tmp.path);
    expect(await alice.replies()).toEqual([]);
    // The replays did reach the bot: they are in the homeserver's timeline after its last reply.
    expect(h.hs.timeline(alice.room).filter((s) => s.event.event_id === eventId)).toHaveLength(3);
    expect((await one(alice.say('pour moi'))).body).toContain('Quelle place');
  });

  it('leaves a room with three members at once, and stays silent in a direct chat once a third person is in it', async () => {
    const alice = h.user('alice');
    const carol = h.user('carol');
    const room = await alice.user.createRoom([h.botId, carol.id]);
    await carol.user.join(room);
    await h.settle();
    expect(h.hs.membership(room, h.botId)).toBe('leave');
    expect(h.hs.eventsFrom(h.botId, room)).toEqual([]);

    await one(alice.openDm());
    await one(alice.say('commencer'));
    await alice.user.invite(alice.room, carol.id);
    expect(await alice.say('gmail')).toEqual([]);
    expect(h.bot!.db.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 1 });
  });

  it('leaves a room where it is left alone, also when it learns of it after a restart', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await alice.user.leave(alice.room);
    await h.settle();
    expect(h.hs.membership(alice.room, h.botId)).toBe('leave');

    const bob = h.user('bob');
    await one(bob.openDm());
    await h.bot!.stop();
    await bob.user.leave(bob.room);
    await h.startBot(tmp.path);
    expect(h.hs.membership(bob.room, h.botId)).toBe('leave');
  });

  it('escapes every value in the HTML: what the person typed comes back as text, never as markup', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    const checklist = await one(alice.say('liste'));
    const typing = await one(alice.say(numberOf(checklist, '➕ Ajouter un compte')));
    expect(typing.body).toContain('Tapez le nom du compte');
    const added = await one(alice.say('Club <b>Échecs</b> & "Co" **gras** `x`'));
    expect(added.html).toContain('Club &lt;b&gt;Échecs&lt;/b&gt; &amp; &quot;Co&quot; **gras** `x`');
    expect(added.html).not.toContain('<b>');
    expect(added.body).toContain('Club <b>Échecs</b> & "Co" **gras** `x`');
  });

  it('sends the person their data as an m.file, or as a notice with a code block where uploads are refused', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await one(alice.say('commencer'));
    await one(alice.say('gmail'));
    const [text, file] = await alice.say('/mesdonnees');
    expect(text!.msgtype).toBe('m.notice');
    expect(file!.msgtype).toBe('m.file');
    const content = file!.event.content as { url: string; filename: string; info: { mimetype: string; size: number } };
    expect(content.info.mimetype).toBe('application/json');
    const uploaded = h.hs.download(content.url)!;
    expect(uploaded.type).toBe('application/json');
    expect(uploaded.data.length).toBe(content.info.size);
    expect(JSON.stringify(JSON.parse(uploaded.data.toString('utf8')))).toContain('gmail');

    h.hs.mediaUpload = false;
    const [again, fallback, ...rest] = await alice.say('/mesdonnees');
    expect(again!.msgtype).toBe('m.notice');
    expect(rest).toEqual([]);
    expect(fallback!.msgtype).toBe('m.notice');
    expect(fallback!.html).toMatch(/^<p><strong>[^<]+\.json<\/strong><\/p><pre><code>\{/);
    expect(JSON.parse(fallback!.body.slice(fallback!.body.indexOf('\n\n') + 2))).toBeTruthy();
    expect(h.bot!.logs.some((l) => l.includes('"event":"matrix_upload_failed"'))).toBe(true);
  });

  it('retries a send refused for rate limiting, and keeps a refused reply for the next start', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    h.hs.failSends(h.botId, 2, { status: 429, errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 20 });
    const question = await one(alice.say('commencer'));
    expect(question.body).toContain('Question 1 sur');

    h.hs.failSends(h.botId, 1, { status: 403, errcode: 'M_FORBIDDEN' });
    expect(await alice.say('gmail')).toEqual([]);
    expect(h.bot!.logs.some((l) => l.includes('"event":"matrix_send_failed"') && l.includes('M_FORBIDDEN'))).toBe(true);
    await h.bot!.stop();
    await h.startBot(tmp.path);
    const resent = await one(alice.replies());
    expect(resent.body).toContain('Pour qui');
  });

  it('does not answer what was said before it joined, nor the history of a first sync', async () => {
    const alice = h.user('alice');
    await h.bot!.stop();
    const room = await alice.user.createDm(h.botId);
    await alice.user.say(room, 'bonjour ?');
    await alice.user.say(room, 'il y a quelqu’un ?');
    await h.startBot(tmp.path);
    alice.room = room;
    const [welcome, ...others] = await alice.replies();
    expect(welcome!.body).toContain('Bonjour !');
    expect(others).toEqual([]);

    // A new database (no sync token) on an account that already has rooms: their history is not answered.
    await h.bot!.stop();
    const fresh = tempDbPath();
    try {
      await h.startBot(fresh.path);
      expect(await alice.replies()).toEqual([]);
      expect((await one(alice.say('commencer'))).body).toContain('Question 1 sur'); // a new conversation
    } finally {
      await h.bot!.stop();
      h.bot = undefined;
      fresh.cleanup();
    }
  });
});

describe('Matrix without encryption (the native crypto module missing)', () => {
  it('says so once in the log, and serves unencrypted rooms', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await one(alice.say('commencer'));
    const lines = h.bot!.logs.filter((l) => l.includes('"event":"matrix_encryption_off"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', reason: expect.stringContaining('native crypto module') });
    expect(h.bot!.adapter.encrypted).toBe(false);
  });

  it('tells a person in an encrypted room how to reach it, in plain words, and does nothing else there', async () => {
    const bob = h.user('bob');
    const [notice] = await bob.openDm({ encrypted: true });
    expect(h.hs.membership(bob.room, h.botId)).toBe('join');
    expect(notice!.msgtype).toBe('m.notice');
    expect(notice!.event.type).toBe('m.room.message'); // sent in clear: the bot cannot encrypt
    // Its language is not known yet: French, then English.
    expect(visible(notice!)).toContain('Ce salon est chiffré');
    expect(visible(notice!)).toContain('This room is encrypted');
    expect(visible(notice!)).toContain(h.botId);

    const [again, ...more] = await bob.act((u, room) => u.sendEncrypted(room));
    expect(visible(again!)).toContain('Ce salon est chiffré');
    expect(more).toEqual([]);
    expect(h.bot!.db.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 0 });

    // A conversation whose room becomes encrypted: told in its own language only.
    const carol = h.user('carol');
    await one(carol.openDm());
    await one(carol.say('2')); // English
    await carol.user.setState(carol.room, 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' });
    const told = await one(carol.act((u, room) => u.sendEncrypted(room)));
    expect(visible(told)).toContain('This room is encrypted');
    expect(visible(told)).not.toContain('Ce salon');
  });
});

describe('start, then listen, as the composition root drives a platform', () => {
  const syncToken = () => (h.bot!.db.prepare("SELECT value FROM adapter_state WHERE adapter = 'matrix' AND key = 'sync_token'").get() as { value: string }).value;

  it('can send once started but takes no message before listen(); stopped before listening, it loses nothing', async () => {
    const alice = h.user('alice');
    await one(alice.openDm());
    await h.bot!.stop();
    await alice.user.say(alice.room, 'commencer'); // while the bot is down

    await h.startBot(tmp.path, { listen: false });
    const token = syncToken();
    // Started: a reply goes out (what the outbox flush does between start and listen).
    await h.bot!.adapter.send(`${alice.room} ${alice.id}`, { text: 'Re-sent **prompt**', choices: [], promptSeq: 1, lang: 'fr' });
    // Not listening: the batch holding "commencer" is not handled, so the bot never syncs past it.
    await expect(h.hs.settle(h.botId, 1_500)).rejects.toThrow(/did not sync past/);
    expect(alice.all().map((m) => m.body).slice(-1)).toEqual(['Re-sent prompt']);
    expect(syncToken()).toBe(token);

    // A stop before listen(): done settles, the held batch is refused, its token not saved.
    const stopped = h.bot!.adapter;
    await h.bot!.stop();
    await expect(stopped.done).resolves.toBeUndefined();

    // The next run, listening, answers what was said while the bot was down — once.
    await h.startBot(tmp.path);
    const replies = await alice.replies();
    expect(replies.map((m) => m.body)).toEqual(['Re-sent prompt', expect.stringContaining('Quelle boîte mail')]);
  });
});
