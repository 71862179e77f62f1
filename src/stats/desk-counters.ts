/**
 * Anonymous per-desk counts, in the same `stats_daily` table as the funnel (day, metric, detail, count): how many
 * tickets each desk received and closed, how long people waited and how long tickets took to close — counted in
 * the desk's *open* minutes, so a desk open three evenings a week is not blamed for its nights — and how people
 * rated the help.
 *
 * What a row may say, and nothing else: a desk id, a duration *bucket* and a rating. Never a volunteer (no desk is
 * split by who answered, no one is ranked), never a person, never a ticket number: a median is read from the
 * buckets (./desk-report.ts), so no single duration is stored either.
 *
 *   desk.tickets   detail "arn"            a ticket reached the desk (queued, or transferred to it)
 *   desk.closed    detail "arn"            a ticket the desk held was closed
 *   desk.wait      detail "arn:le60"       open minutes from queued to first claimed, in its bucket
 *   desk.toClose   detail "arn:le240"      open minutes from queued to closed, in its bucket
 *   desk.rated     detail "arn:helped"     the person's one-tap rating (helped / partly / not)
 */
import type { Db } from '../store/database.js';
import { TICKET_RATINGS, type TicketRatingValue } from '../flows/ticket-news.js';
import { dayOf } from './counters.js';

export const DESK_METRICS = ['desk.tickets', 'desk.closed', 'desk.wait', 'desk.toClose', 'desk.rated'] as const;
export type DeskMetric = (typeof DESK_METRICS)[number];

export function isDeskMetric(value: string): value is DeskMetric {
  return (DESK_METRICS as readonly string[]).includes(value);
}

/** The ticket's own vocabulary (src/flows/ticket.types.ts): one list, so a new answer cannot miss the stats. */
export const RATINGS = TICKET_RATINGS;
export type Rating = TicketRatingValue;

/**
 * Upper bounds of the duration buckets, in open minutes: a quarter of an hour to two open weeks (a desk open 15 h a
 * week), then "more". Coarse on purpose: a duration that precise could point at one conversation.
 */
export const BUCKET_BOUNDS = [15, 30, 60, 120, 240, 480, 960, 1920] as const;
export const BUCKETS = [...BUCKET_BOUNDS.map((bound) => `le${bound}`), 'more'] as const;
export type Bucket = (typeof BUCKETS)[number];

export function bucketOf(openMinutes: number): Bucket {
  const index = BUCKET_BOUNDS.findIndex((bound) => openMinutes <= bound);
  return BUCKETS[index === -1 ? BUCKETS.length - 1 : index]!;
}

/** The open-minute range a bucket stands for: [after, upTo]; upTo undefined for "more". */
export function bucketRange(bucket: Bucket): { after: number; upTo: number | undefined } {
  const index = BUCKETS.indexOf(bucket);
  return { after: index === 0 ? 0 : BUCKET_BOUNDS[index - 1]!, upTo: BUCKET_BOUNDS[index] };
}

const DESK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkDesk(deskId: string): string {
  // The detail is all a row says: refuse anything that is not a desk's slug rather than store it.
  if (!DESK_ID.test(deskId)) throw new RangeError(`not a desk id: ${JSON.stringify(deskId)}`);
  return deskId;
}

export function createDeskCounters(db: Db) {
  const increment = db.prepare<[string, string, string]>(
    `INSERT INTO stats_daily (day, metric, detail, count) VALUES (?, ?, ?, 1)
     ON CONFLICT(day, metric, detail) DO UPDATE SET count = count + 1`,
  );
  const count = (metric: DeskMetric, at: number, detail: string) => increment.run(dayOf(at), metric, detail);
  return {
    ticketArrived(deskId: string, at: number): void {
      count('desk.tickets', at, checkDesk(deskId));
    },
    firstClaimed(deskId: string, at: number, waitedOpenMinutes: number): void {
      count('desk.wait', at, `${checkDesk(deskId)}:${bucketOf(waitedOpenMinutes)}`);
    },
    closed(deskId: string, at: number, openMinutesFromQueue: number): void {
      count('desk.closed', at, checkDesk(deskId));
      count('desk.toClose', at, `${checkDesk(deskId)}:${bucketOf(openMinutesFromQueue)}`);
    },
    rated(deskId: string, at: number, rating: Rating): void {
      if (!(RATINGS as readonly string[]).includes(rating)) throw new RangeError(`not a rating: ${JSON.stringify(rating)}`);
      count('desk.rated', at, `${checkDesk(deskId)}:${rating}`);
    },
  };
}

export type DeskCounters = ReturnType<typeof createDeskCounters>;
