/**
 * The statements the engine runs, prepared once. Writes happen inside the engine's turn transaction
 * (see engine/engine.ts), except `delivered`, which records after the fact that a reply reached the platform.
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
  pending_reply: string | null;
  created_at: number;
  updated_at: number;
}

export type ConversationWrite = Omit<ConversationRow, 'created_at' | 'updated_at'>;

export function createRepositories(db: Db) {
  const get = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE key = ?');
  const save = db.prepare<[ConversationWrite & { now: number }]>(
    `INSERT INTO conversations
       (key, platform, chat_id, version, snapshot, prompt_seq, recent_ids, pending_reply, created_at, updated_at)
     VALUES (@key, @platform, @chat_id, @version, @snapshot, @prompt_seq, @recent_ids, @pending_reply, @now, @now)
     ON CONFLICT(key) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot,
       prompt_seq = excluded.prompt_seq, recent_ids = excluded.recent_ids, pending_reply = excluded.pending_reply,
       updated_at = excluded.updated_at`,
  );
  const delivered = db.prepare<[string, number]>(
    'UPDATE conversations SET pending_reply = NULL WHERE key = ? AND prompt_seq = ?',
  );
  const pending = db.prepare<[], Pick<ConversationRow, 'key' | 'prompt_seq' | 'pending_reply'>>(
    'SELECT key, prompt_seq, pending_reply FROM conversations WHERE pending_reply IS NOT NULL ORDER BY updated_at',
  );
  const erase = db.prepare<[string]>('DELETE FROM conversations WHERE key = ?');
  const idleKeys = db.prepare<[number], { key: string }>('SELECT key FROM conversations WHERE updated_at < ?');
  const purge = db.prepare<[number]>('DELETE FROM conversations WHERE updated_at < ?');

  return {
    conversation: (key: string) => get.get(key),
    saveConversation: (row: ConversationWrite, now: number) => void save.run({ ...row, now }),
    /** The reply of prompt `promptSeq` reached the platform: no need to send it again after a restart. */
    delivered: (key: string, promptSeq: number) => void delivered.run(key, promptSeq),
    pendingReplies: () => pending.all(),
    /** Erases everything about one conversation (the user's /forget). */
    erase: (key: string) => void erase.run(key),
    /** Erases conversations idle since before `cutoff`; returns their keys. */
    purgeIdle: (cutoff: number): string[] => {
      const keys = idleKeys.all(cutoff).map((r) => r.key);
      purge.run(cutoff);
      return keys;
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
