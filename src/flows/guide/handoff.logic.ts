/**
 * The hand-off region's named guards and actions: asking consent, waiting in the queue, talking with a volunteer
 * (what the person writes is relayed and the guide stays quiet), and the ticket's news told by the desk.
 */
import type { Handoff } from '../guide.types.js';
import { NO_HANDOFF } from '../guide.types.js';
import { TICKET_RATINGS, type UserNews } from '../ticket-news.js';
import { handoffOf } from './context.js';
import { choiceOf, say, set, steps, textOf, type GuideArgs } from './kit.js';

export const handoffGuards = {
  handoffIs: ({ context }: GuideArgs, status: Handoff['status']) => handoffOf(context).status === status,
  deskAvailable: ({ event }: GuideArgs) => event.type !== 'HUMAN' || event.available !== false,
  isReopenable: ({ event }: GuideArgs) => event.type === 'HUMAN' && event.reopenable === true,
  isYesWithName: ({ event }: GuideArgs) => choiceOf(event) === 'yesWithName',
  isBot: ({ event }: GuideArgs) => choiceOf(event) === 'bot',
  isTooLong: ({ event }: GuideArgs) => event.type === 'UNCLEAR' && event.reason === 'tooLong',
  isCloseTicket: ({ event }: GuideArgs) => choiceOf(event) === 'closeTicket',
  newsIs: ({ event }: GuideArgs, news: readonly UserNews[]) => event.type === 'TICKET' && news.includes(event.news),
  handbackStepInPlan: ({ context, event }: GuideArgs) =>
    event.type === 'TICKET' && event.step !== undefined && context.plan.steps.includes(event.step),
  isRating: ({ event }: GuideArgs) => (TICKET_RATINGS as readonly string[]).includes(choiceOf(event)),
  isSkipWord: ({ event }: GuideArgs) => choiceOf(event) === 'skip',
  noRatingHeld: ({ context }: GuideArgs) => !context.rating,
  mediaRefused: ({ event }: GuideArgs) => event.type === 'MEDIA' && event.refusal !== undefined,
  mediaAgreed: ({ context }: GuideArgs) => handoffOf(context).mediaOk === true,
  isSendMedia: ({ event }: GuideArgs) => choiceOf(event) === 'sendMedia',
  isCancelMedia: ({ event }: GuideArgs) => choiceOf(event) === 'cancelMedia',
};

/** At most this many files wait for the yes (an album of screenshots is a few; more is a mistake). */
const MAX_HELD_MEDIA = 10;

export const handoffActions = {
  askConsent: steps(({ enqueue }) => {
    enqueue.assign({ handoff: { status: 'asked', volunteer: null } });
    enqueue.emit({ type: 'askVolunteer' });
  }),
  giveConsent: steps(({ event, enqueue }) => {
    enqueue.assign({ handoff: { status: 'queued', volunteer: null }, offerHuman: false });
    enqueue.emit({ type: 'consentGiven', shareName: choiceOf(event) === 'yesWithName' });
  }),
  /** Leaving the question unanswered (no, back, another command, a restart) withdraws the request. */
  withdrawUnansweredConsent: steps(({ context, enqueue }) => {
    if (handoffOf(context).status !== 'asked') return;
    enqueue.assign({ handoff: NO_HANDOFF });
    enqueue.emit({ type: 'consentDeclined' });
  }),
  relayToVolunteer: say(({ event }) => ({ type: 'relayToVolunteer' as const, text: event.type === 'TEXT' ? event.text : '' })),
  /* --- files for the volunteer --- */
  relayMedia: steps(({ event, enqueue }) => {
    if (event.type !== 'MEDIA') return;
    enqueue.emit({ type: 'relayMediaToVolunteer', media: event.media, ...(event.caption ? { caption: event.caption } : {}) });
  }),
  holdFirstMedia: steps(({ event, enqueue }) => {
    if (event.type === 'MEDIA') enqueue.assign({ heldMedia: [{ media: event.media, ...(event.caption ? { caption: event.caption } : {}) }] });
  }),
  holdMedia: steps(({ context, event, enqueue }) => {
    if (event.type !== 'MEDIA') return;
    const held = [...(context.heldMedia ?? []), { media: event.media, ...(event.caption ? { caption: event.caption } : {}) }];
    enqueue.assign({ heldMedia: held.slice(-MAX_HELD_MEDIA) });
  }),
  /** Yes: every file waiting goes, in order, and this ticket's next ones will go without asking. */
  sendHeldMedia: steps(({ context, enqueue }) => {
    const held = context.heldMedia ?? [];
    for (const { media, caption } of held) enqueue.emit({ type: 'relayMediaToVolunteer', media, ...(caption ? { caption } : {}) });
    enqueue.emit({ type: 'mediaSent', count: held.length });
    enqueue.assign({ heldMedia: [], handoff: { ...handoffOf(context), mediaOk: true } });
  }),
  dropHeldMedia: set({ heldMedia: [] }),
  emitMediaCancelled: say({ type: 'mediaCancelled' as const }),
  emitMediaRefused: say(({ event }) => ({
    type: 'mediaRefused' as const,
    reason: event.type === 'MEDIA' && event.refusal ? event.refusal : 'type',
    what: event.type === 'MEDIA' ? event.media.kind : 'document',
  })),
  /** A file when no volunteer holds the ticket: answered as the guide answers what it cannot read. */
  emitMediaWithoutVolunteer: say(({ context, event }) => ({
    type: 'mediaWithoutVolunteer' as const,
    what: event.type === 'MEDIA' ? event.media.kind : 'other',
    queued: handoffOf(context).status === 'queued',
  })),
  leaveVolunteer: steps(({ context, enqueue }) => {
    enqueue.assign({ handoff: { status: 'closed', volunteer: handoffOf(context).volunteer } });
    enqueue.emit({ type: 'leaveVolunteer' });
  }),
  closeTicket: steps(({ context, enqueue }) => {
    enqueue.assign({ handoff: { status: 'closed', volunteer: handoffOf(context).volunteer } });
    enqueue.emit({ type: 'closeTicket' });
  }),
  reopenTicket: steps(({ enqueue }) => {
    enqueue.assign({ handoff: { status: 'queued', volunteer: null } });
    enqueue.emit({ type: 'reopenTicket' });
  }),
  emitAlreadyQueued: say({ type: 'alreadyQueued' as const }),
  emitNoVolunteers: say({ type: 'noVolunteers' as const }),
  emitVolunteerHint: say({ type: 'volunteerHint' as const }),
  emitRelayTooLong: say({ type: 'relayTooLong' as const }),
  emitUnsupportedForVolunteer: say(({ event }) => ({
    type: 'unsupportedForVolunteer' as const,
    what: event.type === 'UNSUPPORTED' ? event.what : 'other',
  })),
  takeNews: steps(({ context, event, enqueue }) => {
    if (event.type !== 'TICKET') return;
    const volunteer = event.volunteer ?? null;
    const status: Handoff['status'] | undefined =
      event.news === 'claimed' ? 'claimed' : event.news === 'released' ? 'queued' : event.news === 'stillThere' ? undefined : 'closed';
    if (status) enqueue.assign({ handoff: { status, volunteer: status === 'queued' ? null : volunteer ?? handoffOf(context).volunteer } });
    // Just closed: writing to the volunteer again is one tap away (it reopens the same ticket for a while).
    if (status === 'closed') enqueue.assign({ offerHuman: true });
    enqueue.emit({ type: 'handoffNews', news: event.news, volunteer: volunteer ?? handoffOf(context).volunteer, ...(event.step ? { step: event.step } : {}) });
  }),
  /* --- "did this help?" --- */
  /** The desk core said this close is worth asking about (see TICKET's `rate`): ask once back where the person was. */
  offerRatingIfAsked: steps(({ event, enqueue }) => {
    if (event.type === 'TICKET' && event.rate === true) enqueue.raise({ type: 'ASK_RATING' });
  }),
  /** The person ended a conversation a volunteer held (/close, /bot): there was help to rate. */
  askRating: steps(({ enqueue }) => {
    enqueue.raise({ type: 'ASK_RATING' });
  }),
  holdRating: set({ rating: ({ context, event }) => (TICKET_RATINGS as readonly string[]).includes(choiceOf(event)) ? (choiceOf(event) as (typeof TICKET_RATINGS)[number]) : context.rating ?? null }),
  rateWithWord: steps(({ context, event, enqueue }) => {
    if (!context.rating) return;
    enqueue.assign({ rating: null });
    enqueue.emit({ type: 'rateTicket', rating: context.rating, word: textOf(event) || null });
  }),
  /** Leaving the word unsaid (skipped, or the person went on): the tap alone goes to the ticket. */
  sendHeldRating: steps(({ context, enqueue }) => {
    if (!context.rating) return;
    enqueue.assign({ rating: null });
    enqueue.emit({ type: 'rateTicket', rating: context.rating, word: null });
  }),
  /** Something other than an answer to the rating: the question steps aside and this is answered where they were. */
  passOn: steps(({ event, enqueue }) => {
    enqueue.raise(event);
  }),
  goToHandbackStep: set({
    plan: ({ context, event }) => {
      if (event.type !== 'TICKET' || !event.step) return context.plan;
      const cursor = context.plan.steps.indexOf(event.step);
      const status = { ...context.plan.status };
      delete status[event.step];
      return { ...context.plan, cursor, status };
    },
  }),
};
