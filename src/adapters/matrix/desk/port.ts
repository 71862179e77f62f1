/**
 * The volunteers' desk on Matrix: one room (MATRIX_DESK_ROOM_ID), one thread per ticket
 * (https://spec.matrix.org/v1.10/client-server-api/#threading). The desk core (src/desk/desk.ts) composes every
 * text; this port only places them:
 *
 *   openThread   → the card as a notice in the room's timeline: the thread's root (first line: the title, bold)
 *   updateThread → an `m.replace` edit of the root (`m.new_content`, "* " fallback)
 *   post         → a notice with `m.relates_to: { rel_type: 'm.thread', event_id: root, is_falling_back: true,
 *                  'm.in_reply_to': <the thread's last event> }` (clients without threads show a reply); a post with
 *                  a file: the file's event (../media.ts: its mxc URI, or uploaded) with the text as its caption,
 *                  in the thread the same way
 *   announce     → a notice in the main timeline
 *   deleteMessage → a redaction; closeThread / reopenThread: nothing (Matrix threads cannot be closed)
 *   isMember     → joined member of the desk room (from the membership the adapter tracks through /sync)
 *
 * Buttons do not exist on Matrix: the core's texts name the commands. A root redacted in the room (by anyone) makes
 * its thread gone: `post` and `updateThread` then throw ThreadGoneError and the core opens a new one. Gone roots
 * and the roots the bot opened are kept through AdapterState (`adapter_state`, namespace "matrix-desk", or "matrix-desk/<desk id>" for
 * each desk of the desks file); which
 * event belongs to which thread is kept in memory (bounded), and asked of the homeserver when unknown (after a
 * restart).
 *
 * Inbound (what volunteers say) goes through ./room.ts (`observe`, `threadOf`), in the desk room's order, to the
 * DeskRegistry.
 */
import type { MatrixClient } from 'matrix-bot-sdk';
import { ThreadGoneError, type DeskPort, type DeskPost, type DeskThread } from '../../../desk/port.js';
import type { MediaRef } from '../../../engine/media.js';
import type { Log } from '../../../log.js';
import { parseMarkup, type Span } from '../../../render/markup.js';
import type { AdapterState } from '../../../store/adapter-state.js';
import { describeError, errcodeOf, notFound } from '../errors.js';
import { CONTENT_LIMIT, spanNotices, type NoticeContent } from '../format.js';
import { relationOf, type RawEvent } from '../read.js';
import { Bounded, RememberedIds } from './memory.js';
import { repliedTo } from './read.js';

export const MATRIX_DESK = 'matrix';
/** The namespace of what the desk keeps in `adapter_state`. */
export const DESK_STATE = 'matrix-desk';
/** A card's content stays under this: its edit carries it twice (`m.new_content` and the fallback). */
const CARD_LIMIT = Math.floor(CONTENT_LIMIT / 2) - 500;

export interface MatrixDeskOptions {
  /**
   * The port's name, as the desk core knows it and stores it with each ticket's thread: "matrix" for the desk of
   * MATRIX_DESK_ROOM_ID, "matrix/<desk id>" for a desk of the desks file (src/desk/directory.ts, portName).
   */
  name?: string;
  /** Where gone roots and the roots the bot opened are kept (namespace DESK_STATE); in memory only without it. */
  state?: AdapterState;
  log?: Log;
  /** Sends one event's content to a room and returns its id (the adapter's: retries, encryption). */
  send?: (roomId: string, content: object) => Promise<string>;
  /**
   * The contents of the events that show a file with its caption (our markup) in the room: ../media.ts, by its mxc
   * URI or uploaded. Without it, a post with a file fails.
   */
  media?: (roomId: string, media: MediaRef, caption: string) => Promise<object[]>;
  /** A user's membership in the desk room as tracked from /sync; undefined when unknown. */
  membership?: (userId: string) => Promise<string | undefined>;
  /** Without `membership`: how long the joined members read from the API are trusted (10 s). */
  memberCacheMs?: number;
}

export class MatrixDesk implements DeskPort {
  readonly name: string;
  private readonly client: () => MatrixClient;
  private readonly log: Log;
  /** Roots the bot opened, and gone ones. */
  private readonly roots: RememberedIds;
  private readonly gone: RememberedIds;
  /**
   * Roots looked up with the homeserver (alive), with the `generation` they were looked up in. A gap in the desk
   * room's timeline (a `limited` sync) may hide a redaction: the generation goes up, every root is looked up again.
   */
  private readonly checked = new Bounded<string, number>();
  private generation = 0;
  /** Event → the thread (root) it is in. */
  private readonly threadOfEvent = new Bounded<string, string>();
  /** Thread (root) → its last event (what a new post replies to, for clients without threads). */
  private readonly lastOf = new Bounded<string, string>();
  /** A long post's first event → all its events (deleted together). */
  private readonly parts = new Bounded<string, string[]>();
  private members?: { at: number; joined: Set<string> };

  constructor(
    client: MatrixClient | (() => MatrixClient),
    readonly roomId: string,
    private readonly options: MatrixDeskOptions = {},
  ) {
    this.name = options.name ?? MATRIX_DESK;
    this.client = typeof client === 'function' ? client : () => client;
    this.log = options.log ?? (() => {});
    this.roots = new RememberedIds('root', options.state);
    this.gone = new RememberedIds('gone', options.state);
  }

  // -------------------------------------------------------------------------------------------------------------
  // DeskPort
  // -------------------------------------------------------------------------------------------------------------

  async openThread(title: string, card: DeskPost): Promise<DeskThread> {
    const [root, ...rest] = cardContents(title, card);
    const rootId = await this.send(root!);
    this.roots.add(rootId);
    this.checked.set(rootId, this.generation);
    for (const part of rest) await this.sendInThread(rootId, part); // a card too long for one event (never, in practice)
    this.log('matrix_desk_thread_opened', {});
    return { threadId: rootId, cardId: rootId };
  }

  async updateThread(thread: DeskThread, title: string, card: DeskPost): Promise<void> {
    await this.assertAlive(thread.threadId);
    const [content] = cardContents(title, card);
    const edit = {
      ...content!,
      body: `* ${content!.body}`,
      formatted_body: `* ${content!.formatted_body}`,
      'm.new_content': content,
      'm.relates_to': { rel_type: 'm.replace', event_id: thread.cardId },
    };
    try {
      await this.send(edit);
    } catch (error) {
      throw this.goneIfNotFound(thread.threadId, error);
    }
  }

  async post(threadId: string, message: DeskPost): Promise<string> {
    await this.assertAlive(threadId);
    // Before the thread's sends: an upload's 404 (no media repository) says nothing of the thread.
    const contents = await this.contentsOf(message);
    const ids: string[] = [];
    try {
      for (const part of contents) ids.push(await this.sendInThread(threadId, part));
    } catch (error) {
      throw this.goneIfNotFound(threadId, error);
    }
    if (ids.length > 1) this.parts.set(ids[0]!, ids);
    return ids[0]!;
  }

  async announce(message: DeskPost): Promise<string> {
    const ids: string[] = [];
    for (const part of await this.contentsOf(message)) ids.push(await this.send(part));
    if (ids.length > 1) this.parts.set(ids[0]!, ids);
    return ids[0]!;
  }

  async deleteMessage(_threadId: string, messageId: string): Promise<boolean> {
    for (const id of this.parts.get(messageId) ?? [messageId]) {
      try {
        await this.client().redactEvent(this.roomId, id);
      } catch (error) {
        if (notFound(error)) continue; // already gone
        this.log('matrix_desk_redact_failed', describeError(error), 'warn');
        if (errcodeOf(error) === 'M_FORBIDDEN' || errcodeOf(error) === 403) return false;
        throw error;
      }
    }
    if (this.roots.has(messageId)) this.gone.add(messageId);
    return true;
  }

  async closeThread(_threadId: string): Promise<void> {}

  async reopenThread(_threadId: string): Promise<void> {}

  async isMember(userId: string): Promise<boolean> {
    if (this.options.membership) {
      const membership = await this.options.membership(userId);
      if (membership !== undefined) return membership === 'join';
    }
    const ttl = this.options.memberCacheMs ?? 10_000;
    if (!this.members || Date.now() - this.members.at > ttl) {
      this.members = { at: Date.now(), joined: new Set(await this.client().getJoinedRoomMembers(this.roomId)) };
    }
    return this.members.joined.has(userId);
  }

  // -------------------------------------------------------------------------------------------------------------
  // What the adapter tells it of the desk room, in order
  // -------------------------------------------------------------------------------------------------------------

  /** The desk room's timeline had a gap (a `limited` sync): redactions may have been missed. */
  timelineGap(): void {
    this.generation++;
  }

  /** Every event of the desk room (the bot's own too): thread bookkeeping, redacted roots. */
  observe(event: RawEvent): void {
    if (event.type === 'm.room.redaction') {
      const target = (event as { redacts?: unknown }).redacts ?? event.content?.redacts;
      if (typeof target === 'string' && this.roots.has(target)) {
        this.gone.add(target);
        this.log('matrix_desk_thread_gone', {});
      }
      return;
    }
    const relation = relationOf(event);
    // The bot's own posts were recorded when sent: seeing them again must not make an older one the thread's last.
    if (relation?.rel_type === 'm.thread' && typeof relation.event_id === 'string' && !this.threadOfEvent.has(event.event_id)) {
      this.inThread(event.event_id, relation.event_id);
    }
  }

  /**
   * The thread an event is in: its `m.thread` relation's root; or, for a plain reply, the thread of what it answers
   * (a root the bot opened, or a message of a thread) — asked of the homeserver when not in memory.
   */
  async threadOf(event: RawEvent): Promise<string | undefined> {
    const relation = relationOf(event);
    if (relation?.rel_type === 'm.thread') return typeof relation.event_id === 'string' ? relation.event_id : undefined;
    const target = repliedTo(relation);
    if (!target) return undefined;
    if (this.roots.has(target)) return target;
    const known = this.threadOfEvent.get(target);
    if (known) return known;
    try {
      const answered = (await this.client().getRawEvent(this.roomId, target)) as RawEvent;
      const its = relationOf(answered);
      if (its?.rel_type === 'm.thread' && typeof its.event_id === 'string') {
        this.inThread(target, its.event_id);
        return its.event_id;
      }
    } catch (error) {
      this.log('matrix_desk_event_unknown', describeError(error), 'debug');
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------------

  private async send(content: object): Promise<string> {
    if (this.options.send) return this.options.send(this.roomId, content);
    return this.client().sendEvent(this.roomId, 'm.room.message', content);
  }

  /** A post's events: its notices, or its file with the text as caption. */
  private async contentsOf(message: DeskPost): Promise<object[]> {
    if (!message.media) return spanNotices(parseMarkup(message.text));
    if (!this.options.media) throw new Error('this Matrix desk port was made without a way to send files (MatrixDeskOptions.media)');
    return this.options.media(this.roomId, message.media, message.text);
  }

  private async sendInThread(rootId: string, content: object): Promise<string> {
    const id = await this.send({
      ...content,
      'm.relates_to': { rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: this.lastOf.get(rootId) ?? rootId } },
    });
    this.inThread(id, rootId);
    return id;
  }

  private inThread(eventId: string, rootId: string): void {
    this.threadOfEvent.set(eventId, rootId);
    this.lastOf.set(rootId, eventId);
  }

  /**
   * Throws ThreadGoneError for a root known to be redacted. A root this bot did not open (a thread of another
   * database, or an id the core got wrong), or any root after a gap in the timeline, is looked up once: missing or
   * redacted, it is gone too.
   */
  private async assertAlive(rootId: string): Promise<void> {
    if (this.gone.has(rootId)) throw new ThreadGoneError('the thread root was redacted');
    if (this.checked.get(rootId) === this.generation || (this.generation === 0 && this.roots.has(rootId))) return;
    let root: (RawEvent & { unsigned?: { redacted_because?: unknown } }) | undefined;
    try {
      root = (await this.client().getRawEvent(this.roomId, rootId)) as typeof root;
    } catch (error) {
      if (!notFound(error)) return; // not known to be gone: the send says the rest
      this.gone.add(rootId);
      throw new ThreadGoneError('the thread root does not exist');
    }
    if (root?.unsigned?.redacted_because) {
      this.gone.add(rootId);
      throw new ThreadGoneError('the thread root was redacted');
    }
    this.checked.set(rootId, this.generation);
  }

  private goneIfNotFound(rootId: string, error: unknown): unknown {
    if (!notFound(error)) return error;
    this.gone.add(rootId);
    return new ThreadGoneError('the thread root does not exist');
  }
}

/** A card: its title in bold on the first line, then the core's text; in parts when too long for one event. */
export function cardContents(title: string, card: DeskPost): NoticeContent[] {
  const spans: Span[] = [{ kind: 'bold', text: title }, ...(card.text.trim() ? [{ kind: 'text' as const, text: '\n' }, ...parseMarkup(card.text)] : [])];
  return spanNotices(spans, [], CARD_LIMIT);
}
