/**
 * Schema migrations, applied in order at start-up (PRAGMA user_version counts those applied).
 * Never edit a migration that has shipped: add a new one. README's data inventory lists every column.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: conversations, de-duplication, outbox */ `
  CREATE TABLE conversations (
    key          TEXT PRIMARY KEY,      -- "<platform>:<chat id>"
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    version      INTEGER NOT NULL,      -- guide machine version the snapshot was made by
    snapshot     TEXT NOT NULL,         -- XState persisted snapshot (JSON)
    prompt_seq   INTEGER NOT NULL,      -- number of the prompt last sent: buttons of older ones are stale
    created_at   INTEGER NOT NULL,      -- ms since epoch
    updated_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX conversations_updated ON conversations(updated_at);

  CREATE TABLE processed_messages (
    conversation_key TEXT NOT NULL,
    message_id       TEXT NOT NULL,     -- the platform's id of an inbound message/update
    processed_at     INTEGER NOT NULL,
    PRIMARY KEY (conversation_key, message_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX processed_messages_at ON processed_messages(processed_at);

  CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    conversation_key TEXT NOT NULL,
    message          TEXT NOT NULL,     -- rendered reply (JSON): sent, then deleted
    created_at       INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX outbox_conversation ON outbox(conversation_key, id);
  `,
];
