/**
 * The world of the desk's end-to-end tests (./e2e.test.ts): what src/main.ts builds in production — one Engine and
 * one Desk over one SQLite file, the Telegram platform and a MatrixAdapter — in the test process, with a clock the test
 * moves (the `now` of Engine and Desk: the durable deadlines are fired by `engine.fireDue()`, as the scheduler would).
 *
 * Each platform is reached over real HTTP on loopback through the existing harnesses, reused rather than copied:
 *  - Telegram: telegram-test-api (tests/telegram/harness.ts), with its API transformer and the emulated forum
 *    (tests/telegram/forum.ts) for what the emulator lacks; people and volunteers post through the emulator's client;
 *  - Matrix: our test homeserver (tests/support/homeserver.ts, tests/matrix/harness.ts); people and volunteers act
 *    through its client-server API with their own access tokens.
 * Both harnesses are given the shared engine (their `shared` option) instead of making their own.
 */
import { Desk } from '../../src/desk/desk.js';
import type { DeskTiming } from '../../src/config/defaults.js';
import { Engine } from '../../src/engine/engine.js';
import { createLog } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import type { MatrixEvent, TestUser as MatrixAccount } from '../support/homeserver.js';
import { Harness, TOKEN, visible as tgHtml, type BotMessage as TgMessage, type TestUser as TgUser } from '../telegram/harness.js';
import { MatrixHarness, visible as mxVisible, type MatrixUser } from '../matrix/harness.js';

/** The Telegram desk: a supergroup with topics (TELEGRAM_DESK_CHAT_ID). */
export const TG_DESK = -1001234567;
/** 10:00 UTC on a weekday: no quiet hours get in the way. */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface DeskConfig {
  /** TELEGRAM_DESK_CHAT_ID set. */
  telegramDesk?: boolean;
  /** MATRIX_DESK_ROOM_ID set. */
  matrixDesk?: boolean;
  /** DESK_VOLUNTEERS. */
  allowList?: string[];
  timing?: Partial<DeskTiming>;
}

export class World {
  now = T0;
  engine!: Engine;
  db!: Db;
  desk!: Desk;
  /** What the engine and the desk logged (adapters log into their harness's `bot.logs`). */
  readonly logs: string[] = [];
  /** The Matrix desk room (created at the first start with a Matrix desk), its admin, and its volunteers. */
  deskRoom = '';
  private vera?: MatrixAccount;
  private running = false;

  private constructor(
    readonly tg: Harness,
    readonly mx: MatrixHarness,
    readonly tmp: { path: string; cleanup(): void },
    readonly config: DeskConfig,
  ) {}

  static async start(config: DeskConfig): Promise<World> {
    const [tg, mx] = await Promise.all([Harness.start(), MatrixHarness.start()]);
    const world = new World(tg, mx, tempDbPath(), config);
    if (config.telegramDesk) tg.forum.enableTopics(TG_DESK);
    if (config.matrixDesk) {
      world.vera = mx.hs.user('vera'); // the desk room's admin
      world.deskRoom = await world.vera.createRoom([mx.botId], 'Guichet');
    }
    await world.boot();
    return world;
  }

  /** As main.ts: the store, the engine, the desk, then the adapters (Matrix first, then Telegram). */
  private async boot(): Promise<void> {
    const clock = () => this.now;
    const log = createLog('debug', (line) => void this.logs.push(line));
    this.db = openDatabase(this.tmp.path);
    this.engine = new Engine({ db: this.db, catalog, texts, now: clock, log });
    this.desk = new Desk({
      db: this.db,
      host: this.engine,
      texts,
      catalog,
      lang: 'fr',
      now: clock,
      log,
      ...(this.config.allowList ? { allowList: this.config.allowList } : {}),
      ...(this.config.timing ? { timing: this.config.timing } : {}),
    });
    const shared = { engine: this.engine, db: this.db };
    await this.mx.startBot(this.tmp.path, { shared, ...(this.config.matrixDesk ? { desk: { roomId: this.deskRoom, registry: this.desk } } : {}) });
    await this.tg.startBot(this.tmp.path, { kind: 'polling' }, { shared, ...(this.config.telegramDesk ? { desk: { chatId: String(TG_DESK), registry: this.desk } } : {}) });
    // What a crash left in the outbox goes at start (main.ts's scheduler fires at once).
    await this.engine.fireDue();
    this.running = true;
  }

  /** Everything stops as on SIGTERM: adapters (turns in flight finish), then the database is closed. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([this.tg.bot.stop(), this.mx.bot!.stop()]);
    await this.engine.idle();
    this.db.close();
  }

  /** A new process on the same database file: new engine, desk and adapters; the platforms kept what they had. */
  async restart(): Promise<void> {
    await this.stop();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.stop().catch(() => {});
    await Promise.all([this.tg.stop(), this.mx.hs.stop()]);
    this.tmp.cleanup();
  }

  /** Until both adapters have handled everything both platforms hold (a turn on one side may post on the other). */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.tg.settle();
      await this.mx.settle();
    }
    await this.engine.idle();
  }

  /** Moves the clock and fires what is due, as the scheduler does every minute. */
  async advance(ms: number): Promise<void> {
    this.now += ms;
    await this.engine.fireDue();
    await this.settle();
  }

  count(table: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  ticket(id: number): { status: string; desk: string | null; thread_id: string | null; card_id: string | null } | undefined {
    return this.db.prepare('SELECT status, desk, thread_id, card_id FROM tickets WHERE id = ?').get(id) as never;
  }

  // ─────────────── people ───────────────

  tgPerson(id: number, firstName = `User${id}`): TgPerson {
    return new TgPerson(this, this.tg.user(id, { languageCode: 'fr', firstName }));
  }

  mxPerson(localpart: string): MxPerson {
    return new MxPerson(this, this.mx.user(localpart));
  }

  // ─────────────── volunteers ───────────────

  tgVolunteer(id: number, firstName: string): TgVolunteer {
    this.tg.forum.setMember(TG_DESK, id, 'member');
    return new TgVolunteer(this, id, firstName);
  }

  async mxVolunteer(localpart: string, displayName?: string): Promise<MxVolunteer> {
    const account = this.mx.hs.user(localpart);
    await this.vera!.invite(this.deskRoom, account.id);
    await account.join(this.deskRoom);
    if (displayName) await account.setDisplayName(this.deskRoom, displayName);
    await this.settle();
    return new MxVolunteer(this, account);
  }

  // ─────────────── the Telegram desk, as its volunteers see it ───────────────

  tgTopics() {
    return [...this.tg.forum.topics.values()].filter((t) => t.chat === String(TG_DESK));
  }

  /** The live topic whose name starts with "#<ticket> ·". */
  tgTopic(ticket: number) {
    const topics = this.tgTopics().filter((t) => !t.deleted && t.name.startsWith(`#${ticket} ·`));
    if (topics.length !== 1) throw new Error(`expected one topic for #${ticket}, found ${topics.length}: ${JSON.stringify(this.tgTopics())}`);
    return topics[0]!;
  }

  /** The bot's messages in a topic (or in the main timeline: `undefined`), oldest first. */
  tgDeskMessages(topic: number | undefined): TgMessage[] {
    return this.tg.messagesTo(TG_DESK).filter((m) => (m.raw.message as { message_thread_id?: number }).message_thread_id === topic);
  }

  tgDeskTexts(topic: number | undefined): string[] {
    return this.tgDeskMessages(topic).map((m) => tgVisible(m.text));
  }

  // ─────────────── the Matrix desk, as its volunteers see it ───────────────

  /** The bot's events in the desk room. */
  mxDeskEvents(): MatrixEvent[] {
    return this.mx.hs.eventsFrom(this.mx.botId, this.deskRoom);
  }

  /** The thread root (the card) of a ticket: a bot notice in the room's timeline whose first line is "#<ticket> ·…". */
  mxRoot(ticket: number): MatrixEvent {
    const roots = this.mxDeskEvents().filter((e) => !e.content['m.relates_to'] && String(e.content.body ?? '').startsWith(`#${ticket} ·`));
    if (roots.length !== 1) throw new Error(`expected one thread root for #${ticket}, found ${roots.length}`);
    return roots[0]!;
  }

  /** The card as a Matrix client shows it now: the root, or its latest edit. */
  mxCard(rootId: string): string {
    const edits = this.mxDeskEvents().filter((e) => relation(e)?.rel_type === 'm.replace' && relation(e)?.event_id === rootId);
    const last = edits.at(-1);
    const content = (last ? last.content['m.new_content'] : this.mx.hs.event(rootId)!.content) as Record<string, unknown>;
    return String(content.body ?? '');
  }

  /** The bot's posts in a thread (texts as shown), oldest first. */
  mxThread(rootId: string): Array<{ id: string; text: string }> {
    return this.mxDeskEvents()
      .filter((e) => relation(e)?.rel_type === 'm.thread' && relation(e)?.event_id === rootId)
      .map((e) => ({ id: e.event_id, text: mxVisible({ event: e, msgtype: '', body: String(e.content.body ?? ''), html: e.content.formatted_body as string | undefined }) }));
  }

  /** The bot's notices in the desk room's main timeline (announcements), as shown. */
  mxAnnounced(): string[] {
    return this.mxDeskEvents()
      .filter((e) => !e.content['m.relates_to'] && !String(e.content.body ?? '').startsWith('#'))
      .map((e) => String(e.content.body ?? ''));
  }
}

/** The visible text of a Telegram HTML message (the harness's `visible`, numeric and quote entities decoded too). */
export function tgVisible(html: string): string {
  return tgHtml(html.replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
}

function relation(event: MatrixEvent): { rel_type?: string; event_id?: string } | undefined {
  return event.content['m.relates_to'] as never;
}

// ─────────────── people using the guide ───────────────

/** Someone on Telegram, in a private chat with the bot. Texts are as shown (HTML dropped). */
export class TgPerson {
  constructor(
    private readonly w: World,
    readonly user: TgUser,
  ) {}

  get chatId(): number {
    return this.user.chatId;
  }

  /** What the bot sent them since the last look (everything settled on both platforms first). */
  async news(): Promise<TgMessage[]> {
    await this.w.settle();
    return this.user.replies();
  }

  async say(text: string): Promise<TgMessage[]> {
    const replies = await this.user.say(text);
    await this.w.settle();
    return replies;
  }

  /** Presses the button of choice `id` (e.g. "human", "yesWithName") under their last message with buttons. */
  async choose(id: string): Promise<TgMessage[]> {
    const message = this.user.lastWithButtons();
    const button = message.keyboard!.flat().find((b) => 'callback_data' in b && b.callback_data.endsWith(`:${id}`));
    if (!button || !('callback_data' in button)) throw new Error(`no choice "${id}" under the last message: ${JSON.stringify(message.keyboard)}`);
    const replies = await this.user.pressData(button.callback_data, message.messageId);
    await this.w.settle();
    return replies;
  }

  choices(): string[] {
    return (this.user.lastWithButtons().keyboard ?? []).flat().map((b) => ('callback_data' in b ? b.callback_data.replace(/^\d+:/, '') : ''));
  }

  texts(): string[] {
    return this.user.all().map((m) => tgVisible(m.text));
  }

  /** From /start to the first step of a plan, pressing the first button of each question and the first host. */
  async reachPlan(): Promise<void> {
    await this.user.start();
    for (let i = 0; i < 30; i++) {
      const last = this.user.lastWithButtons();
      if (tgVisible(last.text).includes('Étape 1 sur')) return;
      const data = last.keyboard!.flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
      await this.user.pressData(data.find((d) => d.includes(':provider:')) ?? data[0]!, last.messageId);
    }
    throw new Error('never reached the plan');
  }
}

/** Someone on Matrix, in a direct chat with the bot. */
export class MxPerson {
  constructor(
    private readonly w: World,
    readonly user: MatrixUser,
  ) {}

  async news(): Promise<string[]> {
    await this.w.settle();
    return (await this.user.replies()).map(mxVisible);
  }

  async say(text: string): Promise<string[]> {
    await this.user.user.say(this.user.room, text);
    return this.news();
  }

  texts(): string[] {
    return this.user.all().map(mxVisible);
  }

  /** Opens a direct chat and answers "1" (the first choice) until the first step of a plan. */
  async reachPlan(): Promise<void> {
    await this.user.openDm();
    for (let i = 0; i < 30; i++) {
      const last = (await this.say('1')).at(-1) ?? '';
      if (last.includes('Étape 1 sur')) return;
    }
    throw new Error('never reached the plan');
  }
}

// ─────────────── volunteers ───────────────

/** A volunteer in the Telegram desk supergroup: messages and presses go through the emulator's client. */
export class TgVolunteer {
  private readonly client;

  constructor(
    private readonly w: World,
    readonly id: number,
    readonly firstName: string,
  ) {
    this.client = w.tg.server.getClient(TOKEN, { userId: id, chatId: TG_DESK, type: 'supergroup' as never, firstName, chatTitle: 'Guichet' });
  }

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.firstName };
  }

  private inTopic(topic: number) {
    return { message_thread_id: topic, is_topic_message: true };
  }

  /** Posts in a topic without waiting (for races); `say` waits for everything to settle. */
  async post(text: string, topic: number): Promise<void> {
    await this.client.sendMessage(this.client.makeMessage(text, { from: this.from, ...this.inTopic(topic) } as never));
  }

  async say(text: string, topic: number): Promise<void> {
    await this.post(text, topic);
    await this.w.settle();
  }

  /** Sends a file in a topic: `fields` from tests/telegram/files.ts (`photo()`…), as a Telegram app would. */
  async show(fields: Record<string, unknown>, topic: number, caption?: string): Promise<void> {
    const message = this.client.makeMessage(undefined as unknown as string, { from: this.from, ...this.inTopic(topic), ...(caption ? { caption } : {}), ...fields } as never);
    delete (message as { text?: string }).text;
    await this.client.sendMessage(message as never);
    await this.w.settle();
  }

  /** Presses a desk button (callback data `desk:<id>`) under a message of a topic, without waiting. */
  async tap(button: string, message: { messageId: number }, topic: number): Promise<void> {
    const query = this.client.makeCallbackQuery(`desk:${button}`, {
      from: this.from,
      message: { message_id: message.messageId, date: 1, chat: { id: TG_DESK, type: 'supergroup', title: 'Guichet' }, ...this.inTopic(topic) },
    } as never);
    await this.client.sendCallback(query as never);
  }

  async press(button: string, message: { messageId: number }, topic: number): Promise<void> {
    await this.tap(button, message, topic);
    await this.w.settle();
  }
}

/** A volunteer in the Matrix desk room. */
export class MxVolunteer {
  constructor(
    private readonly w: World,
    readonly account: MatrixAccount,
  ) {}

  get id(): string {
    return this.account.id;
  }

  /** Posts in a ticket's thread without waiting (for races). */
  post(text: string, rootId: string): Promise<string> {
    return this.account.threadReply(this.w.deskRoom, rootId, text);
  }

  async say(text: string, rootId: string): Promise<string> {
    const id = await this.post(text, rootId);
    await this.w.settle();
    return id;
  }
}
