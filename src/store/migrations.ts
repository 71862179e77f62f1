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
  /*
   * 4: the volunteers' desk. A ticket's row holds its machine's snapshot (like a conversation's) and where it
   * lives on the desk; status and times are copied out of the snapshot for the queries (queue position, the
   * usual wait, retention). The outbox keeps what must still reach the desk or the person — relayed messages,
   * card updates — until it did, so a crash or a desk outage loses nothing; a row is deleted once delivered.
   * desk_relays remembers which desk messages carried the person's words, so /forget can delete them there.
   */ `
  CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT, -- the "#12" volunteers see
    conversation_key TEXT NOT NULL,      -- the person's conversation ("<platform>:<chat id>")
    status           TEXT NOT NULL,      -- asked | queued | claimed | closed (from the snapshot)
    version          INTEGER NOT NULL,   -- ticket machine version the snapshot was made by
    snapshot         TEXT NOT NULL,      -- XState persisted snapshot (JSON): card, holder, flags
    desk             TEXT,               -- desk platform of its thread ("telegram", "matrix")
    thread_id        TEXT,               -- its forum topic / thread root on that desk
    card_id          TEXT,               -- the card message at the thread's top
    recent_ids       TEXT NOT NULL DEFAULT '[]', -- JSON: ids of the last desk messages handled (redeliveries)
    created_at       INTEGER NOT NULL,
    queued_at        INTEGER,            -- last time it entered the queue
    claimed_at       INTEGER,            -- first claim after queued_at (the usual wait is computed from these)
    closed_at        INTEGER,
    updated_at       INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX tickets_conversation ON tickets(conversation_key);
  CREATE INDEX tickets_thread ON tickets(desk, thread_id);
  CREATE INDEX tickets_status ON tickets(status, queued_at);

  CREATE TABLE desk_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  INTEGER NOT NULL,
    job        TEXT NOT NULL,            -- JSON: what to do (post, relay to the person, update the card…)
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,         -- not before (ms since epoch): retries back off
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX desk_outbox_ticket ON desk_outbox(ticket_id, id);

  CREATE TABLE desk_relays (
    ticket_id  INTEGER NOT NULL,
    desk       TEXT NOT NULL,
    thread_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,            -- a desk message that carried the person's words
    PRIMARY KEY (ticket_id, message_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE volunteers (
    desk       TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    signature  TEXT NOT NULL,            -- the first name they chose to sign their messages with (/name)
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (desk, user_id)
  ) STRICT, WITHOUT ROWID;
  `,
  /*
   * 5: what start-up looks for without reading every conversation. The retention purge (at start, then hourly)
   * finds idle conversations by updated_at; the redelivery at start, the replies not known delivered. Without
   * these, both read the whole table: 130 ms at 100,000 conversations, over a second at 1,000,000. The partial
   * index holds only the few rows whose reply is in flight.
   */ `
  CREATE INDEX conversations_idle ON conversations(updated_at);
  CREATE INDEX conversations_undelivered ON conversations(updated_at) WHERE delivered_seq < prompt_seq;
  `,
];
