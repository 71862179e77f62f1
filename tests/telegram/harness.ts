/**
 * The Telegram tests' world: telegram-test-api (a third-party Bot API emulator) on a free loopback port, the real
 * Telegram platform (`telegramPlatform.create`, as src/app.ts makes it) pointed at it through grammY's `apiRoot`, a
 * real engine on a SQLite file, and simulated users.
 *
 * How a user is simulated: the emulator's own client (`server.getClient`) posts what a Telegram app would send —
 * messages, commands, button presses (callback queries) — to the emulator's client routes; the emulator turns them
 * into updates that the bot fetches with getUpdates, exactly as from Telegram. The bot's sendMessage calls land
 * in the emulator's storage, which is where the users read their replies.
 *
 * What the emulator does not do is handled by a recording API transformer on the bot (`bot.api.config.use`):
 *  - it has no `setMyCommands` (it answers 500 "not supported"): the transformer records the call and answers ok;
 *  - it accepts `answerCallbackQuery` but keeps no trace of it: the transformer records it;
 *  - its getUpdates answers at once, even when empty, instead of long-polling: after an empty answer the transformer
 *    waits 5 ms, so the runner does not spin on the loopback;
 *  - it has no files at all (sendPhoto, sendDocument…, getFile, the download route): emulated by
 *    tests/telegram/files.ts (`h.files`), the files stored as bot messages and served on the emulator's own port;
 *  - when a bot is started with the escalation desk (or the coalition's desks), forum topics, pins, chat members, a group's migration and a few
 *    of Telegram's errors are answered by a small in-memory forum (tests/telegram/forum.ts, `h.forum`).
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { TelegramServer as Emulator, StoredBotUpdate } from 'telegram-test-api/lib/telegramServer.js';
import type { InlineKeyboardMarkup, Update } from 'grammy/types';
import { telegramPlatform, type TelegramConfig, type TelegramPlatform } from '../../src/adapters/telegram/index.js';
import type { WebhookConfig } from '../../src/adapters/telegram/transport.js';
import { platformDeps, registerPlatform } from '../support/platform.js';
import { Engine } from '../../src/engine/engine.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { catalog, texts } from '../support/engine.js';
import { createLog } from '../../src/log.js';
import type { DeskRegistry } from '../../src/desk/port.js';
import type { DeskPlace } from '../../src/adapters/platform.js';
import { FakeForum } from './forum.js';
import { FakeFiles } from './files.js';
import type { MediaSource } from '../../src/engine/media.js';

/** The emulator is CommonJS and its typings say `export default` while it sets `module.exports`: require it. */
const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof Emulator;

export const TOKEN = '123456789:demailbot-test-token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Long polling, or a webhook served on loopback. */
export type TelegramMode = { kind: 'polling' } | ({ kind: 'webhook' } & WebhookConfig);

/** No desk configured: a platform that called the registry anyway would be a bug, said loudly. */
const noDesk: DeskRegistry = {
  register: () => {
    throw new Error('no desk is configured: the Telegram platform must not register a desk port');
  },
  receive: () => Promise.reject(new Error('no desk is configured: nothing may be handed to the desk')),
};

/**
 * The Telegram platform made as the app makes it, and registered as the engine's sender for its conversations;
 * `deskPlaces` are the coalition's desk groups the app passes from the loaded desks file.
 */
export function createTelegram(
  config: TelegramConfig,
  engine: Engine,
  options: Parameters<typeof platformDeps>[1] = {},
  deskPlaces?: readonly DeskPlace[],
): TelegramPlatform {
  const deps = platformDeps(engine, { desk: noDesk, ...options });
  const platform = telegramPlatform.create(config, deskPlaces ? { ...deps, deskPlaces } : deps);
  registerPlatform(engine, platform);
  return platform;
}

/** Started as the app starts it: connect, re-send what a crash left undelivered, then take updates. */
export async function startTelegram(platform: TelegramPlatform, engine: Engine): Promise<void> {
  await platform.start();
  await engine.flushOutbox();
  await platform.listen();
}

export interface Call {
  method: string;
  payload: Record<string, unknown>;
}

/** A running bot: adapter, engine, database, and every API call it made. */
export interface TestBot {
  adapter: TelegramPlatform;
  engine: Engine;
  db: Db;
  calls: Call[];
  /** What the adapter and the engine logged (JSON lines, every level). */
  logs: string[];
  /** getUpdates calls started so far. */
  fetches(): number;
  /** Makes the next `n` calls of `method` fail as Telegram would (the transformer answers an error). */
  failNext(method: string, n?: number): void;
  /** Makes the next `n` calls of `method` fail with this error (e.g. a 403 "bot was blocked by the user"). */
  failNextWith(method: string, error: TelegramError, n?: number): void;
  stop(): Promise<void>;
}

export interface TelegramError {
  error_code: number;
  description: string;
  parameters?: Record<string, unknown>;
}

export interface BotOptions {
  /** The escalation desk: its chat and the registry the adapter registers its port with and hands desk updates. */
  desk?: { chatId: string; registry: DeskRegistry };
  /** The coalition's desks on Telegram (`deps.deskPlaces`): one port per group, all registered with `registry`. */
  desks?: { places: DeskPlace[]; registry: DeskRegistry };
  /**
   * An engine (and its database) made by the caller, shared with other adapters (tests/desk/world.ts): the harness
   * then opens no database of its own, and the bot's `stop` stops the adapter only (the caller closes the rest).
   */
  shared?: { engine: Engine; db: Db };
  /** Pace outgoing calls to Telegram's limits (off here unless asked: most tests are about what is said). */
  pacing?: TelegramConfig['pacing'];
  /** Where the platform fetches other platforms' files (`deps.media`): a fake holding a "matrix" file, say. */
  media?: MediaSource;
}

export interface BotMessage {
  messageId: number;
  /** The text, or a file's caption ('' for a file without one). */
  text: string;
  /** A file sent (./files.ts): which kind and its file_id (the largest size, for a photo). */
  file?: { type: string; fileId: string };
  parseMode: string | undefined;
  keyboard: InlineKeyboardMarkup['inline_keyboard'] | undefined;
  raw: StoredBotUpdate;
}

export class Harness {
  bot!: TestBot;
  /** Topics, pins, members and migrations: what the emulator lacks for the desk (consulted when a desk is set). */
  readonly forum: FakeForum;
  /** Chats whose person blocked the bot: every call naming them is answered 403, as Telegram does. */
  readonly blocked = new Set<string>();
  /** Files: what the emulator lacks entirely (sending, getFile, downloading). */
  readonly files: FakeFiles;
  private constructor(readonly server: Emulator) {
    this.forum = new FakeForum(server);
    this.files = new FakeFiles(server, TOKEN);
  }

  static async start(): Promise<Harness> {
    const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 3600 });
    await server.start();
    // Idle keep-alive connections stay open: the default 5 s races with grammY reusing one (ECONNRESET).
    (server as unknown as { server: Server }).server.keepAliveTimeout = 600_000;
    const harness = new Harness(server);
    harness.files.serveDownloads((server as unknown as { server: Server }).server);
    return harness;
  }

  get apiRoot(): string {
    return this.server.config.apiURL;
  }

  /** Starts the real platform on a real engine over `dbPath`, polling the emulator (or in another mode). */
  async startBot(dbPath: string, mode: TelegramMode = { kind: 'polling' }, options: BotOptions = {}): Promise<TestBot> {
    const logs: string[] = [];
    const log = createLog('debug', (line) => void logs.push(line));
    const db = options.shared?.db ?? openDatabase(dbPath);
    const engine = options.shared?.engine ?? new Engine({ db, catalog, texts, log });
    const { kind: _kind, ...webhook } = mode.kind === 'webhook' ? mode : { kind: 'polling' as const };
    const config: TelegramConfig = {
      token: TOKEN,
      apiRoot: this.apiRoot,
      stopGraceMs: 2_000,
      pacing: options.pacing ?? false,
      ...(mode.kind === 'webhook' ? { webhook: webhook as WebhookConfig } : {}),
      ...(options.desk ? { desk: { chatId: options.desk.chatId } } : {}),
    };
    const registry = options.desks?.registry ?? options.desk?.registry;
    const adapter = createTelegram(config, engine, { log, ...(registry ? { desk: registry } : {}), ...(options.media ? { media: options.media } : {}) }, options.desks?.places);
    const calls: Call[] = [];
    const failures = new Map<string, { n: number; error: TelegramError }>();
    const simulated: TelegramError = { error_code: 400, description: 'Bad Request: simulated by the test' };
    let fetches = 0;
    adapter.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === 'getUpdates') fetches++;
      else calls.push({ method, payload: { ...(payload as object) } as Record<string, unknown> });
      const failing = failures.get(method);
      if (failing && failing.n > 0) {
        failing.n--;
        return { ok: false, ...failing.error } as never;
      }
      const chat = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      if (chat !== undefined && this.blocked.has(String(chat))) {
        return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } as never;
      }
      // The emulator has no setMyCommands: recorded above, answered here.
      if (method === 'setMyCommands') return { ok: true, result: true } as never;
      if (registry) {
        const emulated = this.forum.handle(method, payload as Record<string, unknown>);
        if (emulated) return emulated as never;
      }
      const file = await this.files.handle(method, payload as Record<string, unknown>);
      if (file) return file as never;
      const result = await prev(method, payload, signal);
      if (method === 'getUpdates' && result.ok && (result.result as Update[]).length === 0) await sleep(5);
      return result;
    });
    await startTelegram(adapter, engine);
    this.bot = {
      adapter,
      engine,
      db,
      calls,
      logs,
      fetches: () => fetches,
      failNext: (method, n = 1) => void failures.set(method, { n, error: simulated }),
      failNextWith: (method, error, n = 1) => void failures.set(method, { n, error }),
      stop: async () => {
        await adapter.stop();
        if (options.shared) return;
        await engine.idle();
        db.close();
      },
    };
    return this.bot;
  }

  /**
   * Waits until every update the users sent was fetched by the bot and fully handled: all read by the bot, then
   * one more getUpdates started (so the batch holding them was handed to the middleware), then no turn in flight.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + 10_000;
    const unread = () => this.server.storage.userMessages.some((u) => !u.isRead);
    while (unread()) {
      if (Date.now() > deadline) throw new Error('the bot did not fetch the updates');
      await sleep(2);
    }
    const seen = this.bot.fetches();
    while (this.bot.fetches() <= seen) {
      if (Date.now() > deadline) throw new Error('the bot stopped fetching');
      await sleep(2);
    }
    await this.bot.adapter.idle();
  }

  /** Sends an update again, as Telegram does after a crash before the offset was confirmed. */
  redeliverLast(): number {
    const last = this.server.storage.userMessages[this.server.storage.userMessages.length - 1]!;
    last.isRead = false;
    return last.updateId;
  }

  /** Every message the bot sent to a chat, oldest first. */
  messagesTo(chatId: number): BotMessage[] {
    return this.server.storage.botMessages
      .filter((m) => String(m.message.chat_id) === String(chatId))
      .map((m) => {
        const message = m.message as unknown as { text?: string; caption?: string; parse_mode?: string; reply_markup?: InlineKeyboardMarkup } & Record<string, unknown>;
        return {
          messageId: m.messageId,
          text: message.text ?? message.caption ?? '',
          ...fileOf(message),
          parseMode: message.parse_mode,
          keyboard: message.reply_markup?.inline_keyboard,
          raw: m,
        };
      });
  }

  user(id: number, options: { languageCode?: string; type?: 'private' | 'group'; chatId?: number; firstName?: string } = {}): TestUser {
    return new TestUser(this, id, options);
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}

/** Someone using Telegram: what they send goes through the emulator's client; replies are read from the emulator. */
export class TestUser {
  readonly chatId: number;
  private readonly client;
  private seen = 0;

  constructor(
    private readonly h: Harness,
    readonly id: number,
    private readonly options: { languageCode?: string; type?: 'private' | 'group'; chatId?: number; firstName?: string },
  ) {
    this.chatId = options.chatId ?? id;
    this.client = h.server.getClient(TOKEN, { userId: id, chatId: this.chatId, type: options.type ?? 'private', firstName: options.firstName ?? `User${id}` });
  }

  private get from() {
    return { from: { id: this.id, is_bot: false, first_name: this.options.firstName ?? `User${this.id}`, ...(this.options.languageCode ? { language_code: this.options.languageCode } : {}) } };
  }

  /** Sends /start (with a deep-link payload) and returns the bot's new messages to this chat. */
  async start(payload?: string): Promise<BotMessage[]> {
    await this.client.sendCommand(this.client.makeCommand(payload ? `/start ${payload}` : '/start', this.from as never));
    return this.replies();
  }

  async say(text: string): Promise<BotMessage[]> {
    await this.client.sendMessage(this.client.makeMessage(text, this.from as never));
    return this.replies();
  }

  /** Sends a message that is not text (a sticker, a photo…): `fields` are the Message fields. */
  async sendNonText(fields: Record<string, unknown>): Promise<BotMessage[]> {
    const message = this.client.makeMessage(undefined as unknown as string, { ...this.from, ...fields } as never);
    delete (message as { text?: string }).text;
    await this.client.sendMessage(message as never);
    return this.replies();
  }

  /** Presses the button labelled `label` under `message` (by default the last message that has buttons). */
  async press(label: string, message = this.lastWithButtons()): Promise<BotMessage[]> {
    const button = message.keyboard?.flat().find((b) => b.text === label);
    if (!button || !('callback_data' in button)) {
      throw new Error(`no button "${label}" under message ${message.messageId}: ${JSON.stringify(message.keyboard?.flat().map((b) => b.text))}`);
    }
    return this.pressData(button.callback_data, message.messageId);
  }

  /** Presses a button carrying `data` (even one we did not make). */
  async pressData(data: string, messageId = this.lastWithButtons().messageId): Promise<BotMessage[]> {
    const query = this.client.makeCallbackQuery(data, { ...this.from, message: { message_id: messageId } } as never);
    await this.client.sendCallback(query as never);
    return this.replies();
  }

  /** The bot's messages to this chat since the last look, once the bot has handled everything. */
  async replies(): Promise<BotMessage[]> {
    await this.h.settle();
    const all = this.h.messagesTo(this.chatId);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh;
  }

  all(): BotMessage[] {
    return this.h.messagesTo(this.chatId);
  }

  lastWithButtons(): BotMessage {
    const withButtons = this.all().filter((m) => m.keyboard?.length);
    const last = withButtons[withButtons.length - 1];
    if (!last) throw new Error('no message with buttons yet');
    return last;
  }
}

/** The file a stored bot message carries (./files.ts stores them), if any. */
function fileOf(message: Record<string, unknown>): { file?: BotMessage['file'] } {
  for (const type of ['photo', 'document', 'voice', 'audio', 'video']) {
    const value = message[type] as { file_id: string } | Array<{ file_id: string }> | undefined;
    if (value) return { file: { type, fileId: Array.isArray(value) ? value.at(-1)!.file_id : value.file_id } };
  }
  return {};
}

/** The visible text of a Telegram HTML message (tags dropped, entities decoded). */
export function visible(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function labels(message: BotMessage): string[] {
  return message.keyboard?.flat().map((b) => b.text) ?? [];
}
