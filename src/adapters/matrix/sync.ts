/**
 * Every event /sync brings, routed in this one place (as honoroit's sync.go does): to the person's side
 * (./people.ts), to a desk room (./desk/room.ts) — the one of MATRIX_DESK_ROOM_ID, or each desk's of the desks
 * file, found by room id —, or to the rooms' bookkeeping (./rooms.ts).
 *
 *   /sync batch → before(): held until listen(), skips marked → SDK events → route() → per-room queue → handler
 *               → after(): waits for the queues → the SDK saves the sync token
 *
 * - Events of one room are handled in order, one at a time; rooms in parallel.
 * - The sync token is saved only once every event of its batch has been handled: a crash replays the batch, and
 *   the engine's record of event ids turns the replay into nothing.
 * - Not answered: the history of a first sync (no token stored yet), and what was said in a room before the bot
 *   joined it. A batch that arrives while stopping is refused (its token not saved: the next run gets it again).
 */
import type { MatrixClient } from 'matrix-bot-sdk';
import { KeyedQueue } from '../../engine/keyed-queue.js';
import type { Log } from '../../log.js';
import type { Lifecycle } from '../kit/lifecycle.js';
import type { BatchHooks } from './client.js';
import type { DeskRoom } from './desk/room.js';
import { describeError } from './errors.js';
import type { People } from './people.js';
import type { RawEvent } from './read.js';
import type { Rooms } from './rooms.js';

export interface SyncTargets {
  people: People;
  /** The desk rooms by room id (none when no desk is configured): each room's events go to its own port. */
  desks: ReadonlyMap<string, DeskRoom>;
  rooms: Rooms;
  /** The bot's user id. */
  bot: () => string;
  /** The platform's in-flight / stop lifecycle (../kit/lifecycle.ts): every event handled is tracked by it. */
  lifecycle: Lifecycle;
  log: Log;
}

interface SyncBatch {
  rooms?: { join?: Record<string, { timeline?: { events?: RawEvent[]; limited?: boolean } }> };
}

export class SyncRouter {
  private readonly queue = new KeyedQueue();
  /** Events of the batch in hand not to answer: before the bot's join, or the whole first sync's history. */
  private readonly skipped = new Set<string>();
  private catchingUp = false;
  private open!: () => void;
  /** Batches wait here until the platform listens (its start may deliver replies first). */
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  /** What the SDK's client calls around each batch (./client.ts). */
  readonly hooks: BatchHooks = { before: (raw) => this.beforeBatch(raw), after: () => this.queue.idle() };

  constructor(private readonly to: SyncTargets) {}

  /** Before the client starts: with no sync token yet, the first batch is history, not to be answered. */
  firstSync(first: boolean): void {
    this.catchingUp = first;
  }

  /** Batches are handled from now on. */
  listen(): void {
    this.open();
  }

  /** Once the lifecycle is stopping: the batch held (if any) is let go, to be refused. */
  stop(): void {
    this.open();
  }

  /** Every SDK event the adapter listens to. */
  attach(client: MatrixClient): void {
    const { rooms, desks, people } = this.to;
    client.on('room.invite', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => rooms.accept(roomId)));
    client.on('room.join', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => this.joined(roomId, event)));
    client.on('room.leave', (roomId: string) => {
      rooms.gone(roomId);
      if (desks.has(roomId)) this.to.log('matrix_desk_room_left', {}, 'error');
    });
    client.on('room.event', (roomId: string, event: RawEvent) => this.enqueue(roomId, event, () => this.route(roomId, event)));
    client.on('room.failed_decryption', (roomId: string, event: RawEvent) =>
      this.enqueue(roomId, event, () => desks.get(roomId)?.undecryptable(event) ?? people.undecryptable(roomId, event)),
    );
  }

  /** A room event or state event: where it goes. */
  private async route(roomId: string, event: RawEvent): Promise<void> {
    const { rooms, people } = this.to;
    const desk = this.to.desks.get(roomId);
    if (typeof event.state_key === 'string') {
      if (!desk) return people.state(roomId, event);
      // The desk room: only its members are tracked (who may act); the bot stays there, even alone.
      const room = rooms.cached(roomId);
      if (room) rooms.track(room, event);
      return;
    }
    if (desk) return desk.event(event);
    if (event.sender === this.to.bot()) return;
    return people.message(roomId, event);
  }

  private async joined(roomId: string, event: RawEvent): Promise<void> {
    this.to.rooms.joined(roomId);
    if (this.to.desks.has(roomId)) return; // no welcome on a desk
    await this.to.people.joined(roomId, event);
  }

  /**
   * Before the SDK hands out a batch's events: wait until listening; on a stop, refuse it; mark what not to
   * answer — the history of a first sync, and what was said before the bot joined.
   */
  private async beforeBatch(raw: unknown): Promise<void> {
    await this.opened;
    if (this.to.lifecycle.isStopping) throw new Error('stopping');
    this.skipped.clear();
    const bot = this.to.bot();
    for (const [roomId, room] of Object.entries((raw as SyncBatch | undefined)?.rooms?.join ?? {})) {
      // A gap in the desk room's timeline may hide membership changes and redactions.
      if (room.timeline?.limited) this.to.desks.get(roomId)?.timelineGap();
      const events = room.timeline?.events ?? [];
      let until = this.catchingUp ? events.length : 0;
      events.forEach((event, i) => {
        const ours = event.type === 'm.room.member' && event.state_key === bot;
        if (ours && event.content?.membership === 'join' && event.unsigned?.prev_content?.membership !== 'join') until = Math.max(until, i);
      });
      for (const event of events.slice(0, until)) if (typeof event.state_key !== 'string' || this.catchingUp) this.skipped.add(event.event_id);
    }
    this.catchingUp = false;
  }

  /**
   * Queues an event's handling behind its room's previous ones, tracked as in flight (none once stopping); a
   * failure is logged, never thrown.
   */
  private enqueue(roomId: string, event: RawEvent | undefined, task: () => Promise<void>): void {
    if (event && this.skipped.has(event.event_id)) return;
    void this.to.lifecycle.track(() =>
      this.queue.run(roomId, async () => {
        try {
          await task();
        } catch (error) {
          this.to.log('matrix_event_failed', { type: event?.type, ...describeError(error) }, 'error');
        }
      }),
    );
  }
}
