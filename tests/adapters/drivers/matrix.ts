/**
 * Matrix under the contract: the real MatrixAdapter (matrix-bot-sdk) syncing over HTTP with the tests' homeserver
 * (tests/support/homeserver.ts) on a loopback port, encryption off as on CI, and one person in a direct chat with
 * the bot, acting through the client-server API as a Matrix app would (tests/matrix/harness.ts's users and
 * settling are reused). Choices are a numbered list: the person answers by number or by words.
 */
import { CONTENT_LIMIT } from '../../../src/adapters/matrix/format.js';
import { matrixChatId } from '../../../src/adapters/matrix/rooms.js';
import type { MatrixPlatform } from '../../../src/adapters/matrix/platform.js';
import { tempDbPath, texts } from '../../support/engine.js';
import { MatrixHarness, NO_CRYPTO, createMatrix, visible, type BotMessage } from '../../matrix/harness.js';
import { lastWithChoices, numberOf, type PlatformDriver, type Reply } from '../driver.js';
import { errorsIn, logLines, makeCore, volunteerOn, type Core } from './core.js';

/** The one place the Matrix platform is created: through its module, as the composition root does. */
function makePlatform(core: Core, h: MatrixHarness): MatrixPlatform {
  return createMatrix({ homeserverUrl: h.hs.url, accessToken: h.botAccount.token, crypto: NO_CRYPTO, stopGraceMs: 2_000 }, core.engine, { log: core.log });
}

const LIST_LINE = /^(\d+)\. (.*)$/;

/** A notice as the person reads it: its text, and the numbered list at its end as the choices. */
function asReply(h: MatrixHarness, message: BotMessage): Reply {
  if (message.msgtype === 'm.file') {
    const content = message.event.content as { url: string; filename?: string; body: string };
    const file = h.hs.download(content.url);
    return { text: message.body, choices: [], size: 0, handle: message, document: { filename: content.filename ?? content.body, content: file?.data.toString('utf8') ?? '' } };
  }
  const lines = message.body.split('\n');
  const choices: string[] = [];
  while (lines.length && LIST_LINE.test(lines.at(-1)!)) choices.unshift(LIST_LINE.exec(lines.pop()!)![2]!);
  const text = choices.length ? lines.join('\n').trimEnd() : visible(message);
  return { text, choices, size: Buffer.byteLength(JSON.stringify(message.event.content), 'utf8'), handle: message };
}

export async function matrixDriver(): Promise<PlatformDriver> {
  const tmp = tempDbPath();
  const logs: string[] = [];
  const log = logLines(logs);
  const h = await MatrixHarness.start();
  let core = makeCore(tmp.path, log);
  let adapter: MatrixPlatform;

  const launch = async () => {
    h.hs.forgetClient(h.botId); // a previous client's syncs say nothing about this one's
    adapter = makePlatform(core, h);
    await adapter.start();
    await core.engine.flushOutbox(); // as the composition root does once every platform has started
    await adapter.listen();
    await h.settle();
  };
  await launch();
  const person = h.user('jeanne');

  const all: Reply[] = [];
  let lastEvent = '';
  const asReplies = (messages: BotMessage[]): Reply[] => {
    const replies = messages.map((m) => asReply(h, m));
    all.push(...replies);
    return replies;
  };
  const say = async (text: string) =>
    asReplies(
      await person.act(async (user, room) => {
        lastEvent = await user.say(room, text);
      }),
    );
  const stop = async () => {
    await adapter.stop();
    await core.close();
  };

  return {
    name: 'matrix',
    choicesAs: 'numbers',
    messageLimit: CONTENT_LIMIT,
    open: async () => asReplies(await person.openDm()),
    say,
    press: (label, on = lastWithChoices(all)) => say(numberOf(on, label)),
    sendNonText: async () => asReplies(await person.act((user, room) => user.sticker(room))),
    redeliver: async () => {
      h.hs.replay(lastEvent); // the same event in the timeline again, as a homeserver may hand it after a restart
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
      lastEvent = await person.user.say(person.room, text); // the homeserver keeps it for the next sync
      core = makeCore(tmp.path, log);
      await launch();
      return asReplies(await person.replies());
    },
    // Refused for good (not a rate limit, which the adapter retries): the engine keeps the reply for the next start.
    refuseNextReply: () => h.hs.failSends(h.botId, 1, { status: 403, errcode: 'M_FORBIDDEN' }),
    deliver: async (message) => {
      await adapter.send(matrixChatId(person.room, person.id), { ...message, promptSeq: 0, lang: 'fr' });
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
