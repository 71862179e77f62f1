/**
 * What the volunteers read about a ticket, in the desk's language: its thread's title, its card, the notices
 * posted in its thread. The facts of the card are those the person agreed to show (./card-text.ts).
 */
import type { Catalog } from '../catalog/types.js';
import type { TicketContext, TicketIntent } from '../flows/ticket.types.js';
import type { DeskPost } from '../desk/port.js';
import type { TicketRow } from '../store/tickets.js';
import { cardLines, providerNameOf, stepTitle } from './card-text.js';
import type { Lang, Translate } from './i18n.js';
import { escapeMarkup, plainText } from './markup.js';
import { waitText } from './render.js';

export type TicketFacts = Pick<TicketRow, 'id' | 'status' | 'queued_at' | 'created_at'>;

export function createDeskTexts(t: Translate, catalog: Catalog, lang: Lang, timeZone: string) {
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone });

  /** "#12 · Gmail → Posteo · étape 3 · en attente": what a forum topic is named (and a Matrix card's first line). */
  function title(ticket: TicketFacts, context: TicketContext): string {
    const card = context.card;
    const old = card.oldProvider ? t(`guide:questions.oldProvider.choices.${card.oldProvider}`) : '?';
    const chosen = providerNameOf(catalog, card.chosen) ?? '?';
    const parts = [`#${ticket.id}`, `${old} → ${escapeMarkup(chosen)}`];
    if (card.step) parts.push(t('desk:titleStep', { number: card.step.number }));
    parts.push(t(`desk:status.${ticket.status}`, { name: context.holder?.name ?? '' }));
    // Plain text (ports show it as a topic name, or escape it once into the card): t() escaped its values.
    return plainText(parts.join(' · '));
  }

  /** The card at the top of the thread: the facts, where the ticket stands, the commands, the claim button. */
  function card(ticket: TicketFacts, context: TicketContext, usualWaitMinutes: number): DeskPost {
    const lines = [`**${escapeMarkup(title(ticket, context))}**`, ...cardLines(t, catalog, context.card, 'desk').map((l) => `• ${l}`)];
    const since = dateTime.format(new Date(ticket.queued_at ?? ticket.created_at));
    if (ticket.status === 'queued') lines.push('', t('desk:card.waiting', { since, wait: waitText(t, usualWaitMinutes) }));
    if (ticket.status === 'claimed') lines.push('', t('desk:card.claimed', { name: context.holder?.name ?? '' }));
    if (ticket.status === 'closed') lines.push('', t(`desk:card.closed.${context.closeReason ?? 'volunteer'}`, { note: context.closeNote ?? '' }));
    if (context.userUnreachable) lines.push(t('desk:card.unreachable'));
    if (context.rating) lines.push(ratingLine(context));
    if (ticket.status !== 'closed') lines.push('', t('desk:card.commands'));
    return {
      text: lines.join('\n'),
      ...(ticket.status === 'queued' ? { buttons: [{ id: 'claim', label: t('desk:card.claimButton') }] } : {}),
    };
  }

  function notice(intent: Extract<TicketIntent, { type: 'deskNotice' }>, context: TicketContext): string {
    // The rating line is markup already (its word escaped once): put beside the notice, not inside it.
    if (intent.notice === 'rated' && context.rating) return `${t('desk:notices.rated')} ${ratingLine(context)}`;
    return t(`desk:notices.${intent.notice}`, {
      name: intent.volunteer?.name ?? '',
      step: intent.step ? stepTitle(t, catalog, context.card, intent.step) : '',
      note: context.closeNote ?? '',
    });
  }

  /** "Note de la personne : ça a aidé — « merci ! »" (the word was masked before it reached the ticket). */
  function ratingLine(context: TicketContext): string {
    const rating = context.rating!;
    return rating.word
      ? t('desk:rating.withWord', { value: t(`desk:rating.values.${rating.value}`), word: rating.word })
      : t('desk:rating.alone', { value: t(`desk:rating.values.${rating.value}`) });
  }

  return { title, card, notice };
}

export type DeskTexts = ReturnType<typeof createDeskTexts>;
