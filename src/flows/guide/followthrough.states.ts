/**
 * The follow-through region, overlays reachable from anywhere that return through main's history: the
 * address-change checklist, the ready-to-copy texts, the reminders and their check-ins.
 */
import type { GuideSetup } from './setup.js';

export function followThroughStates(s: GuideSetup) {
  return {
    /* --- the address-change checklist --- */
    checklistRouting: s.createStateConfig({
      always: [
        { guard: 'checklistHasOpenItem', target: 'checklist', actions: 'goToFirstOpenItem' },
        { target: 'checklistEnd' },
      ],
    }),
    checklist: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isItemAnswer', target: 'checklistAfter', actions: ['markItem', 'emitItemNoted'] },
          { guard: 'isAddItem', target: 'checklistAdd' },
        ],
        BACK: { target: 'main.history' },
        CHECKLIST: {},
      },
    }),
    checklistAfter: s.createStateConfig({
      always: [
        { guard: 'checklistHasOpenItem', target: 'checklist', actions: 'goToOpenItem' },
        { target: 'checklistEnd' },
      ],
    }),
    checklistEnd: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isResumeChecklist', target: 'checklistRouting', actions: 'resumeLaterItems' },
          { guard: 'isAddItem', target: 'checklistAdd' },
        ],
        BACK: { target: 'main.history' },
        CHECKLIST: {},
      },
    }),
    checklistAdd: s.createStateConfig({
      on: {
        TEXT: { guard: 'hasText', target: 'checklist', actions: ['addItem', 'emitItemAdded'] },
        BACK: { target: 'checklistRouting' },
      },
    }),

    /* --- ready-to-copy texts --- */
    templates: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isTemplate', actions: 'emitTemplate' },
          { guard: 'isSetAddress', target: 'typingAddress' },
          { guard: 'isForgetAddress', actions: ['forgetAddress', 'emitAddressForgotten'] },
        ],
        BACK: { target: 'main.history' },
      },
    }),
    typingAddress: s.createStateConfig({
      on: {
        TEXT: [
          { guard: 'isAddress', target: 'templates', actions: ['setAddress', 'emitAddressNoted'] },
          { actions: ['countMisunderstood', 'emitNotAnAddress'] },
        ],
        BACK: { target: 'templates' },
      },
    }),

    /* --- reminders --- */
    remindersOffer: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isYes', target: 'main.history', actions: 'turnRemindersOn' },
          { guard: 'isChangeTimeZone', target: 'timeZone' },
          { guard: 'isNo', target: 'main.history' },
        ],
        BACK: { target: 'main.history' },
        REMINDERS: {},
      },
    }),
    timeZone: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isTimeZoneChoice', target: 'remindersOffer', actions: ['setTimeZone', 'emitTimeZoneSet'] },
          { guard: 'isOtherTimeZone', target: 'typingTimeZone' },
        ],
        BACK: { target: 'remindersOffer' },
      },
    }),
    typingTimeZone: s.createStateConfig({
      on: {
        TEXT: [
          { guard: 'isTimeZoneText', target: 'remindersOffer', actions: ['setTimeZone', 'emitTimeZoneSet'] },
          { actions: ['countMisunderstood', 'emitNotATimeZone'] },
        ],
        BACK: { target: 'timeZone' },
      },
    }),
    checkin: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isCheckinAnswer', target: 'main.history', actions: 'recordCheckin' },
          { guard: 'isChecklistChoice', target: 'checklistRouting' },
          { guard: 'isStopReminders', target: 'main.history', actions: 'turnRemindersOff' },
        ],
        BACK: { target: 'main.history' },
      },
    }),
  };
}
