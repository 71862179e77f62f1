/**
 * The desk's statements: tickets, their outbox, the desk messages that carried a person's words, volunteers'
 * signatures. Writes happen inside the caller's transaction (a ticket step is one transaction with the
 * conversation's turn when both change).
 */
import type { Db } from './database.js';

export interface TicketRow {
  id: number;
  conversation_key: string;
  status: string;
  version: number;
  snapshot: string;
  desk: string | null;
  thread_id: string | null;
  card_id: string | null;
  recent_ids: string;
  created_at: number;
  queued_at: number | null;
  claimed_at: number | null;
  closed_at: number | null;
  updated_at: number;
}

export interface OutboxRow {
  id: number;
  ticket_id: number;
  job: string;
  attempts: number;
  next_at: number;
  created_at: number;
}

export function createTicketStore(db: Db) {
  const byId = db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const latestOf = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE conversation_key = ? ORDER BY id DESC LIMIT 1');
  const ofConversation = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE conversation_key = ? ORDER BY id');
  const byThread = db.prepare<[string, string], TicketRow>('SELECT * FROM tickets WHERE desk = ? AND thread_id = ?');
  const insert = db.prepare<[string, string, number, string, number, number]>(
    'INSERT INTO tickets (conversation_key, status, version, snapshot, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, string, number | null, number | null, number | null, number, number]>(
    `UPDATE tickets SET status = ?, snapshot = ?, recent_ids = ?, queued_at = ?, claimed_at = ?, closed_at = ?, updated_at = ?
     WHERE id = ?`,
  );
  const setThread = db.prepare<[string, string, string, number]>('UPDATE tickets SET desk = ?, thread_id = ?, card_id = ? WHERE id = ?');
  const position = db.prepare<[number, number, number], { n: number }>(
    "SELECT COUNT(*) AS n FROM tickets WHERE status = 'queued' AND (queued_at < ? OR (queued_at = ? AND id <= ?))",
  );
  const waits = db.prepare<[number], { wait: number }>(
    `SELECT claimed_at - queued_at AS wait FROM tickets
     WHERE claimed_at IS NOT NULL AND queued_at IS NOT NULL AND claimed_at >= ? ORDER BY claimed_at DESC LIMIT 20`,
  );
  const claims = db.prepare<[number], { queued_at: number; claimed_at: number; desk: string | null }>(
    `SELECT queued_at, claimed_at, desk FROM tickets
     WHERE claimed_at IS NOT NULL AND queued_at IS NOT NULL AND claimed_at >= ? ORDER BY claimed_at DESC LIMIT 20`,
  );
  const remove = db.prepare<[number]>('DELETE FROM tickets WHERE id = ?');
  const removeRelays = db.prepare<[number]>('DELETE FROM desk_relays WHERE ticket_id = ?');
  const relaysOf = db.prepare<[number], { desk: string; thread_id: string; message_id: string }>(
    'SELECT desk, thread_id, message_id FROM desk_relays WHERE ticket_id = ?',
  );
  const addRelay = db.prepare<[number, string, string, string]>(
    'INSERT OR IGNORE INTO desk_relays (ticket_id, desk, thread_id, message_id) VALUES (?, ?, ?, ?)',
  );
  const orphanRelays = db.prepare('DELETE FROM desk_relays WHERE ticket_id NOT IN (SELECT id FROM tickets)');
  const closedBefore = db.prepare<[number], { id: number }>("SELECT id FROM tickets WHERE status = 'closed' AND closed_at < ?");
  const orphans = db.prepare<[], { id: number }>(
    "SELECT id FROM tickets WHERE status <> 'closed' AND conversation_key NOT IN (SELECT key FROM conversations)",
  );
  const enqueue = db.prepare<[number, string, number, number]>(
    'INSERT INTO desk_outbox (ticket_id, job, next_at, created_at) VALUES (?, ?, ?, ?)',
  );
  const headOf = db.prepare<[number], OutboxRow>('SELECT * FROM desk_outbox WHERE ticket_id = ? ORDER BY id LIMIT 1');
  const dueTickets = db.prepare<[number], { ticket_id: number }>(
    'SELECT DISTINCT ticket_id FROM desk_outbox WHERE next_at <= ? ORDER BY ticket_id',
  );
  const done = db.prepare<[number]>('DELETE FROM desk_outbox WHERE id = ?');
  const retry = db.prepare<[number, number]>('UPDATE desk_outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?');
  const outboxOf = db.prepare<[number], OutboxRow>('SELECT * FROM desk_outbox WHERE ticket_id = ? ORDER BY id');
  const dropOutbox = db.prepare<[number]>('DELETE FROM desk_outbox WHERE ticket_id = ?');
  const getSignature = db.prepare<[string, string], { signature: string }>('SELECT signature FROM volunteers WHERE desk = ? AND user_id = ?');
  const setSignature = db.prepare<[string, string, string, number]>(
    `INSERT INTO volunteers (desk, user_id, signature, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(desk, user_id) DO UPDATE SET signature = excluded.signature, updated_at = excluded.updated_at`,
  );
  const clearSignature = db.prepare<[string, string]>('DELETE FROM volunteers WHERE desk = ? AND user_id = ?');

  return {
    get: (id: number) => byId.get(id),
    /** The person's latest ticket (open or closed), if any. */
    latestOf: (key: string) => latestOf.get(key),
    ofConversation: (key: string) => ofConversation.all(key),
    byThread: (desk: string, threadId: string) => byThread.get(desk, threadId),
    create: (key: string, status: string, version: number, snapshot: string, now: number): number =>
      Number(insert.run(key, status, version, snapshot, now, now).lastInsertRowid),
    save: (
      id: number,
      row: Pick<TicketRow, 'status' | 'snapshot' | 'recent_ids' | 'queued_at' | 'claimed_at' | 'closed_at'>,
      now: number,
    ) => void update.run(row.status, row.snapshot, row.recent_ids, row.queued_at, row.claimed_at, row.closed_at, now, id),
    setThread: (id: number, desk: string, threadId: string, cardId: string) => void setThread.run(desk, threadId, cardId, id),
    /** 1 for the first in line. */
    queuePosition: (ticket: Pick<TicketRow, 'id' | 'queued_at'>) => position.get(ticket.queued_at ?? 0, ticket.queued_at ?? 0, ticket.id)!.n,
    /** How long the last claims (since `since`) waited, newest first. */
    recentWaits: (since: number) => waits.all(since).map((r) => r.wait),
    /** The same last claims as when they were queued and claimed: a desk with hours counts only its open time between. */
    recentClaims: (since: number) => claims.all(since).map((r) => ({ queuedAt: r.queued_at, claimedAt: r.claimed_at, desk: r.desk })),
    /** Deletes a ticket, its outbox and its relay records (the caller handles the desk side first). */
    remove: (id: number) => {
      remove.run(id);
      removeRelays.run(id);
      dropOutbox.run(id);
    },
    relaysOf: (id: number) => relaysOf.all(id),
    addRelay: (id: number, desk: string, threadId: string, messageId: string) => void addRelay.run(id, desk, threadId, messageId),
    forgetRelays: (id: number) => void removeRelays.run(id),
    /** Relay records whose ticket no longer exists; returns how many were deleted. */
    purgeOrphanRelays: () => orphanRelays.run().changes,
    closedBefore: (cutoff: number) => closedBefore.all(cutoff).map((r) => r.id),
    /** Open tickets whose conversation is gone (purged for inactivity). */
    orphans: () => orphans.all().map((r) => r.id),
    outbox: {
      add: (ticketId: number, job: unknown, now: number) => void enqueue.run(ticketId, JSON.stringify(job), now, now),
      head: (ticketId: number) => headOf.get(ticketId),
      dueTickets: (now: number) => dueTickets.all(now).map((r) => r.ticket_id),
      done: (id: number) => void done.run(id),
      retry: (id: number, nextAt: number) => void retry.run(nextAt, id),
      of: (ticketId: number) => outboxOf.all(ticketId),
    },
    signature: (desk: string, userId: string) => getSignature.get(desk, userId)?.signature ?? null,
    setSignature: (desk: string, userId: string, signature: string | null, now: number) => {
      if (signature) setSignature.run(desk, userId, signature, now);
      else clearSignature.run(desk, userId);
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
