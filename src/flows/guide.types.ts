/**
 * The guide conversation's vocabulary: its context (what we remember), the events it understands, the intents it
 * emits and the prompt it is waiting on. Platform-free and sentence-free: texts are chosen by the renderer.
 */
import type { Amounts, Answers, QuestionId } from './questions.js';
import type { SituationGap } from './plan.js';
import type { HostChange } from './plan-change.js';
import type { ChecklistState, ChecklistStatus, RemindersState } from './followup.js';
import type { TicketRatingValue, UserNews } from './ticket-news.js';
import type { MediaRef, MediaRefusal } from '../engine/media.js';

export type Lang = 'fr' | 'en';

/** Bump when the machine's states or context change shape; old snapshots are then salvaged, not restored. */
export const GUIDE_MACHINE_VERSION = 3;

export type StepStatus = 'done' | 'skipped' | 'later';

/**
 * One item of the plan the person walks: a step id ("importMail"), or a step for one mailbox of several
 * ("importMail#1"); see planItems in ./plan.ts. A one-mailbox plan's keys are its step ids.
 */
export type PlanItemKey = string;

/** What the plan needs beyond the matching answers, asked only when it matters (see situationGaps in ./plan.ts). */
export interface SituationAnswers {
  /** The labels chosen for the mailboxes ("Papa", "trésorerie"): never an address. */
  mailboxes?: string[];
  /** An ISP mailbox: is the subscription being cancelled, and when (YYYY-MM-DD); `dateUnknown`: not known yet. */
  isp?: { cancelling: boolean; cancelDate?: string; dateUnknown?: boolean };
}

export interface GuideContext {
  lang: Lang;
  answers: Answers;
  /** The question being asked (meaningful in `asking`). */
  question: QuestionId;
  /** Questions answered, in the order they were asked — `back` walks this. */
  asked: QuestionId[];
  /** Changing one answer from the recommendation: go back there after it, not through every question. */
  editing: boolean;
  /** Provider ids, best first, and those left out (recomputed whenever answers change). */
  ranked: string[];
  excluded: string[];
  /** Which page of three recommendations is shown. */
  page: number;
  chosen: string | null;
  plan: { steps: PlanItemKey[]; status: Partial<Record<PlanItemKey, StepStatus>>; cursor: number };
  /** The answers the plan needed (mailbox labels, an ISP subscription's end); optional for older snapshots. */
  situation?: SituationAnswers;
  /** The plan question being asked (meaningful in `situating`). */
  gap?: SituationGap;
  /**
   * Another host is being chosen mid-plan: the host left behind and the progress made, to carry over what still
   * holds (its plan is rebuilt from the situation: its items need not be kept).
   */
  hostChange?: { from: string; status: Partial<Record<PlanItemKey, StepStatus>> };
  /** Answers in a row that we could not understand: after a few, offer more help. */
  misunderstood: number;
  checklist: ChecklistState;
  /** The new address, only if the person chose to type it, to fill the ready-to-copy texts. */
  newAddress: string | null;
  reminders: RemindersState;
  /** The check-in being asked, while it is. */
  checkin: { day: number; last: boolean } | null;
  /**
   * The département number the person gave to meet someone in person ("35", "2A"), nothing finer; null or missing
   * (older snapshots) when not given. Routes their ticket to the desk there and offers the events near them.
   */
  departement?: string | null;
  /** A postcode's département offered back for confirmation ("35000": did you mean 35?), while it is asked. */
  departementGuess?: string | null;
  /** Milestones already counted for the association's statistics (each once per journey). */
  counted: Metric[];
  /**
   * Where the person stands with the volunteers (mirrors their ticket, told by the desk through TICKET events).
   * Optional so that snapshots saved before the desk existed restore as they are.
   */
  handoff?: Handoff;
  /** They asked for help or seem stuck: their prompts offer a volunteer too. */
  offerHuman?: boolean;
  /** The values typed with answers ("30 Go", "2 €", "12"); optional so that older snapshots restore as they are. */
  amounts?: Amounts;
  /** While an answer could be read two ways: the readings offered as buttons (see the `clarify` prompt). */
  clarify?: Reading[];
  /**
   * "Did this help?" was answered with one tap and the optional word is being asked (meaningful in `rateWord`):
   * the tap waits here until the word comes, is skipped, or the person goes on, and then goes to the ticket. Never
   * the word itself (it goes to the desk core in the same turn, to be masked there). Optional for older snapshots.
   */
  rating?: TicketRatingValue | null;
  /**
   * The person's files waiting for their yes before the first goes to the volunteer (meaningful in `mediaConsent`):
   * platform ids only, never the file. Optional for older snapshots.
   */
  heldMedia?: HeldMedia[];
}

/** A file the person sent, as the platform holds it, and the words sent with it. */
export interface HeldMedia {
  media: MediaRef;
  caption?: string;
}

/** One way of reading an answer: a choice of the current question, with the value typed if any. */
export interface Reading {
  choice: string;
  amounts?: Amounts;
}

export interface Handoff {
  status: 'none' | 'asked' | 'queued' | 'claimed' | 'closed';
  /** The holder's chosen first name, or null for "a volunteer". */
  volunteer: string | null;
  /** The person was told once what a screenshot can show and said yes: this ticket's next files go straight. */
  mediaOk?: boolean;
}

export const NO_HANDOFF: Handoff = { status: 'none', volunteer: null };

/** Steps of the anonymous funnel (see stats/counters.ts, where they are stored as daily counts). */
export type Metric = 'started' | 'answered' | 'recommended' | 'chose' | 'finishedPlan' | 'remindersOn' | 'switched';

/** What the machine can be told. Adapters never build these: the engine's interpreter does. */
export type GuideEvent =
  | { type: 'START'; preset?: Answers; lang?: Lang }
  /** A choice of the prompt; at a question, `amounts` carries the value typed with it ("30 Go" → over20, 30). */
  | { type: 'CHOOSE'; choice: string; amounts?: Amounts }
  /** The same words could mean two things ("4": four mailboxes, or choice 4?): ask, with each reading a button. */
  | { type: 'AMBIGUOUS'; readings: Reading[] }
  /** `vague`: an answer that needs a figure to be useful ("pas cher"): ask what it means. */
  | { type: 'UNCLEAR'; reason: 'empty' | 'tooLong' | 'noMatch' | 'vague' | 'notADate' }
  | { type: 'UNSUPPORTED'; what: string }
  /**
   * A photo, a screenshot, a document, a voice message (src/engine/media.ts): for the volunteer holding the ticket;
   * `refusal` when it cannot be relayed (too big, a kind of file a volunteer should not open); `deskAvailable`
   * says whether a volunteer could look at it, for when none holds a ticket.
   */
  | { type: 'MEDIA'; media: MediaRef; caption?: string; refusal?: MediaRefusal; deskAvailable: boolean }
  | { type: 'UNKNOWN_COMMAND' }
  /** Words typed at "did this help?" that are no rating: the question is left, they are read where the person was. */
  | { type: 'LEAVE_RATING' }
  /** A button of an earlier prompt was pressed: never act on it as if it were current. */
  | { type: 'STALE' }
  | { type: 'HELP' }
  | { type: 'BACK' }
  | { type: 'RESTART' }
  /** Erase everything about me (asks for confirmation first). */
  | { type: 'FORGET' }
  | { type: 'WHERE' }
  | { type: 'SET_LANG'; lang?: Lang }
  /** Open the address-change checklist. */
  | { type: 'CHECKLIST' }
  /** Show me everything you store about me. */
  | { type: 'MYDATA' }
  /** Turn reminders off if on; offer them if off. */
  | { type: 'REMINDERS' }
  /** Free text where the prompt asks for some (a checklist item, the new address, a time zone). */
  | { type: 'TEXT'; text: string }
  /** A check-in is due (fired by the scheduler from a deadline stored in SQLite). */
  | { type: 'CHECKIN'; day: number; last: boolean }
  /**
   * Talk to a volunteer (/human, "humain", the choice). The engine adds what only it knows: whether a desk is
   * configured, and whether the person's last ticket was closed recently enough to be reopened as it is.
   */
  | { type: 'HUMAN'; available?: boolean; reopenable?: boolean }
  /**
   * News of the person's ticket, from the desk: claimed, released, closed, handed back, "still there?". `rate`: the
   * desk core found this close worth asking "did this help?" about (a volunteer helped, not asked yet: mayAskRating).
   */
  | { type: 'TICKET'; news: UserNews; volunteer?: string | null; step?: PlanItemKey; rate?: boolean }
  /**
   * Raised by the machine itself (never by the interpreter) once it is back where the person was after a close:
   * ask "did this help?" from there, so that the rating returns to that very place (a handed-back step included).
   */
  | { type: 'ASK_RATING' }
  /** A dated reminder of the plan is due (an ISP mailbox's six months of access end soon), from SQLite. */
  | { type: 'PLAN_REMINDER'; reminder: 'ispAccess' };

/**
 * What the machine says, besides the prompt it ends each turn on. The renderer turns each into sentences.
 * Intents carry ids and numbers, never sentences.
 */
export type GuideIntent =
  | { type: 'welcomeBack' }
  | { type: 'updated' }
  | {
      type: 'notUnderstood';
      reason: 'empty' | 'tooLong' | 'noMatch' | 'vague' | 'unknownCommand' | 'notAnAddress' | 'notATimeZone' | 'notADate' | 'noLabels';
      /** At a question: which one (the renderer says what kind of answer it expects). */
      question?: QuestionId;
      times: number;
    }
  | { type: 'unsupported'; what: string }
  | { type: 'help' }
  | { type: 'progress' }
  | { type: 'languageChanged' }
  | { type: 'nothingBefore' }
  | { type: 'answerChanged'; question: QuestionId }
  /** Every answer is echoed ("Compris : environ 30 Go."), so that a misreading can be seen and changed. */
  | { type: 'understood'; question: QuestionId; choice: string; amounts?: Amounts }
  | { type: 'providerChosen'; providerId: string }
  | { type: 'whyLeftOut'; providerId: string }
  | { type: 'stepHelp'; step: PlanItemKey }
  | { type: 'stepNoted'; step: PlanItemKey; status: StepStatus }
  /** A plan answer said back ("4 boîtes : Papa, Maman…", "résiliation le 15 mars"). */
  | { type: 'situationNoted'; gap: SituationGap }
  /** Another host chosen mid-plan: how many steps carried over, and which must be done again, and why. */
  | { type: 'hostChanged'; from: string; kept: number; redo: HostChange['redo'] }
  /** For the engine: remind the person on this day (YYYY-MM-DD) that the ISP mailbox's access ends. */
  | { type: 'scheduleIspReminder'; on: string }
  | { type: 'cancelIspReminder' }
  /** The reminder itself, when it comes. */
  | { type: 'ispAccessEnding' }
  | { type: 'stale' }
  | { type: 'checklistNoted'; status: ChecklistStatus }
  | { type: 'checklistAdded' }
  /** A way of finding accounts (a search, a sign-in list) added to the checklist in one tap. */
  | { type: 'findingAdded'; way: string }
  | { type: 'template'; name: 'tellContacts' | 'autoReply' | 'signature' }
  | { type: 'addressNoted' }
  | { type: 'addressForgotten' }
  | { type: 'timeZoneSet' }
  /** For the engine: schedule the check-ins / cancel them (and for the renderer: say so). */
  | { type: 'remindersOn' }
  | { type: 'remindersOff' }
  | { type: 'checkinAnswered'; day: number; last: boolean; answer: string }
  /* --- the département, to meet someone in person (see ./guide/departement.states.ts) --- */
  /** Noted ("Noté : Ille-et-Vilaine (35)"); `forVolunteer`: asked from the consent question, which comes back. */
  | { type: 'departementNoted'; departement: string; forVolunteer: boolean }
  | { type: 'departementForgotten' }
  /** The words gave no département: asked again, kindly, with how to find the number. */
  | { type: 'departementNotUnderstood' }
  /** For the engine only: count this step of the funnel (never rendered). */
  | { type: 'milestone'; metric: Metric; detail?: string }
  /** Confirmed: the engine erases the conversation instead of saving it. */
  | { type: 'forgetMe' }
  /** The engine gathers everything stored about the person; the renderer shows it, with a JSON document. */
  | { type: 'myData' }
  | { type: 'restarted' }
  /* --- the volunteers' desk --- */
  /** The consent question is being shown: the engine freezes the card a volunteer would see (ticket "asked"). */
  | { type: 'askVolunteer' }
  | { type: 'consentGiven'; shareName: boolean }
  | { type: 'consentDeclined' }
  /** A message for the volunteer holding the ticket (nothing is said back: the bot stays quiet). */
  | { type: 'relayToVolunteer'; text: string }
  /** A file for the volunteer holding the ticket, with its words (nothing is said back but the first time). */
  | { type: 'relayMediaToVolunteer'; media: MediaRef; caption?: string }
  /** Files were sent to the volunteer after the person's yes (said once: later ones go in silence). */
  | { type: 'mediaSent'; count: number }
  /** The person chose not to send the file(s) waiting. */
  | { type: 'mediaCancelled' }
  /** A file that cannot go to the volunteer: too big, or a kind a volunteer should not open. */
  | { type: 'mediaRefused'; reason: MediaRefusal; what: string }
  /** A file with no volunteer holding a ticket: what the guide says of it (and whether one could see it later). */
  | { type: 'mediaWithoutVolunteer'; what: string; queued: boolean }
  /** /bot: back to the guide (closes the ticket); /close: end the conversation with the volunteer. */
  | { type: 'leaveVolunteer' }
  | { type: 'closeTicket' }
  | { type: 'reopenTicket' }
  | { type: 'alreadyQueued' }
  | { type: 'noVolunteers' }
  /** While with a volunteer: what works here (/bot, /close), for anything the bot would otherwise answer. */
  | { type: 'volunteerHint' }
  | { type: 'unsupportedForVolunteer'; what: string }
  /** Too long to pass on in one message: split it. */
  | { type: 'relayTooLong' }
  | { type: 'handoffNews'; news: UserNews; volunteer: string | null; step?: PlanItemKey }
  /** Added by the engine (not the machine): the ticket is in the queue, at this place, with the usual wait. */
  /** `note`: said after, already in words (the desk's hours and next opening, events), when the desk is closed. */
  | { type: 'ticketQueued'; ticket: number; position: number; waitMinutes: number; reopened: boolean; note?: string }
  /** Added by the engine: secrets were masked in what went to the volunteer. */
  | { type: 'secretMasked' }
  /**
   * The person's answer to "did this help?" (with their word if they gave one, unmasked: the desk core masks it
   * before the ticket or the desk sees it), for the desk core to send the ticket as RATE; rendered as thanks.
   */
  | { type: 'rateTicket'; rating: TicketRatingValue; word: string | null }
  /** Added by the desk core: an e-mail address was left out of the rating's word (the team needs none there). */
  | { type: 'ratingAddressLeftOut' };

export type PromptKind =
  | 'welcome'
  | 'question'
  | 'clarify'
  | 'recommendations'
  | 'whyNot'
  | 'changeAnswer'
  | 'mailboxLabels'
  | 'ispCancelling'
  | 'ispCancelDate'
  | 'confirmHostChange'
  | 'planStep'
  | 'planEnd'
  | 'confirmRestart'
  | 'confirmForget'
  | 'checklistItem'
  | 'checklistEnd'
  | 'checklistAdd'
  | 'templates'
  | 'typingAddress'
  | 'remindersOffer'
  | 'timeZone'
  | 'typingTimeZone'
  | 'checkin'
  | 'departement'
  | 'departementConfirm'
  | 'handoffConsent'
  | 'withVolunteer'
  | 'mediaConsent'
  | 'rateHelp'
  | 'rateWord';

/** The question the conversation is waiting on, as ids: the renderer gives it words, the interpreter reads answers. */
export type Prompt =
  | { kind: 'welcome'; choices: string[] }
  | { kind: 'question'; question: QuestionId; number: number; total: number; choices: string[] }
  /** Choices are `reading:<index>` (into `readings`), then "back"; a fresh answer to `question` is taken too. */
  | { kind: 'clarify'; question: QuestionId; readings: Reading[]; choices: string[] }
  | { kind: 'recommendations'; providers: string[]; page: number; choices: string[] }
  | { kind: 'whyNot'; choices: string[] }
  | { kind: 'changeAnswer'; choices: string[] }
  /** How to call each mailbox ("Papa, Maman, Léa"); `count` when the person gave an exact number. */
  | { kind: 'mailboxLabels'; count: number | null; choices: string[] }
  | { kind: 'ispCancelling'; choices: string[] }
  | { kind: 'ispCancelDate'; choices: string[] }
  | { kind: 'confirmHostChange'; choices: string[] }
  | { kind: 'planStep'; step: PlanItemKey; number: number; total: number; choices: string[] }
  | { kind: 'planEnd'; later: PlanItemKey[]; choices: string[] }
  | { kind: 'confirmRestart'; choices: string[] }
  | { kind: 'confirmForget'; choices: string[] }
  | { kind: 'checklistItem'; item: string; number: number; total: number; choices: string[] }
  | { kind: 'checklistEnd'; choices: string[] }
  | { kind: 'checklistAdd'; choices: string[] }
  | { kind: 'templates'; choices: string[] }
  | { kind: 'typingAddress'; choices: string[] }
  | { kind: 'remindersOffer'; choices: string[] }
  | { kind: 'timeZone'; choices: string[] }
  | { kind: 'typingTimeZone'; choices: string[] }
  | { kind: 'checkin'; day: number; last: boolean; choices: string[] }
  /** "Your département number (e.g. 35)?"; `known`: the one already given (it can be changed or forgotten). */
  | { kind: 'departement'; known: string | null; forVolunteer: boolean; choices: string[] }
  /** A postcode was typed: "did you mean 35?" (yes / no). */
  | { kind: 'departementConfirm'; departement: string; choices: string[] }
  | { kind: 'handoffConsent'; choices: string[] }
  | { kind: 'withVolunteer'; volunteer: string | null; choices: string[] }
  /** Before a ticket's first file goes to the volunteer: what a screenshot can show; send or cancel (`count` waiting). */
  | { kind: 'mediaConsent'; volunteer: string | null; count: number; choices: string[] }
  /** "Did this help?" after a close where a volunteer helped: helped / partly / not, one tap (see TICKET_RATINGS). */
  | { kind: 'rateHelp'; choices: string[] }
  /** Then "a word for the team?": typed, or skipped. */
  | { kind: 'rateWord'; choices: string[] };

/** Prompts that take free text (anything that is not a choice or a command is passed on as TEXT). */
export const FREE_TEXT_PROMPTS: ReadonlySet<PromptKind> = new Set(['checklistAdd', 'typingAddress', 'typingTimeZone', 'mailboxLabels', 'ispCancelDate', 'checkin', 'rateWord']);

/**
 * While a volunteer holds the ticket, everything typed is for them: no choice matching (a word like "terminer"
 * written to the volunteer must not close anything), only slash commands and buttons act on the bot.
 */
export const RELAY_PROMPTS: ReadonlySet<PromptKind> = new Set(['withVolunteer']);
