/**
 * The desk room, inbound: everything said there goes to the desk core (DeskRegistry.receive), never to the guide,
 * in the room's order (../sync.ts routes the room's events here). The port (./port.ts) sees every event first,
 * the bot's own too, for its thread bookkeeping.
 */
import type { DeskInbound, DeskRegistry } from '../../../desk/port.js';
import type { Log } from '../../../log.js';
import { ENCRYPTION_FIX } from '../errors.js';
import { localpart, type RawEvent } from '../read.js';
import type { Rooms } from '../rooms.js';
import type { MatrixDesk } from './port.js';
import { readDeskEvent } from './read.js';

export interface DeskRoomDeps {
  port: MatrixDesk;
  registry: DeskRegistry;
  rooms: Rooms;
  /** The bot's user id. */
  bot: () => string;
  /** Whether encryption is on (the SDK decrypts, or reports a failure). */
  encrypted: () => boolean;
  log: Log;
}

export class DeskRoom {
  private encryptedSaid = false;

  constructor(
    readonly roomId: string,
    private readonly deps: DeskRoomDeps,
  ) {}

  /** The desk's port (outbound: threads, posts), registered with the desk core. */
  get port(): MatrixDesk {
    return this.deps.port;
  }

  /** An event of the desk room: thread bookkeeping (the bot's own events too), then to the desk core. */
  async event(event: RawEvent): Promise<void> {
    this.deps.port.observe(event);
    if (event.sender === this.deps.bot()) return;
    if (event.type === 'm.room.encrypted') {
      if (this.deps.encrypted()) return; // the SDK decrypts it, or reports a failure
      if (!this.encryptedSaid) this.deps.log('matrix_desk_encrypted', { fix: ENCRYPTION_FIX }, 'warn'); // once: relayed as unsupported
      this.encryptedSaid = true;
    }
    const input = readDeskEvent(event);
    if (input) await this.relay(event, input);
  }

  /** The room's timeline had a gap (a `limited` sync): its members are read afresh, its thread roots looked up again. */
  timelineGap(): void {
    this.deps.rooms.forget(this.roomId);
    this.deps.port.timelineGap();
  }

  /** An event the SDK could not decrypt: the desk is told something was said that it cannot show. */
  undecryptable(event: RawEvent): Promise<void> {
    return this.relay(event, { kind: 'unsupported' });
  }

  private async relay(event: RawEvent, input: DeskInbound['input']): Promise<void> {
    if (event.sender === this.deps.bot()) return;
    const threadId = await this.deps.port.threadOf(event);
    const room = await this.deps.rooms.get(this.roomId);
    await this.deps.registry.receive({
      desk: this.deps.port.name, // "matrix", or "matrix/<desk id>": the core routes by the port's name
      ...(threadId ? { threadId } : {}),
      messageId: event.event_id,
      from: { id: event.sender, name: room.names.get(event.sender) || localpart(event.sender) },
      input,
    });
  }
}
