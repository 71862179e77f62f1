/**
 * Everything demailbot stores about one person, gathered from every table that holds something about them —
 * what `/mesdonnees` (`/mydata`) shows and sends as a JSON document. When a table gains a column about people,
 * it belongs here too (and in the README's data inventory, which a test checks against the schema).
 */
import type { Amounts } from '../flows/questions.js';
import type { SituationAnswers } from '../flows/guide.types.js';
import type { GuideContext } from '../flows/guide.types.js';
import type { Repositories } from '../store/repositories.js';
import type { TicketCard } from '../flows/ticket.types.js';

export interface PersonalData {
  conversation: {
    platform: string;
    chatId: string;
    createdAt: string | null;
    lastActivityAt: string | null;
    /** When it will be erased if nothing happens before. */
    erasedAfter: string | null;
  };
  language: string;
  answers: Record<string, string>;
  /** The values typed with answers ("30 Go", "2 € par mois", "12 boîtes"). */
  amounts: Amounts;
  /** What the plan asked: the mailboxes' labels, an ISP subscription's end. */
  situation: SituationAnswers;
  chosenProvider: string | null;
  plan: { steps: string[]; status: Record<string, string> };
  checklist: { status: Record<string, string>; ownAccounts: string[] };
  newAddress: string | null;
  /** The département given to meet someone in person (a number, nothing finer), only when given. */
  departement?: string;
  reminders: { on: boolean; timeZone: string; answers: Record<string, string>; scheduled: Array<{ kind: string; at: string }> };
  technical: { recentMessageIds: string[]; promptNumber: number };
  /**
   * Files sent for a volunteer, waiting for the person's yes: what they are, never the file (it stays on the
   * platform). Only while there are some, so that the document reads as before for everyone else.
   */
  filesAwaitingYes?: Array<{ kind: string; name: string | null }>;
  /** Requests for a volunteer: the card they agreed to show, where each stands, what of theirs the desk holds. */
  tickets: TicketData[];
}

/** One request for a volunteer, as /mydata shows it (gathered by the desk: see desk/desk.ts). */
export interface TicketData {
  number: number;
  status: string;
  card: TicketCard;
  /** The volunteer as the person saw them: the name they sign with, or null for "a volunteer" (never their account name). */
  volunteer: string | null;
  createdAt: string;
  closedAt: string | null;
  /** Why it was closed, and the note the volunteer left about it (masked like the person's words). */
  closeReason: string | null;
  closeNote: string | null;
  /** Messages between them and the volunteer not yet delivered (kept until they are). */
  messagesWaiting: number;
  /** Their texts, as they will be delivered. */
  waiting: string[];
  /** Desk messages that carry their words (ids; deleted from the desk at /forget where the platform allows). */
  messagesOnDesk: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function collectPersonalData(
  repos: Repositories,
  key: string,
  context: GuideContext,
  fallback: { platform: string; chatId: string; promptSeq: number; recentIds: string[] },
  retentionDays: number,
  tickets: TicketData[] = [],
): PersonalData {
  const row = repos.conversation(key);
  return {
    conversation: {
      platform: row?.platform ?? fallback.platform,
      chatId: row?.chat_id ?? fallback.chatId,
      createdAt: iso(row?.created_at),
      lastActivityAt: iso(row?.updated_at),
      erasedAfter: iso(row ? row.updated_at + retentionDays * 86_400_000 : undefined),
    },
    language: context.lang,
    answers: { ...context.answers } as Record<string, string>,
    chosenProvider: context.chosen,
    plan: { steps: [...context.plan.steps], status: { ...context.plan.status } as Record<string, string> },
    amounts: { ...(context.amounts ?? {}) },
    situation: { ...(context.situation ?? {}) },
    checklist: { status: { ...context.checklist.status }, ownAccounts: [...context.checklist.custom] },
    newAddress: context.newAddress,
    ...(context.departement ? { departement: context.departement } : {}),
    reminders: {
      on: context.reminders.on,
      timeZone: context.reminders.timeZone,
      answers: { ...context.reminders.answers },
      scheduled: repos.deadlinesOf(key).map((d) => ({ kind: d.kind, at: new Date(d.due_at).toISOString() })),
    },
    technical: { recentMessageIds: [...fallback.recentIds], promptNumber: fallback.promptSeq },
    ...(context.heldMedia?.length ? { filesAwaitingYes: context.heldMedia.map(({ media }) => ({ kind: media.kind, name: media.filename ?? null })) } : {}),
    tickets,
  };
}
