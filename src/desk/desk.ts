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
 * This class only composes the parts, one concern each, and is what the rest of the program sees: the engine
 * calls it as its EngineDesk, the adapters as their DeskRegistry.
 *
 *   person.ts      the person's side (the guide's ticket intents, /mydata, /forget)
 *   volunteers.ts  the volunteers' side (who may act, their commands and words)
 *   tickets.ts     a ticket's life (its machine stepped, saved and acted on; its erasure)
 *   outbox.ts      what is still to post or send, carried out after commit
 *   deadlines.ts   a ticket's deadlines, the retention purge, the usual wait
 *   host.ts        what the desk needs of the guide (the Engine has it): nothing else of the engine is used
 *
 * Either desk serves users of either platform (ports.ts).
 */
import type { DeskTurn, EngineDesk } from '../engine/engine.js';
import type { TicketData } from '../engine/personal-data.js';
import type { GuideIntent } from '../flows/guide.types.js';
import type { DeadlineRow } from '../store/repositories.js';
import { DeskDeadlines } from './deadlines.js';
import { createDeskContext, type DeskContext, type DeskOptions } from './options.js';
import { DeskOutbox } from './outbox.js';
import { DeskPerson } from './person.js';
import type { DeskInbound, DeskPort, DeskRegistry } from './port.js';
import { DeskPorts } from './ports.js';
import { DeskTickets } from './tickets.js';
import { DeskVolunteers } from './volunteers.js';

export class Desk implements DeskRegistry, EngineDesk {
  private readonly desk: DeskContext;
  private readonly ports = new DeskPorts();
  private readonly outbox: DeskOutbox;
  private readonly deadlines: DeskDeadlines;
  private readonly person: DeskPerson;
  private readonly volunteers: DeskVolunteers;

  constructor(options: DeskOptions) {
    this.desk = createDeskContext(options);
    // The outbox comes first (every part queues jobs in it); what it needs of the later parts comes as hooks.
    const outbox: DeskOutbox = new DeskOutbox(this.desk, this.ports, {
      personUnreachable: (ticketId): void => tickets.personUnreachable(ticketId),
      // The ticket's desk's usual wait (in its open hours when it has hours), as the person was told.
      waitMinutes: (row): number => deadlines.usualWaitMinutes(undefined, tickets.deskOf(row)),
    });
    const tickets: DeskTickets = new DeskTickets(this.desk, outbox);
    const deadlines: DeskDeadlines = new DeskDeadlines(this.desk, tickets, outbox);
    this.outbox = outbox;
    this.deadlines = deadlines;
    this.person = new DeskPerson(this.desk, tickets, outbox, deadlines);
    this.volunteers = new DeskVolunteers(this.desk, this.ports, tickets, outbox);
    options.host.attachDesk(this);
  }

  /* The adapters' side (DeskRegistry). */

  register(port: DeskPort): void {
    this.ports.add(port);
  }

  receive(inbound: DeskInbound): Promise<void> {
    return this.volunteers.receive(inbound);
  }

  /* The engine's side (EngineDesk): inside a turn of the person's. */

  available(): boolean {
    return this.ports.any();
  }

  /** Whether some desk serves people by their département (then "meet someone in person" is worth offering). */
  servesDepartements(): boolean {
    return this.desk.desks.some((desk) => desk.serves.departements.length > 0);
  }

  reopenable(key: string, now: number): boolean {
    return this.person.reopenable(key, now);
  }

  onIntent(key: string, intent: GuideIntent, turn: DeskTurn): GuideIntent[] {
    return this.person.onIntent(key, intent, turn);
  }

  personActive(key: string, now: number): void {
    this.person.personActive(key, now);
  }

  personalData(key: string): TicketData[] {
    return this.person.personalData(key);
  }

  erase(key: string, now: number): void {
    this.person.erase(key, now);
  }

  /* After commit, and the scheduler's rounds. */

  /** Delivers the jobs of the tickets touched since the last flush — tickets just erased included. */
  flush(): Promise<void> {
    return this.outbox.flush();
  }

  /** Delivers every ticket's due jobs (at start, and by the scheduler: retries after a desk outage). */
  drainAll(now = this.desk.now()): Promise<void> {
    return this.outbox.drainAll(now);
  }

  /** Delivers one ticket's jobs in order; stops at the first that fails (it waits for its retry). */
  drain(ticketId: number): Promise<void> {
    return this.outbox.drain(ticketId);
  }

  fireDeadlines(key: string, due: DeadlineRow[], now: number): Promise<void> {
    return this.deadlines.fireDeadlines(key, due, now);
  }

  /** Erases closed tickets past their retention (the scheduler calls this with the conversations' purge). */
  purge(now = this.desk.now()): number {
    return this.deadlines.purge(now);
  }

  /** The median wait of the last claims (30 days), or the configured default when there were none. */
  usualWaitMinutes(now = this.desk.now()): number {
    return this.deadlines.usualWaitMinutes(now);
  }
}
