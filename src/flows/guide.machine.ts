/**
 * The guide: from "which mailbox do you use today?" to a chosen provider and a step-by-step move plan.
 *
 * Pure XState v5: no I/O, no platform, no sentences. It remembers answers in its context, emits intents (ids and
 * numbers) for the renderer, and always rests on a prompt (see ./prompt.ts) that has a way out. The catalogue is
 * passed in when the machine is built because matching and planning are pure functions of it.
 *
 * Layout (each region's states and its named guards and actions live in ./guide/):
 *   boot ─► main (history) ─ welcome ─► asking ⇄ clarifying ─► recommending ⇄ whyNot / changeAnswer ─► planning ─► planEnd
 *        └► overlays, from anywhere, returning to where we were through main's history state:
 *           confirmRestart, confirmForget; checklist (+ add an item); ready-to-copy texts (+ type the new address);
 *           reminders offer (+ time zone); check-in (fired by the scheduler);
 *           a volunteer: consent (handoffConsent), then — once one claims the ticket — withVolunteer, where what
 *           the person writes is relayed and the guide stays quiet; after a close, "did this help?" (rateHelp,
 *           rateWord). The ticket itself is another machine
 *           (ticket.machine.ts); the desk tells this one its news with TICKET events.
 */
import { and, not } from 'xstate';
import type { Catalog } from '../catalog/types.js';
import type { ChecklistCategory } from '../catalog/checklist.js';
import type { Handoff } from './guide.types.js';
import type { UserNews } from './ticket-news.js';
import { initialContext } from './guide/context.js';
import { guideSetup, type GuidePlanData } from './guide/setup.js';
import { questionStates } from './guide/questions.states.js';
import { recommendationStates } from './guide/recommendation.states.js';
import { planOverlays, planStates } from './guide/plan.states.js';
import { followThroughStates } from './guide/followthrough.states.js';
import { handoffStates } from './guide/handoff.states.js';
import { departementStates } from './guide/departement.states.js';

/**
 * `plan`: what the plan depends on beyond the catalogue — the hosts' set-up (data/provider-setup.json: CalDAV
 * servers, domains) and the ways of finding accounts (data/account-finding.json).
 */
export function createGuideMachine(catalog: Catalog, checklist: readonly ChecklistCategory[], plan: GuidePlanData = { setups: {} }) {
  const s = guideSetup(catalog, checklist, plan);
  return s.createMachine({
    id: 'guide',
    context: ({ input }) => initialContext(input),
    initial: 'boot',
    // Anything a child state does not handle lands here: every state keeps these ways out.
    on: {
      HELP: { actions: ['emitHelp', 'offerHuman'] },
      HUMAN: [
        { guard: { type: 'handoffIs', params: 'claimed' }, target: '.withVolunteer' },
        { guard: { type: 'handoffIs', params: 'queued' }, actions: 'emitAlreadyQueued' },
        { guard: not('deskAvailable'), actions: 'emitNoVolunteers' },
        { guard: 'isReopenable', actions: 'reopenTicket' },
        { target: '.handoffConsent' },
      ],
      TICKET: [
        { guard: { type: 'newsIs', params: ['claimed'] }, target: '.withVolunteer', actions: 'takeNews' },
        { guard: and([{ type: 'newsIs', params: ['handedBack'] as UserNews[] }, 'handbackStepInPlan']), target: '.main.planning', actions: ['takeNews', 'goToHandbackStep', 'offerRatingIfAsked'] },
        { guard: { type: 'newsIs', params: ['handedBack'] }, target: '.main.history', actions: ['takeNews', 'offerRatingIfAsked'] },
        { actions: ['takeNews', 'offerRatingIfAsked'] },
      ],
      // Raised by the machine after a close where a volunteer helped (see the rateHelp state).
      ASK_RATING: { target: '.rateHelp' },
      WHERE: { actions: 'emitProgress' },
      SET_LANG: { actions: ['setLanguage', 'emitLanguageChanged'] },
      RESTART: { target: '.confirmRestart' },
      FORGET: { target: '.confirmForget' },
      START: { actions: 'emitWelcomeBack' },
      CHOOSE: [
        // "Meet someone in person" (the plan's end, the consent question): the département, then back there.
        { guard: and(['isMeetInPerson', { type: 'handoffIs', params: 'asked' as Handoff['status'] }]), target: '.departementAskForVolunteer' },
        { guard: 'isMeetInPerson', target: '.departementAsk' },
        // /close while waiting in the queue: the person no longer wants a volunteer.
        { guard: and(['isCloseTicket', { type: 'handoffIs', params: 'queued' as Handoff['status'] }]), actions: 'closeTicket' },
        { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      ],
      UNCLEAR: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      AMBIGUOUS: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      UNKNOWN_COMMAND: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      UNSUPPORTED: { actions: 'emitUnsupported' },
      // A file with no volunteer holding a ticket: a volunteer could look at it, so one is offered.
      MEDIA: { actions: ['emitMediaWithoutVolunteer', 'offerHuman'] },
      STALE: { actions: 'emitStale' },
      TEXT: { actions: ['countMisunderstood', 'emitNotUnderstood'] },
      CHECKLIST: { target: '.checklistRouting' },
      MYDATA: { actions: 'emitMyData' },
      REMINDERS: [
        { guard: 'remindersAreOn', actions: 'turnRemindersOff' },
        { target: '.remindersOffer' },
      ],
      // A check-in only speaks if reminders are (still) on; otherwise it passes silently.
      CHECKIN: { guard: 'remindersAreOn', target: '.checkin', actions: 'startCheckin' },
      BACK: { actions: 'emitNothingBefore' },
      // A dated reminder of the plan speaks wherever the person is, and leaves them there.
      PLAN_REMINDER: { actions: 'emitIspAccessEnding' },
    },
    states: {
      /** Where a conversation begins — fresh, or salvaged from a snapshot of an older machine. */
      boot: {
        always: [
          // With a volunteer when the bot was updated: still with them (the desk holds the ticket).
          { guard: { type: 'handoffIs', params: 'claimed' as Handoff['status'] }, target: 'withVolunteer', actions: 'emitUpdated' },
          { guard: and(['hasSalvagedPlan', 'planHasOpenStep']), target: 'main.planning', actions: 'emitUpdated' },
          { guard: 'hasSalvagedPlan', target: 'main.planEnd', actions: 'emitUpdated' },
          { guard: 'hasSalvagedAnswers', target: 'main.recommending', actions: ['emitUpdated', 'rank'] },
          { target: 'main.welcome' },
        ],
      },
      main: {
        initial: 'welcome',
        states: {
          history: { type: 'history', history: 'deep' },
          ...questionStates(s),
          ...recommendationStates(s),
          ...planStates(s),
        },
      },
      confirmRestart: {
        on: {
          CHOOSE: [
            { guard: 'isYes', target: 'main.welcome', actions: ['resetConversation', 'emitRestarted'] },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          RESTART: {},
        },
      },
      /** Erasing is final, so it is asked once more. The engine does the erasing when it sees `forgetMe`. */
      confirmForget: {
        on: {
          CHOOSE: [
            { guard: 'isYes', target: 'main.welcome', actions: ['resetConversation', 'emitForgetMe'] },
            { guard: 'isNo', target: 'main.history' },
          ],
          BACK: { target: 'main.history' },
          FORGET: {},
        },
      },

      ...planOverlays(s),
      ...followThroughStates(s),
      ...departementStates(s),
      ...handoffStates(s),
    },
  });
}

export type GuideMachine = ReturnType<typeof createGuideMachine>;
