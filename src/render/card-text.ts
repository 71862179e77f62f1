/**
 * A ticket's card in words: for the person (in their language, before they consent) and for the volunteers
 * (in the desk's language, pinned at the top of the ticket's thread). The same facts both ways, on purpose.
 */
import type { Catalog } from '../catalog/types.js';
import { parseItemKey } from '../flows/plan.js';
import { amountsFor, describeAnswer } from './answer-text.js';
import { QUESTION_ORDER } from '../flows/questions.js';
import type { TicketCard } from '../flows/ticket.types.js';
import type { Translate } from './i18n.js';
import { departementLabel } from './departement-text.js';

export function providerNameOf(catalog: Catalog, id: string | null): string | null {
  if (!id) return null;
  return catalog.provider(id)?.name ?? catalog.oldProvider(id)?.name ?? id;
}

/** A plan item's title: its step's, and for one mailbox of several, which one ("importMail#1": mailbox 2). */
export function stepTitle(t: Translate, catalog: Catalog, card: Pick<TicketCard, 'chosen' | 'oldProvider'>, step: string): string {
  const item = parseItemKey(step);
  const title = t(`plan:steps.${item?.step ?? step}.title`, {
    provider: providerNameOf(catalog, card.chosen) ?? '',
    old: providerNameOf(catalog, card.oldProvider) ?? '',
  });
  return item?.mailbox === undefined ? title : t('guide:plan.itemTitle', { title, mailbox: String(item.mailbox + 1) });
}

/** One fact per line, in `t`'s language; `audience`: told to the person ("your answers") or to the volunteers. */
export function cardLines(t: Translate, catalog: Catalog, card: TicketCard, audience: 'person' | 'desk' = 'person'): string[] {
  const answers = QUESTION_ORDER.filter((q) => q !== 'oldProvider' && card.answers[q] !== undefined).map((q) =>
    t('handoff:card.answer', {
      question: t(`guide:questions.${q}.short`),
      answer: describeAnswer(t, card.lang, q, card.answers[q]!, amountsFor(q, card.amounts)),
    }),
  );
  const old = card.oldProvider ? t(`guide:questions.oldProvider.choices.${card.oldProvider}`) : t('handoff:card.unknown');
  return [
    t('handoff:card.oldProvider', { old }),
    t(audience === 'desk' ? 'desk:cardAnswers' : 'handoff:card.answers', { answers: answers.length ? answers.join(' · ') : t('handoff:card.none') }),
    t('handoff:card.chosen', { provider: providerNameOf(catalog, card.chosen) ?? t('handoff:card.notYet') }),
    card.step
      ? t('handoff:card.step', { number: card.step.number, total: card.step.total, title: stepTitle(t, catalog, card, card.step.id) })
      : t('handoff:card.noStep'),
    t('handoff:card.language', { language: t(`common:languages.${card.lang}`) }),
    ...(card.departement ? [t('handoff:card.departement', { departement: departementLabel(card.departement) })] : []),
    t('handoff:card.platform', { platform: t(`handoff:platforms.${card.platform}`, { defaultValue: card.platform }) }),
    card.name ? t('handoff:card.name', { name: card.name }) : t('handoff:card.noName'),
  ];
}
