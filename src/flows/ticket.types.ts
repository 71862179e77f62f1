/**
 * A ticket's vocabulary: a person asking for a human volunteer, from consent to closing. Platform-free and
 * sentence-free like the guide: the desk core (src/desk) turns intents into desk posts and user messages.
 */
import type { Answers, Amounts } from './questions.js';
import type { PlanItemKey } from './guide.types.js';
import type { TicketRatingValue, UserNews } from './ticket-news.js';
import type { Lang } from './guide.types.js';

/** Bump when the ticket machine's states or context change shape. */
export const TICKET_MACHINE_VERSION = 1;

export type TicketStatus = 'asked' | 'queued' | 'claimed' | 'closed' | 'declined';

/**
 * What the volunteer will see, frozen when the person is asked for consent: they are shown exactly this.
 * Nothing else about the person reaches the desk except the messages they choose to write.
 */
export interface TicketCard {
  oldProvider: string | null;
  answers: Answers;
  /** The values typed with the answers ("environ 25 Go"); optional for cards frozen before they existed. */
  amounts?: Amounts;
  chosen: string | null;
  /** The plan step reached, if a plan was started. */
  step: { id: PlanItemKey; number: number; total: number } | null;
  lang: Lang;
  /** The person's platform ("telegram", "matrix", "terminal"). */
  platform: string;
  /** Their display name, only if they agreed to share it. */
  name: string | null;
  /** The département they gave to meet someone in person, only if they gave one (routes the ticket there). */
  departement?: string;
}

export interface Volunteer {
  /** The desk they act from ("telegram", "matrix") and their id there. */
  desk: string;
  id: string;
  /** Shown to other volunteers. */
  name: string;
  /** The first name they chose to sign with for the person (`/name`); "a volunteer" when null. */
  signature: string | null;
}

export type CloseReason =
  | 'volunteer' // /close by the holder
  | 'user' // /close by the person
  | 'backToGuide' // the person went back to the guide (/bot)
  | 'handedBack' // the holder handed the person back to the guide (/handback)
  | 'inactive' // no word from the person after "still there?"
  | 'erased'; // the person erased their data (/forget)


export interface TicketRating {
  value: TicketRatingValue;
  /** Their optional word, masked by the desk core before it reaches the machine (it goes to the card). */
  word: string | null;
}

/** A ticket's number and whose it is live in its row (store/tickets.ts), not here. */
export interface TicketContext {
  card: TicketCard;
  holder: Volunteer | null;
  /** Who held it last (to tell them when a released or closed ticket comes back). */
  lastHolder: Volunteer | null;
  closeReason: CloseReason | null;
  /** The volunteer's free-text reason for closing (`/close reason`), desk-only. */
  closeNote: string | null;
  /** The person blocked the bot or left: shown on the card until they write again. */
  userUnreachable: boolean;
  /** "Still there?" was asked and not yet answered. */
  stillThereAsked: boolean;
  /** How many times the desk was alerted again about this ticket waiting (said in the alert). */
  alerts: number;
  /**
   * How the person rated the help after the close; optional so that tickets stored before ratings existed restore
   * as they were (unrated), null when not rated. Reset when the ticket reopens: the next close is asked again.
   */
  rating?: TicketRating | null;
}

/** Durable timers of a ticket, stored in SQLite by the desk core (never XState `after`). */
export type TicketDeadline = 'unclaimed' | 'inactive' | 'stillThere';

export type TicketEvent =
  | { type: 'CONSENT'; shareName: boolean; name?: string | null }
  | { type: 'DECLINE' }
  | { type: 'CLAIM'; volunteer: Volunteer }
  /** Another volunteer takes over a claimed ticket (reassignment). */
  | { type: 'TAKEOVER'; volunteer: Volunteer }
  | { type: 'RELEASE'; volunteer: Volunteer }
  | { type: 'HANDBACK'; volunteer: Volunteer; step?: PlanItemKey }
  | { type: 'CLOSE'; by: 'volunteer'; volunteer: Volunteer; note?: string }
  | { type: 'USER_CLOSE' }
  | { type: 'USER_BACK_TO_GUIDE' }
  | { type: 'ERASED' }
  /** The holder wrote to the person (a message or a snippet). */
  | { type: 'VOLUNTEER_MESSAGE'; volunteer: Volunteer }
  /** The person wrote (relayed while claimed). */
  | { type: 'USER_MESSAGE' }
  | { type: 'USER_UNREACHABLE' }
  | { type: 'REOPEN' }
  /** The person answered "did this help?" (only after a close the desk core asked about: see mayAskRating). */
  | { type: 'RATE'; rating: TicketRatingValue; word?: string | null }
  | { type: 'DEADLINE'; deadline: TicketDeadline };

export type TicketRefusal = 'notHolder' | 'alreadyClaimed' | 'notClaimed' | 'closed' | 'alreadyHolder';

export type TicketIntent =
  /** Open the ticket's thread on a desk, with its card. */
  | { type: 'openThread' }
  /** The card and title changed: update them on the desk. */
  | { type: 'updateCard' }
  | { type: 'closeThread' }
  | { type: 'reopenThread' }
  /** A notice in the ticket's thread, for the volunteers. */
  | { type: 'deskNotice'; notice: DeskNotice; volunteer?: Volunteer; step?: PlanItemKey }
  /** A refusal for the volunteer who tried something (in the thread). */
  | { type: 'refuse'; to: Volunteer; refusal: TicketRefusal; holder?: Volunteer }
  /** Something to tell the person (the desk core turns it into a guide event). */
  | { type: 'tellUser'; news: UserNews; volunteer?: Volunteer; step?: PlanItemKey }
  /** Allowed: relay the holder's message to the person. */
  | { type: 'relayToUser'; volunteer: Volunteer }
  /** Alert the desk's main timeline that this ticket still waits. */
  | { type: 'alertDesk'; alerts: number }
  | { type: 'schedule'; deadline: TicketDeadline }
  | { type: 'cancel'; deadline: TicketDeadline }
  /** For the statistics (anonymous daily counts). */
  | { type: 'count'; metric: 'escalated' | 'ticketsClosed' }
  /** For the per-desk statistics: a rating to count on the desk holding the ticket (src/stats/desk-counters.ts). */
  | { type: 'countRating'; rating: TicketRatingValue };

export type DeskNotice =
  | 'queued'
  | 'claimed'
  | 'takenOver'
  | 'released'
  | 'handedBack'
  | 'closedByVolunteer'
  | 'closedByUser'
  | 'userBackToGuide'
  | 'closedInactive'
  | 'erased'
  | 'stillThereAsked'
  | 'userUnreachable'
  | 'userBack'
  | 'reopened'
  | 'rated';
