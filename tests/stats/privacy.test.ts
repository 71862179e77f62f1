/**
 * No user id in the stats tables — a guard for future edits. Whoever adds a column or a detail to the statistics
 * must not be able to slip a chat id, a conversation key or anything else about a person into them unnoticed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCounters, METRICS } from '../../src/stats/counters.js';
import { readStats } from '../../src/stats/report.js';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { at } from './helpers.js';

/** "<platform>:<chat id>", as conversations.key is built. */
const CONVERSATION_KEY = /^[A-Za-z][\w-]*:.+$/;
/** Provider ids are lowercase words with dashes: the only details a stats row may carry. */
const PROVIDER_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const CHAT_IDS = ['alice-4242', '987654321', '-100123456789'];

let tmp: ReturnType<typeof tempDbPath>;
beforeEach(() => {
  tmp = tempDbPath();
});
afterEach(() => tmp.cleanup());

describe('the stats tables', () => {
  it('hold a day, a metric, a provider id and a count — never a user id', async () => {
    const { db, chat, close } = makeEngine(tmp.path);
    // Scripted conversations, so that whatever the engine counts today or tomorrow is counted here too.
    for (const chatId of CHAT_IDS) {
      const person = chat(chatId);
      await person.start();
      for (const answer of ['1', 'gmail', 'pour moi', 'je sais pas', 'non', 'gratuit', 'oui', 'peu importe', 'oui', 'oui', '1', 'fait']) {
        await person.say(answer);
      }
    }
    const counters = createCounters(db);
    for (const metric of METRICS) counters.count(metric, at('2025-03-01'), metric === 'chose' ? 'posteo' : '');

    const statsTables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'stats%' ORDER BY name`)
      .all()
      .map((t) => t.name);
    expect(statsTables).toContain('stats_daily');
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('stats_daily')`).all().map((c) => c.name);
    expect(columns).toEqual(['day', 'metric', 'detail', 'count']);

    const keys = db.prepare<[], { key: string; chat_id: string }>('SELECT key, chat_id FROM conversations').all();
    expect(keys.map((k) => k.chat_id).sort()).toEqual([...CHAT_IDS].sort());
    const secrets = keys.flatMap((k) => [k.key, k.chat_id]);

    for (const table of statsTables) {
      for (const column of db.prepare<[string], { name: string }>(`SELECT name FROM pragma_table_info(?)`).all(table)) {
        expect(column.name, `${table}.${column.name}`).not.toMatch(/user|chat|key|platform|conversation|person|name|address|email/i);
      }
      const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>;
      for (const row of rows) {
        for (const value of Object.values(row)) {
          for (const secret of secrets) expect(String(value), `${table} holds ${secret}`).not.toContain(secret);
        }
      }
    }

    const rows = readStats(db);
    expect(rows.length).toBeGreaterThanOrEqual(METRICS.length);
    for (const row of rows) {
      expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(METRICS as readonly string[]).toContain(row.metric);
      expect(row.detail).not.toMatch(CONVERSATION_KEY);
      if (row.detail !== '') expect(row.detail).toMatch(PROVIDER_ID);
      expect(Number.isInteger(row.count)).toBe(true);
    }
    close();
  });
});
