/**
 * The statements the engine runs, prepared once. Every write happens inside the engine's turn transaction
 * (see engine/engine.ts); nothing here opens a transaction of its own except where it says so.
 */
import type { Db } from './database.js';

export interface ConversationRow {
  key: string;
  platform: string;
  chat_id: string;
  version: number;
  snapshot: string;
  prompt_seq: number;
  created_at: number;
  updated_at: number;
}

export interface OutboxRow {
  id: number;
  conversation_key: string;
  message: string;
}


export function createRepositories(db: Db) {
  const getConversation = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE key = ?');
  const saveConversation = db.prepare<[Omit<ConversationRow, 'created_at' | 'updated_at'> & { now: number }]>(
    `INSERT INTO conversations (key, platform, chat_id, version, snapshot, prompt_seq, created_at, updated_at)
     VALUES (@key, @platform, @chat_id, @version, @snapshot, @prompt_seq, @now, @now)
     ON CONFLICT(key) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot,
       prompt_seq = excluded.prompt_seq, updated_at = excluded.updated_at`,
  );
  const markProcessed = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO processed_messages (conversation_key, message_id, processed_at) VALUES (?, ?, ?)',
  );
  const enqueue = db.prepare<[string, string, number]>(
    'INSERT INTO outbox (conversation_key, message, created_at) VALUES (?, ?, ?)',
  );
  const dequeue = db.prepare<[number]>('DELETE FROM outbox WHERE id = ?');
  const pending = db.prepare<[], OutboxRow>('SELECT id, conversation_key, message FROM outbox ORDER BY id');
  const erase = [
    db.prepare<[string]>('DELETE FROM conversations WHERE key = ?'),
    db.prepare<[string]>('DELETE FROM processed_messages WHERE conversation_key = ?'),
    db.prepare<[string]>('DELETE FROM outbox WHERE conversation_key = ?'),
  ];
  const purgeConversations = db.prepare<[number]>('DELETE FROM conversations WHERE updated_at < ?');
  // Outbox rows of purged conversations would be replies to nobody; undelivered ones of live ones stay.
  const purgeOrphans = db.prepare(
    'DELETE FROM outbox WHERE conversation_key NOT IN (SELECT key FROM conversations)',
  );
  const purgeProcessed = db.prepare<[number]>('DELETE FROM processed_messages WHERE processed_at < ?');

  return {
    conversation: (key: string) => getConversation.get(key),
    saveConversation: (row: Omit<ConversationRow, 'created_at' | 'updated_at'>, now: number) =>
      saveConversation.run({ ...row, now }),
    /** Records an inbound message id; false when it was already processed (a redelivery). */
    markProcessed: (key: string, messageId: string, now: number) => markProcessed.run(key, messageId, now).changes === 1,
    enqueue: (key: string, message: string, now: number) => Number(enqueue.run(key, message, now).lastInsertRowid),
    dequeue: (id: number) => void dequeue.run(id),
    pendingOutbox: () => pending.all(),
    /** Erases every row about one conversation (the user's /forget). */
    erase: (key: string) => {
      for (const statement of erase) statement.run(key);
    },
    /** Erases conversations idle since before `cutoff`, and de-duplication records older than `processedCutoff`. */
    purge: (cutoff: number, processedCutoff: number) => {
      const stale = purgeConversations.run(cutoff).changes;
      purgeOrphans.run();
      purgeProcessed.run(processedCutoff);
      return stale;
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
