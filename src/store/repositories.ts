/**
 * The statements the engine runs, prepared once. Writes happen inside the engine's turn transaction
 * (see engine/engine.ts), except `delivered`, which records after the fact that a reply reached the platform.
 * Deadlines are timers that must survive a restart; the scheduler fires them through a turn (engine.fireDue).
 */
import type { Db } from './database.js';

export interface ConversationRow {
  key: string;
  platform: string;
  chat_id: string;
  version: number;
  snapshot: string;
  prompt_seq: number;
  recent_ids: string;
  delivered_seq: number;
  created_at: number;
  updated_at: number;
}

export interface DeadlineRow {
  conversation_key: string;
  kind: string;
  due_at: number;
}

export type ConversationWrite = Omit<ConversationRow, 'created_at' | 'updated_at' | 'delivered_seq'>;

/**
 * A conversation's activity time (`updated_at`) is written at most once in this long. It only times the
 * retention (days) and the order of re-sends at start, and writing it moves the row in the `conversations_idle`
 * index: on every turn that was the heaviest part of the commit (p99 of a turn 3.5 ms → 1.7 ms without it). The
 * retention purge allows for it (`purgeIdle`): nobody is erased before their retention is over, at most this much
 * after — the purge itself runs hourly.
 */
export const ACTIVITY_STEP_MS = 60 * 60_000;

export function createRepositories(db: Db) {
  const get = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE key = ?');
  // Positional parameters: binding is measurably cheaper than named ones on this hot path.
  const insert = db.prepare<[string, string, string, number, string, number, string, number, number]>(
    `INSERT INTO conversations
       (key, platform, chat_id, version, snapshot, prompt_seq, recent_ids, delivered_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  const update = db.prepare<[number, string, number, string, number, string]>(
    'UPDATE conversations SET version = ?, snapshot = ?, prompt_seq = ?, recent_ids = ?, updated_at = ? WHERE key = ?',
  );
  // The same, leaving the activity time alone while it is recent: see ACTIVITY_STEP_MS.
  const updateRecent = db.prepare<[number, string, number, string, string, number]>(
    'UPDATE conversations SET version = ?, snapshot = ?, prompt_seq = ?, recent_ids = ? WHERE key = ? AND updated_at > ?',
  );
  const delivered = db.prepare<[number, string, number]>(
    'UPDATE conversations SET delivered_seq = ? WHERE key = ? AND delivered_seq < ?',
  );
  const undelivered = db.prepare<[], { key: string }>(
    'SELECT key FROM conversations WHERE delivered_seq < prompt_seq ORDER BY updated_at',
  );
  const erase = [
    db.prepare<[string]>('DELETE FROM conversations WHERE key = ?'),
    db.prepare<[string]>('DELETE FROM deadlines WHERE conversation_key = ?'),
  ];
  const rename = [
    db.prepare<[string, string, string]>('UPDATE conversations SET key = ?, chat_id = ? WHERE key = ?'),
    db.prepare<[string, string]>('UPDATE deadlines SET conversation_key = ? WHERE conversation_key = ?'),
    db.prepare<[string, string]>('UPDATE tickets SET conversation_key = ? WHERE conversation_key = ?'),
  ] as const;
  const setDeadline = db.prepare<[string, string, number]>(
    `INSERT INTO deadlines (conversation_key, kind, due_at) VALUES (?, ?, ?)
     ON CONFLICT(conversation_key, kind) DO UPDATE SET due_at = excluded.due_at`,
  );
  const clearDeadlines = db.prepare<[string, string]>(
    "DELETE FROM deadlines WHERE conversation_key = ? AND kind LIKE ? ESCAPE '\\'",
  );
  const deleteDeadline = db.prepare<[string, string]>('DELETE FROM deadlines WHERE conversation_key = ? AND kind = ?');
  const due = db.prepare<[number, number], DeadlineRow>(
    'SELECT conversation_key, kind, due_at FROM deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?',
  );
  const deadlinesOf = db.prepare<[string], DeadlineRow>(
    'SELECT conversation_key, kind, due_at FROM deadlines WHERE conversation_key = ? ORDER BY due_at',
  );
  // The purged conversations' deadlines, by key: a sweep for orphans over every deadline cost 380 ms at start
  // with 1,000,000 conversations, for nothing in the usual case (no conversation idle long enough).
  const deadlinesOfKey = db.prepare<[string]>('DELETE FROM deadlines WHERE conversation_key = ?');
  const idleKeys = db.prepare<[number], { key: string }>('SELECT key FROM conversations WHERE updated_at < ?');
  const purge = db.prepare<[number]>('DELETE FROM conversations WHERE updated_at < ?');

  const inboxAdd = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO adapter_state (adapter, key, value) VALUES (?, ?, ?)',
  );
  const inboxDone = db.prepare<[string, string]>('DELETE FROM adapter_state WHERE adapter = ? AND key = ?');
  const inboxAll = db.prepare<[string], { key: string; value: string }>(
    'SELECT key, value FROM adapter_state WHERE adapter = ?',
  );

  return {
    /** Platform updates received but not yet handled, under `adapter_state` ("<adapter>:inbox"). */
    inbox: {
      add: db.transaction((name: string, items: Array<{ id: string; payload: string }>) => {
        for (const item of items) inboxAdd.run(name, item.id, item.payload);
      }),
      done: (name: string, id: string) => void inboxDone.run(name, id),
      pending: (name: string) => inboxAll.all(name),
    },
    conversation: (key: string) => get.get(key),
    /** Saves a conversation's turn; `isNew` when no row exists yet (the engine knows: it just loaded it). */
    saveConversation: (row: ConversationWrite, now: number, isNew: boolean) => {
      if (isNew) insert.run(row.key, row.platform, row.chat_id, row.version, row.snapshot, row.prompt_seq, row.recent_ids, now, now);
      else if (updateRecent.run(row.version, row.snapshot, row.prompt_seq, row.recent_ids, row.key, now - ACTIVITY_STEP_MS).changes === 0) {
        update.run(row.version, row.snapshot, row.prompt_seq, row.recent_ids, now, row.key);
      }
    },
    /** The reply to prompt `promptSeq` reached the platform: nothing to re-send after a restart. */
    delivered: (key: string, promptSeq: number) => void delivered.run(promptSeq, key, promptSeq),
    /** Conversations whose last reply may not have reached the platform (a crash between commit and send). */
    undelivered: () => undelivered.all().map((r) => r.key),
    /** Erases everything about one conversation (the user's /forget): its row and its deadlines. */
    erase: (key: string) => {
      for (const statement of erase) statement.run(key);
    },
    /** Moves a conversation (row, deadlines, tickets) to a new key; inside the caller's transaction. */
    rename: (from: string, to: string, chatId: string) => {
      rename[0].run(to, chatId, from);
      rename[1].run(to, from);
      rename[2].run(to, from);
    },
    /** Erases conversations idle since before `cutoff` (and their deadlines); returns their keys. */
    purgeIdle: (cutoff: number): string[] => {
      const keys = idleKeys.all(cutoff).map((r) => r.key);
      if (keys.length === 0) return keys;
      purge.run(cutoff);
      for (const key of keys) deadlinesOfKey.run(key);
      return keys;
    },
    setDeadline: (key: string, kind: string, dueAt: number) => void setDeadline.run(key, kind, dueAt),
    /** Clears this conversation's deadlines whose kind starts with `prefix` (e.g. "checkin:"). */
    clearDeadlines: (key: string, prefix: string) => void clearDeadlines.run(key, prefix.replace(/[\\%_]/g, '\\$&') + '%'),
    deleteDeadline: (key: string, kind: string) => void deleteDeadline.run(key, kind),
    dueDeadlines: (now: number, limit = 500) => due.all(now, limit),
    deadlinesOf: (key: string) => deadlinesOf.all(key),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
