/**
 * Time on the desk: a ticket's deadlines (unclaimed → alert again; claimed and silent → "still there?"; then
 * closed), fired by the engine's scheduler in the person's queue; the retention purge of closed tickets; and the
 * usual wait a person is told when their request joins the queue.
 */
import type { TurnResult } from '../engine/engine.js';
import { isQuietTime, nextAllowedTime } from '../engine/quiet-hours.js';
import type { TicketDeadline } from '../flows/ticket.types.js';
import type { DeadlineRow } from '../store/repositories.js';
import { DAY, type DeskContext } from './options.js';
import type { DeskOutbox } from './outbox.js';
import type { DeskTickets } from './tickets.js';
import type { DeskSpec } from './desks.js';
import { usualWaitOpenMinutes } from './directory.js';

/** The usual wait is the median of the claims of this last stretch of time. */
const WAIT_WINDOW_MS = 30 * DAY;

export class DeskDeadlines {
  constructor(
    private readonly desk: DeskContext,
    private readonly tickets: DeskTickets,
    private readonly outbox: DeskOutbox,
  ) {}

  /** Due ticket deadlines of one conversation ("ticket:12:unclaimed"), in its queue: one transaction, then delivery. */
  async fireDeadlines(key: string, due: DeadlineRow[], now: number): Promise<void> {
    const { host, db } = this.desk;
    const results: TurnResult[] = [];
    const ids = new Set<number>();
    // "Still there?" goes to the person: never at night where they live (like the check-ins); the desk's
    // deadlines (alerts, closing) are not for them and fire when due.
    const timeZone = host.guideView(key)?.context.reminders.timeZone;
    db.transaction(() => {
      for (const deadline of due) {
        const [, id, kind] = deadline.kind.split(':');
        if (kind === 'inactive' && timeZone && isQuietTime(now, timeZone)) {
          host.setDeadline(key, deadline.kind, nextAllowedTime(now, timeZone));
          continue;
        }
        host.cancelDeadline(key, deadline.kind);
        const row = this.desk.tickets.get(Number(id));
        if (!row) continue;
        ids.add(row.id);
        results.push(...this.tickets.step(row, { type: 'DEADLINE', deadline: kind as TicketDeadline }, now));
      }
    })();
    await this.tickets.deliverNews(results);
    for (const id of ids) await this.outbox.drain(id);
  }

  /** Erases closed tickets past their retention (the scheduler calls this with the conversations' purge). */
  purge(now = this.desk.now()): number {
    const { db, tickets, timing } = this.desk;
    return db.transaction(() => {
      const ids = new Set([...tickets.closedBefore(now - timing.retentionMs), ...tickets.orphans()]);
      for (const id of ids) {
        const row = tickets.get(id);
        if (row) this.tickets.erase(row, now, 'expired');
      }
      // Relay records of a ticket already gone (a post that finished after the erasure) point at nothing to delete.
      return ids.size + tickets.purgeOrphanRelays();
    })();
  }

  /**
   * The median wait of the last claims (30 days), or the configured default when there were none. For a desk with
   * opening hours, the waits of its own tickets counted in its open time only (a weekend in the queue is not a
   * 60-hour wait); the single desk, open at any hour, counts as it always did.
   */
  usualWaitMinutes(now = this.desk.now(), desk?: DeskSpec): number {
    if (desk && desk.hours.week !== 'always') {
      const { directory } = this.desk;
      const claims = this.desk.tickets.recentClaims(now - WAIT_WINDOW_MS).filter((c) => c.desk !== null && directory.deskOfPort(c.desk)?.id === desk.id);
      return usualWaitOpenMinutes(desk, claims, this.desk.timing.defaultWaitMinutes);
    }
    const waits = this.desk.tickets.recentWaits(now - WAIT_WINDOW_MS).sort((a, b) => a - b);
    if (waits.length === 0) return this.desk.timing.defaultWaitMinutes;
    return Math.max(1, Math.round(waits[Math.floor(waits.length / 2)]! / 60_000));
  }
}
