/** The recommendation region's named guards and actions: ranking, pages, "why not", choosing a host. */
import type { Catalog } from '../../catalog/types.js';
import { rankProvidersCached as rankProviders } from '../../catalog/ranking-cache.js';
import { PAGE_SIZE, PROVIDER_CHOICE } from './context.js';
import { choiceOf, say, set, type GuideArgs } from './kit.js';
import type { GuideEvent } from '../guide.types.js';

export const providerOf = (event: GuideEvent): string => choiceOf(event).slice(PROVIDER_CHOICE.length);

export const recommendationGuards = {
  isRankedProvider: ({ context, event }: GuideArgs) =>
    choiceOf(event).startsWith(PROVIDER_CHOICE) && context.ranked.includes(providerOf(event)),
  isExcludedProvider: ({ context, event }: GuideArgs) =>
    choiceOf(event).startsWith(PROVIDER_CHOICE) && context.excluded.includes(providerOf(event)),
  isMore: ({ context, event }: GuideArgs) => choiceOf(event) === 'more' && (context.page + 1) * PAGE_SIZE < context.ranked.length,
  isFirstPageAgain: ({ context, event }: GuideArgs) =>
    choiceOf(event) === 'more' && context.ranked.length > PAGE_SIZE && (context.page + 1) * PAGE_SIZE >= context.ranked.length,
  isWhyNot: ({ context, event }: GuideArgs) => choiceOf(event) === 'whyNot' && context.excluded.length > 0,
};

export function recommendationActions(catalog: Catalog) {
  return {
    rank: set(({ context }) => {
      const result = rankProviders(catalog, context.answers, context.amounts ?? {});
      return {
        ranked: result.ranked.map((r) => r.providerId),
        excluded: result.excluded.map((e) => e.providerId),
        page: 0,
      };
    }),
    nextPage: set({ page: ({ context }) => context.page + 1 }),
    firstPage: set({ page: 0 }),
    emitWhyLeftOut: say(({ event }) => ({ type: 'whyLeftOut' as const, providerId: providerOf(event) })),
    /** The host chosen; its plan is built once what the plan needs is known (see plan.logic.ts, buildPlan). */
    choose: set(({ event }) => ({ chosen: providerOf(event), plan: { steps: [], status: {}, cursor: 0 } })),
    /** Back from the plan's questions to the list: the host is no longer chosen (a plan set aside stays aside). */
    unchoose: set({ chosen: null, gap: undefined }),
    emitProviderChosen: say(({ context }) => ({ type: 'providerChosen' as const, providerId: context.chosen! })),
  };
}
