/**
 * The rooms the bot is in, as far as the guide cares: who is in each (joined or invited) with their display names,
 * whether it is encrypted, and which rooms the bot left. Read once from the room's state when first needed, then
 * kept up to date from /sync (./sync.ts hands every state event here).
 *
 * A conversation belongs to the person, not to the room: its chat id is "<room id> <user id>" of the person who
 * was in the direct chat when the bot joined it (user and room ids never hold a space).
 */
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Log } from '../../log.js';
import { describeError } from './errors.js';
import { MATRIX_PLATFORM, type RawEvent } from './read.js';

/** The conversation of `userId` in `roomId`: the chat id the engine knows it by. */
export function matrixChatId(roomId: string, userId: string): string {
  return `${roomId} ${userId}`;
}

/** "<room> <user>" → both; a chat id from before conversations had an owner is a room id alone. */
export function parseMatrixChatId(chatId: string): { roomId: string; owner?: string } {
  const space = chatId.indexOf(' ');
  return space < 0 ? { roomId: chatId } : { roomId: chatId.slice(0, space), owner: chatId.slice(space + 1) };
}

/** The engine's key of that conversation ("matrix:<room> <user>"). */
export const conversationOf = (roomId: string, userId: string) => `${MATRIX_PLATFORM}:${matrixChatId(roomId, userId)}`;

/** A room as far as the guide cares: who is in it (joined or invited), and whether it is encrypted. */
export interface RoomInfo {
  members: Map<string, string>;
  /** Display names from the members' state (the desk shows who said what). */
  names: Map<string, string>;
  encrypted: boolean;
}

const present = (membership: string | undefined) => membership === 'join' || membership === 'invite';

/** A member event's membership ("leave" when it says none). */
export const membershipOf = (event: RawEvent) => String(event.content?.membership ?? 'leave');

/** A member event saying someone other than the bot is out of the room (left, kicked, banned). */
export const isDeparture = (event: RawEvent, bot: string) =>
  event.type === 'm.room.member' && !present(membershipOf(event)) && event.state_key !== bot;

export class Rooms {
  private readonly known = new Map<string, RoomInfo>();
  /** Rooms the bot left or was removed from (a reply there cannot arrive). */
  private readonly left = new Set<string>();

  constructor(
    private readonly client: () => MatrixClient,
    /** The bot's user id (known after whoami). */
    private readonly bot: () => string,
    private readonly log: Log,
  ) {}

  /** The room, read from its state on the homeserver when not known yet. */
  async get(roomId: string): Promise<RoomInfo> {
    let room = this.known.get(roomId);
    if (!room) {
      const state = (await this.client().getRoomState(roomId)) as RawEvent[];
      room = { members: new Map(), names: new Map(), encrypted: false };
      for (const event of state) {
        if (event.type === 'm.room.member' && typeof event.state_key === 'string') {
          room.members.set(event.state_key, String(event.content?.membership));
          const name = event.content?.displayname;
          if (typeof name === 'string' && name.trim()) room.names.set(event.state_key, name.trim());
        }
        if (event.type === 'm.room.encryption') room.encrypted = true;
      }
      this.known.set(roomId, room);
    }
    return room;
  }

  /** The room if known, without asking the homeserver. */
  cached(roomId: string): RoomInfo | undefined {
    return this.known.get(roomId);
  }

  /** Read afresh when next needed (a gap in the timeline may hide membership changes). */
  forget(roomId: string): void {
    this.known.delete(roomId);
  }

  /** The bot joined: fresh state (who else is here, encrypted or not). */
  joined(roomId: string): void {
    this.known.delete(roomId);
    this.left.delete(roomId);
  }

  /** The bot is out of the room (it left, or was removed). */
  gone(roomId: string): void {
    this.known.delete(roomId);
    this.left.add(roomId);
  }

  hasLeft(roomId: string): boolean {
    return this.left.has(roomId);
  }

  /** Leaves a room, saying why in the log (`why` is the event name). */
  async leave(roomId: string, why: string): Promise<void> {
    this.gone(roomId);
    try {
      await this.client().leaveRoom(roomId);
      this.log(why);
    } catch (error) {
      this.log('matrix_leave_failed', describeError(error), 'warn');
    }
  }

  /** Accepts an invitation (the welcome comes with the bot's join, see ./sync.ts). */
  async accept(roomId: string): Promise<void> {
    try {
      await this.client().joinRoom(roomId);
      this.log('matrix_invite_accepted');
    } catch (error) {
      this.log('matrix_join_failed', describeError(error), 'warn');
    }
  }

  /** A state event of a known room: encryption, membership and display names kept up to date. */
  track(room: RoomInfo, event: RawEvent): void {
    if (event.type === 'm.room.encryption') room.encrypted = true;
    if (event.type !== 'm.room.member') return;
    room.members.set(event.state_key!, membershipOf(event));
    const name = event.content?.displayname;
    if (typeof name === 'string' && name.trim()) room.names.set(event.state_key!, name.trim());
    else room.names.delete(event.state_key!);
  }

  /** A direct chat: the bot and one other person (joined or invited). */
  isDirect(room: RoomInfo): boolean {
    const people = [...room.members].filter(([, m]) => present(m)).map(([user]) => user);
    return people.length === 2 && people.includes(this.bot());
  }

  /** Nobody left in the room but the bot. */
  onlyBot(room: RoomInfo): boolean {
    const people = [...room.members].filter(([, m]) => present(m));
    return people.length === 1 && people[0]![0] === this.bot();
  }

  /** The one person with the bot in a direct chat. */
  otherMember(room: RoomInfo): string | undefined {
    return [...room.members].find(([user, m]) => user !== this.bot() && present(m))?.[0];
  }

  /** Someone who had a conversation here (`knows`) and is no longer in the room: the room is theirs, not the newcomer's. */
  ownerGone(roomId: string, room: RoomInfo, knows: (key: string) => boolean): boolean {
    return [...room.members].some(([user, m]) => user !== this.bot() && !present(m) && knows(conversationOf(roomId, user)));
  }

  /** The person is known to have left the room (their words must not go to whoever stayed). */
  userLeft(roomId: string, userId: string): boolean {
    const membership = this.known.get(roomId)?.members.get(userId);
    return membership !== undefined && !present(membership);
  }

  /** Known to hold nobody but the bot (the person left, the bot not yet). */
  aloneIn(roomId: string): boolean {
    const room = this.known.get(roomId);
    return !!room && ![...room.members].some(([user, m]) => user !== this.bot() && present(m));
  }

  /** After a refusal: whether the bot is still in the room (true when it cannot even ask: not known to be gone). */
  async botIsIn(roomId: string): Promise<boolean> {
    try {
      return (await this.client().getJoinedRooms()).includes(roomId);
    } catch {
      return true;
    }
  }
}
