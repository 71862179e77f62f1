/**
 * The volunteers' side of the desk: what someone did in the desk group/room (a DeskInbound from a port), checked
 * first (a volunteer? the allow-list, else membership, cached a minute), then read as a command (/claim, /close,
 * /handback…) or words for the person, and carried out in the person's queue, in one transaction, on the ticket of
 * the thread it happened in. Someone who is not a volunteer learns nothing about tickets, not even whether one is
 * there.
 */
import type { TurnResult } from '../engine/engine.js';
import { readIds, rememberId } from '../engine/recent-ids.js';
import { MAX_MEDIA_MEGABYTES, mediaRefusal, type MediaRef } from '../engine/media.js';
import { MAX_RELAY_TEXT } from '../engine/interpret.js';
import { PLAN_STEP_IDS } from '../catalog/types.js';
import type { PlanItemKey } from '../flows/guide.types.js';
import type { TicketContext, Volunteer } from '../flows/ticket.types.js';
import { stepTitle } from '../render/card-text.js';
import { safeForDisplay } from './display-safe.js';
import type { DeskContext } from './options.js';
import type { DeskOutbox } from './outbox.js';
import type { DeskInbound, DeskPort, DeskPost } from './port.js';
import type { DeskPorts } from './ports.js';
import { maskSecrets } from './secrets.js';
import { contextOf } from './snapshot.js';
import { transferTarget } from './directory.js';
import type { TicketRow } from '../store/tickets.js';
import type { DeskTickets } from './tickets.js';

type ParsedInput =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaRef; caption: string }
  | { kind: 'command'; name: string; args: string }
  | { kind: 'unsupported' };

const DESK_COMMANDS = ['claim', 'takeover', 'release', 'handback', 'close', 'note', 'snippet', 'name', 'help', 'transfer'] as const;

/** Membership is asked of the platform at most this often per volunteer: a busy thread must not cost a call a message. */
const MEMBER_CACHE_MS = 60_000;

export class DeskVolunteers {
  private readonly memberCache = new Map<string, { member: boolean; at: number }>();

  constructor(
    private readonly desk: DeskContext,
    private readonly ports: DeskPorts,
    private readonly tickets: DeskTickets,
    private readonly outbox: DeskOutbox,
  ) {}

  async receive(inbound: DeskInbound): Promise<void> {
    const { t, log, now, host, db } = this.desk;
    const port = this.ports.named(inbound.desk);
    if (!port) return;
    const parsed = parse(inbound);
    const row = inbound.threadId ? this.desk.tickets.byThread(inbound.desk, inbound.threadId) : undefined;
    const where = async (post: DeskPost) => {
      try {
        if (inbound.threadId) await port.post(inbound.threadId, post);
        else await port.announce(post);
      } catch (error) {
        log('desk_reply_failed', { desk: inbound.desk, error: (error as Error).message }, 'warn');
      }
    };
    const volunteer = await this.isVolunteer(port, inbound.from.id);
    if (!volunteer) {
      // Say nothing about tickets to someone who is not a volunteer: not even whether this is one.
      if (parsed.kind === 'command' || row) await where({ text: t('desk:notVolunteer') });
      return;
    }
    if (parsed.kind === 'command' && parsed.name === 'name') {
      const name = parsed.args.trim().slice(0, 32) || null;
      this.desk.tickets.setSignature(inbound.desk, inbound.from.id, name, now());
      await where({ text: name ? t('desk:nameSet', { name }) : t('desk:nameCleared') });
      return;
    }
    if (!row) {
      if (parsed.kind === 'command') await where({ text: [t('desk:noTicketHere'), t('desk:help')].join('\n\n') });
      return;
    }
    if (parsed.kind === 'command' && parsed.name === 'help') {
      await where({ text: t('desk:help') });
      return;
    }
    await host.runInQueue(row.conversation_key, async () => {
      const results = db.transaction(() => this.handle(row.id, inbound, parsed))();
      await this.tickets.deliverNews(results);
    });
    await this.outbox.drain(row.id);
  }

  private async isVolunteer(port: DeskPort, userId: string): Promise<boolean> {
    const cacheKey = `${port.name}:${userId}`;
    // The allow-list is the desk's (DESK_VOLUNTEERS for the single desk): it narrows who may act; membership of
    // the desk's group or room is still asked. A port of no desk has no volunteers.
    if (this.desk.directory.mayAct(port.name, userId) === false) return false;
    const cached = this.memberCache.get(cacheKey);
    if (cached && this.desk.now() - cached.at < MEMBER_CACHE_MS) return cached.member;
    let member = false;
    try {
      member = await port.isMember(userId);
    } catch (error) {
      this.desk.log('desk_membership_failed', { desk: port.name, error: (error as Error).message }, 'warn');
    }
    this.memberCache.set(cacheKey, { member, at: this.desk.now() });
    return member;
  }

  /** One volunteer action on one ticket, inside a transaction. Returns the person's turns to deliver. */
  private handle(id: number, inbound: DeskInbound, parsed: ParsedInput): TurnResult[] {
    const { tickets, t, texts, host } = this.desk;
    const now = this.desk.now();
    const row = tickets.get(id);
    if (!row) return [];
    // A redelivered message or button press (the platform retried) is not acted on twice.
    const recent = readIds(row.recent_ids);
    if (!rememberId(recent, inbound.messageId)) return [];
    row.recent_ids = JSON.stringify(recent);
    tickets.save(row.id, row, now);

    const volunteer: Volunteer = {
      desk: inbound.desk,
      id: inbound.from.id,
      name: inbound.from.name.slice(0, 64),
      signature: tickets.signature(inbound.desk, inbound.from.id),
    };
    const context = contextOf(row);
    const userT = texts.t(this.tickets.userLang(row, context));
    const reply = (text: string) => this.outbox.enqueue(row.id, { type: 'post', text }, now);
    const step = this.tickets.step.bind(this.tickets);

    if (parsed.kind === 'unsupported') {
      reply(t('desk:unsupported'));
      return [];
    }
    if (parsed.kind === 'text') return step(row, { type: 'VOLUNTEER_MESSAGE', volunteer }, now, { text: parsed.text });
    if (parsed.kind === 'media') {
      const refusal = mediaRefusal(parsed.media);
      if (refusal) {
        reply(t(`desk:mediaRefused.${refusal}`, { megabytes: MAX_MEDIA_MEGABYTES }));
        return [];
      }
      return step(row, { type: 'VOLUNTEER_MESSAGE', volunteer }, now, { text: parsed.caption, media: parsed.media });
    }
    switch (parsed.name) {
      case 'claim':
        return step(row, { type: 'CLAIM', volunteer }, now);
      case 'takeover':
        return step(row, { type: 'TAKEOVER', volunteer }, now);
      case 'release':
        return step(row, { type: 'RELEASE', volunteer }, now);
      case 'close':
        // The note is about the person ("reset her Orange password to …"): masked like their own words.
        return step(row, { type: 'CLOSE', by: 'volunteer', volunteer, note: maskSecrets(safeForDisplay(parsed.args.slice(0, 200))).text }, now);
      case 'handback': {
        const steps = host.guideView(row.conversation_key)?.context.plan.steps ?? [];
        const chosen = parsed.args.trim() ? this.stepNamed(parsed.args, steps, context) : undefined;
        if (parsed.args.trim() && !chosen) {
          reply(this.stepsHelp(steps, context));
          return [];
        }
        return step(row, { type: 'HANDBACK', volunteer, ...(chosen ? { step: chosen } : {}) }, now);
      }
      case 'note':
        // Stays on the desk, for the volunteers: nothing is relayed.
        return [];
      case 'transfer':
        return this.transfer(row, volunteer, parsed.args, now);
      case 'snippet': {
        const name = parsed.args.trim();
        const known = PLAN_STEP_IDS.find((s) => s.toLowerCase() === name.toLowerCase());
        if (!known) {
          reply(t('desk:snippets', { names: PLAN_STEP_IDS.map((s) => `\`${s}\``).join(', ') }));
          return [];
        }
        return step(row, { type: 'VOLUNTEER_MESSAGE', volunteer }, now, { text: userT(`handoff:snippets.${known}`), snippet: true });
      }
      default:
        reply(t('desk:help'));
        return [];
    }
  }

  /**
   * `/transfer NAME`: the ticket goes to another desk — a new thread there with the card (the history stays
   * behind: only the card travels), this thread told and closed, the person told which team will answer. A held
   * ticket is released first, by its holder only (the machine refuses anyone else).
   */
  private transfer(row: TicketRow, volunteer: Volunteer, args: string, now: number): TurnResult[] {
    const { t, texts, desks, directory } = this.desk;
    const reply = (text: string) => this.outbox.enqueue(row.id, { type: 'post', text }, now);
    if (row.status === 'closed') {
      reply(t('desk:transfer.closed'));
      return [];
    }
    const from = this.tickets.deskOf(row);
    const target = transferTarget(desks, from, args);
    if (!target.ok && target.names.length === 0) {
      reply(t('desk:transfer.noOtherDesk'));
      return [];
    }
    if (!target.ok) {
      reply(t(`desk:transfer.${target.refusal}`, { text: args.trim(), names: target.names.join(', ') }));
      return [];
    }
    const context = contextOf(row);
    if (!directory.portFor(target.desk, context.card.platform, this.ports.names())) {
      reply(t('desk:transfer.notHere'));
      return [];
    }
    const results: TurnResult[] = [];
    if (row.status === 'claimed') {
      results.push(...this.tickets.step(row, { type: 'RELEASE', volunteer }, now));
      if (this.desk.tickets.get(row.id)?.status !== 'queued') return results; // refused: not the holder
    }
    const userT = texts.t(this.tickets.userLang(row, context));
    this.outbox.enqueue(row.id, {
      type: 'transfer',
      to: target.desk.id,
      leaving: t('desk:transfer.done', { name: volunteer.name, desk: target.desk.name }),
      arriving: t('desk:transfer.arrived', { from: from.name }),
    }, now);
    this.outbox.enqueue(row.id, { type: 'toUser', text: userT('desk:transfer.toPerson', { desk: target.desk.name }) }, now);
    this.desk.deskCounters.ticketArrived(target.desk.id, now);
    return results;
  }

  /** "/handback 2", "/handback imapSync", "/handback <its title>": the plan step a volunteer means, if any. */
  private stepNamed(args: string, steps: readonly PlanItemKey[], context: TicketContext): PlanItemKey | undefined {
    const wanted = args.trim().toLowerCase();
    const number = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
    if (Number.isInteger(number) && number >= 1 && number <= steps.length) return steps[number - 1];
    return steps.find(
      (s) => s.toLowerCase() === wanted || stepTitle(this.desk.t, this.desk.catalog, context.card, s).toLowerCase() === wanted,
    );
  }

  /** The steps a volunteer may hand back to, numbered, when the one they named is not among them. */
  private stepsHelp(steps: readonly PlanItemKey[], context: TicketContext): string {
    const { t, catalog } = this.desk;
    if (steps.length === 0) return t('desk:noPlan');
    const list = steps.map((s, i) => `${i + 1}. ${stepTitle(t, catalog, context.card, s)} (\`${s}\`)`).join('\n');
    return t('desk:badStep', { steps: list });
  }
}

/** A button is its command; "/claim@bot args" is "claim"; an unknown command is "help" (the volunteer sees them). */
function parse(inbound: DeskInbound): ParsedInput {
  const input = inbound.input;
  if (input.kind === 'unsupported') return { kind: 'unsupported' };
  if (input.kind === 'media') return { kind: 'media', media: input.media, caption: input.caption?.trim().slice(0, MAX_RELAY_TEXT) ?? '' };
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
