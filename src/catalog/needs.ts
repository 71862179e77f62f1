/**
 * What the person needs, in domain units, read from their answers (buckets from buttons, values from typing).
 * This is what matching judges providers and offers against: "30 Go" and the button "Plus de 20 Go" both become a
 * storage need, the first one exact. Pure.
 *
 * A need left undefined is not judged at all ("je ne sais pas", "peu importe", or not asked): it never excludes.
 */
import type { Amounts, Answers } from '../flows/questions.js';

export type Location = 'france' | 'eu' | 'europe';

export interface Needs {
  forWhom?: 'me' | 'family' | 'association' | 'business';
  /** How many mailboxes, at least; `exact` when typed, otherwise the top of the bucket chosen. */
  mailboxes?: { count: number; exact: boolean };
  /** The space needed, GB; `orMore` for the open bucket "more than 20 GB" (needs more than `gb`). */
  storage?: { gb: number; exact: boolean; orMore: boolean };
  domain?: 'have' | 'want' | 'no';
  /**
   * The most they will pay per month, euros. `perMailbox`: the amount is for each mailbox (so a 3-mailbox offer at
   * 6 € fits a 2 €-per-mailbox budget); `exclusive`: the amount itself is too much. Undefined: any price.
   */
  budget?: { eurPerMonth: number; perMailbox: boolean; exclusive: boolean; exact: boolean };
  /** Calendar and contacts synchronised with the phone's own apps (CalDAV/CardDAV). */
  sync?: boolean;
  location?: Location;
  /** false: they do not want to join an association to get their mailbox. */
  membershipOk?: boolean;
  /** They want people to talk to (in French). */
  humanHelp?: boolean;
}

/** The top of each button's range, so that a bucket answer is never more generous than what was said. */
const MAILBOXES_OF_BUCKET = { one: 1, upTo5: 5, upTo20: 20, moreThan20: 20 } as const;
const STORAGE_OF_BUCKET = { under1: 1, under5: 5, under20: 20, over20: 20 } as const;
/** "Environ 1 €" lets in 1.50 €; "environ 5 €" lets in 6 € (the buttons' promise since the first version). */
const BUDGET_OF_BUCKET = { free: 0, about1: 1.5, about5: 6 } as const;

export function needsOf(answers: Answers, amounts: Amounts = {}): Needs {
  const needs: Needs = {};
  const who = answers.forWhom;
  if (who && who !== 'dontKnow') needs.forWhom = who;

  if (amounts.mailboxes !== undefined) needs.mailboxes = { count: amounts.mailboxes, exact: true };
  else if (who === 'me') needs.mailboxes = { count: 1, exact: false };
  else if (answers.mailboxes && answers.mailboxes !== 'dontKnow') {
    const count = MAILBOXES_OF_BUCKET[answers.mailboxes];
    needs.mailboxes = { count: answers.mailboxes === 'moreThan20' ? count + 1 : count, exact: false };
  }

  if (amounts.storageGb !== undefined) needs.storage = { gb: amounts.storageGb, exact: true, orMore: false };
  else if (answers.storage && answers.storage !== 'dontKnow') {
    needs.storage = { gb: STORAGE_OF_BUCKET[answers.storage], exact: false, orMore: answers.storage === 'over20' };
  }

  if (answers.domain && answers.domain !== 'dontKnow') needs.domain = answers.domain;

  if (amounts.budget !== undefined) needs.budget = { ...amounts.budget, exact: true };
  else if (answers.budget && answers.budget !== 'dontKnow' && answers.budget !== 'more') {
    needs.budget = { eurPerMonth: BUDGET_OF_BUCKET[answers.budget], perMailbox: false, exclusive: false, exact: false };
  }

  if (answers.groupware === 'yes') needs.sync = true;
  if (answers.location && answers.location !== 'dontKnow') needs.location = answers.location;
  if (answers.membership === 'no') needs.membershipOk = false;
  if (answers.humanHelp === 'yes') needs.humanHelp = true;
  return needs;
}
