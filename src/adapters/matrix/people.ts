/**
 * The person's side of Matrix: direct chats only (silent in rooms with more members). Their events become
 * `Inbound`s for the engine (the event id as message id, so a replayed event is never answered twice); the
 * engine decides everything else. ./sync.ts routes every event of a room that is not the desk here.
 *
 * - Invitations are accepted; the welcome is sent when the bot's join arrives, in a room of two (the person and
 *   the bot). A room that is not a direct chat when the bot joins is left at once. In a direct chat where a third
 *   person came in, the bot stays silent; left alone in a room, it leaves.
 * - Only the person the conversation belongs to is answered. When they leave, the bot leaves too: whoever stays
 *   (a relative they invited) inherits nothing — not their /mydata, not their volunteer, not /forget.
 * - In an encrypted room without encryption, the person is told, plainly, how to reach the bot in an unencrypted
 *   one, and nothing else happens there.
 */
import type { InboundInput, OutMessage } from '../../engine/types.js';
import type { Log } from '../../log.js';
import { LANGUAGES, type Lang, type Texts } from '../../render/i18n.js';
import type { PlatformEngine } from '../platform.js';
import { noticeContents, type NoticeContent } from './format.js';
import { MATRIX_PLATFORM, readEvent, type RawEvent } from './read.js';
import { conversationOf, isDeparture, matrixChatId, type Rooms } from './rooms.js';

/** Encrypted events answered with the notice, remembered (they never reach the engine and its record of ids). */
const NOTICED_KEPT = 1_000;

export interface PeopleDeps {
  engine: PlatformEngine;
  texts: Texts;
  rooms: Rooms;
  /** The bot's user id. */
  bot: () => string;
  /** Whether encryption is on (the SDK decrypts, or reports a failure). */
  encrypted: () => boolean;
  /** Sends one notice (the adapter's transport). */
  notice: (roomId: string, content: NoticeContent) => Promise<unknown>;
  log: Log;
}

export class People {
  /** The language of the last reply in each room (for the encrypted-room notice). */
  private readonly langs = new Map<string, Lang>();
  private readonly noticed = new Set<string>();

  constructor(private readonly deps: PeopleDeps) {}

  /** A reply is going out in this room: its language, for a later encrypted-room notice. */
  replying(roomId: string, message: Pick<OutMessage, 'lang'>): void {
    this.langs.set(roomId, message.lang);
  }

  /** The bot's join arrived: the welcome, in a direct chat; any other room is left. */
  async joined(roomId: string, event: RawEvent): Promise<void> {
    const { rooms } = this.deps;
    const room = await rooms.get(roomId);
    // A group room is not a place for someone's e-mail move (nor worth syncing): the bot does not stay.
    if (!rooms.isDirect(room)) return rooms.leave(roomId, 'matrix_left_not_direct');
    if (room.encrypted && !this.deps.encrypted()) return this.tellEncrypted(roomId, event.event_id);
    const owner = rooms.otherMember(room)!;
    await this.deps.engine.receive({
      conversation: { platform: MATRIX_PLATFORM, chatId: matrixChatId(roomId, owner) },
      messageId: event.event_id,
      input: { kind: 'start' },
    });
  }

  /** A room event (not state, not the bot's own) of a room that is not the desk. */
  async message(roomId: string, event: RawEvent): Promise<void> {
    const reading = readEvent(event);
    if (!reading) return;
    if (reading.kind === 'encrypted' && this.deps.encrypted()) return; // the SDK decrypts it, or reports a failure
    const room = await this.deps.rooms.get(roomId);
    if (!this.deps.rooms.isDirect(room)) return;
    if (reading.kind === 'encrypted' || (room.encrypted && !this.deps.encrypted())) return this.tellEncrypted(roomId, event.event_id);
    await this.toEngine(roomId, event, reading.input);
  }

  /** An event the SDK could not decrypt: the guide says what it says of anything it cannot read. */
  undecryptable(roomId: string, event: RawEvent): Promise<void> {
    return this.toEngine(roomId, event, { kind: 'unsupported', what: 'other' });
  }

  /** Membership and encryption kept up to date; left alone in a room, the bot leaves it. */
  async state(roomId: string, event: RawEvent): Promise<void> {
    const { rooms, engine } = this.deps;
    const someoneLeft = isDeparture(event, this.deps.bot());
    // Not known yet: read afresh when next needed — unless someone left, which may leave the bot alone.
    const room = someoneLeft ? await rooms.get(roomId) : rooms.cached(roomId);
    if (!room) return;
    rooms.track(room, event);
    if (event.type !== 'm.room.member') return;
    if (event.state_key !== this.deps.bot() && rooms.onlyBot(room)) return rooms.leave(roomId, 'matrix_left_empty_room');
    // The person whose conversation this room holds left: the bot leaves with them, never staying for the others.
    if (someoneLeft && engine.knows(conversationOf(roomId, event.state_key!))) return rooms.leave(roomId, 'matrix_left_owner_gone');
  }

  private async toEngine(roomId: string, event: RawEvent, input: InboundInput): Promise<void> {
    if (event.sender === this.deps.bot()) return;
    const { rooms, engine } = this.deps;
    const room = await rooms.get(roomId);
    if (!rooms.isDirect(room)) return;
    // The person who had this room left it (the bot learnt it late: a restart, a gap): not handed to whoever is here.
    if (rooms.ownerGone(roomId, room, (key) => engine.knows(key))) return rooms.leave(roomId, 'matrix_left_owner_gone');
    const chatId = matrixChatId(roomId, event.sender);
    // A conversation from before they had an owner (keyed by the room): it becomes the person's, who is alone
    // with the bot in it — as it was read before.
    const legacy = `${MATRIX_PLATFORM}:${roomId}`;
    if (engine.knows(legacy)) engine.rename(legacy, `${MATRIX_PLATFORM}:${chatId}`);
    // The display name goes no further than this turn unless the person agrees to show it to a volunteer.
    const displayName = room.names.get(event.sender) || undefined;
    await engine.receive({
      conversation: { platform: MATRIX_PLATFORM, chatId },
      messageId: event.event_id,
      ...(displayName ? { displayName } : {}),
      input,
    });
  }

  /** In an encrypted room without encryption: how to reach the bot, in the person's language if known. */
  private async tellEncrypted(roomId: string, eventId: string): Promise<void> {
    if (this.noticed.has(eventId)) return;
    this.noticed.add(eventId);
    if (this.noticed.size > NOTICED_KEPT) this.noticed.delete(this.noticed.values().next().value as string);
    const known = this.langs.get(roomId);
    const bot = this.deps.bot();
    const text = (known ? [known] : [...LANGUAGES]).map((lang) => this.deps.texts.t(lang)('common:matrix.encrypted', { bot })).join('\n\n');
    await this.deps.notice(roomId, noticeContents({ text, choices: [] })[0]!);
    this.deps.log('matrix_encrypted_room_notice');
  }
}
