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
  /*
   * 2: deadlines and anonymous statistics.
   * Deadlines are timers that must survive a restart (XState's `after` timers are not in a persisted snapshot):
   * the scheduler fires each due one through the same turn as a message, and deletes it in that turn's
   * transaction, so it is never fired twice. Statistics are daily counts with no user id of any kind.
   */ `
  CREATE TABLE deadlines (
    conversation_key TEXT NOT NULL,
    kind             TEXT NOT NULL,      -- e.g. "checkin:7"
    due_at           INTEGER NOT NULL,   -- ms since epoch
    PRIMARY KEY (conversation_key, kind)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX deadlines_due ON deadlines(due_at);

  CREATE TABLE stats_daily (
    day    TEXT NOT NULL,                -- YYYY-MM-DD (UTC)
    metric TEXT NOT NULL,                -- e.g. "started", "chose"
    detail TEXT NOT NULL DEFAULT '',     -- e.g. the provider id for "chose"; never anything about a person
    count  INTEGER NOT NULL,
    PRIMARY KEY (day, metric, detail)
  ) STRICT, WITHOUT ROWID;
  `,
  /*
   * 3: adapters' own state, next to the conversations rather than in loose files: e.g. the Matrix sync token
   * and the SDK's storage (filters, joined rooms). Namespaced by adapter; values are small strings.
   */ `
  CREATE TABLE adapter_state (
    adapter TEXT NOT NULL,               -- e.g. "matrix"
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (adapter, key)
  ) STRICT, WITHOUT ROWID;
  `,
];
