/**
 * The volunteers' desk: tickets between the people using the guide and the volunteers of the associations.
 *
 *   person asks (guide intents, inside their turn's transaction) ─► ticket machine ─► intents:
 *       desk posts (card, notices, relayed words) go to the desk outbox — SQLite, same transaction —
 *       news for the person become guide events (a turn of their conversation, same transaction)
 *   volunteer acts (a DeskInbound from a port) ─► is a volunteer? ─► in the person's conversation queue, one
 *       transaction: ticket machine ─► the same intents
 *   scheduler ─► due ticket deadlines (SQLite) ─► DEADLINE events, the same way
 *   after each commit ─► drain the outbox: post on the desk / send to the person; a failure stays for a retry;
 *       a deleted topic is recreated with the card; a person who blocked the bot is shown on the ticket.
 *
 * Either desk serves users of either platform: a ticket's thread goes to the desk of the person's platform when
 * there is one, else to the other.
 */
import { createActor, type Actor } from 'xstate';
import type { Catalog } from '../catalog/types.js';
import { PLAN_STEP_IDS } from '../catalog/types.js';
import type { DeskTurn, Engine, EngineDesk, TurnResult } from '../engine/engine.js';
import { TICKET_DEADLINE } from '../engine/engine.js';
import type { DeadlineRow } from '../store/repositories.js';
import { cardOf } from '../flows/ticket-card.js';
import type { GuideIntent, PlanItemKey } from '../flows/guide.types.js';
import { ticketMachine, type TicketMachine } from '../flows/ticket.machine.js';
import {
  TICKET_MACHINE_VERSION,
  type TicketContext,
  type TicketDeadline,
  type TicketEvent,
  type TicketIntent,
  type Volunteer,
} from '../flows/ticket.types.js';
import { KeyedQueue } from '../engine/keyed-queue.js';
import { isQuietTime, nextAllowedTime } from '../engine/quiet-hours.js';
import type { TicketData } from '../engine/personal-data.js';
import { readIds, rememberId } from '../engine/recent-ids.js';
import { stepTitle } from '../render/card-text.js';
import { createDeskTexts, type DeskTexts } from '../render/desk-text.js';
import type { Lang, Texts, Translate } from '../render/i18n.js';
import { plainText } from '../render/markup.js';
import type { Db } from '../store/database.js';
import { createTicketStore, type TicketRow, type TicketStore } from '../store/tickets.js';
import { createCounters, type Counters } from '../stats/counters.js';
import type { Log } from '../log.js';
import { ThreadGoneError, type DeskInbound, type DeskPort, type DeskPost, type DeskRegistry } from './port.js';
import { RecipientGoneError } from '../engine/types.js';
import { maskSecrets } from './secrets.js';
import { safeForDisplay } from './display-safe.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface DeskTiming {
  /** Unclaimed this long → the desk is alerted again (DESK_UNCLAIMED_ALERT_HOURS). */
  unclaimedAlertMs: number;
  /** Claimed with no word from the person this long → "still there?" (DESK_INACTIVE_DAYS). */
  inactiveMs: number;
  /** Then this long without an answer → closed (DESK_STILL_THERE_DAYS). */
  stillThereMs: number;
  /** A closed ticket reopens when the person asks again within this (DESK_REOPEN_HOURS). */
  reopenMs: number;
  /** The wait announced when no claim happened in the last 30 days (DESK_DEFAULT_WAIT_MINUTES). */
  defaultWaitMinutes: number;
  /** Closed tickets are erased after this (TICKET_RETENTION_DAYS). */
  retentionMs: number;
}

export const DEFAULT_TIMING: DeskTiming = {
  unclaimedAlertMs: 4 * HOUR,
  inactiveMs: 7 * DAY,
  stillThereMs: 3 * DAY,
  reopenMs: 72 * HOUR,
  defaultWaitMinutes: 240,
  retentionMs: 30 * DAY,
};

export interface DeskOptions {
  db: Db;
  engine: Engine;
  texts: Texts;
  catalog: Catalog;
  /** The volunteers' language (DESK_LANG). */
  lang?: Lang;
  /** The desk's time zone, for the times on cards (DESK_TIME_ZONE). */
  timeZone?: string;
  /** "telegram:123", "matrix:@marie:asso.org" (DESK_VOLUNTEERS): when set, only these may act, members or not. */
  allowList?: readonly string[];
  timing?: Partial<DeskTiming>;
  now?: () => number;
  log?: Log;
}

/** What waits in the outbox, per ticket, in order. */
type DeskJob =
  | { type: 'open' }
  | { type: 'card' }
  | { type: 'close' }
  | { type: 'reopen' }
  | { type: 'post'; text: string; relay?: boolean }
  | { type: 'announce'; text: string }
  | { type: 'toUser'; text: string }
  | { type: 'erased'; desk: string; threadId: string; cardId: string; messages: string[]; title: string; card: string; notice: string };

/** What a job's platform call leaves to do: record its answer, or take it back if the ticket was erased meanwhile. */
interface PerformOutcome {
  record?: () => void;
  undo?: () => Promise<void>;
}

type ParsedInput =
  | { kind: 'text'; text: string }
  | { kind: 'command'; name: string; args: string }
  | { kind: 'unsupported' };

/** The ticket's intents about its thread, and the outbox job that carries each out. */
const THREAD_JOBS = { openThread: 'open', updateCard: 'card', closeThread: 'close', reopenThread: 'reopen' } as const;

const DESK_COMMANDS = ['claim', 'takeover', 'release', 'handback', 'close', 'note', 'snippet', 'name', 'help'] as const;

type TicketActor = Actor<TicketMachine>;

export class Desk implements DeskRegistry, EngineDesk {
  private readonly ports = new Map<string, DeskPort>();
  private readonly tickets: TicketStore;
  private readonly counters: Counters;
  private readonly timing: DeskTiming;
  private readonly lang: Lang;
  private readonly t: Translate;
  private readonly deskTexts: DeskTexts;
  private readonly now: () => number;
  private readonly log: Log;
  private readonly drains = new KeyedQueue();
  private readonly allowList?: ReadonlySet<string>;
  private readonly memberCache = new Map<string, { member: boolean; at: number }>();
  /** Tickets given outbox jobs since the last flush (so a turn that touched no ticket costs no query). */
  private readonly touched = new Set<number>();

  constructor(private readonly options: DeskOptions) {
    this.tickets = createTicketStore(options.db);
    this.counters = createCounters(options.db);
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.lang = options.lang ?? 'fr';
    this.t = options.texts.t(this.lang);
    this.deskTexts = createDeskTexts(this.t, options.catalog, this.lang, options.timeZone ?? 'Europe/Paris');
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    if (options.allowList && options.allowList.length > 0) this.allowList = new Set(options.allowList);
    options.engine.attachDesk(this);
  }

  /* ───────────────────────── ports ───────────────────────── */

  register(port: DeskPort): void {
    this.ports.set(port.name, port);
  }

  available(): boolean {
    return this.ports.size > 0;
  }

  /** The person's own platform's desk if there is one, else any (a Telegram user may be helped from Matrix). */
  private portFor(platform: string): DeskPort | undefined {
    return this.ports.get(platform) ?? this.ports.values().next().value;
  }

  /* ───────────────────────── the person's side (inside their turn) ───────────────────────── */

  reopenable(key: string, now: number): boolean {
    const row = this.tickets.latestOf(key);
    if (!row || row.status !== 'closed' || row.closed_at === null || !row.thread_id) return false;
    return now - row.closed_at <= this.timing.reopenMs;
  }

  onIntent(key: string, intent: GuideIntent, turn: DeskTurn): GuideIntent[] {
    const latest = this.tickets.latestOf(key);
    switch (intent.type) {
      case 'askVolunteer': {
        const card = cardOf(turn.context, turn.platform);
        if (latest?.status === 'asked') this.tickets.remove(latest.id);
        const id = this.tickets.create(key, 'asked', TICKET_MACHINE_VERSION, '{}', turn.now);
        const actor = createActor(ticketMachine, { input: { card } }).start();
        this.save(this.tickets.get(id)!, actor, turn.now);
        return [];
      }
      case 'consentGiven': {
        if (latest?.status !== 'asked') return [];
        const name = intent.shareName ? turn.displayName?.slice(0, 64) ?? null : null;
        this.step(latest, { type: 'CONSENT', shareName: intent.shareName, name }, turn.now);
        return [this.queuedIntent(latest.id, false, turn.now)];
      }
      case 'consentDeclined':
        if (latest?.status === 'asked') this.tickets.remove(latest.id);
        return [];
      case 'relayToVolunteer': {
        if (latest?.status !== 'claimed') return [];
        // A volunteer holds the ticket: a lone number may be the code they just asked for.
        const masked = maskSecrets(safeForDisplay(intent.text), { answeringVolunteer: true });
        this.step(latest, { type: 'USER_MESSAGE' }, turn.now);
        // t() escapes the value for our markup: escaping it here too would show the backslashes (C:\\Users).
        this.enqueue(latest.id, { type: 'post', text: this.t('desk:fromUser', { text: masked.text }), relay: true }, turn.now);
        return masked.count > 0 ? [{ type: 'secretMasked' }] : [];
      }
      case 'leaveVolunteer':
        if (latest && (latest.status === 'claimed' || latest.status === 'queued')) this.step(latest, { type: 'USER_BACK_TO_GUIDE' }, turn.now);
        return [];
      case 'closeTicket':
        if (latest && (latest.status === 'claimed' || latest.status === 'queued')) this.step(latest, { type: 'USER_CLOSE' }, turn.now);
        return [];
      case 'reopenTicket': {
        if (latest?.status !== 'closed') return [];
        this.step(latest, { type: 'REOPEN' }, turn.now);
        return [this.queuedIntent(latest.id, true, turn.now)];
      }
      default:
        return [];
    }
  }

  personActive(key: string, now: number): void {
    // Someone shown as unreachable on the ticket wrote again: say so on the desk.
    const latest = this.tickets.latestOf(key);
    if (latest && (latest.status === 'queued' || latest.status === 'claimed') && this.contextOf(latest).userUnreachable) {
      this.step(latest, { type: 'USER_MESSAGE' }, now);
    }
  }

  personalData(key: string): TicketData[] {
    return this.tickets.ofConversation(key).map((ticket) => {
      const context = this.contextOf(ticket);
      const waiting = this.tickets.outbox
        .of(ticket.id)
        .map((row) => JSON.parse(row.job) as DeskJob)
        .flatMap((job) => ((job.type === 'post' && job.relay) || job.type === 'toUser' ? [plainText(job.text)] : []));
      return {
        number: ticket.id,
        status: ticket.status,
        card: context.card,
        // What the person was shown: the name the volunteer chose to sign with (/name), never their platform name.
        volunteer: context.holder ? context.holder.signature ?? null : null,
        createdAt: new Date(ticket.created_at).toISOString(),
        closedAt: ticket.closed_at === null ? null : new Date(ticket.closed_at).toISOString(),
        closeReason: context.closeReason,
        closeNote: context.closeNote,
        messagesWaiting: waiting.length,
        waiting,
        messagesOnDesk: this.tickets.relaysOf(ticket.id).length,
      };
    });
  }

  erase(key: string, now: number): void {
    for (const row of this.tickets.ofConversation(key)) this.eraseTicket(row, now, 'forgotten');
  }

  /**
   * Removes a ticket's rows and leaves nothing of the person on the desk either: the card is reduced to its
   * number, the messages that carried their words (and the volunteer's close note) are deleted where the platform
   * allows, the topic is closed. The same for /forget and for the retention purge ("expired").
   */
  private eraseTicket(row: TicketRow, now: number, why: 'forgotten' | 'expired'): void {
    const wasOpen = row.status === 'queued' || row.status === 'claimed';
    if (!(row.thread_id && row.desk && row.card_id)) {
      this.tickets.remove(row.id);
      return;
    }
    const messages = this.tickets.relaysOf(row.id).map((r) => r.message_id);
    this.tickets.remove(row.id);
    const texts =
      why === 'forgotten'
        ? { title: 'desk:erasedTitle', card: 'desk:erasedCard', notice: wasOpen ? 'desk:notices.erased' : 'desk:notices.erasedClosed' }
        : { title: 'desk:expiredTitle', card: 'desk:expiredCard', notice: 'desk:notices.expired' };
    this.enqueue(row.id, {
      type: 'erased',
      desk: row.desk,
      threadId: row.thread_id,
      cardId: row.card_id,
      messages,
      title: this.t(texts.title, { id: row.id }),
      card: this.t(texts.card, { id: row.id }),
      notice: this.t(texts.notice),
    }, now);
    if (wasOpen) this.counters.count('ticketsClosed', now);
  }

  /** Delivers the jobs of the tickets touched since the last flush — tickets just erased included. */
  async flush(): Promise<void> {
    const ids = [...this.touched];
    this.touched.clear();
    for (const id of ids) await this.drain(id);
  }

  /* ───────────────────────── deadlines ───────────────────────── */

  async fireDeadlines(key: string, due: DeadlineRow[], now: number): Promise<void> {
    const results: TurnResult[] = [];
    const ids = new Set<number>();
    const repos = this.options.engine.repos;
    // "Still there?" goes to the person: never at night where they live (like the check-ins); the desk's
    // deadlines (alerts, closing) are not for them and fire when due.
    const timeZone = this.options.engine.viewOf(key)?.context.reminders.timeZone;
    this.options.db.transaction(() => {
      for (const deadline of due) {
        const [, id, kind] = deadline.kind.split(':');
        if (kind === 'inactive' && timeZone && isQuietTime(now, timeZone)) {
          repos.setDeadline(key, deadline.kind, nextAllowedTime(now, timeZone));
          continue;
        }
        repos.deleteDeadline(key, deadline.kind);
        const row = this.tickets.get(Number(id));
        if (!row) continue;
        ids.add(row.id);
        results.push(...this.step(row, { type: 'DEADLINE', deadline: kind as TicketDeadline }, now));
      }
    })();
    for (const result of results) await this.deliverSafely(result);
    for (const id of ids) await this.drain(id);
  }

  /** Erases closed tickets past their retention (the scheduler calls this with the conversations' purge). */
  purge(now = this.now()): number {
    const erased = this.options.db.transaction(() => {
      const ids = new Set([...this.tickets.closedBefore(now - this.timing.retentionMs), ...this.tickets.orphans()]);
      for (const id of ids) {
        const row = this.tickets.get(id);
        if (row) this.eraseTicket(row, now, 'expired');
      }
      // Relay records of a ticket already gone (a post that finished after the erasure) point at nothing to delete.
      return ids.size + this.tickets.purgeOrphanRelays();
    })();
    return erased;
  }

  /* ───────────────────────── the volunteers' side ───────────────────────── */

  async receive(inbound: DeskInbound): Promise<void> {
    const port = this.ports.get(inbound.desk);
    if (!port) return;
    const parsed = parse(inbound);
    const row = inbound.threadId ? this.tickets.byThread(inbound.desk, inbound.threadId) : undefined;
    const where = async (post: DeskPost) => {
      try {
        if (inbound.threadId) await port.post(inbound.threadId, post);
        else await port.announce(post);
      } catch (error) {
        this.log('desk_reply_failed', { desk: inbound.desk, error: (error as Error).message }, 'warn');
      }
    };
    const volunteer = await this.isVolunteer(port, inbound.from.id);
    if (!volunteer) {
      // Say nothing about tickets to someone who is not a volunteer: not even whether this is one.
      if (parsed.kind === 'command' || row) await where({ text: this.t('desk:notVolunteer') });
      return;
    }
    if (parsed.kind === 'command' && parsed.name === 'name') {
      const name = parsed.args.trim().slice(0, 32) || null;
      this.tickets.setSignature(inbound.desk, inbound.from.id, name, this.now());
      await where({ text: name ? this.t('desk:nameSet', { name }) : this.t('desk:nameCleared') });
      return;
    }
    if (!row) {
      if (parsed.kind === 'command') await where({ text: [this.t('desk:noTicketHere'), this.t('desk:help')].join('\n\n') });
      return;
    }
    if (parsed.kind === 'command' && parsed.name === 'help') {
      await where({ text: this.t('desk:help') });
      return;
    }
    const key = row.conversation_key;
    await this.options.engine.exclusive(key, async () => {
      const results = this.options.db.transaction(() => this.handleVolunteer(row.id, inbound, parsed))();
      for (const result of results) await this.deliverSafely(result);
    });
    await this.drain(row.id);
  }

  private async isVolunteer(port: DeskPort, userId: string): Promise<boolean> {
    if (this.allowList && !this.allowList.has(`${port.name}:${userId}`)) return false;
    const cacheKey = `${port.name}:${userId}`;
    const cached = this.memberCache.get(cacheKey);
    if (cached && this.now() - cached.at < 60_000) return cached.member;
    let member = false;
    try {
      member = await port.isMember(userId);
    } catch (error) {
      this.log('desk_membership_failed', { desk: port.name, error: (error as Error).message }, 'warn');
    }
    this.memberCache.set(cacheKey, { member, at: this.now() });
    return member;
  }

  /** One volunteer action on one ticket, inside a transaction. Returns the person's turns to deliver. */
  private handleVolunteer(id: number, inbound: DeskInbound, parsed: ParsedInput): TurnResult[] {
    const now = this.now();
    const row = this.tickets.get(id);
    if (!row) return [];
    const recent = readIds(row.recent_ids);
    if (!rememberId(recent, inbound.messageId)) return [];
    row.recent_ids = JSON.stringify(recent);
    this.tickets.save(row.id, row, now);

    const volunteer: Volunteer = {
      desk: inbound.desk,
      id: inbound.from.id,
      name: inbound.from.name.slice(0, 64),
      signature: this.tickets.signature(inbound.desk, inbound.from.id),
    };
    const context = this.contextOf(row);
    const userT = this.options.texts.t(this.userLang(row, context));
    const reply = (text: string) => this.enqueue(row.id, { type: 'post', text }, now);

    if (parsed.kind === 'unsupported') {
      reply(this.t('desk:unsupported'));
      return [];
    }
    if (parsed.kind === 'text') return this.step(row, { type: 'VOLUNTEER_MESSAGE', volunteer }, now, parsed.text);
    switch (parsed.name) {
      case 'claim':
        return this.step(row, { type: 'CLAIM', volunteer }, now);
      case 'takeover':
        return this.step(row, { type: 'TAKEOVER', volunteer }, now);
      case 'release':
        return this.step(row, { type: 'RELEASE', volunteer }, now);
      case 'close':
        // The note is about the person ("reset her Orange password to …"): masked like their own words.
        return this.step(row, { type: 'CLOSE', by: 'volunteer', volunteer, note: maskSecrets(safeForDisplay(parsed.args.slice(0, 200))).text }, now);
      case 'handback': {
        const steps = this.options.engine.viewOf(row.conversation_key)?.context.plan.steps ?? [];
        const step = parsed.args.trim() ? this.stepNamed(parsed.args, steps, context) : undefined;
        if (parsed.args.trim() && !step) {
          reply(this.stepsHelp(steps, context));
          return [];
        }
        return this.step(row, { type: 'HANDBACK', volunteer, ...(step ? { step } : {}) }, now);
      }
      case 'note':
        // Stays on the desk, for the volunteers: nothing is relayed.
        return [];
      case 'snippet': {
        const name = parsed.args.trim();
        const known = PLAN_STEP_IDS.find((s) => s.toLowerCase() === name.toLowerCase());
        if (!known) {
          reply(this.t('desk:snippets', { names: PLAN_STEP_IDS.map((s) => `\`${s}\``).join(', ') }));
          return [];
        }
        return this.step(row, { type: 'VOLUNTEER_MESSAGE', volunteer }, now, userT(`handoff:snippets.${known}`), true);
      }
      default:
        reply(this.t('desk:help'));
        return [];
    }
  }

  private stepNamed(args: string, steps: readonly PlanItemKey[], context: TicketContext): PlanItemKey | undefined {
    const wanted = args.trim().toLowerCase();
    const number = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
    if (Number.isInteger(number) && number >= 1 && number <= steps.length) return steps[number - 1];
    return steps.find(
      (s) => s.toLowerCase() === wanted || stepTitle(this.t, this.options.catalog, context.card, s).toLowerCase() === wanted,
    );
  }

  private stepsHelp(steps: readonly PlanItemKey[], context: TicketContext): string {
    if (steps.length === 0) return this.t('desk:noPlan');
    const list = steps.map((s, i) => `${i + 1}. ${stepTitle(this.t, this.options.catalog, context.card, s)} (\`${s}\`)`).join('\n');
    return this.t('desk:badStep', { steps: list });
  }

  /* ───────────────────────── the ticket machine ───────────────────────── */

  private restore(row: TicketRow): TicketActor {
    return createActor(ticketMachine, { snapshot: JSON.parse(row.snapshot), input: undefined as never }).start();
  }

  private contextOf(row: TicketRow): TicketContext {
    return (JSON.parse(row.snapshot) as { context: TicketContext }).context;
  }

  /**
   * Sends one event to a ticket and acts on what it says, inside the caller's transaction. `text`: the words a
   * volunteer wrote, relayed if the machine allows it. Returns the person's turns (news) to deliver after commit.
   */
  private step(row: TicketRow, event: TicketEvent, now: number, text?: string, snippet = false): TurnResult[] {
    const actor = this.restore(row);
    const intents: TicketIntent[] = [];
    actor.on('*', (intent) => intents.push(intent as TicketIntent));
    const before = String(actor.getSnapshot().value);
    actor.send(event);
    const after = String(actor.getSnapshot().value);
    if (after === 'declined') {
      this.tickets.remove(row.id);
      return [];
    }
    if (after === 'queued' && before !== 'queued') {
      row.queued_at = now;
      row.claimed_at = null;
    }
    if (after === 'claimed' && row.claimed_at === null) row.claimed_at = now;
    if (after === 'closed' && before !== 'closed') row.closed_at = now;
    if (after !== 'closed') row.closed_at = null;
    this.save(row, actor, now);
    return this.act(row, actor.getSnapshot().context, intents, now, text, snippet);
  }

  private save(row: TicketRow, actor: TicketActor, now: number): void {
    row.status = String(actor.getSnapshot().value);
    row.snapshot = JSON.stringify(actor.getPersistedSnapshot());
    actor.stop();
    this.tickets.save(row.id, row, now);
  }

  private act(row: TicketRow, context: TicketContext, intents: TicketIntent[], now: number, text?: string, snippet = false): TurnResult[] {
    const results: TurnResult[] = [];
    const repos = this.options.engine.repos;
    const deadlineKind = (deadline: TicketDeadline) => `${TICKET_DEADLINE}${row.id}:${deadline}`;
    for (const intent of intents) {
      switch (intent.type) {
        case 'openThread':
        case 'updateCard':
        case 'closeThread':
        case 'reopenThread':
          this.enqueue(row.id, { type: THREAD_JOBS[intent.type] }, now);
          break;
        case 'deskNotice': {
          // The close notice carries the volunteer's note about the person: /forget deletes it with their words.
          const aboutThePerson = intent.notice === 'closedByVolunteer' && !!context.closeNote;
          this.enqueue(row.id, { type: 'post', text: this.deskTexts.notice(intent, context), ...(aboutThePerson ? { relay: true } : {}) }, now);
          break;
        }
        case 'refuse':
          this.enqueue(row.id, {
            type: 'post',
            text: this.t(`desk:refusals.${intent.refusal}`, { name: intent.to.name, holder: intent.holder?.name ?? '' }),
          }, now);
          break;
        case 'alertDesk':
          this.enqueue(row.id, { type: 'announce', text: this.t(intent.alerts > 1 ? 'desk:alertAgain' : 'desk:alert', { id: row.id, hours: Math.round((now - (row.queued_at ?? now)) / HOUR), number: intent.alerts }) }, now);
          break;
        case 'relayToUser': {
          if (text === undefined) break;
          const userT = this.options.texts.t(this.userLang(row, context));
          const signature = intent.volunteer.signature ?? userT('handoff:aVolunteer');
          this.enqueue(row.id, { type: 'toUser', text: userT('handoff:fromVolunteer', { volunteer: signature, text: safeForDisplay(text) }) }, now);
          if (snippet) this.enqueue(row.id, { type: 'post', text: this.t('desk:snippetSent') }, now);
          break;
        }
        case 'tellUser': {
          const result = this.options.engine.systemEvent(row.conversation_key, {
            type: 'TICKET',
            news: intent.news,
            volunteer: intent.volunteer?.signature ?? null,
            ...(intent.step ? { step: intent.step } : {}),
          });
          if (result) results.push(result);
          break;
        }
        case 'schedule': {
          const after = { unclaimed: this.timing.unclaimedAlertMs, inactive: this.timing.inactiveMs, stillThere: this.timing.stillThereMs }[intent.deadline];
          repos.setDeadline(row.conversation_key, deadlineKind(intent.deadline), now + after);
          break;
        }
        case 'cancel':
          repos.deleteDeadline(row.conversation_key, deadlineKind(intent.deadline));
          break;
        case 'count':
          this.counters.count(intent.metric, now);
          break;
      }
    }
    return results;
  }

  /** The person's language now (they may have switched since the card was made). */
  private userLang(row: TicketRow, context: TicketContext): Lang {
    return this.options.engine.viewOf(row.conversation_key)?.context.lang ?? context.card.lang;
  }

  private queuedIntent(id: number, reopened: boolean, now: number): GuideIntent {
    const row = this.tickets.get(id)!;
    return {
      type: 'ticketQueued',
      ticket: id,
      position: this.tickets.queuePosition(row),
      waitMinutes: this.usualWaitMinutes(now),
      reopened,
    };
  }

  /** The median wait of the last claims (30 days), or the configured default when there were none. */
  usualWaitMinutes(now = this.now()): number {
    const waits = this.tickets.recentWaits(now - 30 * DAY).sort((a, b) => a - b);
    if (waits.length === 0) return this.timing.defaultWaitMinutes;
    return Math.max(1, Math.round(waits[Math.floor(waits.length / 2)]! / 60_000));
  }

  /* ───────────────────────── the outbox ───────────────────────── */

  private enqueue(ticketId: number, job: DeskJob, now: number): void {
    if (job.type === 'card') {
      // One pending card update is enough: it renders the ticket as it is when it is sent.
      const pending = this.tickets.outbox.of(ticketId);
      const last = pending[pending.length - 1];
      if (last && (JSON.parse(last.job) as DeskJob).type === 'card') return;
    }
    this.tickets.outbox.add(ticketId, job, now);
    this.touched.add(ticketId);
  }

  /** Delivers every ticket's due jobs (at start, and by the scheduler: retries after a desk outage). */
  async drainAll(now = this.now()): Promise<void> {
    for (const id of this.tickets.outbox.dueTickets(now)) await this.drain(id);
  }

  /** Delivers one ticket's jobs in order; stops at the first that fails (it waits for its retry). */
  async drain(ticketId: number): Promise<void> {
    await this.drains.run(String(ticketId), async () => {
      for (let guard = 0; guard < 1000; guard++) {
        const head = this.tickets.outbox.head(ticketId);
        if (!head || head.next_at > this.now()) return;
        const job = JSON.parse(head.job) as DeskJob;
        try {
          const outcome = await this.perform(ticketId, job);
          // What the platform answered (a thread's id, a relayed message's id) is kept with the job's removal —
          // unless the ticket was erased while the call was in flight (/forget, the purge): then what was just
          // posted is taken back from the desk, since the erasure could not know of it.
          const erasedMeanwhile = this.options.db.transaction(() => {
            this.tickets.outbox.done(head.id);
            if (job.type !== 'erased' && job.type !== 'toUser' && !this.tickets.get(ticketId)) return true;
            outcome?.record?.();
            return false;
          })();
          if (erasedMeanwhile && outcome?.undo) await outcome.undo().catch((e: unknown) => this.log('desk_undo_failed', { error: (e as Error).message }, 'warn'));
        } catch (error) {
          if (error instanceof ThreadGoneError && (await this.recreateThread(ticketId))) continue;
          if (error instanceof RecipientGoneError) {
            this.tickets.outbox.done(head.id);
            this.personUnreachable(ticketId);
            continue;
          }
          const delay = Math.min(10 * 60_000, 5_000 * 2 ** Math.min(head.attempts, 7));
          this.tickets.outbox.retry(head.id, this.now() + delay);
          this.log('desk_delivery_failed', { job: job.type, attempts: head.attempts + 1, error: (error as Error).message }, 'warn');
          return;
        }
      }
    });
  }

  private personUnreachable(ticketId: number): void {
    const row = this.tickets.get(ticketId);
    if (!row) return;
    this.options.db.transaction(() => this.step(row, { type: 'USER_UNREACHABLE' }, this.now()))();
  }

  /** The ticket's topic was deleted or closed by hand: a new one, with the card, and the conversation goes on. */
  private async recreateThread(ticketId: number): Promise<boolean> {
    const row = this.tickets.get(ticketId);
    if (!row || !row.desk) return false;
    const port = this.ports.get(row.desk);
    if (!port) return false;
    try {
      const thread = await port.openThread(...this.face(row));
      this.tickets.setThread(row.id, port.name, thread.threadId, thread.cardId);
      await port.post(thread.threadId, { text: this.t('desk:notices.recreated') });
      this.log('desk_thread_recreated', { desk: port.name });
      return true;
    } catch (error) {
      this.log('desk_thread_recreate_failed', { desk: port.name, error: (error as Error).message }, 'warn');
      return false;
    }
  }

  /** The thread's title and card as the ticket stands now. */
  private face(row: TicketRow, context = this.contextOf(row)): [string, DeskPost] {
    return [this.deskTexts.title(row, context), this.deskTexts.card(row, context, this.usualWaitMinutes())];
  }

  /**
   * Carries out one job on the platform. Returns what to record of the platform's answer, if anything: the
   * caller writes it in the same transaction as the job's removal, so a crash cannot keep one without the other.
   */
  private async perform(ticketId: number, job: DeskJob): Promise<PerformOutcome | void> {
    if (job.type === 'erased') {
      const port = this.ports.get(job.desk);
      if (!port) throw new Error(`desk ${job.desk} is not configured here`);
      await port.post(job.threadId, { text: job.notice }).catch((e: unknown) => ignoreGone(e));
      for (const message of job.messages) await port.deleteMessage(job.threadId, message).catch(() => false);
      await port.updateThread({ threadId: job.threadId, cardId: job.cardId }, job.title, { text: job.card }).catch((e: unknown) => ignoreGone(e));
      await port.closeThread(job.threadId).catch((e: unknown) => ignoreGone(e));
      return;
    }
    const row = this.tickets.get(ticketId);
    if (!row) return;
    const context = this.contextOf(row);
    if (job.type === 'toUser') {
      await this.options.engine.sendDirect(row.conversation_key, job.text);
      return;
    }
    if (job.type === 'open') {
      if (row.thread_id) return;
      const port = this.portFor(context.card.platform);
      if (!port) throw new Error('no desk configured');
      const thread = await port.openThread(...this.face(row, context));
      return {
        record: () => this.tickets.setThread(row.id, port.name, thread.threadId, thread.cardId),
        undo: async () => {
          await port.updateThread(thread, this.t('desk:erasedTitle', { id: row.id }), { text: this.t('desk:erasedCard', { id: row.id }) });
          await port.closeThread(thread.threadId);
        },
      };
    }
    const port = row.desk ? this.ports.get(row.desk) : undefined;
    if (!port || !row.thread_id || !row.card_id) throw new Error('the ticket has no thread on a desk configured here');
    switch (job.type) {
      case 'card':
        await port.updateThread({ threadId: row.thread_id, cardId: row.card_id }, ...this.face(row, context));
        return;
      case 'close':
        await port.closeThread(row.thread_id);
        return;
      case 'reopen':
        await port.reopenThread(row.thread_id);
        return;
      case 'announce':
        await port.announce({ text: job.text });
        return;
      case 'post': {
        const threadId = row.thread_id;
        const id = await port.post(threadId, { text: job.text });
        return {
          ...(job.relay ? { record: () => this.tickets.addRelay(row.id, port.name, threadId, id) } : {}),
          undo: async () => void (await port.deleteMessage(threadId, id)),
        };
      }
    }
  }

  private async deliverSafely(result: TurnResult): Promise<void> {
    try {
      await this.options.engine.deliverResult(result);
    } catch (error) {
      // Kept as undelivered by the engine (re-sent at start); a blocked bot is shown on the ticket.
      if (error instanceof RecipientGoneError) {
        const row = this.tickets.latestOf(result.key);
        if (row) this.personUnreachable(row.id);
      }
      this.log('desk_news_undelivered', { error: (error as Error).message }, 'warn');
    }
  }
}

function ignoreGone(error: unknown): void {
  if (error instanceof ThreadGoneError) return;
  throw error;
}

function parse(inbound: DeskInbound): ParsedInput {
  const input = inbound.input;
  if (input.kind === 'unsupported') return { kind: 'unsupported' };
  if (input.kind === 'button') return { kind: 'command', name: input.id, args: '' };
  const text = input.text.trim();
  const command = /^\/([a-zA-Z]+)(?:@\S+)?\s*(.*)$/s.exec(text);
  if (command) {
    const name = command[1]!.toLowerCase();
    const known = (DESK_COMMANDS as readonly string[]).includes(name) ? name : name === 'snippets' ? 'snippet' : 'help';
    return { kind: 'command', name: known, args: command[2] ?? '' };
  }
  return { kind: 'text', text };
}
