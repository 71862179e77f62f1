/**
 * A ticket's life: its machine (src/flows/ticket.machine.ts) restored from SQLite, sent one event, saved, and what
 * it says carried out — posts and thread changes into the outbox, news for the person as a turn of their
 * conversation, deadlines into the person's deadlines, counts into the counters — all inside the caller's
 * transaction. Also a ticket's end: its erasure (/forget, the retention purge), and a person found unreachable.
 *
 * The machine is pure (no I/O, no clock, no sentence): every word and every side effect is here.
 */
import { createActor } from 'xstate';
import { TICKET_DEADLINE, type TurnResult } from '../engine/engine.js';
import { RecipientGoneError } from '../engine/types.js';
import type { MediaRef } from '../engine/media.js';
import { mayAskRating, ticketMachine } from '../flows/ticket.machine.js';
import {
  TICKET_MACHINE_VERSION,
  type TicketCard,
  type TicketContext,
  type TicketDeadline,
  type TicketEvent,
  type TicketIntent,
} from '../flows/ticket.types.js';
import type { Lang } from '../render/i18n.js';
import type { TicketRow } from '../store/tickets.js';
import { safeForDisplay } from './display-safe.js';
import { HOUR, type DeskContext } from './options.js';
import type { DeskOutbox } from './outbox.js';
import { contextOf, restore, type TicketActor } from './snapshot.js';
import type { DeskSpec } from './desks.js';
import { nextAlertAt } from './directory.js';
import { openMinutesBetween } from './hours.js';
import { routeTicket } from './routing.js';

/** What a volunteer sent the person: words (a prepared answer when `snippet`), maybe with a file. */
export interface VolunteerWords {
  text: string;
  snippet?: boolean;
  media?: MediaRef;
}

/** The ticket's intents about its thread, and the outbox job that carries each out. */
const THREAD_JOBS = { openThread: 'open', updateCard: 'card', closeThread: 'close', reopenThread: 'reopen' } as const;

export class DeskTickets {
  constructor(
    private readonly desk: DeskContext,
    private readonly outbox: DeskOutbox,
  ) {}

  /** A new request, waiting for the person's consent (nothing is on the desk yet); replaces one still waiting. */
  open(key: string, card: TicketCard, now: number): void {
    const { tickets } = this.desk;
    const latest = tickets.latestOf(key);
    if (latest?.status === 'asked') tickets.remove(latest.id);
    const id = tickets.create(key, 'asked', TICKET_MACHINE_VERSION, '{}', now);
    const actor = createActor(ticketMachine, { input: { card } }).start();
    this.save(tickets.get(id)!, actor, now);
  }

  /**
   * Sends one event to a ticket and acts on what it says, inside the caller's transaction. `words`: what a
   * volunteer wrote or showed, relayed if the machine allows it. Returns the person's turns (news) to deliver
   * after commit.
   */
  step(row: TicketRow, event: TicketEvent, now: number, words?: VolunteerWords): TurnResult[] {
    const actor = restore(row);
    const intents: TicketIntent[] = [];
    actor.on('*', (intent) => intents.push(intent as TicketIntent));
    const before = String(actor.getSnapshot().value);
    actor.send(event);
    const after = String(actor.getSnapshot().value);
    if (after === 'declined') {
      this.desk.tickets.remove(row.id);
      return [];
    }
    if (after === 'queued' && before !== 'queued') {
      row.queued_at = now;
      row.claimed_at = null;
    }
    if (after === 'claimed' && row.claimed_at === null) {
      row.claimed_at = now;
      const desk = this.deskOf(row);
      this.desk.deskCounters.firstClaimed(desk.id, now, openMinutesBetween(desk.hours, row.queued_at ?? now, now));
    }
    if (after === 'closed' && before !== 'closed') row.closed_at = now;
    if (after !== 'closed') row.closed_at = null;
    this.save(row, actor, now);
    return this.act(row, actor.getSnapshot().context, intents, now, words);
  }

  /**
   * The desk a ticket is with: the desk of the port its thread is on, else (no thread yet) the desk that serves
   * the person (./routing.ts). Its hours time the alerts, its id goes with the per-desk counts.
   */
  deskOf(row: TicketRow): DeskSpec {
    const { desks, directory } = this.desk;
    const byPort = row.desk ? directory.deskOfPort(row.desk) : undefined;
    if (byPort) return byPort;
    const card = contextOf(row).card;
    return routeTicket(desks, { host: card.chosen, lang: card.lang, departement: card.departement ?? null })?.desk ?? desks[0]!;
  }

  /** The person's language now (they may have switched since the card was made). */
  userLang(row: TicketRow, context: TicketContext): Lang {
    return this.desk.host.guideView(row.conversation_key)?.context.lang ?? context.card.lang;
  }

  /**
   * Removes a ticket's rows and leaves nothing of the person on the desk either: the card is reduced to its
   * number, the messages that carried their words (and the volunteer's close note) are deleted where the platform
   * allows, the topic is closed. The same for /forget and for the retention purge ("expired").
   */
  erase(row: TicketRow, now: number, why: 'forgotten' | 'expired'): void {
    const { tickets, t, counters } = this.desk;
    const wasOpen = row.status === 'queued' || row.status === 'claimed';
    if (!(row.thread_id && row.desk && row.card_id)) {
      tickets.remove(row.id);
      return;
    }
    const messages = tickets.relaysOf(row.id).map((r) => r.message_id);
    tickets.remove(row.id);
    const texts =
      why === 'forgotten'
        ? { title: 'desk:erasedTitle', card: 'desk:erasedCard', notice: wasOpen ? 'desk:notices.erased' : 'desk:notices.erasedClosed' }
        : { title: 'desk:expiredTitle', card: 'desk:expiredCard', notice: 'desk:notices.expired' };
    this.outbox.enqueue(row.id, {
      type: 'erased',
      desk: row.desk,
      threadId: row.thread_id,
      cardId: row.card_id,
      messages,
      title: t(texts.title, { id: row.id }),
      card: t(texts.card, { id: row.id }),
      notice: t(texts.notice),
    }, now);
    if (wasOpen) this.desk.counters.count('ticketsClosed', now);
  }

  /** The person cannot be reached any more (they blocked the bot, left the room): the ticket shows it. */
  personUnreachable(ticketId: number): void {
    const { tickets, db, now } = this.desk;
    const row = tickets.get(ticketId);
    if (!row) return;
    // The machine's news for the person cannot reach them either: only the desk side of this step matters.
    db.transaction(() => this.step(row, { type: 'USER_UNREACHABLE' }, now()))();
  }

  /** Delivers the person's turns (a ticket's news) after commit; a failure is the engine's to retry, never ours. */
  async deliverNews(results: readonly TurnResult[]): Promise<void> {
    for (const result of results) {
      try {
        await this.desk.host.deliverTurn(result);
      } catch (error) {
        // Kept as undelivered by the engine (re-sent at start); a blocked bot is shown on the ticket.
        if (error instanceof RecipientGoneError) {
          const row = this.desk.tickets.latestOf(result.key);
          if (row) this.personUnreachable(row.id);
        }
        this.desk.log('desk_news_undelivered', { error: (error as Error).message }, 'warn');
      }
    }
  }

  private save(row: TicketRow, actor: TicketActor, now: number): void {
    row.status = String(actor.getSnapshot().value);
    row.snapshot = JSON.stringify(actor.getPersistedSnapshot());
    actor.stop();
    this.desk.tickets.save(row.id, row, now);
  }

  private act(row: TicketRow, context: TicketContext, intents: TicketIntent[], now: number, words?: VolunteerWords): TurnResult[] {
    const { host, t, texts, deskTexts, timing, counters } = this.desk;
    const results: TurnResult[] = [];
    const deadlineKind = (deadline: TicketDeadline) => `${TICKET_DEADLINE}${row.id}:${deadline}`;
    const enqueue = this.outbox.enqueue.bind(this.outbox);
    for (const intent of intents) {
      switch (intent.type) {
        case 'openThread':
        case 'updateCard':
        case 'closeThread':
        case 'reopenThread':
          enqueue(row.id, { type: THREAD_JOBS[intent.type] }, now);
          break;
        case 'deskNotice': {
          // The close notice carries the volunteer's note about the person: /forget deletes it with their words.
          const aboutThePerson = intent.notice === 'closedByVolunteer' && !!context.closeNote;
          enqueue(row.id, { type: 'post', text: deskTexts.notice(intent, context), ...(aboutThePerson ? { relay: true } : {}) }, now);
          break;
        }
        case 'refuse':
          enqueue(row.id, {
            type: 'post',
            text: t(`desk:refusals.${intent.refusal}`, { name: intent.to.name, holder: intent.holder?.name ?? '' }),
          }, now);
          break;
        case 'alertDesk':
          enqueue(row.id, { type: 'announce', text: t(intent.alerts > 1 ? 'desk:alertAgain' : 'desk:alert', { id: row.id, hours: Math.round((now - (row.queued_at ?? now)) / HOUR), number: intent.alerts }) }, now);
          break;
        case 'relayToUser': {
          if (words === undefined) break;
          const userT = texts.t(this.userLang(row, context));
          const signature = intent.volunteer.signature ?? userT('handoff:aVolunteer');
          const text = safeForDisplay(words.text);
          if (words.media) {
            const what = userT(`handoff:mediaKinds.${words.media.kind}`);
            const said = text
              ? userT('handoff:fromVolunteerMedia', { volunteer: signature, what, text })
              : userT('handoff:fromVolunteerMediaOnly', { volunteer: signature, what });
            enqueue(row.id, { type: 'toUser', text: said, media: words.media, ifGone: userT('handoff:mediaGone') }, now);
          } else {
            enqueue(row.id, { type: 'toUser', text: userT('handoff:fromVolunteer', { volunteer: signature, text }) }, now);
          }
          if (words.snippet) enqueue(row.id, { type: 'post', text: t('desk:snippetSent') }, now);
          break;
        }
        case 'tellUser': {
          const result = host.systemTurn(row.conversation_key, {
            type: 'TICKET',
            news: intent.news,
            volunteer: intent.volunteer?.signature ?? null,
            ...(intent.step ? { step: intent.step } : {}),
            // A close where a volunteer helped: the guide asks "did this help?" (once; the RATE comes in a turn of theirs).
            ...((intent.news === 'closed' || intent.news === 'handedBack') && mayAskRating(context) ? { rate: true } : {}),
          });
          if (result) results.push(result);
          break;
        }
        case 'schedule': {
          const after = { unclaimed: timing.unclaimedAlertMs, inactive: timing.inactiveMs, stillThere: timing.stillThereMs }[intent.deadline];
          // The desk is alerted again after that much of its *open* time: not all weekend to an empty room.
          const at = intent.deadline === 'unclaimed' ? nextAlertAt(this.deskOf(row), now, after / 60_000) : now + after;
          host.setDeadline(row.conversation_key, deadlineKind(intent.deadline), at);
          break;
        }
        case 'cancel':
          host.cancelDeadline(row.conversation_key, deadlineKind(intent.deadline));
          break;
        case 'count': {
          counters.count(intent.metric, now);
          const desk = this.deskOf(row);
          if (intent.metric === 'escalated') this.desk.deskCounters.ticketArrived(desk.id, now);
          else this.desk.deskCounters.closed(desk.id, now, openMinutesBetween(desk.hours, row.queued_at ?? now, now));
          break;
        }
        case 'countRating':
          this.desk.deskCounters.rated(this.deskOf(row).id, now, intent.rating);
          break;
      }
    }
    return results;
  }
}
