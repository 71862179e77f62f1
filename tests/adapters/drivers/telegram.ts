/**
 * Telegram under the contract: the real Telegram platform (grammY, @grammyjs/runner) long-polling telegram-test-api on
 * a loopback port, and one person (a private chat) acting through the emulator's client, as in
 * tests/telegram/harness.ts, whose emulator, users and settling are reused.
 *
 * What the emulator lacks is answered by a grammY API transformer on the bot, as the harness does: setMyCommands
 * (recorded and answered ok), sendDocument (its file kept here, so the person's document can be read back), and a
 * short pause after an empty getUpdates (the emulator answers at once instead of long-polling).
 */
import type { InputFile } from 'grammy';
import type { Update } from 'grammy/types';
import type { TelegramPlatform } from '../../../src/adapters/telegram/index.js';
import { MESSAGE_LIMIT } from '../../../src/adapters/telegram/format.js';
import { tempDbPath } from '../../support/engine.js';
import { Harness, TOKEN, createTelegram, startTelegram, type BotMessage } from '../../telegram/harness.js';
import { tgVisible } from '../../desk/world.js';
import { lastWithChoices, type PlatformDriver, type Reply } from '../driver.js';
import { errorsIn, logLines, makeCore, volunteerOn, type Core } from './core.js';

const PERSON = 2001;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The one place the Telegram platform is created: through its module, registered as the engine's sender. */
function makePlatform(core: Core, apiRoot: string): TelegramPlatform {
  return createTelegram({ token: TOKEN, apiRoot, stopGraceMs: 2_000, pacing: false }, core.engine, { log: core.log });
}

interface Document {
  chatId: string;
  filename: string;
  content: string;
  /** How many messages the chat had when it came: it goes with the message before it. */
  after: number;
}

/** Stands in for what the emulator lacks (see the file's comment); counts getUpdates for settling. */
function emulate(adapter: TelegramPlatform, h: Harness, documents: Document[], fetches: { n: number }, refuse: { sends: number }): void {
  adapter.bot.api.config.use(async (prev, method, payload, signal) => {
    if (method === 'getUpdates') fetches.n++;
    if (method === 'sendMessage' && refuse.sends > 0) {
      refuse.sends--;
      return { ok: false, error_code: 500, description: 'Internal Server Error: refused by the test' } as never;
    }
    if (method === 'setMyCommands') return { ok: true, result: true } as never;
    if (method === 'sendDocument') {
      const { chat_id, document } = payload as unknown as { chat_id: number | string; document: InputFile };
      const raw = await document.toRaw();
      const content = raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : '(a stream)';
      documents.push({ chatId: String(chat_id), filename: document.filename ?? '', content, after: h.messagesTo(Number(chat_id)).length });
      return { ok: true, result: { message_id: 900_000 + documents.length, date: 0, chat: { id: Number(chat_id), type: 'private' } } } as never;
    }
    const result = await prev(method, payload, signal);
    if (method === 'getUpdates' && result.ok && (result.result as Update[]).length === 0) await sleep(5);
    return result;
  });
}

export async function telegramDriver(): Promise<PlatformDriver> {
  const tmp = tempDbPath();
  const logs: string[] = [];
  const log = logLines(logs);
  const h = await Harness.start();
  const documents: Document[] = [];
  const fetches = { n: 0 };
  const refuse = { sends: 0 };
  let core = makeCore(tmp.path, log);
  let adapter: TelegramPlatform;

  const launch = async () => {
    adapter = makePlatform(core, h.apiRoot);
    emulate(adapter, h, documents, fetches, refuse);
    // The harness settles on its `bot`: what it reads of it is the adapter, its fetches and its logs.
    h.bot = { adapter, engine: core.engine, db: core.db, calls: [], logs, fetches: () => fetches.n, failNext: () => {}, failNextWith: () => {}, stop: () => adapter.stop() };
    await startTelegram(adapter, core.engine); // as the composition root does: start, re-send, listen
  };
  await launch();
  const person = h.user(PERSON, { languageCode: 'fr', firstName: 'Jeanne' });

  const all: Reply[] = [];
  const asReplies = (messages: BotMessage[]): Reply[] => {
    const replies = messages.map((m): Reply => {
      const index = h.messagesTo(PERSON).findIndex((x) => x.messageId === m.messageId);
      const document = documents.find((d) => d.chatId === String(PERSON) && d.after === index + 1);
      return {
        text: tgVisible(m.text),
        choices: m.keyboard?.flat().map((b) => b.text) ?? [],
        size: m.text.length,
        handle: m,
        ...(document ? { document: { filename: document.filename, content: document.content } } : {}),
      };
    });
    all.push(...replies);
    return replies;
  };
  const stop = async () => {
    await adapter.stop();
    await core.close();
  };

  return {
    name: 'telegram',
    choicesAs: 'buttons',
    messageLimit: MESSAGE_LIMIT,
    open: async () => asReplies(await person.start()),
    say: async (text) => asReplies(await person.say(text)),
    press: async (label, on = lastWithChoices(all)) => asReplies(await person.press(label, on.handle as BotMessage)),
    sendNonText: async () =>
      asReplies(await person.sendNonText({ sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } })),
    redeliver: async () => {
      h.redeliverLast(); // the same update_id again, as Telegram does when the offset was not confirmed
      return asReplies(await person.replies());
    },
    restart: async () => {
      await stop();
      core = makeCore(tmp.path, log);
      await launch();
      return asReplies(await person.replies());
    },
    sayWhileStopped: async (text) => {
      await stop();
      // The person's app posts to Telegram meanwhile: the update waits there for the next getUpdates.
      const app = h.server.getClient(TOKEN, { userId: PERSON, chatId: PERSON, type: 'private', firstName: 'Jeanne' });
      await app.sendMessage(app.makeMessage(text, { from: { id: PERSON, is_bot: false, first_name: 'Jeanne', language_code: 'fr' } } as never));
      core = makeCore(tmp.path, log);
      await launch();
      return asReplies(await person.replies());
    },
    refuseNextReply: () => void (refuse.sends = 1),
    deliver: async (message) => {
      await adapter.send(String(PERSON), { ...message, promptSeq: 0, lang: 'fr' });
      return asReplies(await person.replies());
    },
    news: async () => asReplies(await person.replies()),
    replies: () => [...all],
    volunteer: volunteerOn(() => core, () => h.settle()),
    errors: () => errorsIn(logs),
    close: async () => {
      await stop().catch(() => {});
      await h.stop();
      tmp.cleanup();
    },
  };
}
