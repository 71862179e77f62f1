/**
 * The Telegram side of the crash and load tests: telegram-test-api (the Bot API emulator) behind a small front
 * that gives `getUpdates` Telegram's real semantics, and simulated people who read their replies from it.
 *
 * Why a front: the emulator marks an update read as soon as it hands it out, whatever the `offset`. Telegram does
 * not: an update stays pending until a later getUpdates carries an `offset` above its id ("confirmed"), so a bot
 * that dies before confirming gets it again. A crash test against the emulator as it is would lose updates the real
 * Telegram redelivers (and would miss the bot's redelivery path entirely). So here:
 *  - `getUpdates(offset, limit, timeout)`: confirms every update below `offset`, returns the pending ones from
 *    `offset` on (at most `limit`), and long-polls (holds the request up to `timeout` s until an update comes);
 *  - `setMyCommands` (which the emulator lacks) is answered ok;
 *  - every other request (getMe, sendMessage, answerCallbackQuery, the users' client routes…) goes to the emulator
 *    unchanged — its Express app serves them in-process on the front's port.
 *
 * People are simulated in-process: what they send is added to the emulator's storage exactly as its client routes
 * do (`addUserMessage`, `addUserCommand`, `addUserCallback`), so it becomes an update like any other; what the bot
 * sends lands in the emulator and is indexed here by chat, with the prompt number read from its buttons.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelegramServer as Emulator, StoredClientUpdate } from 'telegram-test-api/lib/telegramServer.js';
import type { InlineKeyboardButton, Update } from 'grammy/types';

const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof Emulator;
/** The emulator's update formatter (private in its typings, public at run time). */
const formatUpdate = (TelegramServer as unknown as { formatUpdate(update: StoredClientUpdate): Update }).formatUpdate;

export const TOKEN = '123456789:demailbot-crash-token';

/** A message the bot sent, as the person sees it. */
export interface Received {
  chatId: number;
  html: string;
  keyboard: InlineKeyboardButton[][] | undefined;
  /** The prompt number carried by its buttons (`seq:choice`), or undefined without buttons. */
  seq: number | undefined;
  /** performance.now() when the emulator stored it. */
  at: number;
}

export function seqOf(keyboard: InlineKeyboardButton[][] | undefined): number | undefined {
  const first = keyboard?.flat().find((b): b is InlineKeyboardButton.CallbackButton => 'callback_data' in b);
  const match = first ? /^(\d+):/.exec(first.callback_data) : null;
  return match ? Number(match[1]) : undefined;
}

export function choiceOf(button: InlineKeyboardButton): string | undefined {
  return 'callback_data' in button ? button.callback_data.replace(/^\d+:/, '') : undefined;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const params: Record<string, unknown> = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
  const body = Buffer.concat(chunks).toString('utf8');
  if (body && (req.headers['content-type'] ?? '').includes('json')) Object.assign(params, JSON.parse(body) as object);
  return params;
}

export class TelegramSide {
  /** Every message the bot sent, by chat, in order. */
  readonly byChat = new Map<number, Received[]>();
  /** Bot API calls by method (getUpdates included). */
  readonly calls = new Map<string, number>();
  /** 'batch' (updates handed to the bot, after the response is written) and 'reply' (the bot sent a message). */
  readonly events = new EventEmitter();
  /** Updates handed out again after they were handed out once and not confirmed (Telegram redelivering them). */
  redelivered = 0;
  private readonly handedOut = new Set<number>();
  /** Index in storage.userMessages of the first update not yet confirmed. */
  private cursor = 0;
  private readonly pollers = new Set<() => void>();
  private readonly chatWaiters = new Map<number, Set<() => void>>();

  private constructor(
    readonly emulator: Emulator,
    private readonly http: Server,
    readonly apiRoot: string,
  ) {
    const wake = () => {
      for (const poller of [...this.pollers]) poller();
    };
    emulator.on('AddedUserMessage', wake);
    emulator.on('AddedUserCommand', wake);
    emulator.on('AddedUserCallbackQuery', wake);
    emulator.on('AddedBotMessage', () => {
      const stored = emulator.storage.botMessages[emulator.storage.botMessages.length - 1]!;
      const message = stored.message as unknown as { chat_id: number | string; text: string; reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] } };
      const chatId = Number(message.chat_id);
      const keyboard = message.reply_markup?.inline_keyboard;
      const received: Received = { chatId, html: message.text, keyboard, seq: seqOf(keyboard), at: performance.now() };
      let list = this.byChat.get(chatId);
      if (!list) this.byChat.set(chatId, (list = []));
      list.push(received);
      for (const waiter of [...(this.chatWaiters.get(chatId) ?? [])]) waiter();
      this.events.emit('reply', received);
    });
  }

  static async start(): Promise<TelegramSide> {
    // The emulator is never start()ed: the front listens, and hands it what it does not answer itself.
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      // A deep accept queue: hundreds of people make the bot open hundreds of connections at once, and with Node's
      // default backlog (511) the kernel would drop some SYNs, which come back only after TCP's 1 s, 3 s, 7 s… retries.
      http.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    const emulator = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
    const side = new TelegramSide(emulator, http, emulator.config.apiURL);
    const app = (emulator as unknown as { webServer: (req: IncomingMessage, res: ServerResponse) => void }).webServer;
    http.keepAliveTimeout = 600_000;
    http.headersTimeout = 601_000;
    http.on('request', (req, res) => {
      const bot = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
      if (bot) side.calls.set(bot[2]!, (side.calls.get(bot[2]!) ?? 0) + 1);
      if (bot?.[2] === 'getUpdates') {
        side.getUpdates(bot[1]!, req, res).catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ ok: false, error_code: 500, description: String(error) }));
        });
      } else if (bot?.[2] === 'setMyCommands') {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":true}');
      } else app(req, res);
    });
    return side;
  }

  /** Telegram's getUpdates: confirm below `offset`, hand out what is pending from `offset`, long-poll if nothing. */
  private async getUpdates(token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readBody(req);
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.min(50, Math.max(0, Number(params.timeout ?? 0)));
    const updates = this.emulator.storage.userMessages;
    if (offset > 0) {
      while (this.cursor < updates.length && updates[this.cursor]!.updateId < offset) updates[this.cursor++]!.isRead = true;
    }
    const pending = () => {
      const out: StoredClientUpdate[] = [];
      for (let i = this.cursor; i < updates.length && out.length < limit; i++) {
        const update = updates[i]!;
        if (update.botToken === token && update.updateId >= offset) out.push(update);
      }
      return out;
    };
    let batch = pending();
    if (batch.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.pollers.delete(done);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        this.pollers.add(done);
        res.on('close', done); // the bot went away (killed): nothing to answer
      });
      if (res.destroyed) return;
      batch = pending();
    }
    for (const update of batch) {
      if (this.handedOut.has(update.updateId)) this.redelivered++;
      else this.handedOut.add(update.updateId);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: batch.map((u) => formatUpdate(u)) }));
    if (batch.length > 0) this.events.emit('batch', batch.length);
  }

  /** Every update the people sent, as Telegram formats it, oldest first. */
  updates(): Update[] {
    return [...this.emulator.storage.userMessages].sort((a, b) => a.updateId - b.updateId).map((u) => formatUpdate(u));
  }

  /** Updates not confirmed by the bot yet. */
  unconfirmed(): number {
    return this.emulator.storage.userMessages.length - this.cursor;
  }

  messagesTo(chatId: number): Received[] {
    return this.byChat.get(chatId) ?? [];
  }

  /** Resolves when `test` holds for the chat's messages (checked at once, then at each new message to the chat). */
  waitFor<T>(chatId: number, test: (messages: Received[]) => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const found = test(this.messagesTo(chatId));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      let waiters = this.chatWaiters.get(chatId);
      if (!waiters) this.chatWaiters.set(chatId, (waiters = new Set()));
      const check = () => {
        const value = test(this.messagesTo(chatId));
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms: ${what()}`));
      }, timeoutMs);
      waiters.add(check);
    });
  }

  person(id: number, languageCode = 'fr'): Person {
    return new Person(this, id, languageCode);
  }

  async stop(): Promise<void> {
    for (const poller of [...this.pollers]) poller();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/**
 * Someone in a private chat with the bot. They act, then wait for the reply (see `reply`).
 */
export class Person {
  /** Highest prompt number seen so far. */
  seq = 0;
  /** Updates sent. */
  sent = 0;
  private readonly client;

  constructor(
    private readonly side: TelegramSide,
    readonly id: number,
    readonly languageCode: string,
  ) {
    this.client = side.emulator.getClient(TOKEN, { userId: id, chatId: id, type: 'private', firstName: `User${id}` });
  }

  private get from() {
    return { from: { id: this.id, is_bot: false, first_name: `User${this.id}`, language_code: this.languageCode } };
  }

  messages(): Received[] {
    return this.side.messagesTo(this.id);
  }

  /** The last message with buttons: the prompt the person answers. */
  current(): Received {
    const last = this.messages().filter((m) => m.keyboard?.length).pop();
    if (!last) throw new Error(`user ${this.id}: no message with buttons yet`);
    return last;
  }

  async command(text: string): Promise<void> {
    this.sent++;
    await this.side.emulator.addUserCommand(this.client.makeCommand(text, this.from as never) as never);
  }

  async say(text: string): Promise<void> {
    this.sent++;
    await this.side.emulator.addUserMessage(this.client.makeMessage(text, this.from as never) as never);
  }

  async sticker(): Promise<void> {
    const message = this.client.makeMessage(undefined as unknown as string, {
      ...this.from,
      sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
    } as never);
    delete (message as { text?: string }).text;
    this.sent++;
    await this.side.emulator.addUserMessage(message as never);
  }

  /** Presses a button: callback data as written by the bot (`seq:choice`), under the message that carries it. */
  async pressData(data: string): Promise<void> {
    this.sent++;
    const query = this.client.makeCallbackQuery(data, { ...this.from, message: { message_id: 1 } } as never);
    await this.side.emulator.addUserCallback(query as never);
  }

  /**
   * Presses the button of the current prompt whose choice is `choice`, or (`choice` ending in "*") the `nth` one
   * whose choice starts with it.
   */
  async press(choice: string, nth = 0): Promise<string> {
    const buttons = this.current().keyboard!.flat();
    const matching = buttons.filter((b) => {
      const id = choiceOf(b);
      return id !== undefined && (choice.endsWith('*') ? id.startsWith(choice.slice(0, -1)) : id === choice);
    });
    const button = matching[Math.min(nth, matching.length - 1)];
    if (!button || !('callback_data' in button)) {
      throw new Error(
        `user ${this.id}: no button "${choice}" under prompt ${this.current().seq}: ${buttons.map(choiceOf).join(', ')} ` +
          '(a script mistake, or the conversation moved without the person: an answer lost or processed twice)',
      );
    }
    await this.pressData(button.callback_data);
    return choiceOf(button)!;
  }

  /**
   * Waits for the reply to what was just sent. Every update processed moves the conversation one prompt on, so the
   * reply to the person's n-th update carries prompt number n: wait for it (a re-sent earlier prompt, "welcome back",
   * does not answer what they said; and after a burst of updates, the last one's reply is what matters).
   */
  async reply(timeoutMs: number): Promise<Received> {
    const target = this.sent;
    const message = await this.side.waitFor(
      this.id,
      (messages) => messages.find((m) => m.seq !== undefined && m.seq >= target),
      timeoutMs,
      () => `user ${this.id} waiting for the reply to update ${target} (last prompt seen: ${this.seq})`,
    );
    this.seq = message.seq!;
    return message;
  }
}
