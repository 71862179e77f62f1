/**
 * Erased means gone from the disk, not only from the tables: after /forget and after the retention purge, the
 * bytes of the database file, its WAL and its shared-memory index are scanned for what the person gave (their
 * chat id, their name, an account they listed, words they relayed, the volunteer's note about them).
 * Real engine, real desk core, a real SQLite file; the desk platform is the in-memory port (tests/support/fake-desk.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import type { DeskInbound } from '../../src/desk/port.js';
import { catalog, makeEngine, tempDbPath, texts } from '../support/engine.js';
import { FakeDeskPort } from '../support/fake-desk.js';

const DAY = 24 * 3600_000;
const CHAT = '987654321';
const MARKERS = [CHAT, 'Jeanne Martin', 'Banque Postale', 'jeanne.martin@posteo.net', 'rue des Lilas', 'Kevin', 'soleil2024'];

function occurrences(path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(path + suffix)) continue;
    const bytes = readFileSync(path + suffix);
    for (const marker of MARKERS) {
      const needle = Buffer.from(marker, 'utf8');
      let n = 0;
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) n++;
      if (n > 0) counts[`${suffix || '.db'} ${marker}`] = n;
    }
  }
  return counts;
}

function world() {
  const tmp = tempDbPath();
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  const clock = () => now;
  const made = makeEngine(tmp.path, { now: clock });
  const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: clock, lang: 'fr' });
  const port = new FakeDeskPort('matrix');
  port.members.add('@marie:asso.org');
  desk.register(port);
  let n = 0;
  const marie = (text: string) =>
    desk.receive({ desk: 'matrix', threadId: port.only().id, messageId: `d${++n}`, from: { id: '@marie:asso.org', name: 'Marie' }, input: { kind: 'text', text } } as DeskInbound);
  return { ...made, desk, port, tmp, marie, advance: (ms: number) => (now += ms) };
}

/** A whole life: a listed account, a ticket with the name shared, words relayed both ways, a close note. */
async function fullConversation(w: ReturnType<typeof world>) {
  const c = w.chat(CHAT);
  await c.start();
  await c.press('begin');
  for (let i = 0; i < 20; i++) {
    const choices = w.sender.last.choices.map((ch) => ch.id);
    const provider = choices.find((id) => id.startsWith('provider:'));
    if (provider) {
      await c.press(provider);
      break;
    }
    await c.press(choices[0]!);
  }
  await c.say('/liste');
  await c.press('add');
  await c.say('Banque Postale');
  await c.press('back');
  await c.say('/humain');
  await c.send({ kind: 'choice', choice: 'yesWithName', promptSeq: w.sender.last.promptSeq }, { displayName: 'Jeanne Martin' });
  await w.marie('/claim');
  await c.say('ma nouvelle adresse : jeanne.martin@posteo.net, mon fils Kevin va m\'aider');
  await w.marie("Parfait, je regarde.");
  return c;
}

let w: ReturnType<typeof world>;
afterEach(() => {
  w?.close();
  w?.tmp.cleanup();
});

describe('what reaches the store is masked', () => {
  it('an account added to the checklist with its password is kept masked, and the person is told', async () => {
    w = world();
    const c = w.chat(CHAT);
    await c.start();
    await c.say('/liste');
    await c.press('add');
    await c.say('Banque Postale identifiant 12345678 mdp soleil2024');
    expect(w.sender.lastText()).toContain('masqué avant de le garder');
    const row = w.db.prepare('SELECT snapshot FROM conversations').get() as { snapshot: string };
    expect(row.snapshot).toContain('Banque Postale identifiant 12345678 mdp ••••••');
    expect(row.snapshot).not.toContain('soleil2024');
    expect(occurrences(w.tmp.path)).not.toHaveProperty('-wal soleil2024');
  });
});

describe('erased data leaves the file', () => {
  it('secure_delete is on', () => {
    w = world();
    expect(w.db.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('after /forget, nothing of the person is left in the .db, -wal or -shm bytes', async () => {
    w = world();
    const c = await fullConversation(w);
    expect(occurrences(w.tmp.path)[`-wal ${CHAT}`]).toBeGreaterThan(0); // the scan does see them before
    await c.say('/oublier');
    await c.press('yes');
    expect(occurrences(w.tmp.path)).toEqual({});
  });

  it('after /forget, the memo of rendered sentences holds nothing of the person; it stays bounded', async () => {
    w = world();
    const c = await fullConversation(w);
    expect(texts.memoKeys().some((k) => k.includes('Banque Postale'))).toBe(true); // the memo did hold it
    await c.say('/oublier');
    await c.press('yes');
    const keys = texts.memoKeys();
    for (const marker of MARKERS) expect(keys.filter((k) => k.includes(marker))).toEqual([]);
    const t = texts.t('fr');
    for (let i = 0; i < 30_000; i++) t('desk:fromUser', { text: `message ${i} ${'x'.repeat(i % 300)}` });
    expect(texts.memoKeys().length).toBeLessThanOrEqual(5_000 * 2);
    expect(texts.memoKeys().every((k) => k.length <= 200)).toBe(true);
  });

  it('after the retention purge of a closed ticket and an idle conversation, nothing is left either', async () => {
    w = world();
    await fullConversation(w);
    await w.marie('/close vu ensemble, il habite rue des Lilas');
    w.advance(200 * DAY);
    w.engine.purgeIdle();
    await w.desk.drainAll();
    w.engine.purgeIdle(); // the next hourly round: the erasure jobs delivered, their rows gone too
    for (const table of ['conversations', 'tickets', 'desk_relays', 'desk_outbox', 'deadlines']) {
      expect(w.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(occurrences(w.tmp.path)).toEqual({});
  });
});
