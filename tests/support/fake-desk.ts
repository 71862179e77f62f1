/**
 * An in-memory desk port for the desk core's tests: threads, posts, deletions and members, with switches to
 * make the platform misbehave (a deleted topic, an outage). The real ports are tested against the Bot API
 * emulator and our homeserver (tests/telegram/desk.test.ts, tests/matrix/desk.test.ts) and end to end in
 * tests/desk/e2e.test.ts.
 */
import { ThreadGoneError, type DeskPort, type DeskPost, type DeskThread } from '../../src/desk/port.js';
import { plainText } from '../../src/render/markup.js';
import { MediaGoneError, type MediaRef } from '../../src/engine/media.js';

export interface FakeThread {
  id: string;
  title: string;
  card: DeskPost;
  /** `media`: the file posted with the words (its platform's id only), as a real port would send it. */
  posts: Array<{ id: string; text: string; media?: MediaRef }>;
  closed: boolean;
  gone: boolean;
}

/** Ids are unique across ports: tests may share one database between several fake desks. */
let nextId = 1;

export class FakeDeskPort implements DeskPort {
  readonly threads = new Map<string, FakeThread>();
  readonly announced: string[] = [];
  readonly deleted: string[] = [];
  readonly members = new Set<string>();
  down = false;
  /** Files cannot be had any more (their platform gave them up): a post with one throws MediaGoneError. */
  mediaGone = false;
  /** Set by `holdNextPost`: the next post waits for it (a call in flight, as under auto-retry or a slow desk). */
  private gate?: { started: () => void; released: Promise<void> };

  constructor(readonly name: string) {}

  /** The next post stays in flight until `release()`; `started` resolves once it is under way. */
  holdNextPost(): { started: Promise<void>; release: () => void } {
    let release!: () => void;
    let started!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.gate = { started, released };
    return { started: startedP, release };
  }

  private check(): void {
    if (this.down) throw new Error('desk unavailable');
  }

  private thread(id: string): FakeThread {
    const thread = this.threads.get(id);
    if (!thread || thread.gone) throw new ThreadGoneError('message thread not found');
    return thread;
  }

  async openThread(title: string, card: DeskPost): Promise<DeskThread> {
    this.check();
    const id = `t${nextId++}`;
    this.threads.set(id, { id, title, card, posts: [], closed: false, gone: false });
    return { threadId: id, cardId: `card-${id}` };
  }

  async updateThread(thread: DeskThread, title: string, card: DeskPost): Promise<void> {
    this.check();
    const t = this.thread(thread.threadId);
    t.title = title;
    t.card = card;
  }

  async post(threadId: string, message: DeskPost): Promise<string> {
    this.check();
    const gate = this.gate;
    if (gate) {
      this.gate = undefined;
      gate.started();
      await gate.released;
    }
    const id = `m${nextId++}`;
    if (message.media && this.mediaGone) throw new MediaGoneError('the file is gone');
    this.thread(threadId).posts.push({ id, text: plainText(message.text), ...(message.media ? { media: message.media } : {}) });
    return id;
  }

  async announce(message: DeskPost): Promise<string> {
    this.check();
    this.announced.push(plainText(message.text));
    return `a${nextId++}`;
  }

  async deleteMessage(threadId: string, messageId: string): Promise<boolean> {
    const t = this.threads.get(threadId);
    if (!t) return false;
    t.posts = t.posts.filter((p) => p.id !== messageId);
    this.deleted.push(messageId);
    return true;
  }

  async closeThread(threadId: string): Promise<void> {
    this.thread(threadId).closed = true;
  }

  async reopenThread(threadId: string): Promise<void> {
    this.thread(threadId).closed = false;
  }

  async isMember(userId: string): Promise<boolean> {
    return this.members.has(userId);
  }

  /** The only open thread's texts, or the thread of a ticket. */
  only(): FakeThread {
    const live = [...this.threads.values()].filter((t) => !t.gone);
    if (live.length !== 1) throw new Error(`expected one thread, found ${live.length}`);
    return live[0]!;
  }
}
