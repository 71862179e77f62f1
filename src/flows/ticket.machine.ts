/**
 * A ticket: one person's request for a human volunteer, from consent to closing.
 *
 *   asked ──CONSENT──► queued ──CLAIM──► claimed ──HANDBACK / CLOSE / USER_CLOSE / inactive──► closed
 *     └──DECLINE──► declined       ▲   ◄──RELEASE──┘   ⟲ TAKEOVER (reassign)                     │
 *                                  └───────────────────────REOPEN (the person writes again)──────┘
 *
 * Pure XState v5 like the guide: no I/O, no platform, no sentence, no clock. Durable timers are *intents*
 * (`schedule` / `cancel` a deadline) that the desk core stores in SQLite and fires back as DEADLINE events, so a
 * restart never loses one. Who may do what is decided here (only the holder relays, releases, hands back or
 * closes); *whether someone is a volunteer at all* is the desk core's check, made before any event is sent.
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import type {
  CloseReason,
  DeskNotice,
  TicketCard,
  TicketContext,
  TicketEvent,
  TicketIntent,
  TicketRating,
  Volunteer,
} from './ticket.types.js';
import type { UserNews } from './ticket-news.js';

export interface TicketInput {
  card: TicketCard;
}

export function sameVolunteer(a: Volunteer | null | undefined, b: Volunteer | null | undefined): boolean {
  return Boolean(a && b && a.desk === b.desk && a.id === b.id);
}

function volunteerOf(event: TicketEvent): Volunteer | undefined {
  return 'volunteer' in event ? event.volunteer : undefined;
}

const CLOSING: Record<CloseReason, { notice: DeskNotice; news?: UserNews }> = {
  volunteer: { notice: 'closedByVolunteer', news: 'closed' },
  user: { notice: 'closedByUser' },
  backToGuide: { notice: 'userBackToGuide' },
  handedBack: { notice: 'handedBack', news: 'handedBack' },
  inactive: { notice: 'closedInactive', news: 'closedInactive' },
  erased: { notice: 'erased' },
};

function closeReasonOf(event: TicketEvent): CloseReason {
  switch (event.type) {
    case 'CLOSE':
      return 'volunteer';
    case 'USER_CLOSE':
      return 'user';
    case 'USER_BACK_TO_GUIDE':
      return 'backToGuide';
    case 'HANDBACK':
      return 'handedBack';
    case 'ERASED':
      return 'erased';
    default:
      return 'inactive';
  }
}

/**
 * Whether to ask the person "did this help?" now that the ticket is closed: only when a volunteer held it (there
 * was help to rate) and the person is still there to answer — not after they erased their data, went silent, or
 * when the ticket was already rated. Decided here, asked by the guide (the desk core turns it into a prompt).
 */
export function mayAskRating(context: TicketContext): boolean {
  const reason = context.closeReason;
  return (
    context.lastHolder !== null &&
    !context.userUnreachable &&
    !context.rating &&
    (reason === 'volunteer' || reason === 'handedBack' || reason === 'user' || reason === 'backToGuide')
  );
}

export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    events: {} as TicketEvent,
    input: {} as TicketInput,
    emitted: {} as TicketIntent,
  },
  guards: {
    isHolder: ({ context, event }) => sameVolunteer(context.holder, volunteerOf(event)),
    isDeadline: ({ event }, deadline: string) => event.type === 'DEADLINE' && event.deadline === deadline,
    stillThereAsked: ({ context }) => context.stillThereAsked,
    mayRate: ({ context }) => mayAskRating(context),
  },
  actions: {
    consent: assign({
      card: ({ context, event }) =>
        event.type === 'CONSENT' ? { ...context.card, name: event.shareName ? event.name?.trim() || null : null } : context.card,
    }),
    enterQueue: enqueueActions(({ enqueue }) => {
      enqueue.emit({ type: 'openThread' });
      enqueue.emit({ type: 'deskNotice', notice: 'queued' });
      enqueue.emit({ type: 'schedule', deadline: 'unclaimed' });
      enqueue.emit({ type: 'count', metric: 'escalated' });
    }),
    claim: enqueueActions(({ context, event, enqueue }) => {
      const volunteer = volunteerOf(event)!;
      const takeover = context.holder !== null;
      enqueue.assign({ holder: volunteer, stillThereAsked: false });
      enqueue.emit({ type: 'cancel', deadline: 'unclaimed' });
      enqueue.emit({ type: 'cancel', deadline: 'stillThere' });
      enqueue.emit({ type: 'schedule', deadline: 'inactive' });
      enqueue.emit({ type: 'deskNotice', notice: takeover ? 'takenOver' : 'claimed', volunteer });
      enqueue.emit({ type: 'tellUser', news: 'claimed', volunteer });
      enqueue.emit({ type: 'updateCard' });
    }),
    release: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ holder: null, lastHolder: context.holder, stillThereAsked: false });
      enqueue.emit({ type: 'cancel', deadline: 'inactive' });
      enqueue.emit({ type: 'cancel', deadline: 'stillThere' });
      enqueue.emit({ type: 'schedule', deadline: 'unclaimed' });
      enqueue.emit({ type: 'deskNotice', notice: 'released', volunteer: context.holder! });
      enqueue.emit({ type: 'tellUser', news: 'released' });
      enqueue.emit({ type: 'updateCard' });
    }),
    close: enqueueActions(({ context, event, enqueue }) => {
      const reason = closeReasonOf(event);
      const { notice, news } = CLOSING[reason];
      const volunteer = volunteerOf(event) ?? context.holder ?? undefined;
      const step = event.type === 'HANDBACK' ? event.step : undefined;
      enqueue.assign({
        holder: null,
        lastHolder: context.holder ?? context.lastHolder,
        closeReason: reason,
        closeNote: event.type === 'CLOSE' ? event.note?.trim() || null : null,
        stillThereAsked: false,
      });
      for (const deadline of ['unclaimed', 'inactive', 'stillThere'] as const) enqueue.emit({ type: 'cancel', deadline });
      enqueue.emit({ type: 'deskNotice', notice, ...(volunteer ? { volunteer } : {}), ...(step ? { step } : {}) });
      if (news) enqueue.emit({ type: 'tellUser', news, ...(volunteer ? { volunteer } : {}), ...(step ? { step } : {}) });
      enqueue.emit({ type: 'updateCard' });
      enqueue.emit({ type: 'closeThread' });
      enqueue.emit({ type: 'count', metric: 'ticketsClosed' });
    }),
    rate: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'RATE') return;
      const rating: TicketRating = { value: event.rating, word: event.word?.trim() || null };
      enqueue.assign({ rating });
      enqueue.emit({ type: 'deskNotice', notice: 'rated' });
      enqueue.emit({ type: 'updateCard' });
      enqueue.emit({ type: 'countRating', rating: rating.value });
    }),
    reopen: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ closeReason: null, closeNote: null, alerts: 0, rating: null });
      enqueue.emit({ type: 'reopenThread' });
      enqueue.emit({ type: 'deskNotice', notice: 'reopened', ...(context.lastHolder ? { volunteer: context.lastHolder } : {}) });
      enqueue.emit({ type: 'schedule', deadline: 'unclaimed' });
      enqueue.emit({ type: 'updateCard' });
    }),
    relay: emit(({ event }) => ({ type: 'relayToUser' as const, volunteer: volunteerOf(event)! })),
    refuseNotHolder: emit(({ context, event }) => ({
      type: 'refuse' as const,
      to: volunteerOf(event)!,
      refusal: 'notHolder' as const,
      ...(context.holder ? { holder: context.holder } : {}),
    })),
    refuseAlreadyClaimed: emit(({ context, event }) => ({
      type: 'refuse' as const,
      to: volunteerOf(event)!,
      refusal: sameVolunteer(context.holder, volunteerOf(event)) ? ('alreadyHolder' as const) : ('alreadyClaimed' as const),
      holder: context.holder!,
    })),
    refuseNotClaimed: emit(({ event }) => ({ type: 'refuse' as const, to: volunteerOf(event)!, refusal: 'notClaimed' as const })),
    refuseClosed: emit(({ event }) => ({ type: 'refuse' as const, to: volunteerOf(event)!, refusal: 'closed' as const })),
    alertAgain: enqueueActions(({ context, enqueue }) => {
      const alerts = context.alerts + 1;
      enqueue.assign({ alerts });
      enqueue.emit({ type: 'alertDesk', alerts });
      enqueue.emit({ type: 'schedule', deadline: 'unclaimed' });
    }),
    userWrote: enqueueActions(({ context, enqueue }) => {
      if (context.userUnreachable) {
        enqueue.assign({ userUnreachable: false });
        enqueue.emit({ type: 'deskNotice', notice: 'userBack' });
        enqueue.emit({ type: 'updateCard' });
      }
      if (context.stillThereAsked) {
        enqueue.assign({ stillThereAsked: false });
        enqueue.emit({ type: 'cancel', deadline: 'stillThere' });
      }
    }),
    restartInactivity: emit({ type: 'schedule' as const, deadline: 'inactive' as const }),
    askStillThere: enqueueActions(({ enqueue }) => {
      enqueue.assign({ stillThereAsked: true });
      enqueue.emit({ type: 'tellUser', news: 'stillThere' });
      enqueue.emit({ type: 'deskNotice', notice: 'stillThereAsked' });
      enqueue.emit({ type: 'schedule', deadline: 'stillThere' });
    }),
    markUnreachable: enqueueActions(({ context, enqueue }) => {
      if (context.userUnreachable) return;
      enqueue.assign({ userUnreachable: true });
      enqueue.emit({ type: 'deskNotice', notice: 'userUnreachable' });
      enqueue.emit({ type: 'updateCard' });
    }),
  },
}).createMachine({
  id: 'ticket',
  context: ({ input }) => ({
    card: input.card,
    holder: null,
    lastHolder: null,
    closeReason: null,
    closeNote: null,
    userUnreachable: false,
    stillThereAsked: false,
    alerts: 0,
  }),
  initial: 'asked',
  on: {
    USER_UNREACHABLE: { actions: 'markUnreachable' },
  },
  states: {
    /** The person was shown the card and asked whether a volunteer may see it. Nothing is on the desk yet. */
    asked: {
      on: {
        CONSENT: { target: 'queued', actions: ['consent', 'enterQueue'] },
        DECLINE: { target: 'declined' },
        ERASED: { target: 'declined' },
        USER_UNREACHABLE: {},
      },
    },
    queued: {
      on: {
        CLAIM: { target: 'claimed', actions: 'claim' },
        TAKEOVER: { target: 'claimed', actions: 'claim' },
        RELEASE: { actions: 'refuseNotClaimed' },
        HANDBACK: { actions: 'refuseNotClaimed' },
        VOLUNTEER_MESSAGE: { actions: 'refuseNotClaimed' },
        // Any volunteer may close a waiting ticket (a duplicate, a request already answered elsewhere).
        CLOSE: { target: 'closed', actions: 'close' },
        USER_CLOSE: { target: 'closed', actions: 'close' },
        ERASED: { target: 'closed', actions: 'close' },
        USER_MESSAGE: { actions: 'userWrote' },
        DEADLINE: { guard: { type: 'isDeadline', params: 'unclaimed' }, actions: 'alertAgain' },
      },
    },
    claimed: {
      on: {
        CLAIM: { actions: 'refuseAlreadyClaimed' },
        TAKEOVER: [
          { guard: 'isHolder', actions: 'refuseAlreadyClaimed' },
          { target: 'claimed', reenter: true, actions: 'claim' },
        ],
        RELEASE: [{ guard: 'isHolder', target: 'queued', actions: 'release' }, { actions: 'refuseNotHolder' }],
        HANDBACK: [{ guard: 'isHolder', target: 'closed', actions: 'close' }, { actions: 'refuseNotHolder' }],
        CLOSE: [{ guard: 'isHolder', target: 'closed', actions: 'close' }, { actions: 'refuseNotHolder' }],
        VOLUNTEER_MESSAGE: [{ guard: 'isHolder', actions: 'relay' }, { actions: 'refuseNotHolder' }],
        USER_MESSAGE: { actions: ['userWrote', 'restartInactivity'] },
        USER_CLOSE: { target: 'closed', actions: 'close' },
        USER_BACK_TO_GUIDE: { target: 'closed', actions: 'close' },
        ERASED: { target: 'closed', actions: 'close' },
        DEADLINE: [
          { guard: { type: 'isDeadline', params: 'inactive' }, actions: 'askStillThere' },
          { guard: and([{ type: 'isDeadline', params: 'stillThere' }, 'stillThereAsked']), target: 'closed', actions: 'close' },
        ],
      },
    },
    closed: {
      on: {
        REOPEN: { target: 'queued', actions: 'reopen' },
        // Once, and only where there was help to rate; a second tap changes nothing.
        RATE: { guard: 'mayRate', actions: 'rate' },
        CLAIM: { actions: 'refuseClosed' },
        TAKEOVER: { actions: 'refuseClosed' },
        RELEASE: { actions: 'refuseClosed' },
        HANDBACK: { actions: 'refuseClosed' },
        CLOSE: { actions: 'refuseClosed' },
        VOLUNTEER_MESSAGE: { actions: 'refuseClosed' },
      },
    },
    /** The person said no (or left the question): nothing reached the desk; the desk core deletes the row. */
    declined: { type: 'final' },
  },
});

export type TicketMachine = typeof ticketMachine;
