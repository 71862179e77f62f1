/**
 * The follow-through region's named guards and actions: the address-change checklist, the ready-to-copy texts,
 * the reminders and their check-ins — what stays with the person for the months a move takes.
 */
import type { ChecklistCategory } from '../../catalog/checklist.js';
import type { GuideContext } from '../guide.types.js';
import {
  MAX_CUSTOM_ITEMS,
  MAX_CUSTOM_LABEL,
  checklistItems,
  isTimeZone,
  looksLikeAddress,
  nextOpenItem,
  type ChecklistStatus,
} from '../followup.js';
import { CHECKIN_ANSWERS, LAST_CHECKIN_ANSWERS, TEMPLATE_NAMES, TIME_ZONE_CHOICE } from './context.js';
import { choiceOf, countOnce, isOneOf, say, set, steps, textOf, type Enqueue, type GuideArgs } from './kit.js';

export function followThroughLogic(checklist: readonly ChecklistCategory[]) {
  const categoryIds = checklist.map((c) => c.id);
  const itemsOf = (context: GuideContext) => checklistItems(categoryIds, context.checklist);

  const guards = {
    isChecklistChoice: ({ event }: GuideArgs) => choiceOf(event) === 'checklist',
    isTemplatesChoice: ({ event }: GuideArgs) => choiceOf(event) === 'templates',
    isRemindersChoice: ({ event }: GuideArgs) => choiceOf(event) === 'reminders',
    isStopReminders: ({ event }: GuideArgs) => choiceOf(event) === 'stopReminders',
    remindersAreOn: ({ context }: GuideArgs) => context.reminders.on,
    checklistHasOpenItem: ({ context }: GuideArgs) => nextOpenItem(itemsOf(context), context.checklist) !== -1,
    isItemAnswer: ({ event }: GuideArgs) => isOneOf(['done', 'notConcerned', 'later'])(event),
    isAddItem: ({ context, event }: GuideArgs) => choiceOf(event) === 'add' && context.checklist.custom.length < MAX_CUSTOM_ITEMS,
    isResumeChecklist: ({ context, event }: GuideArgs) =>
      choiceOf(event) === 'resume' && Object.values(context.checklist.status).includes('later'),
    hasText: ({ event }: GuideArgs) => textOf(event).length > 0,
    isAddress: ({ event }: GuideArgs) => looksLikeAddress(textOf(event)),
    isTimeZoneText: ({ event }: GuideArgs) => isTimeZone(textOf(event)),
    isTimeZoneChoice: ({ event }: GuideArgs) =>
      choiceOf(event).startsWith(TIME_ZONE_CHOICE) && isTimeZone(choiceOf(event).slice(TIME_ZONE_CHOICE.length)),
    isOtherTimeZone: ({ event }: GuideArgs) => choiceOf(event) === 'otherTimeZone',
    isChangeTimeZone: ({ event }: GuideArgs) => choiceOf(event) === 'timeZone',
    isTemplate: ({ event }: GuideArgs) => isOneOf(TEMPLATE_NAMES)(event),
    isSetAddress: ({ event }: GuideArgs) => choiceOf(event) === 'setAddress',
    isForgetAddress: ({ context, event }: GuideArgs) => choiceOf(event) === 'forgetAddress' && context.newAddress !== null,
    isCheckinAnswer: ({ context, event }: GuideArgs) => isOneOf(context.checkin?.last ? LAST_CHECKIN_ANSWERS : CHECKIN_ANSWERS)(event),
  };

  const actions = {
    /* --- the checklist --- */
    goToOpenItem: set({
      checklist: ({ context }) => {
        const items = itemsOf(context);
        const after = nextOpenItem(items, context.checklist, context.checklist.cursor + 1);
        const cursor = after !== -1 ? after : nextOpenItem(items, context.checklist);
        return { ...context.checklist, cursor: cursor === -1 ? 0 : cursor };
      },
    }),
    goToFirstOpenItem: set({
      checklist: ({ context }) => ({ ...context.checklist, cursor: Math.max(0, nextOpenItem(itemsOf(context), context.checklist)) }),
    }),
    markItem: set({
      checklist: ({ context, event }) => {
        const item = itemsOf(context)[context.checklist.cursor]!;
        return { ...context.checklist, status: { ...context.checklist.status, [item]: choiceOf(event) as ChecklistStatus } };
      },
    }),
    emitItemNoted: say(({ event }) => ({ type: 'checklistNoted' as const, status: choiceOf(event) as ChecklistStatus })),
    addItem: set({
      checklist: ({ context, event }) => {
        const custom = [...context.checklist.custom, textOf(event).slice(0, MAX_CUSTOM_LABEL)];
        return { ...context.checklist, custom, cursor: categoryIds.length + custom.length - 1 };
      },
    }),
    emitItemAdded: say({ type: 'checklistAdded' as const }),
    resumeLaterItems: set({
      checklist: ({ context }) => {
        const status = Object.fromEntries(Object.entries(context.checklist.status).filter(([, s]) => s !== 'later'));
        return { ...context.checklist, status, cursor: 0 };
      },
    }),

    /* --- ready-to-copy texts --- */
    emitTemplate: say(({ event }) => ({ type: 'template' as const, name: choiceOf(event) as (typeof TEMPLATE_NAMES)[number] })),
    setAddress: set({ newAddress: ({ event }) => textOf(event) }),
    emitAddressNoted: say({ type: 'addressNoted' as const }),
    forgetAddress: set({ newAddress: null }),
    emitAddressForgotten: say({ type: 'addressForgotten' as const }),
    emitNotAnAddress: say(({ context }) => ({ type: 'notUnderstood' as const, reason: 'notAnAddress' as const, times: context.misunderstood })),

    /* --- reminders --- */
    turnRemindersOn: steps(({ context, enqueue }) => {
      enqueue.assign({ reminders: { ...context.reminders, on: true } });
      enqueue.emit({ type: 'remindersOn' });
      countOnce(context, enqueue as Enqueue, ['remindersOn']);
    }),
    turnRemindersOff: steps(({ context, enqueue }) => {
      enqueue.assign({ reminders: { ...context.reminders, on: false } });
      enqueue.emit({ type: 'remindersOff' });
    }),
    setTimeZone: set({
      reminders: ({ context, event }) => ({
        ...context.reminders,
        timeZone: event.type === 'TEXT' ? textOf(event) : choiceOf(event).slice(TIME_ZONE_CHOICE.length),
      }),
    }),
    emitTimeZoneSet: say({ type: 'timeZoneSet' as const }),
    emitNotATimeZone: say(({ context }) => ({ type: 'notUnderstood' as const, reason: 'notATimeZone' as const, times: context.misunderstood })),
    startCheckin: set({ checkin: ({ event }) => (event.type === 'CHECKIN' ? { day: event.day, last: event.last } : null) }),
    recordCheckin: steps(({ context, event, enqueue }) => {
      const checkin = context.checkin!;
      const answer = choiceOf(event);
      enqueue.assign({
        reminders: { ...context.reminders, answers: { ...context.reminders.answers, [String(checkin.day)]: answer } },
        checkin: null,
      });
      enqueue.emit({ type: 'checkinAnswered', day: checkin.day, last: checkin.last, answer });
      if (answer === 'switched') countOnce(context, enqueue as Enqueue, ['switched']);
    }),
  };
  return { guards, actions };
}
