/**
 * The desk outbox: what a ticket must still post on the desk or send to the person, written in SQLite in the same
 * transaction as the ticket's change, carried out after commit, in order, one ticket at a time. A call that fails
 * stays at the head for a retry (backing off to ten minutes), so a desk outage loses nothing; a deleted topic is
 * recreated with the card; a person who blocked the bot is shown on the ticket (by the `personUnreachable` hook,
 * which belongs to the ticket's life, ./tickets.ts, and is handed in to keep this file free of it).
 */
import { KeyedQueue } from '../engine/keyed-queue.js';
import { RecipientGoneError } from '../engine/types.js';
import type { TicketRow } from '../store/tickets.js';
import type { DeskContext } from './options.js';
import { ThreadGoneError, type DeskPort, type DeskPost } from './port.js';
import { MediaGoneError, type MediaRef } from '../engine/media.js';
import type { DeskPorts } from './ports.js';
import { routeTicket } from './routing.js';
import { contextOf } from './snapshot.js';

/** What waits in the outbox, per ticket, in order. */
export type DeskJob =
  /** Open the ticket's thread; on `desk` (a desk id) when given, else on the desk that serves the person. */
  | { type: 'open'; desk?: string }
  /** `/transfer`: say so and close the thread here, open it with the card on desk `to`, say where it came from. */
  | { type: 'transfer'; to: string; leaving: string; arriving: string }
  | { type: 'card' }
  | { type: 'close' }
  | { type: 'reopen' }
  /** `relay`: it carries the person's words or file (deleted from the desk on /forget); `media`: their file. */
  | { type: 'post'; text: string; relay?: boolean; media?: MediaRef }
  | { type: 'announce'; text: string }
  /** `media`: a volunteer's file, with `ifGone` said instead when it cannot be had any more. */
  | { type: 'toUser'; text: string; media?: MediaRef; ifGone?: string }
  | { type: 'erased'; desk: string; threadId: string; cardId: string; messages: string[]; title: string; card: string; notice: string };

/** What a job's platform call leaves to do: record its answer, or take it back if the ticket was erased meanwhile. */
interface PerformOutcome {
  record?: () => void;
  undo?: () => Promise<void>;
}

export interface OutboxHooks {
  /** A job for the person found them gone (RecipientGoneError): the ticket shows it. */
  personUnreachable(ticketId: number): void;
  /** The usual wait, shown on a waiting ticket's card (./deadlines.ts). */
  waitMinutes(row: TicketRow): number;
}

/** Runaway guard: a ticket never has this many jobs, so a loop past it is a bug, not work. */
const MAX_JOBS_PER_DRAIN = 1000;

export class DeskOutbox {
  private readonly drains = new KeyedQueue();
  /** Tickets given jobs since the last flush (so a turn that touched no ticket costs no query). */
  private readonly touched = new Set<number>();

  constructor(
    private readonly desk: DeskContext,
    private readonly ports: DeskPorts,
    private readonly hooks: OutboxHooks,
  ) {}

  /** Adds a job in the caller's transaction; it is carried out at the next flush (or drain) after commit. */
  enqueue(ticketId: number, job: DeskJob, now: number): void {
    const { outbox } = this.desk.tickets;
    if (job.type === 'card') {
      // One pending card update is enough: it renders the ticket as it is when it is sent.
      const pending = outbox.of(ticketId);
      const last = pending[pending.length - 1];
      if (last && (JSON.parse(last.job) as DeskJob).type === 'card') return;
    }
    outbox.add(ticketId, job, now);
    this.touched.add(ticketId);
  }

  /** A ticket's jobs still waiting, in order (/mydata shows the person's words among them). */
  pending(ticketId: number): DeskJob[] {
    return this.desk.tickets.outbox.of(ticketId).map((row) => JSON.parse(row.job) as DeskJob);
  }

  /** Delivers the jobs of the tickets touched since the last flush — tickets just erased included. */
  async flush(): Promise<void> {
    const ids = [...this.touched];
    this.touched.clear();
    for (const id of ids) await this.drain(id);
  }

  /** Delivers every ticket's due jobs (at start, and by the scheduler: retries after a desk outage). */
  async drainAll(now = this.desk.now()): Promise<void> {
    for (const id of this.desk.tickets.outbox.dueTickets(now)) await this.drain(id);
  }

  /** Delivers one ticket's jobs in order; stops at the first that fails (it waits for its retry). */
  async drain(ticketId: number): Promise<void> {
    const { tickets, db, log, now } = this.desk;
    await this.drains.run(String(ticketId), async () => {
      for (let guard = 0; guard < MAX_JOBS_PER_DRAIN; guard++) {
        const head = tickets.outbox.head(ticketId);
        if (!head || head.next_at > now()) return;
        const job = JSON.parse(head.job) as DeskJob;
        try {
          const outcome = await this.perform(ticketId, job);
          // What the platform answered (a thread's id, a relayed message's id) is kept with the job's removal —
          // unless the ticket was erased while the call was in flight (/forget, the purge): then what was just
          // posted is taken back from the desk, since the erasure could not know of it.
          const erasedMeanwhile = db.transaction(() => {
            tickets.outbox.done(head.id);
            if (job.type !== 'erased' && job.type !== 'toUser' && !tickets.get(ticketId)) return true;
            outcome?.record?.();
            return false;
          })();
          if (erasedMeanwhile && outcome?.undo) await outcome.undo().catch((e: unknown) => log('desk_undo_failed', { error: (e as Error).message }, 'warn'));
        } catch (error) {
          if (error instanceof ThreadGoneError && (await this.recreateThread(ticketId))) continue;
          if (error instanceof RecipientGoneError) {
            tickets.outbox.done(head.id);
            this.hooks.personUnreachable(ticketId);
            continue;
          }
          const delay = Math.min(10 * 60_000, 5_000 * 2 ** Math.min(head.attempts, 7));
          tickets.outbox.retry(head.id, now() + delay);
          log('desk_delivery_failed', { job: job.type, attempts: head.attempts + 1, error: (error as Error).message }, 'warn');
          return;
        }
      }
    });
  }

  /** The ticket's topic was deleted or closed by hand: a new one, with the card, and the conversation goes on. */
  private async recreateThread(ticketId: number): Promise<boolean> {
    const { tickets, t, log } = this.desk;
    const row = tickets.get(ticketId);
    if (!row || !row.desk) return false;
    const port = this.ports.named(row.desk);
    if (!port) return false;
    try {
      const thread = await port.openThread(...this.face(row));
      tickets.setThread(row.id, port.name, thread.threadId, thread.cardId);
      await port.post(thread.threadId, { text: t('desk:notices.recreated') });
      log('desk_thread_recreated', { desk: port.name });
      return true;
    } catch (error) {
      log('desk_thread_recreate_failed', { desk: port.name, error: (error as Error).message }, 'warn');
      return false;
    }
  }

  /**
   * The port a ticket's new thread goes to: the named desk's (a transfer), else the desk that serves the person
   * (./routing.ts: their host, their département, their language, else everyone else's), on their platform when it runs there; any
   * running port when that desk has none running (better another desk than no help).
   */
  private portForNewThread(row: TicketRow, deskId?: string) {
    const { desks, directory } = this.desk;
    const card = contextOf(row).card;
    const desk = deskId ? desks.find((d) => d.id === deskId) : routeTicket(desks, { host: card.chosen, lang: card.lang, departement: card.departement ?? null })?.desk;
    const name = desk ? directory.portFor(desk, card.platform, this.ports.names()) : undefined;
    if (deskId) return name ? this.ports.named(name) : undefined;
    return (name ? this.ports.named(name) : undefined) ?? this.ports.forPlatform(card.platform);
  }

  /** The thread's title and card as the ticket stands now. */
  private face(row: TicketRow, context = contextOf(row)): [string, DeskPost] {
    const { deskTexts } = this.desk;
    return [deskTexts.title(row, context), deskTexts.card(row, context, this.hooks.waitMinutes(row))];
  }

  /**
   * Carries out one job on the platform. Returns what to record of the platform's answer, if anything: the
   * caller writes it in the same transaction as the job's removal, so a crash cannot keep one without the other.
   */
  private async perform(ticketId: number, job: DeskJob): Promise<PerformOutcome | void> {
    const { tickets, host, t } = this.desk;
    if (job.type === 'erased') {
      const port = this.ports.named(job.desk);
      if (!port) throw new Error(`desk ${job.desk} is not configured here`);
      await port.post(job.threadId, { text: job.notice }).catch((e: unknown) => ignoreGone(e));
      for (const message of job.messages) await port.deleteMessage(job.threadId, message).catch(() => false);
      await port.updateThread({ threadId: job.threadId, cardId: job.cardId }, job.title, { text: job.card }).catch((e: unknown) => ignoreGone(e));
      await port.closeThread(job.threadId).catch((e: unknown) => ignoreGone(e));
      return;
    }
    const row = tickets.get(ticketId);
    if (!row) return;
    const context = contextOf(row);
    if (job.type === 'toUser') {
      if (!job.media) {
        await host.sendWords(row.conversation_key, job.text);
        return;
      }
      try {
        await host.sendWords(row.conversation_key, job.text, job.media);
      } catch (error) {
        // The file is gone where the volunteer sent it: the words go, and say so, rather than retrying forever.
        if (!(error instanceof MediaGoneError)) throw error;
        await host.sendWords(row.conversation_key, `${job.text}\n${job.ifGone ?? ''}`.trim());
        const deskPort = row.desk ? this.ports.named(row.desk) : undefined;
        if (deskPort && row.thread_id) await deskPort.post(row.thread_id, { text: t('desk:mediaGone') }).catch(() => undefined);
      }
      return;
    }
    if (job.type === 'open') {
      if (row.thread_id) return;
      const port = this.portForNewThread(row, job.desk);
      if (!port) throw new Error('no desk configured');
      const thread = await port.openThread(...this.face(row, context));
      return {
        record: () => tickets.setThread(row.id, port.name, thread.threadId, thread.cardId),
        undo: async () => {
          await port.updateThread(thread, t('desk:erasedTitle', { id: row.id }), { text: t('desk:erasedCard', { id: row.id }) });
          await port.closeThread(thread.threadId);
        },
      };
    }
    const port = row.desk ? this.ports.named(row.desk) : undefined;
    if (!port || !row.thread_id || !row.card_id) throw new Error('the ticket has no thread on a desk configured here');
    if (job.type === 'transfer') {
      const target = this.portForNewThread(row, job.to);
      if (!target || target.name === port.name) throw new Error(`desk ${job.to} has no port running here`);
      const oldThread = row.thread_id;
      await port.post(oldThread, { text: job.leaving }).catch((e: unknown) => ignoreGone(e));
      await port.closeThread(oldThread).catch((e: unknown) => ignoreGone(e));
      const thread = await target.openThread(...this.face(row, context));
      await target.post(thread.threadId, { text: job.arriving });
      return { record: () => tickets.setThread(row.id, target.name, thread.threadId, thread.cardId) };
    }
    switch (job.type) {
      case 'card':
        await port.updateThread({ threadId: row.thread_id, cardId: row.card_id }, ...this.face(row, context));
        return;
      case 'close':
        await port.closeThread(row.thread_id);
        return;
      case 'reopen':
        await port.reopenThread(row.thread_id);
        return;
      case 'announce':
        await port.announce({ text: job.text });
        return;
      case 'post': {
        const threadId = row.thread_id;
        const id = await postMaybeMedia(port, threadId, job, t('desk:mediaGone'));
        return {
          ...(job.relay ? { record: () => tickets.addRelay(row.id, port.name, threadId, id) } : {}),
          undo: async () => void (await port.deleteMessage(threadId, id)),
        };
      }
    }
  }
}

/**
 * A post, with the person's file when there is one. A file that cannot be had any more (MediaGoneError) is not
 * retried: the words go, with a notice that the file is missing.
 */
async function postMaybeMedia(port: DeskPort, threadId: string, job: { text: string; media?: MediaRef }, gone: string): Promise<string> {
  if (!job.media) return port.post(threadId, { text: job.text });
  try {
    return await port.post(threadId, { text: job.text, media: job.media });
  } catch (error) {
    if (!(error instanceof MediaGoneError)) throw error;
    return port.post(threadId, { text: `${job.text}\n\n${gone}` });
  }
}

/** An erasure goes on when the thread is already gone: there is nothing left of the person there. */
function ignoreGone(error: unknown): void {
  if (error instanceof ThreadGoneError) return;
  throw error;
}
