/**
 * The engine: one straight line from an inbound message to a delivered reply.
 *
 *   receive(inbound) → [queued behind this conversation's previous turn]
 *     turn: one SQLite transaction — load the conversation → seen this message id? → interpret → machine step →
 *           act on the intents (deadlines, counts) → render → save the snapshot and the message id in the row
 *     deliver: send through the platform's Sender, then record that prompt as delivered (`delivered_seq`)
 *   fireDue(): due check-ins go through the same queue and the same kind of turn (scheduler.ts calls it)
 *   flushOutbox(): at start, a prompt committed but not known delivered is rebuilt from the state and sent
 *
 * Turns of one conversation never interleave (a per-conversation queue); different conversations run
 * independently. Live actors are kept in a bounded cache so a turn does not rebuild one from JSON each time;
 * the database stays the truth (this process is its only writer), and a miss restores from it.
 * A turn that throws is rolled back and its actor dropped from the cache: the user gets an apology, and what
 * they said before is untouched.
 */
import { createActor, type Actor } from 'xstate';
import type { Catalog } from '../catalog/types.js';
import { createGuideMachine, type GuideMachine } from '../flows/guide.machine.js';
import { GUIDE_MACHINE_VERSION, type GuideEvent, type GuideIntent } from '../flows/guide.types.js';
import type { GuideContext } from '../flows/guide.types.js';
import type { GuideStateView } from '../flows/prompt.js';
import { loadChecklistFile, type ChecklistCategory } from '../catalog/checklist.js';
import { createCounters, type Counters } from '../stats/counters.js';
import { isQuietTime, nextAllowedTime } from './quiet-hours.js';
import { collectPersonalData, type TicketData } from './personal-data.js';
import { createRenderer, type Renderer } from '../render/render.js';
import { DEFAULT_LANG, langFromHint, type Lang, type Texts } from '../render/i18n.js';
import { checkpointTruncate, type Db } from '../store/database.js';
import type { Log } from '../log.js';
import { ACTIVITY_STEP_MS, createRepositories, type DeadlineRow, type Repositories } from '../store/repositories.js';
import { DEFAULTS } from '../config/defaults.js';
import { nextEvents, type CampaignEvent } from '../catalog/events.js';
import { departementsByCode } from '../catalog/departements.js';
import { adapterStates, type AdapterState } from '../store/adapter-state.js';
import { LateWrites } from '../store/late-writes.js';
import { createInterpreter, type Interpreter } from './interpret.js';
import { KeyedQueue } from './keyed-queue.js';
import { salvageInput } from './salvage.js';
import { loadPlanData, type PlanData } from '../catalog/setup-schema.js';
import { PROVIDER_CHOICE } from '../flows/guide/context.js';
import { maskSecrets } from '../desk/secrets.js';
import { readIds, rememberId } from './recent-ids.js';
import { conversationKey, type ConversationRef, type Inbound, type OutMessage, type Sender } from './types.js';
import type { MediaRef } from './media.js';

type GuideActor = Actor<GuideMachine>;

interface Live {
  actor: GuideActor;
  promptSeq: number;
  /** Platform ids of the last inbound messages, newest last: a redelivered one is ignored. */
  recentIds: string[];
  /** Whether the conversation has a row yet (insert or update). */
  stored: boolean;
  /** Intents emitted during the current turn. */
  intents: GuideIntent[];
}

export { RECENT_IDS_KEPT } from './recent-ids.js';

export interface EngineOptions {
  db: Db;
  catalog: Catalog;
  texts: Texts;
  now?: () => number;
  /** How many live conversations to keep in memory (the rest are restored from SQLite when they speak). */
  cacheSize?: number;
  /** Conversations idle this long are erased (RETENTION_DAYS); the welcome's privacy notice says so. */
  retentionDays?: number;
  /** The address-change checklist's categories; data/checklist.json when not given. */
  checklist?: readonly ChecklistCategory[];
  /** Days after turning reminders on when check-ins come (REMINDER_DAYS). */
  reminderDays?: readonly number[];
  /** The campaign's workshops and webinars (data/events.json): the next ones that suit end the plan. */
  events?: readonly CampaignEvent[];
  /** The move plan's own data (hosts' set-up, registrars, ways of finding accounts); data/ when not given. */
  planData?: PlanData;
  log?: Log;
}

/** data/'s plan files, read once per process (engines are many in tests, and the files do not change). */
let planDataOfDataDir: PlanData | undefined;
function defaultPlanData(): PlanData {
  planDataOfDataDir ??= loadPlanData();
  return planDataOfDataDir;
}

const CHECKIN = 'checkin:';
/** Prompts whose typed words the guide keeps (masked first, see maskedForStore). */
const KEPT_TEXT_PROMPTS: ReadonlySet<string> = new Set(['checklistAdd', 'checkin', 'mailboxLabels']);
/** Dated reminders of the plan ("plan:ispAccess": the six months of access to an ISP mailbox end soon). */
const PLAN_REMINDER = 'plan:';
/** A plan reminder comes on its day at this hour (UTC), then waits for the person's quiet hours to end if need be. */
const PLAN_REMINDER_HOUR_UTC = 9;
const DAY_MS = 24 * 3600 * 1000;

/**
 * What the engine needs of the volunteers' desk (src/desk/desk.ts), which it calls inside a turn's transaction
 * for the intents that concern a ticket. Without a desk, asking for a volunteer is answered honestly.
 */
export interface EngineDesk {
  /** Whether a desk (Telegram group or Matrix room) is configured in this process. */
  available(): boolean;
  /** Whether some desk serves people by their département (the guide then offers to meet someone in person). */
  servesDepartements?(): boolean;
  /** Whether the person's last ticket was closed recently enough to be reopened as it is. */
  reopenable(key: string, now: number): boolean;
  /** Acts on a ticket intent of the guide; returns what to add to this turn's reply (queue place, masked secret). */
  onIntent(key: string, intent: GuideIntent, turn: DeskTurn): GuideIntent[];
  /** The person wrote (any turn of theirs while a request is under way): a ticket marked unreachable learns so. */
  personActive(key: string, now: number): void;
  /** What the desk holds about the person (their tickets), for /mydata. */
  personalData(key: string): TicketData[];
  /** The person is being forgotten: close their tickets on the desk and erase them (same transaction). */
  erase(key: string, now: number): void;
  /** After the transaction committed: deliver what the desk must still post or relay. */
  flush(): Promise<void>;
  /** Due ticket deadlines of one conversation (run in its queue): the desk fires them in its own transaction. */
  fireDeadlines(key: string, due: DeadlineRow[], now: number): Promise<void>;
  /** Retries what the desk could not deliver yet (a desk outage); the scheduler's every-minute round. */
  drainAll(now?: number): Promise<void>;
  /** Erases closed tickets past their retention, with the conversations' purge. */
  purge(now: number): number;
}

/** Deadlines whose kind starts with this belong to the desk ("ticket:12:unclaimed"). */
export const TICKET_DEADLINE = 'ticket:';

export interface DeskTurn {
  context: GuideContext;
  platform: string;
  displayName?: string;
  now: number;
}

/** Ticket intents: handled by the desk, never by `apply`. */
const DESK_INTENTS: ReadonlySet<GuideIntent['type']> = new Set([
  'askVolunteer',
  'consentGiven',
  'consentDeclined',
  'relayToVolunteer',
  'relayMediaToVolunteer',
  'leaveVolunteer',
  'closeTicket',
  'reopenTicket',
  'rateTicket',
]);
/** Intents that need no reply of ours: while a volunteer holds the ticket, a relayed message gets silence. */
const SILENT_INTENTS: ReadonlySet<GuideIntent['type']> = new Set(['relayToVolunteer', 'relayMediaToVolunteer', 'milestone']);

export interface TurnResult {
  key: string;
  /** Null when there is nothing to say (a message relayed to a volunteer). */
  message: OutMessage | null;
  /** False when nothing was saved (the person was just forgotten, or the turn failed). */
  persisted: boolean;
  /** The person was just forgotten: once the desk is told, the WAL is checkpointed and truncated. */
  erased?: boolean;
}

/** "telegram:1234" → { platform: "telegram", chatId: "1234" } (chat ids may contain ":" themselves). */
function refOf(key: string): ConversationRef {
  const separator = key.indexOf(':');
  return { platform: key.slice(0, separator), chatId: key.slice(separator + 1) };
}

function checkinDay(row: DeadlineRow): number {
  return Number(row.kind.slice(CHECKIN.length));
}

export class Engine {
  private readonly repos: Repositories;
  readonly renderer: Renderer;
  private readonly machine: GuideMachine;
  private readonly interpreter: Interpreter;
  private readonly live = new Map<string, Live>();
  private readonly queue = new KeyedQueue();
  private readonly senders = new Map<string, Sender>();
  private readonly now: () => number;
  private readonly cacheSize: number;
  readonly retentionDays: number;
  readonly reminderDays: readonly number[];
  private readonly counters: Counters;
  private readonly log: NonNullable<EngineOptions['log']>;
  private readonly turnTransaction: (inbound: Inbound) => TurnResult | null;
  private readonly checkinTransaction: (key: string, due: DeadlineRow[]) => TurnResult | null;
  private readonly planReminderTransaction: (key: string, due: DeadlineRow) => TurnResult | null;
  private desk?: EngineDesk;
  /** Handled marks of fetched updates, folded into the next commit (../store/late-writes.ts). */
  private readonly lateWrites: LateWrites;
  private readonly adapterStates: (namespace: string) => AdapterState;
  /** The display name of the inbound being handled (kept for the turn only). */
  private displayName: string | undefined;

  constructor(private readonly options: EngineOptions) {
    this.repos = createRepositories(options.db);
    this.counters = createCounters(options.db);
    // Every category: each conversation gets its audience's (an association's own accounts, or a person's).
    const checklist = options.checklist ?? loadChecklistFile();
    const planData = options.planData ?? defaultPlanData();
    this.machine = createGuideMachine(options.catalog, checklist, { setups: planData.setups, finding: planData.finding });
    this.retentionDays = options.retentionDays ?? DEFAULTS.retentionDays;
    this.reminderDays = [...(options.reminderDays ?? DEFAULTS.reminderDays)].sort((a, b) => a - b);
    this.renderer = createRenderer(options.texts, options.catalog, {
      retentionDays: this.retentionDays,
      reminderDays: this.reminderDays,
      checklist,
      deskAvailable: () => this.desk?.available() ?? false,
      // "Meet someone in person" only where it can lead somewhere: a desk by département, or an event in a place.
      inPerson: () => (this.desk?.servesDepartements?.() ?? false) || (options.events ?? []).some((event) => event.place !== undefined && event.start > this.now()),
      planData,
      ...(options.events?.length ? { eventsFor: (lang: Lang, departement?: string | null) => nextEvents(options.events!, { now: this.now(), lang, departement: departement ?? null }) } : {}),
    });
    // Read at start, so that a broken data/departements.json stops the bot with its problems named, not a turn.
    this.interpreter = createInterpreter(options.texts, { oldProviders: options.catalog.oldProviders, departements: [...departementsByCode().values()] });
    this.now = options.now ?? Date.now;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.log = options.log ?? (() => {});
    this.lateWrites = new LateWrites(options.db);
    this.adapterStates = adapterStates(options.db, this.lateWrites);
    this.turnTransaction = options.db.transaction((inbound: Inbound) => {
      this.lateWrites.writeHere();
      return this.step(inbound);
    });
    this.checkinTransaction = options.db.transaction((key: string, due: DeadlineRow[]) => this.checkinStep(key, due));
    this.planReminderTransaction = options.db.transaction((key: string, due: DeadlineRow) => this.planReminderStep(key, due));
  }

  /** A platform's durable state, by namespace (../store/adapter-state.ts): its "handled" marks ride this engine's commits. */
  adapterState(namespace: string): AdapterState {
    return this.adapterStates(namespace);
  }

  /** Whether a conversation is stored (or live) under this key: for a platform checking one of its own. */
  knows(key: string): boolean {
    return this.live.has(key) || Boolean(this.repos.conversation(key));
  }

  /** Attaches the volunteers' desk (the desk does, when built — always, and it says if no desk is configured). */
  attachDesk(desk: EngineDesk): void {
    this.desk = desk;
  }

  /*
   * What the desk asks of the engine (src/desk/host.ts, DeskHost): the members below, and attachDesk above. The
   * engine has them under the desk's names so that `host: engine` needs no adapter.
   */

  /** Runs `work` in a conversation's queue: never at the same time as a turn of that conversation. */
  runInQueue<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(key, work);
  }

  /**
   * A guide event that comes from the system rather than the person (a ticket's news), as a turn. Synchronous:
   * call it inside a transaction, in the conversation's queue (`runInQueue`), then `deliverTurn` after commit.
   * Null when the conversation no longer exists (erased): it is not brought back.
   */
  systemTurn(key: string, event: GuideEvent): TurnResult | null {
    if (!this.live.has(key) && !this.repos.conversation(key)) return null;
    const conversation = refOf(key);
    const live = this.load(key, conversation);
    live.actor.send(event);
    return this.finishTurn(key, conversation, live, false);
  }

  /** Delivers a result of `systemTurn` (after its transaction committed). */
  async deliverTurn(result: TurnResult): Promise<void> {
    if (result.message) await this.deliver(result.key, result.message, result.persisted);
  }

  /** The guide's state of a conversation (a copy to read), or undefined if it does not exist. */
  guideView(key: string): { value: unknown; context: GuideContext } | undefined {
    if (!this.live.has(key) && !this.repos.conversation(key)) return undefined;
    const snapshot = this.load(key, refOf(key)).actor.getSnapshot();
    return { value: snapshot.value, context: snapshot.context };
  }

  /**
   * Sends the person a message that is not a turn of the guide (a volunteer's words): no choices, the prompt
   * number unchanged so the buttons they have stay valid. Throws what the platform throws (RecipientGoneError).
   */
  async sendWords(key: string, text: string, media?: MediaRef): Promise<boolean> {
    const view = this.guideView(key);
    const sender = this.senders.get(refOf(key).platform);
    if (!view || !sender) return false;
    const live = this.live.get(key);
    await sender.send(refOf(key).chatId, { text, choices: [], promptSeq: live?.promptSeq ?? 0, lang: view.context.lang, ...(media ? { media } : {}) });
    return true;
  }

  /** Sets a durable deadline of a conversation (the desk's are TICKET_DEADLINE…), in the caller's transaction. */
  setDeadline(key: string, kind: string, at: number): void {
    this.repos.setDeadline(key, kind, at);
  }

  /** Cancels a deadline of a conversation, in the caller's transaction. */
  cancelDeadline(key: string, kind: string): void {
    this.repos.deleteDeadline(key, kind);
  }

  /**
   * Gives a conversation a new key (Matrix conversations, once keyed by their room, now by room and person):
   * its row, deadlines and tickets move; the cached actor is dropped so the next turn loads it under the new key.
   */
  rename(from: string, to: string): void {
    if (from === to || this.repos.conversation(to)) return;
    this.live.get(from)?.actor.stop();
    this.live.delete(from);
    const { chatId } = refOf(to);
    this.options.db.transaction(() => this.repos.rename(from, to, chatId))();
  }

  /** Registers how replies reach a platform's users. */
  register(platform: string, sender: Sender): void {
    this.senders.set(platform, sender);
  }

  /** Handles one inbound message: the turn, then delivery of its reply. Resolves when the reply was delivered. */
  receive(inbound: Inbound): Promise<OutMessage | null> {
    const key = conversationKey(inbound.conversation);
    return this.queue.run(key, async () => {
      const result = this.turn(inbound);
      if (!result) return null;
      try {
        if (result.message) await this.deliver(result.key, result.message, result.persisted);
        if (this.desk) await this.desk.flush();
      } finally {
        // Deleted rows stay in the WAL's older frames until a truncating checkpoint: the erasure is only done then.
        if (result.erased) this.checkpoint('forget');
      }
      return result.message;
    });
  }

  /** Waits for every turn in flight (for a graceful stop). */
  async idle(): Promise<void> {
    await this.queue.idle();
    this.lateWrites.flush();
  }

  /**
   * The synchronous part of a turn, in one transaction. Returns null for a redelivered message.
   * Exposed for the benchmark and tests; adapters call `receive`.
   */
  turn(inbound: Inbound): TurnResult | null {
    const key = conversationKey(inbound.conversation);
    try {
      this.displayName = inbound.displayName;
      const result = this.turnTransaction(inbound);
      this.lateWrites.committed();
      return result;
    } catch (error) {
      this.lateWrites.rolledBack();
      // The transaction rolled back; the cached actor may have moved on without it: forget it.
      const lang = this.cachedLang(key) ?? langFromHint(inbound.langHint) ?? DEFAULT_LANG;
      this.live.delete(key);
      this.log('turn_failed', { platform: inbound.conversation.platform, error: (error as Error).message }, 'error');
      return { key, persisted: false, message: this.apologyWithPrompt(key, inbound.conversation, lang) };
    } finally {
      this.displayName = undefined;
    }
  }

  /**
   * An apology that still leaves a way out: the question the person was at (from the last committed state),
   * with its choices. If even that cannot be shown, the apology alone.
   */
  private apologyWithPrompt(key: string, conversation: ConversationRef, lang: Lang): OutMessage {
    const apology = this.renderer.apology(lang);
    try {
      const live = this.load(key, conversation);
      const snapshot = live.actor.getSnapshot();
      live.intents.length = 0;
      const prompt = this.renderer.render([], snapshot);
      return { text: `${apology.text}\n\n${prompt.text}`, choices: prompt.choices, promptSeq: live.promptSeq, lang: snapshot.context.lang };
    } catch {
      this.live.delete(key);
      return { ...apology, promptSeq: -1, lang };
    }
  }

  /**
   * After a crash between a turn's commit and its delivery, that reply never reached the person. Its prompt is
   * rebuilt from the saved state and sent again (what the turn said besides the prompt is not kept: it was
   * shown once, or is lost with the crash — what the person told us is not).
   */
  async flushOutbox(): Promise<number> {
    this.lateWrites.flush();
    let failed = 0;
    for (const key of this.repos.undelivered()) {
      try {
        await this.queue.run(key, async () => {
          const live = this.load(key, refOf(key));
          const snapshot = live.actor.getSnapshot();
          const rendered = this.renderer.render([{ type: 'welcomeBack' }, ...live.intents.splice(0)], snapshot);
          await this.deliver(key, { ...rendered, promptSeq: live.promptSeq, lang: snapshot.context.lang }, true);
        });
      } catch (error) {
        // One person unreachable (blocked the bot, platform down for them) must not keep the others waiting.
        failed++;
        this.log('redelivery_failed', { platform: refOf(key).platform, error: (error as Error).message }, 'warn');
      }
    }
    this.lateWrites.flush();
    return failed;
  }

  private step(inbound: Inbound): TurnResult | null {
    const { conversation, messageId } = inbound;
    const key = conversationKey(conversation);
    const live = this.load(key, conversation, inbound.langHint);
    if (messageId !== undefined && !rememberId(live.recentIds, messageId)) return null;
    const readAt = (view: GuideStateView) => {
      const prompt = this.renderer.promptOf(view);
      const event = this.interpreter.interpret(
        inbound.input,
        {
          prompt,
          promptSeq: live.promptSeq,
          lang: view.context.lang,
          label: (lang, choice) => this.renderer.choiceLabel(lang, prompt, choice, view),
          now: this.now(),
          // A host on another page of the list is chosen by its name too ("posteo" while page 2 is shown).
          ...(prompt.kind === 'recommendations' ? { extraChoices: view.context.ranked.map((id) => PROVIDER_CHOICE + id) } : {}),
        },
        inbound.langHint,
      );
      return { prompt, event };
    };
    let { prompt, event } = readAt(live.actor.getSnapshot());
    // "fait" typed at "did this help?" is no rating: the question is left, and the words are read where the person
    // was (the plan step they answer), as if it had not been asked.
    if (prompt.kind === 'rateHelp' && inbound.input.kind === 'text' && event.type === 'UNCLEAR' && event.reason === 'noMatch') {
      live.actor.send({ type: 'LEAVE_RATING' });
      ({ prompt, event } = readAt(live.actor.getSnapshot()));
    }
    const masked = this.maskedForStore(prompt.kind, event);
    live.actor.send(this.withDeskFacts(key, masked.event));
    if (masked.count > 0) live.intents.push({ type: 'secretMasked' });
    return this.finishTurn(key, conversation, live);
  }

  /**
   * Words the person types to be kept (an account to add to their checklist, at the checklist or at a check-in;
   * the mailboxes' names) are masked before the machine stores them: "Banque Postale identifiant 12345678 mdp
   * soleil2024" is kept as "… mdp ••••••", and they are told. Their new address is what they typed on purpose for
   * themselves: it is kept as typed.
   */
  private maskedForStore(promptKind: string, event: GuideEvent): { event: GuideEvent; count: number } {
    if (!KEPT_TEXT_PROMPTS.has(promptKind) || event.type !== 'TEXT') return { event, count: 0 };
    const masked = maskSecrets(event.text);
    return masked.count > 0 ? { event: { ...event, text: masked.text }, count: masked.count } : { event, count: 0 };
  }

  /** "Talk to a volunteer" needs two facts only the engine has: is there a desk, and can the last ticket reopen. */
  private withDeskFacts(key: string, event: GuideEvent): GuideEvent {
    if (event.type === 'MEDIA') return { ...event, deskAvailable: this.desk?.available() ?? false };
    if (event.type !== 'HUMAN') return event;
    const available = this.desk?.available() ?? false;
    return { type: 'HUMAN', available, reopenable: available && this.desk!.reopenable(key, this.now()) };
  }

  /**
   * Check-ins due for one conversation. If several are due (the bot was down for weeks), only the latest is
   * asked — one message, not a burst; the others are dropped with it. At night where the person lives, the
   * latest is postponed to 09:00 instead. The deadlines are deleted in this same transaction: never twice.
   */
  private checkinStep(key: string, due: DeadlineRow[]): TurnResult | null {
    const conversation = refOf(key);
    const live = this.load(key, conversation);
    const latest = due.reduce((a, b) => (checkinDay(b) > checkinDay(a) ? b : a));
    const now = this.now();
    const { timeZone } = live.actor.getSnapshot().context.reminders;
    if (isQuietTime(now, timeZone)) {
      for (const row of due) if (row !== latest) this.repos.deleteDeadline(key, row.kind);
      this.repos.setDeadline(key, latest.kind, nextAllowedTime(now, timeZone));
      return null;
    }
    for (const row of due) this.repos.deleteDeadline(key, row.kind);
    const last = !this.repos.deadlinesOf(key).some((row) => row.kind.startsWith(CHECKIN));
    live.actor.send({ type: 'CHECKIN', day: checkinDay(latest), last });
    // Reminders turned off in the meantime: the check-in passes silently.
    if (live.actor.getSnapshot().value !== 'checkin') return null;
    return this.finishTurn(key, conversation, live, false);
  }

  /** A dated reminder of the plan: said once, never at night where the person lives (postponed to the morning). */
  private planReminderStep(key: string, due: DeadlineRow): TurnResult | null {
    const conversation = refOf(key);
    const live = this.load(key, conversation);
    const now = this.now();
    const { timeZone } = live.actor.getSnapshot().context.reminders;
    if (isQuietTime(now, timeZone)) {
      this.repos.setDeadline(key, due.kind, nextAllowedTime(now, timeZone));
      return null;
    }
    this.repos.deleteDeadline(key, due.kind);
    live.actor.send({ type: 'PLAN_REMINDER', reminder: 'ispAccess' });
    return this.finishTurn(key, conversation, live, false);
  }

  /** After the machine stepped: act on its intents, render, save — all inside the caller's transaction. */
  private finishTurn(key: string, conversation: ConversationRef, live: Live, fromPerson = true): TurnResult {
    const now = this.now();
    const after = live.actor.getSnapshot();
    const intents = live.intents.splice(0);
    for (const intent of intents) this.apply(key, intent, now);
    if (this.desk) {
      const turn: DeskTurn = {
        context: after.context,
        platform: conversation.platform,
        ...(this.displayName ? { displayName: this.displayName } : {}),
        now,
      };
      const added: GuideIntent[] = [];
      for (const intent of intents) if (DESK_INTENTS.has(intent.type)) added.push(...this.desk.onIntent(key, intent, turn));
      intents.push(...added);
      // Only the person's own turns (not a check-in, not a ticket's news), and only with a request under way.
      const handoff = after.context.handoff?.status ?? 'none';
      if (fromPerson && (handoff === 'queued' || handoff === 'claimed')) this.desk.personActive(key, now);
    }
    const quiet = intents.every((intent) => SILENT_INTENTS.has(intent.type)) && intents.some((i) => i.type === 'relayToVolunteer' || i.type === 'relayMediaToVolunteer');
    const personalData = intents.some((intent) => intent.type === 'myData')
      ? collectPersonalData(this.repos, key, after.context, { ...conversation, promptSeq: live.promptSeq, recentIds: live.recentIds }, this.retentionDays, this.desk?.personalData(key))
      : undefined;
    let message: OutMessage | null = null;
    if (!quiet) {
      const rendered = this.renderer.render(intents, after, {
        personalData,
        platform: conversation.platform,
        ...(this.displayName ? { displayName: this.displayName } : {}),
      });
      live.promptSeq += 1;
      message = { ...rendered, promptSeq: live.promptSeq, lang: after.context.lang };
    }
    if (personalData && message) {
      message.attachment = {
        filename: this.options.texts.t(after.context.lang)('privacy:mydata.filename'),
        mimeType: 'application/json',
        content: JSON.stringify(personalData, null, 2),
      };
    }

    if (intents.some((intent) => intent.type === 'forgetMe')) {
      // The person asked to be forgotten: erase their row; this last reply is sent but not stored.
      this.desk?.erase(key, now);
      this.repos.erase(key);
      this.live.delete(key);
      // Short values of theirs (their name, an account they listed) may be in the rendered-sentence memo.
      this.options.texts.forgetMemo();
      live.actor.stop();
      if (message) message.erased = true;
      return { key, message, persisted: false, erased: true };
    }
    this.repos.saveConversation(
      {
        key,
        platform: conversation.platform,
        chat_id: conversation.chatId,
        version: GUIDE_MACHINE_VERSION,
        snapshot: JSON.stringify(live.actor.getPersistedSnapshot()),
        prompt_seq: live.promptSeq,
        recent_ids: JSON.stringify(live.recentIds),
      },
      now,
      !live.stored,
    );
    live.stored = true;
    return { key, message, persisted: true };
  }

  /** The intents that ask the engine to do something (rather than to say something). */
  private apply(key: string, intent: GuideIntent, now: number): void {
    switch (intent.type) {
      case 'remindersOn':
        for (const day of this.reminderDays) this.repos.setDeadline(key, `${CHECKIN}${day}`, now + day * DAY_MS);
        break;
      case 'remindersOff':
        this.repos.clearDeadlines(key, CHECKIN);
        break;
      case 'scheduleIspReminder': {
        const [y, m, d] = intent.on.split('-').map(Number) as [number, number, number];
        this.repos.setDeadline(key, `${PLAN_REMINDER}ispAccess`, Math.max(now, Date.UTC(y, m - 1, d, PLAN_REMINDER_HOUR_UTC)));
        break;
      }
      case 'cancelIspReminder':
        this.repos.clearDeadlines(key, PLAN_REMINDER);
        break;
      case 'milestone':
        this.counters.count(intent.metric, now, intent.detail);
        break;
    }
  }

  /**
   * Fires the deadlines that are due: each conversation's check-in goes through the same queue and the same kind
   * of turn as a message. Called by the scheduler every minute, and at start-up to catch up after downtime.
   */
  async fireDue(now = this.now()): Promise<number> {
    const byKey = new Map<string, DeadlineRow[]>();
    for (const row of this.repos.dueDeadlines(now)) {
      byKey.set(row.conversation_key, [...(byKey.get(row.conversation_key) ?? []), row]);
    }
    let sent = 0;
    await Promise.all(
      [...byKey].map(([key, due]) =>
        this.queue.run(key, async () => {
          const tickets = due.filter((row) => row.kind.startsWith(TICKET_DEADLINE));
          const checkins = due.filter((row) => row.kind.startsWith(CHECKIN));
          for (const row of due.filter((r) => r.kind.startsWith(PLAN_REMINDER))) {
            try {
              const reminded = this.planReminderTransaction(key, row);
              if (reminded?.message) {
                await this.deliver(reminded.key, reminded.message, reminded.persisted);
                sent++;
              }
            } catch (error) {
              this.live.delete(key);
              this.log('plan_reminder_failed', { error: (error as Error).message }, 'error');
            }
          }
          if (tickets.length > 0 && this.desk) {
            try {
              await this.desk.fireDeadlines(key, tickets, now);
            } catch (error) {
              this.log('ticket_deadline_failed', { error: (error as Error).message }, 'error');
            }
          }
          if (checkins.length === 0) return;
          let result: TurnResult | null;
          try {
            result = this.checkinTransaction(key, checkins);
          } catch (error) {
            this.live.delete(key);
            this.log('checkin_failed', { error: (error as Error).message }, 'error');
            return;
          }
          if (!result?.message) return;
          await this.deliver(result.key, result.message, result.persisted);
          sent++;
        }),
      ),
    );
    if (this.desk) {
      try {
        await this.desk.drainAll(now);
      } catch (error) {
        this.log('desk_drain_failed', { error: (error as Error).message }, 'error');
      }
    }
    return sent;
  }

  /** Erases conversations idle for longer than the retention period. Returns how many. */
  purgeIdle(now = this.now()): number {
    // The activity time lags the last turn by up to ACTIVITY_STEP_MS: never erase before the retention is over.
    const purged = this.options.db.transaction(() => this.repos.purgeIdle(now - this.retentionDays * DAY_MS - ACTIVITY_STEP_MS))();
    // Cached actors of purged conversations must not resurrect them.
    for (const key of purged) this.live.delete(key);
    const tickets = this.desk?.purge(now) ?? 0;
    if (purged.length > 0) this.options.texts.forgetMemo();
    if (purged.length > 0 || tickets > 0) this.checkpoint('purge');
    return purged.length;
  }

  /** After an erasure: the erased rows leave the WAL too (see store/database.ts). */
  private checkpoint(after: 'forget' | 'purge'): void {
    try {
      if (!checkpointTruncate(this.options.db)) this.log('checkpoint_busy', { after }, 'warn');
    } catch (error) {
      this.log('checkpoint_failed', { after, error: (error as Error).message }, 'error');
    }
  }

  /** The live actor of a conversation: from the cache, restored from SQLite, or new. */
  private load(key: string, conversation: ConversationRef, langHint?: string): Live {
    const cached = this.live.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.live.delete(key);
      this.live.set(key, cached);
      return cached;
    }
    const row = this.repos.conversation(key);
    let live: Live | undefined;
    const recentIds = row ? readIds(row.recent_ids) : [];
    if (row && row.version === GUIDE_MACHINE_VERSION) {
      try {
        live = this.start({ snapshot: JSON.parse(row.snapshot) }, row.prompt_seq, recentIds, true);
      } catch (error) {
        this.log('snapshot_unreadable', { error: (error as Error).message });
      }
    }
    if (!live) {
      // A new conversation, or one saved by an older machine: start afresh with whatever could be salvaged.
      const salvage = row ? salvageInput(row.snapshot, this.options.catalog) : undefined;
      const lang = langFromHint(langHint);
      const input = { ...(lang ? { lang } : {}), ...(salvage ? { salvage } : {}) };
      live = this.start({ input }, row?.prompt_seq ?? 0, recentIds, row !== undefined);
    }
    this.live.set(key, live);
    if (this.live.size > this.cacheSize) {
      const oldest = this.live.keys().next().value as string;
      this.live.get(oldest)?.actor.stop();
      this.live.delete(oldest);
    }
    return live;
  }

  private start(
    options: { snapshot: unknown } | { input: object },
    promptSeq: number,
    recentIds: string[],
    stored: boolean,
  ): Live {
    const intents: GuideIntent[] = [];
    const actor = createActor(this.machine, options as never) as GuideActor;
    actor.on('*', (intent) => intents.push(intent as GuideIntent));
    actor.start();
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') throw new Error(`restored conversation is ${snapshot.status}`);
    // Validate that the restored state is one the prompt logic knows (throws on nonsense).
    this.renderer.promptOf(snapshot as GuideStateView);
    return { actor, promptSeq, recentIds, stored, intents };
  }

  private cachedLang(key: string) {
    return this.live.get(key)?.actor.getSnapshot().context.lang;
  }

  private async deliver(key: string, message: OutMessage, persisted: boolean): Promise<void> {
    const { platform, chatId } = refOf(key);
    const sender = this.senders.get(platform);
    if (!sender) return; // No adapter for it in this process: it stays pending for the one that has it.
    await sender.send(chatId, message);
    if (persisted) this.lateWrites.commitWith(() => this.repos.delivered(key, message.promptSeq));
  }
}
