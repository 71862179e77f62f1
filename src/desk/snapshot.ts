/**
 * A ticket's saved machine (the `snapshot` column): read by every part of the desk, changed only by ./tickets.ts.
 * Kept apart so that the outbox and the volunteers' side can read a ticket without depending on its life.
 */
import { createActor, type Actor } from 'xstate';
import { ticketMachine, type TicketMachine } from '../flows/ticket.machine.js';
import type { TicketContext } from '../flows/ticket.types.js';
import type { TicketRow } from '../store/tickets.js';

export type TicketActor = Actor<TicketMachine>;

/** The ticket's context as last saved, to read. */
export function contextOf(row: TicketRow): TicketContext {
  return (JSON.parse(row.snapshot) as { context: TicketContext }).context;
}

/** The ticket's machine, running again from its saved snapshot (to send it an event, then save it). */
export function restore(row: TicketRow): TicketActor {
  return createActor(ticketMachine, { snapshot: JSON.parse(row.snapshot), input: undefined as never }).start();
}
