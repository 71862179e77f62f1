/**
 * From the guide's answers to the move plan's Situation, and to whose checklist applies. Pure. The answers the
 * questionnaire does not ask (mailbox labels, the ISP cancellation and its date, the chosen offer's storage) come
 * from the machine's context, asked only when situationGaps (./plan.ts) says they are missing.
 */
import type { ChecklistAudience } from '../catalog/checklist.js';
import type { Situation } from './plan.js';
import type { Amounts, Answers } from './questions.js';

export interface SituationExtras {
  /** The labels the person chose for the mailboxes ("Papa", "trésorerie"), one per mailbox. */
  mailboxLabels?: string[];
  /** ISP mailbox: the subscription is being cancelled, and when (YYYY-MM-DD). */
  isp?: Situation['isp'];
  /** The chosen offer's storage per mailbox (GB; null = unlimited), from the catalogue's offer. */
  offerStorageGb?: number | null;
}

export function situationOf(answers: Answers, amounts: Amounts = {}, extras: SituationExtras = {}): Situation {
  const domain = answers.domain === 'have' || answers.domain === 'want' ? answers.domain : 'none';
  const labels = extras.mailboxLabels?.filter((label) => label.trim() !== '') ?? [];
  return {
    oldProviderId: answers.oldProvider ?? 'other',
    domain,
    mailboxes: labels.length > 0 ? labels : [''],
    ...(extras.isp ? { isp: extras.isp } : {}),
    // The space the person said they need is the best estimate of the mail to move that the bot has.
    ...(amounts.storageGb !== undefined || extras.offerStorageGb !== undefined
      ? {
          storage: {
            ...(amounts.storageGb !== undefined ? { toMoveGb: amounts.storageGb } : {}),
            ...(extras.offerStorageGb !== undefined ? { offerGb: extras.offerStorageGb } : {}),
          },
        }
      : {}),
    // "Calendar and contacts too" (groupware) is the need for them on the phone.
    sync: answers.groupware === 'yes',
  };
}

/** An association's own checklist (bank, HelloAsso, federation…) for associations; a person's otherwise. */
export function checklistAudience(answers: Answers): ChecklistAudience {
  return answers.forWhom === 'association' ? 'association' : 'person';
}
