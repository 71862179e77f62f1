/**
 * The hand-off region: consent (handoffConsent), then — once a volunteer claims the ticket — withVolunteer, where
 * what the person writes is relayed and the guide stays quiet. The ticket itself is another machine.
 */
import type { GuideSetup } from './setup.js';
import { not } from 'xstate';
import type { Handoff } from '../guide.types.js';

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
        TEXT: { actions: 'relayToVolunteer' },
        CHOOSE: [
          { guard: 'isBot', target: 'main.history', actions: 'leaveVolunteer' },
          { guard: 'isCloseTicket', target: 'main.history', actions: 'closeTicket' },
          { actions: 'emitVolunteerHint' },
        ],
        TICKET: [
          { guard: { type: 'newsIs', params: ['released', 'closed', 'closedInactive'] }, target: 'main.history', actions: 'takeNews' },
        ],
        UNSUPPORTED: { actions: 'emitUnsupportedForVolunteer' },
        UNCLEAR: [{ guard: 'isTooLong', actions: 'emitRelayTooLong' }, { actions: 'emitVolunteerHint' }],
        HELP: { actions: 'emitVolunteerHint' },
        WHERE: { actions: 'emitVolunteerHint' },
        BACK: { actions: 'emitVolunteerHint' },
        RESTART: { actions: 'emitVolunteerHint' },
        CHECKLIST: { actions: 'emitVolunteerHint' },
        REMINDERS: { actions: 'emitVolunteerHint' },
        UNKNOWN_COMMAND: { actions: 'emitVolunteerHint' },
        STALE: { actions: 'emitVolunteerHint' },
        START: { actions: 'emitVolunteerHint' },
        HUMAN: { actions: 'emitVolunteerHint' },
        // A check-in would talk over the volunteer: it passes.
        CHECKIN: {},
      },
    }),
  };
}
