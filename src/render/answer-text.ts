/**
 * An answer in words, as the person would say it back: "environ 30 Go", "au plus 2 € par mois et par boîte",
 * "12 boîtes", or the label of the button chosen. Used wherever an answer is shown — the echo after each answer
 * ("Compris : environ 30 Go."), the two readings of an ambiguous answer, the recommendation's summary of what was
 * understood, "change an answer" and /mesdonnees — so that the same answer always reads the same.
 */
import type { Amounts, QuestionId } from '../flows/questions.js';
import type { Lang, Translate } from './i18n.js';

/** 1.5 → "1,5" in French, "1.5" in English; at most two decimals. */
export function formatNumber(lang: Lang, value: number): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

export function describeAnswer(t: Translate, lang: Lang, question: QuestionId, choice: string, amounts: Amounts = {}): string {
  switch (question) {
    case 'storage':
      if (amounts.storageGb !== undefined) {
        const gb = amounts.storageGb;
        return gb < 1
          ? t('guide:understood.storageMb', { mb: formatNumber(lang, Math.round(gb * 1000)) })
          : t('guide:understood.storageGb', { gb: formatNumber(lang, gb) });
      }
      break;
    case 'budget': {
      const budget = amounts.budget;
      if (budget !== undefined) {
        if (budget.eurPerMonth === 0) break; // "gratuit": the button's own words
        const key = `guide:understood.budget${budget.exclusive ? 'Under' : 'AtMost'}${budget.perMailbox ? 'PerMailbox' : ''}`;
        return t(key, { eur: formatNumber(lang, budget.eurPerMonth) });
      }
      break;
    }
    case 'mailboxes':
      if (amounts.mailboxes !== undefined) return t('guide:understood.mailboxes', { count: amounts.mailboxes });
      break;
    default:
      break;
  }
  return t(`guide:questions.${question}.choices.${choice}`);
}

/** Only the part of `amounts` that belongs to `question` (the rest describes other answers). */
export function amountsFor(question: QuestionId, amounts: Amounts = {}): Amounts {
  if (question === 'storage' && amounts.storageGb !== undefined) return { storageGb: amounts.storageGb };
  if (question === 'budget' && amounts.budget !== undefined) return { budget: amounts.budget };
  if (question === 'mailboxes' && amounts.mailboxes !== undefined) return { mailboxes: amounts.mailboxes };
  return {};
}
