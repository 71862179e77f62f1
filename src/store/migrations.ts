/**
 * Schema migrations, applied in order at start-up (PRAGMA user_version counts those applied).
 * Never edit a migration that has shipped: add a new one. README's data inventory lists every column.
 */
export const MIGRATIONS: readonly string[] = [
  /*
   * 1: conversations. One row per chat holds everything a turn writes — the snapshot, the ids of the last
   * inbound messages (to ignore redeliveries) and how far replies were delivered — so that a turn writes one
   * row of one table in one transaction: the cheapest durable turn SQLite allows.
   */ `
  CREATE TABLE conversations (
    key           TEXT PRIMARY KEY,      -- "<platform>:<chat id>"
    platform      TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    version       INTEGER NOT NULL,      -- guide machine version the snapshot was made by
    snapshot      TEXT NOT NULL,         -- XState persisted snapshot (JSON)
    prompt_seq    INTEGER NOT NULL,      -- number of the prompt last sent: buttons of older ones are stale
    recent_ids    TEXT NOT NULL,         -- JSON array: platform ids of the last inbound messages, newest last
    delivered_seq INTEGER NOT NULL,      -- prompt_seq of the last reply known delivered; less: re-sent at start
    created_at    INTEGER NOT NULL,      -- ms since epoch
    updated_at    INTEGER NOT NULL
  ) STRICT;
  `,
];
