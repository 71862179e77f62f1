/**
 * The card a volunteer sees, made from the guide's context — and shown to the person, as it is, before they
 * agree. Only these facts: no chat id, no free text they typed (checklist items, new address), no reminders.
 */
import type { GuideContext } from './guide.types.js';
import type { TicketCard } from './ticket.types.js';

export function cardOf(context: GuideContext, platform: string, name: string | null = null): TicketCard {
  const { plan } = context;
  const stepId = context.chosen ? plan.steps[plan.cursor] : undefined;
  return {
    oldProvider: context.answers.oldProvider ?? null,
    answers: { ...context.answers },
    ...(context.amounts && Object.keys(context.amounts).length > 0 ? { amounts: { ...context.amounts } } : {}),
    chosen: context.chosen,
    step: stepId ? { id: stepId, number: plan.cursor + 1, total: plan.steps.length } : null,
    lang: context.lang,
    platform,
    name,
    ...(context.departement ? { departement: context.departement } : {}),
  };
}
