/**
 * Follow-through on the real engine and SQLite file, with a fake clock: the address-change checklist, check-ins
 * fired from deadlines stored in SQLite (across a restart, never twice, never at night, one message after
 * downtime), and the anonymous statistics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';

const DAY = 86_400_000;
/** Tuesday 3 March 2026, 10:00 in Paris (09:00 UTC). */
const START = Date.parse('2026-03-03T09:00:00Z');

let tmp: ReturnType<typeof tempDbPath>;
let now: number;
beforeEach(() => {
  tmp = tempDbPath();
  now = START;
});
afterEach(() => tmp.cleanup());

function engineAt(options = {}) {
  return makeEngine(tmp.path, { now: () => now, ...options });
}

async function withRemindersOn(env: ReturnType<typeof engineAt>, chatId = 'alice') {
  const alice = env.chat(chatId);
  await alice.start();
  await alice.say('commencer');
  await alice.say('/rappels');
  expect(env.sender.lastText()).toContain('prenne de vos nouvelles dans 7, 30 et 90 jours');
  await alice.say('oui');
  expect(env.sender.lastText()).toContain('je reviens vers vous dans 7 jours');
  return alice;
}

const deadlines = (env: ReturnType<typeof engineAt>) =>
  (env.db.prepare('SELECT kind, due_at FROM deadlines ORDER BY due_at').all() as Array<{ kind: string; due_at: number }>).map(
    (row) => `${row.kind}@${(row.due_at - START) / DAY}d`,
  );

describe('the address-change checklist', () => {
  it('walks the categories, takes the person\'s own accounts, and shows progress on request', async () => {
    const env = engineAt();
    const alice = env.chat();
    await alice.start();
    await alice.say('commencer');
    await alice.say('/liste');
    expect(env.sender.lastText()).toContain('1 sur 13');
    expect(env.sender.lastText()).toContain('comptes « racines »');
    await alice.say('fait');
    await alice.say('pas concerné');
    await alice.say('plus tard');
    await alice.say('ajouter un compte');
    await alice.say('Mon club de badminton');
    expect(env.sender.lastText()).toContain('Mon club de badminton');
    await alice.say('fait');
    expect(env.sender.lastText()).toContain('Liste des comptes : 2 sur 14 faits, 1 pour plus tard.');
    await alice.say('retour');
    expect(env.sender.lastText()).toContain('Quelle boîte mail'); // back where we were
    await alice.say('/ou');
    expect(env.sender.lastText()).toContain('Liste des comptes : 2 sur 14 faits');
    env.close();
  });

  it('forgets the accounts the person typed along with everything else', async () => {
    const env = engineAt();
    const alice = env.chat();
    await alice.start();
    await alice.say('/liste');
    await alice.say('ajouter un compte');
    await alice.say('Club de pétanque de Saint-Glinglin');
    await alice.say('/oublier');
    await alice.say('oui');
    const dump = JSON.stringify(env.db.prepare('SELECT * FROM conversations').all());
    expect(dump).not.toContain('pétanque');
    env.close();
  });
});

describe('ready-to-copy texts', () => {
  it('fill in the new address only if the person types it, and forget it on request', async () => {
    const env = engineAt();
    const alice = env.chat();
    await alice.start(undefined, 'en');
    await alice.say('start');
    for (const answer of ['gmail', 'me', "don't know", 'no', 'free only', 'yes', "doesn't matter", 'yes', 'yes']) {
      await alice.say(answer);
    }
    await alice.say('1');
    // Through the plan to the first step that offers the texts (the auto-reply, or telling contacts).
    for (let i = 0; i < 12 && !env.sender.last.choices.some((c) => c.id === 'templates'); i++) await alice.say('done');
    await alice.say('ready-to-copy texts');
    expect(env.sender.lastText()).toContain('you can give it to me');
    await alice.say('message for family and friends');
    expect(env.sender.lastText()).toContain('[your new address]');
    await alice.say('give my new address');
    await alice.say('not an address');
    expect(env.sender.lastText()).toContain("doesn't look like an e-mail address");
    await alice.say('me@example.org');
    expect(env.sender.lastText()).toContain('They contain your new address: me@example.org');
    await alice.say('auto-reply');
    expect(env.sender.lastText()).toMatch(/To copy:[\s\S]*me@example\.org/);
    await alice.say('forget my new address');
    expect(env.sender.lastText()).toContain('[your new address]');
    expect(JSON.stringify(env.db.prepare('SELECT snapshot FROM conversations').all())).not.toContain('me@example.org');
    await alice.say('back');
    expect(env.sender.last.choices.map((c) => c.id)).toContain('templates'); // back at the plan step
    env.close();
  });
});

describe('check-ins', () => {
  it('come at day 7, 30 and 90, survive a restart, and are never sent twice', async () => {
    let env = engineAt();
    await withRemindersOn(env);
    expect(deadlines(env)).toEqual(['checkin:7@7d', 'checkin:30@30d', 'checkin:90@90d']);

    now = START + 7 * DAY;
    expect(await env.engine.fireDue()).toBe(1);
    expect(env.sender.lastText()).toContain('cela fait 7 jours');
    expect(env.sender.lastText()).toContain('encore arrivés sur l\'ancienne adresse');
    expect(await env.engine.fireDue()).toBe(0);
    await env.chat().say('oui');
    expect(env.sender.lastText()).toContain('chaque message qui arrive encore');
    env.close();

    // The bot restarts; day 30 comes.
    env = engineAt();
    now = START + 30 * DAY + 3_600_000;
    expect(await env.engine.fireDue()).toBe(1);
    expect(env.sender.lastText()).toContain('cela fait 30 jours');
    expect(deadlines(env)).toEqual(['checkin:90@90d']);
    const snapshot = JSON.parse((env.db.prepare('SELECT snapshot FROM conversations').get() as { snapshot: string }).snapshot);
    expect(snapshot.context.reminders.answers).toEqual({ '7': 'yes' });
    env.close();
  });

  it('after downtime, catch up with one message, not a burst', async () => {
    const env = engineAt();
    await withRemindersOn(env);
    const before = env.sender.sent.length;
    now = START + 100 * DAY;
    expect(await env.engine.fireDue()).toBe(1);
    expect(env.sender.sent.length).toBe(before + 1);
    expect(env.sender.lastText()).toContain('cela fait 90 jours');
    expect(env.sender.lastText()).toContain('basculé pour de bon');
    expect(deadlines(env)).toEqual([]);
    env.close();
  });

  it('never arrive between 21:00 and 09:00 where the person lives', async () => {
    const env = engineAt();
    const alice = await withRemindersOn(env);
    // Day 7 at 23:30 in Paris: postponed to 09:00 the next morning.
    now = Date.parse('2026-03-10T22:30:00Z');
    expect(await env.engine.fireDue()).toBe(0);
    expect(deadlines(env)[0]).toBe(`checkin:7@${(Date.parse('2026-03-11T08:00:00Z') - START) / DAY}d`);
    now = Date.parse('2026-03-11T08:00:00Z');
    expect(await env.engine.fireDue()).toBe(1);

    // In Nouméa (UTC+11), noon in Paris is 22:00: quiet.
    await alice.say('/rappels'); // off
    expect(env.sender.lastText()).toContain('Rappels arrêtés');
    expect(deadlines(env)).toEqual([]);
    await alice.say('/rappels');
    await alice.say('changer de fuseau');
    await alice.say('Nouvelle-Calédonie');
    expect(env.sender.lastText()).toContain('Fuseau horaire : Pacific/Noumea');
    await alice.say('oui');
    now += 7 * DAY + 3 * 3_600_000; // 12:00 in Paris, 22:00 in Nouméa
    expect(await env.engine.fireDue()).toBe(0);
    env.close();
  });

  it('stop when asked, and are gone with the conversation', async () => {
    const env = engineAt();
    const alice = await withRemindersOn(env);
    await alice.say('/rappels');
    now = START + 8 * DAY;
    expect(await env.engine.fireDue()).toBe(0);
    await alice.say('/rappels');
    await alice.say('oui');
    await alice.say('/oublier');
    await alice.say('oui');
    expect(deadlines(env)).toEqual([]);
    env.close();
  });
});

describe('anonymous statistics', () => {
  it('count each step of the funnel once per journey, with no user id anywhere', async () => {
    const env = engineAt();
    for (const chatId of ['a', 'b']) {
      const person = env.chat(chatId);
      await person.start();
      await person.say('commencer');
      for (const answer of ['gmail', 'pour moi', 'je sais pas', 'non', 'gratuit', 'oui', 'peu importe', 'oui', 'oui']) {
        await person.say(answer);
      }
      await person.say('1');
    }
    await env.chat('a').say('/recommencer');
    await env.chat('a').say('non');
    await env.chat('a').say('/retour');
    await env.chat('a').say('1'); // chooses again: not counted twice
    const rows = env.db.prepare('SELECT metric, detail, count FROM stats_daily ORDER BY metric, detail').all() as Array<{
      metric: string;
      detail: string;
      count: number;
    }>;
    const total = (metric: string) => rows.filter((r) => r.metric === metric).reduce((n, r) => n + r.count, 0);
    expect(total('started')).toBe(2);
    expect(total('answered')).toBe(2);
    expect(total('recommended')).toBe(2);
    expect(total('chose')).toBe(2);
    expect(rows.filter((r) => r.metric === 'chose').every((r) => r.detail.length > 0)).toBe(true);
    const columns = (env.db.prepare("SELECT name FROM pragma_table_info('stats_daily')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['day', 'metric', 'detail', 'count']);
    const dump = JSON.stringify(rows);
    expect(dump).not.toMatch(/test:|alice|"a"|"b"/);
    env.close();
  });
});
