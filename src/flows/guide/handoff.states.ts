/**
 * The hand-off region: consent (handoffConsent), then — once a volunteer claims the ticket — withVolunteer, where
 * what the person writes is relayed and the guide stays quiet; after a close where a volunteer helped, "did this
 * help?" (rateHelp, one tap) and an optional word (rateWord). The ticket itself is another machine.
 */
import type { GuideSetup } from './setup.js';
import { not } from 'xstate';
import type { Handoff } from '../guide.types.js';
import type { UserNews } from '../ticket-news.js';

/**
 * While a volunteer holds the ticket (talking, or asked whether to send a file): words go to them, the ticket's
 * end takes the person back, and anything the bot would otherwise answer gets a reminder of /bot and /close.
 */
const withTheVolunteer = {
  TEXT: { actions: 'relayToVolunteer' },
  TICKET: [
    { guard: { type: 'newsIs', params: ['released', 'closed', 'closedInactive'] as UserNews[] }, target: 'main.history', actions: ['takeNews', 'offerRatingIfAsked'] },
  ],
  UNSUPPORTED: { actions: 'emitUnsupportedForVolunteer' },
  UNCLEAR: [{ guard: 'isTooLong', actions: 'emitRelayTooLong' }, { actions: 'emitVolunteerHint' }],
  HELP: { actions: 'emitVolunteerHint' },
  WHERE: { actions: 'emitVolunteerHint' },
  RESTART: { actions: 'emitVolunteerHint' },
  CHECKLIST: { actions: 'emitVolunteerHint' },
  REMINDERS: { actions: 'emitVolunteerHint' },
  UNKNOWN_COMMAND: { actions: 'emitVolunteerHint' },
  STALE: { actions: 'emitVolunteerHint' },
  START: { actions: 'emitVolunteerHint' },
  HUMAN: { actions: 'emitVolunteerHint' },
  // A check-in would talk over the volunteer: it passes.
  CHECKIN: {},
} as const;

export function handoffStates(s: GuideSetup) {
  return {
    /* --- the volunteers --- */
    /** "Here is exactly what a volunteer will see — may I?" The card is frozen by the engine on entry. */
    handoffConsent: s.createStateConfig({
      entry: 'askConsent',
      // However the question is left, an answer not given is a no: the request is withdrawn on the way out.
      exit: 'withdrawUnansweredConsent',
      // Consent given (the status moved on from "asked"): back to where the person was.
      always: { guard: not({ type: 'handoffIs', params: 'asked' as Handoff['status'] }), target: 'main.history' },
      on: {
        CHOOSE: [
          { guard: 'isYes', actions: 'giveConsent' },
          { guard: 'isYesWithName', actions: 'giveConsent' },
          { guard: 'isNo', target: 'main.history' },
        ],
        BACK: { target: 'main.history' },
        HUMAN: {},
      },
    }),
    /**
     * A volunteer holds the ticket: what the person writes goes to them, and the guide stays quiet. Only /bot
     * (back to the guide), /close, and the privacy commands act on the bot; anything else gets a reminder of those.
     */
    withVolunteer: s.createStateConfig({
      on: {
        ...withTheVolunteer,
        CHOOSE: [
          // The person ends it themselves: a volunteer held the ticket, so there was help to rate.
          { guard: 'isBot', target: 'main.history', actions: ['leaveVolunteer', 'askRating'] },
          { guard: 'isCloseTicket', target: 'main.history', actions: ['closeTicket', 'askRating'] },
          { actions: 'emitVolunteerHint' },
        ],
        MEDIA: [
          { guard: 'mediaRefused', actions: 'emitMediaRefused' },
          { guard: 'mediaAgreed', actions: 'relayMedia' },
          // The ticket's first file: held until the person has read what a screenshot can show.
          { target: 'mediaConsent', actions: 'holdFirstMedia' },
        ],
        BACK: { actions: 'emitVolunteerHint' },
      },
    }),

    /**
     * "A screenshot can show your address, your other mails…: send it to the volunteer?" — once per ticket, before
     * its first file. Words typed meanwhile that are not an answer go to the volunteer (the interpreter passes them
     * as TEXT); more files join those waiting. However this is left without a yes, the files waiting are dropped.
     */
    mediaConsent: s.createStateConfig({
      // Exit actions run before a transition's own: the yes is carried out in place, then this leaves.
      exit: 'dropHeldMedia',
      always: { guard: 'mediaAgreed', target: 'withVolunteer' },
      on: {
        ...withTheVolunteer,
        CHOOSE: [
          { guard: 'isSendMedia', actions: 'sendHeldMedia' },
          { guard: 'isCancelMedia', target: 'withVolunteer', actions: 'emitMediaCancelled' },
          { guard: 'isBot', target: 'main.history', actions: ['emitMediaCancelled', 'leaveVolunteer', 'askRating'] },
          { guard: 'isCloseTicket', target: 'main.history', actions: ['emitMediaCancelled', 'closeTicket', 'askRating'] },
          { actions: 'emitVolunteerHint' },
        ],
        MEDIA: [{ guard: 'mediaRefused', actions: 'emitMediaRefused' }, { actions: 'holdMedia' }],
        BACK: { target: 'withVolunteer', actions: 'emitMediaCancelled' },
      },
    }),

    /*
     * "Did this help?" — asked once, right after a close where a volunteer helped, from where the person was (the
     * plan): ASK_RATING is raised once they are back there, so main's history is that place. It never traps anyone:
     * whatever else comes (a command, words, an old button, a check-in) leaves the question and is answered where
     * the person was, as if it had not been asked — the event is raised again there (`passOn`).
     */
    rateHelp: s.createStateConfig({
      on: {
        // Words that are no rating: the engine reads them again where the person was.
        LEAVE_RATING: { target: 'main.history' },
        CHOOSE: [{ guard: 'isRating', target: 'rateWord', actions: 'holdRating' }, { target: 'main.history', actions: 'passOn' }],
        '*': { target: 'main.history', actions: 'passOn' },
      },
    }),
    /**
     * "A word for the team?" — optional. The tap is held in the context until then; however this is left (the word,
     * "skip", anything else), the rating goes to the ticket on the way out, so a tap is never lost.
     */
    rateWord: s.createStateConfig({
      exit: 'sendHeldRating',
      // The word was given (the rating sent with it): back to where the person was.
      always: { guard: 'noRatingHeld', target: 'main.history' },
      on: {
        TEXT: { guard: 'hasText', actions: 'rateWithWord' },
        CHOOSE: [{ guard: 'isSkipWord', target: 'main.history' }, { target: 'main.history', actions: 'passOn' }],
        '*': { target: 'main.history', actions: 'passOn' },
      },
    }),
  };
}
