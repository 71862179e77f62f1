/**
 * The person's side of the desk, always inside a turn of theirs (the engine's transaction): what the guide's
 * ticket intents do (ask, consent, relay their words, leave, close, reopen, rate the help), what the desk holds about them
 * (/mydata) and their erasure (/forget). Their words are made safe to display and their secrets masked before a
 * volunteer or the store sees them.
 */
import type { DeskTurn } from '../engine/engine.js';
import type { TicketData } from '../engine/personal-data.js';
import { cardOf } from '../flows/ticket-card.js';
import { mayAskRating } from '../flows/ticket.machine.js';
import type { GuideIntent } from '../flows/guide.types.js';
import { plainText } from '../render/markup.js';
import type { DeskDeadlines } from './deadlines.js';
import { safeForDisplay } from './display-safe.js';
import type { DeskContext } from './options.js';
import type { DeskOutbox } from './outbox.js';
import { maskSecrets } from './secrets.js';
import { maskRatingWord } from './rating-word.js';
import { contextOf } from './snapshot.js';
import { nextEvents } from '../catalog/events.js';
import { outsideHoursNote } from '../render/hours-text.js';
import type { DeskTickets } from './tickets.js';

export class DeskPerson {
  constructor(
    private readonly desk: DeskContext,
    private readonly tickets: DeskTickets,
    private readonly outbox: DeskOutbox,
    private readonly deadlines: DeskDeadlines,
  ) {}

  /** Whether the person's last ticket was closed recently enough to be reopened as it is. */
  reopenable(key: string, now: number): boolean {
    const row = this.desk.tickets.latestOf(key);
    if (!row || row.status !== 'closed' || row.closed_at === null || !row.thread_id) return false;
    return now - row.closed_at <= this.desk.timing.reopenMs;
  }

  /** Acts on a ticket intent of the guide; returns what to add to this turn's reply (queue place, masked secret). */
  onIntent(key: string, intent: GuideIntent, turn: DeskTurn): GuideIntent[] {
    const latest = this.desk.tickets.latestOf(key);
    switch (intent.type) {
      case 'askVolunteer':
        this.tickets.open(key, cardOf(turn.context, turn.platform), turn.now);
        return [];
      case 'consentGiven': {
        if (latest?.status !== 'asked') return [];
        const name = intent.shareName ? turn.displayName?.slice(0, 64) ?? null : null;
        this.tickets.step(latest, { type: 'CONSENT', shareName: intent.shareName, name }, turn.now);
        return [this.queuedIntent(latest.id, false, turn.now)];
      }
      case 'consentDeclined':
        if (latest?.status === 'asked') this.desk.tickets.remove(latest.id);
        return [];
      case 'relayToVolunteer': {
        if (latest?.status !== 'claimed') return [];
        // A volunteer holds the ticket: a lone number may be the code they just asked for.
        const masked = maskSecrets(safeForDisplay(intent.text), { answeringVolunteer: true });
        this.tickets.step(latest, { type: 'USER_MESSAGE' }, turn.now);
        // t() escapes the value for our markup: escaping it here too would show the backslashes (C:\\Users).
        this.outbox.enqueue(latest.id, { type: 'post', text: this.desk.t('desk:fromUser', { text: masked.text }), relay: true }, turn.now);
        return masked.count > 0 ? [{ type: 'secretMasked' }] : [];
      }
      case 'relayMediaToVolunteer': {
        if (latest?.status !== 'claimed') return [];
        // The file itself cannot be masked: the person was told so before the first one (the guide's
        // mediaConsent). Its words can, like any message of theirs.
        const masked = intent.caption ? maskSecrets(safeForDisplay(intent.caption), { answeringVolunteer: true }) : { text: '', count: 0 };
        this.tickets.step(latest, { type: 'USER_MESSAGE' }, turn.now);
        const what = this.desk.t(`desk:mediaKinds.${intent.media.kind}`);
        const text = masked.text ? this.desk.t('desk:fromUserMedia', { what, text: masked.text }) : this.desk.t('desk:fromUserMediaOnly', { what });
        this.outbox.enqueue(latest.id, { type: 'post', text, relay: true, media: intent.media }, turn.now);
        return masked.count > 0 ? [{ type: 'secretMasked' }] : [];
      }
      case 'leaveVolunteer':
        if (latest && (latest.status === 'claimed' || latest.status === 'queued')) this.tickets.step(latest, { type: 'USER_BACK_TO_GUIDE' }, turn.now);
        return [];
      case 'closeTicket':
        if (latest && (latest.status === 'claimed' || latest.status === 'queued')) this.tickets.step(latest, { type: 'USER_CLOSE' }, turn.now);
        return [];
      case 'reopenTicket': {
        if (latest?.status !== 'closed') return [];
        this.tickets.step(latest, { type: 'REOPEN' }, turn.now);
        return [this.queuedIntent(latest.id, true, turn.now)];
      }
      case 'rateTicket': {
        // Only the close just asked about, once: a ticket reopened since, or already rated, takes nothing.
        if (latest?.status !== 'closed' || !mayAskRating(contextOf(latest))) return [];
        // Masked before the ticket (its snapshot, the card, the desk) ever holds it.
        const word = intent.word === null ? null : maskRatingWord(intent.word);
        this.tickets.step(latest, { type: 'RATE', rating: intent.rating, word: word?.text || null }, turn.now);
        return [
          ...(word && word.secrets > 0 ? [{ type: 'secretMasked' } as const] : []),
          ...(word && word.addresses > 0 ? [{ type: 'ratingAddressLeftOut' } as const] : []),
        ];
      }
      default:
        return [];
    }
  }

  /** The person wrote (any turn of theirs while a request is under way): a ticket marked unreachable learns so. */
  personActive(key: string, now: number): void {
    // Someone shown as unreachable on the ticket wrote again: say so on the desk.
    const latest = this.desk.tickets.latestOf(key);
    if (latest && (latest.status === 'queued' || latest.status === 'claimed') && contextOf(latest).userUnreachable) {
      this.tickets.step(latest, { type: 'USER_MESSAGE' }, now);
    }
  }

  /** What the desk holds about the person (their tickets, the words still on their way), for /mydata. */
  personalData(key: string): TicketData[] {
    const { tickets } = this.desk;
    return tickets.ofConversation(key).map((ticket) => {
      const context = contextOf(ticket);
      const waiting = this.outbox
        .pending(ticket.id)
        .flatMap((job) => ((job.type === 'post' && job.relay) || job.type === 'toUser' ? [plainText(job.text)] : []));
      return {
        number: ticket.id,
        status: ticket.status,
        card: context.card,
        // What the person was shown: the name the volunteer chose to sign with (/name), never their platform name.
        volunteer: context.holder ? context.holder.signature ?? null : null,
        createdAt: new Date(ticket.created_at).toISOString(),
        closedAt: ticket.closed_at === null ? null : new Date(ticket.closed_at).toISOString(),
        closeReason: context.closeReason,
        closeNote: context.closeNote,
        messagesWaiting: waiting.length,
        waiting,
        messagesOnDesk: tickets.relaysOf(ticket.id).length,
      };
    });
  }

  /** The person is being forgotten: every ticket of theirs is erased, on the desk too (same transaction). */
  erase(key: string, now: number): void {
    for (const row of this.desk.tickets.ofConversation(key)) this.tickets.erase(row, now, 'forgotten');
  }

  /** What the person is told when their request joins the queue: its number, their place, the usual wait. */
  private queuedIntent(id: number, reopened: boolean, now: number): GuideIntent {
    const row = this.desk.tickets.get(id)!;
    const desk = this.tickets.deskOf(row);
    const lang = this.tickets.userLang(row, contextOf(row));
    // Outside the desk's hours: when someone will be there, and the next events that suit (said once, here).
    const events = nextEvents(this.desk.events, { now, lang, departement: contextOf(row).card.departement ?? null });
    const note = outsideHoursNote(this.desk.texts.t(lang), lang, desk, now, events);
    return {
      type: 'ticketQueued',
      ticket: id,
      position: this.desk.tickets.queuePosition(row),
      waitMinutes: this.deadlines.usualWaitMinutes(now, desk),
      reopened,
      ...(note ? { note } : {}),
    };
  }
}
