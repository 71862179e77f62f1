import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statSync } from 'node:fs';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { plainText } from '../../src/render/markup.js';

let tmp: ReturnType<typeof tempDbPath>;
beforeEach(() => {
  tmp = tempDbPath();
});
afterEach(() => tmp.cleanup());

/** Types answers until the guide recommends. */
async function answerQuestions(say: (t: string) => Promise<unknown>) {
  for (const answer of ['gmail', 'pour moi', 'je sais pas', 'non', 'gratuit', 'oui', 'peu importe', 'oui', 'oui']) {
    await say(answer);
  }
}

describe('the engine', () => {
  it('runs a whole conversation from typed text to the first plan steps, in one language', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start();
    expect(sender.lastText()).toContain('demailbot');
    expect(sender.last.choices.map((c) => c.id)).toEqual(['begin', 'lang:en']);
    await alice.say('1');
    expect(sender.lastText()).toContain('Quelle boîte mail utilisez-vous');
    await answerQuestions(alice.say);
    expect(sender.last.choices[0]!.id).toMatch(/^provider:/);
    expect(sender.lastText()).toMatch(/✓/);
    await alice.say('1');
    expect(sender.lastText()).toContain('Étape 1 sur');
    await alice.say('fait');
    expect(sender.lastText()).toContain('Étape 2 sur');
    expect(sender.sent.every((s) => s.chatId === 'alice')).toBe(true);
    close();
  });

  it('never processes the same platform message twice', async () => {
    const { engine, sender, close } = makeEngine(tmp.path);
    const inbound = { conversation: { platform: 'test', chatId: 'bob' }, messageId: 'update-1', input: { kind: 'start' as const } };
    await engine.receive(inbound);
    const begin = { ...inbound, messageId: 'update-2', input: { kind: 'text' as const, text: 'commencer' } };
    await engine.receive(begin);
    expect(await engine.receive(begin)).toBeNull();
    expect(sender.sent).toHaveLength(2);
    close();
  });

  it('answers a stale button with the current question and does not act on it', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start();
    const welcomeSeq = sender.last.promptSeq;
    await alice.press('begin');
    await alice.press('begin', welcomeSeq); // pressed again on the old welcome message
    expect(sender.lastText()).toContain('message précédent');
    expect(sender.lastText()).toContain('Quelle boîte mail');
    await alice.press('gmail', welcomeSeq);
    expect(sender.lastText()).toContain('Quelle boîte mail'); // still the same question
    close();
  });

  it('continues the same conversation after a restart, on the same database file', async () => {
    const first = makeEngine(tmp.path);
    const alice = first.chat();
    await alice.start();
    await alice.say('commencer');
    await alice.say('yahoo');
    await alice.say('famille');
    first.close();

    const second = makeEngine(tmp.path);
    const again = second.chat();
    await again.start();
    const text = second.sender.lastText();
    expect(text).toContain('Re-bonjour');
    expect(text).toContain('Combien de boîtes mail');
    await again.say('2');
    expect(second.sender.lastText()).toContain('place');
    second.close();
  });

  it('resumes kindly from a snapshot of an older machine version, keeping the answers', async () => {
    const first = makeEngine(tmp.path);
    const alice = first.chat();
    await alice.start();
    await alice.say('commencer');
    await answerQuestions(alice.say);
    first.db.prepare("UPDATE conversations SET version = 0, snapshot = json_set(snapshot, '$.value', 'someOldState')").run();
    first.close();

    const second = makeEngine(tmp.path);
    await second.chat().say('bonjour');
    const text = second.sender.lastText();
    expect(text).toContain('mis à jour');
    expect(second.sender.last.choices[0]!.id).toMatch(/^provider:/);
    second.close();
  });

  it('keeps the checklist, the typed address and the reminders when salvaging an older snapshot', async () => {
    const first = makeEngine(tmp.path);
    const alice = first.chat();
    await alice.start();
    await alice.say('/liste');
    await alice.say('fait');
    await alice.say('ajouter un compte');
    await alice.say('Mon club');
    await alice.say('/rappels');
    await alice.say('oui');
    first.db.prepare("UPDATE conversations SET version = 1, snapshot = json_set(snapshot, '$.value', 'gone')").run();
    first.close();

    const second = makeEngine(tmp.path);
    await second.chat().say('/mesdonnees');
    const data = JSON.parse(second.sender.last.attachment!.content);
    expect(data.checklist).toEqual({ status: { roots: 'done' }, ownAccounts: ['Mon club'] });
    expect(data.reminders).toMatchObject({ on: true, timeZone: 'Europe/Paris' });
    second.close();
  });

  it('handles an unreadable snapshot without crashing', async () => {
    const first = makeEngine(tmp.path);
    await first.chat().start();
    first.db.prepare("UPDATE conversations SET snapshot = '{not json'").run();
    first.close();
    const second = makeEngine(tmp.path);
    await second.chat().say('commencer');
    expect(second.sender.last.choices.length).toBeGreaterThan(0);
    second.close();
  });

  it('keeps an undelivered reply in the outbox and delivers it later', async () => {
    const { engine, sender, chat, db, close } = makeEngine(tmp.path);
    sender.failNext = 1;
    const pending = () => db.prepare('SELECT COUNT(*) AS n FROM conversations WHERE delivered_seq < prompt_seq').get();
    await expect(chat().start()).rejects.toThrow('platform unavailable');
    expect(pending()).toEqual({ n: 1 });
    await engine.flushOutbox();
    expect(sender.sent).toHaveLength(1);
    expect(sender.lastText()).toContain('demailbot');
    expect(pending()).toEqual({ n: 0 });
    close();
  });

  it('re-sends undelivered replies to everyone, even when one of them cannot be reached', async () => {
    const { engine, sender, chat, close } = makeEngine(tmp.path);
    sender.failNext = 2;
    await expect(chat('blocked').start()).rejects.toThrow();
    await expect(chat('other').start()).rejects.toThrow();
    sender.failNext = 1; // "blocked" still cannot be reached
    expect(await engine.flushOutbox()).toBe(1);
    expect(sender.sent.map((s) => s.chatId)).toEqual(['other']);
    expect(await engine.flushOutbox()).toBe(0);
    expect(sender.sent.map((s) => s.chatId)).toEqual(['other', 'blocked']);
    close();
  });

  it('serialises the turns of one conversation and keeps conversations apart', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const alice = chat('alice');
    const bob = chat('bob');
    await Promise.all([alice.start(), bob.start()]);
    await Promise.all([alice.say('commencer'), alice.say('gmail'), bob.say('commencer'), alice.say('pour moi')]);
    const aliceTexts = sender.sent.filter((s) => s.chatId === 'alice').map((s) => plainText(s.message.text));
    expect(aliceTexts[1]).toContain('Quelle boîte mail');
    expect(aliceTexts[2]).toContain('Pour qui');
    expect(aliceTexts[3]).toContain('Quelle place');
    const bobTexts = sender.sent.filter((s) => s.chatId === 'bob').map((s) => plainText(s.message.text));
    expect(bobTexts[1]).toContain('Quelle boîte mail');
    close();
  });

  it('answers bad input kindly and loses nothing', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start();
    await alice.say('commencer');
    await alice.say('gmail');
    for (const bad of ['', '   ', 'x'.repeat(50_000), '🙂🙂', '/nimportequoi', 'blablabla']) {
      await alice.say(bad);
      expect(sender.lastText()).toContain('Pour qui est la nouvelle boîte');
    }
    await alice.send({ kind: 'unsupported', what: 'voice' });
    expect(sender.lastText()).toContain('vocaux');
    await alice.say('famille');
    expect(sender.lastText()).toContain('Combien de boîtes');
    close();
  });

  it('takes the language from the platform on first contact and switches on request', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start(undefined, 'en-GB');
    expect(sender.lastText()).toContain('Hello');
    await alice.say('/langue fr');
    expect(sender.lastText()).toContain('je continue en français');
    await alice.say('/language');
    expect(sender.lastText()).toContain('carry on in English');
    close();
  });

  it('erases everything on /forget after confirmation', async () => {
    const { sender, chat, db, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start();
    await alice.say('commencer');
    await alice.say('orange');
    await alice.say('/oublier');
    expect(sender.lastText()).toContain('Tout effacer');
    await alice.say('oui');
    expect(sender.lastText()).toContain("j'ai tout effacé");
    expect(db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    // And no other table holds a row about them (the anonymous daily counts hold nothing about anyone).
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'stats_daily'").all() as Array<{ name: string }>;
    for (const { name } of tables) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${name}`).get(), name).toEqual({ n: 0 });
    close();
  });

  it('purges conversations idle for longer than the retention period', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const { engine, chat, db, close } = makeEngine(tmp.path, { now: () => now, retentionDays: 30 });
    await chat('old').start();
    now += 20 * 86_400_000;
    await chat('recent').start();
    now += 15 * 86_400_000;
    expect(engine.purgeIdle()).toBe(1);
    expect(db.prepare('SELECT chat_id FROM conversations').all()).toEqual([{ chat_id: 'recent' }]);
    close();
  });

  it('writes the activity time at most hourly, and never erases anyone before their retention is over', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const { engine, chat, db, close } = makeEngine(tmp.path, { now: () => now, retentionDays: 30 });
    const activity = () => (db.prepare('SELECT updated_at FROM conversations').get() as { updated_at: number }).updated_at;
    const c = chat('jeanne');
    await c.start();
    const started = activity();
    now += 40 * 60_000;
    await c.press('begin');
    expect(activity()).toBe(started); // 40 minutes later: left alone
    now += 30 * 60_000;
    await c.say('gmail');
    expect(activity()).toBe(now); // past the hour: written
    // Her last turn was 40 minutes after the written time: 30 days after it, she is still there.
    now += 40 * 60_000;
    await c.say('1');
    const last = now;
    now = last + 30 * 86_400_000 + 1;
    expect(engine.purgeIdle()).toBe(0);
    now = last + 30 * 86_400_000 + 61 * 60_000;
    expect(engine.purgeIdle()).toBe(1);
    close();
  });

  it('rolls a failed turn back whole, apologises in the right language, and carries on', async () => {
    const { engine, sender, chat, close } = makeEngine(tmp.path);
    const alice = chat();
    await alice.start(undefined, 'en');
    await alice.say('start');
    vi.spyOn(engine.renderer, 'render').mockImplementationOnce(() => {
      throw new Error('a bug in a sentence');
    });
    await alice.say('gmail');
    expect(sender.lastText()).toContain('something went wrong on my side');
    expect(sender.lastText()).toContain('Which mailbox do you use today?'); // and the question again, with its buttons
    expect(sender.last.choices.map((c) => c.id)).toContain('gmail');
    await alice.press('gmail');
    expect(sender.lastText()).toContain('Who is the new mailbox for?'); // the buttons of the apology are live
    await alice.say('/back');
    await alice.say('/where');
    expect(sender.lastText()).toContain('question 1 of'); // the failed answer did not count
    await alice.say('gmail');
    expect(sender.lastText()).toContain('Who is the new mailbox for?');
    close();
  });

  it('creates the database file with owner-only permissions', () => {
    const { close } = makeEngine(tmp.path);
    expect(statSync(tmp.path).mode & 0o777).toBe(0o600);
    close();
  });
});

describe('what is stored about me', () => {
  it('/mesdonnees shows everything stored, readable and as a JSON document', async () => {
    const tmp2 = tempDbPath();
    const { sender, chat, close } = makeEngine(tmp2.path);
    const alice = chat();
    await alice.start();
    await alice.say('commencer');
    await alice.say('gmail');
    await alice.say('/liste');
    await alice.say('ajouter un compte');
    await alice.say('Mon club de judo');
    await alice.say('/mesdonnees');
    const text = sender.lastText();
    expect(text).toContain('Tout ce que je garde sur vous');
    expect(text).toContain('Boîte actuelle : Gmail');
    expect(text).toContain('Mon club de judo');
    expect(text).toContain('identifiant alice');
    expect(sender.last.choices.length).toBeGreaterThan(0); // and the current question again
    const document = JSON.parse(sender.last.attachment!.content);
    expect(sender.last.attachment!.filename).toBe('demailbot-mes-donnees.json');
    expect(document.conversation).toMatchObject({ platform: 'test', chatId: 'alice' });
    expect(document.answers).toEqual({ oldProvider: 'gmail' });
    expect(document.checklist.ownAccounts).toEqual(['Mon club de judo']);
    expect(document.technical.recentMessageIds.length).toBe(7);
    close();
    tmp2.cleanup();
  });
});
