/**
 * Guards and actions that every region may use: yes/no, the language, answers not understood, the notices,
 * restarting, and counting the funnel for the association's anonymous statistics.
 */
import type { Lang, Metric } from '../guide.types.js';
import { MISUNDERSTOOD_HELP_AFTER, initialContext } from './context.js';
import { choiceOf, countOnce, say, set, steps, type Enqueue, type GuideArgs } from './kit.js';

export const commonGuards = {
  isYes: ({ event }: GuideArgs) => choiceOf(event) === 'yes',
  isNo: ({ event }: GuideArgs) => choiceOf(event) === 'no',
};

export const commonActions = {
  setLanguage: set({
    lang: ({ context, event }) => {
      if (event.type === 'SET_LANG' && event.lang) return event.lang;
      if (event.type === 'CHOOSE' && event.choice.startsWith('lang:')) return event.choice.slice(5) as Lang;
      return context.lang === 'fr' ? 'en' : 'fr';
    },
  }),
  adoptStartLanguage: set({
    lang: ({ context, event }) => (event.type === 'START' && event.lang ? event.lang : context.lang),
  }),
  emitLanguageChanged: say({ type: 'languageChanged' as const }),
  countMisunderstood: set({
    misunderstood: ({ context }) => context.misunderstood + 1,
    offerHuman: ({ context }) => context.offerHuman === true || context.misunderstood + 1 >= MISUNDERSTOOD_HELP_AFTER,
  }),
  offerHuman: set({ offerHuman: true }),
  emitNotUnderstood: say(({ context, event }) => ({
    type: 'notUnderstood' as const,
    reason: event.type === 'UNCLEAR' ? event.reason : event.type === 'UNKNOWN_COMMAND' ? 'unknownCommand' : 'noMatch',
    times: context.misunderstood,
    ...(event.type === 'UNCLEAR' && event.reason === 'vague' ? { question: context.question } : {}),
  })),
  emitUnsupported: say(({ event }) => ({
    type: 'unsupported' as const,
    what: event.type === 'UNSUPPORTED' ? event.what : 'other',
  })),
  emitProgress: say({ type: 'progress' as const }),
  emitHelp: say({ type: 'help' as const }),
  emitNothingBefore: say({ type: 'nothingBefore' as const }),
  emitWelcomeBack: say({ type: 'welcomeBack' as const }),
  emitUpdated: say({ type: 'updated' as const }),
  emitRestarted: say({ type: 'restarted' as const }),
  emitStale: say({ type: 'stale' as const }),
  emitForgetMe: say({ type: 'forgetMe' as const }),
  emitMyData: say({ type: 'myData' as const }),
  resetConversation: set(({ context }) => initialContext({ lang: context.lang })),

  /* --- statistics (each step of the funnel once per journey) --- */
  countStarted: steps(({ context, enqueue }) => countOnce(context, enqueue as Enqueue, ['started'])),
  countAnswered: steps(({ context, enqueue }) =>
    countOnce(context, enqueue as Enqueue, ['answered'], ...(context.ranked.length > 0 ? [['recommended'] as [Metric]] : [])),
  ),
  countChose: steps(({ context, enqueue }) => countOnce(context, enqueue as Enqueue, ['chose', context.chosen ?? undefined])),
};
