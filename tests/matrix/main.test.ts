/**
 * `npm start` with Matrix configured: the real src/main.ts in a child process, syncing with the test homeserver
 * over loopback, stopped by SIGTERM like a service manager would; and Telegram and Matrix in one process, over one
 * database. The child loads the SDK as a deployment does: here, without the native crypto binary.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMain, until } from '../support/process.js';
import { tempDbPath } from '../support/engine.js';
import { TestHomeserver } from '../support/homeserver.js';
import { CRYPTO_BINARY_PRESENT } from './harness.js';
import { Harness as TelegramHarness, TOKEN as TELEGRAM_TOKEN, visible as telegramVisible } from '../telegram/harness.js';

let hs: TestHomeserver;
let tmp: ReturnType<typeof tempDbPath>;
beforeEach(async () => {
  tmp = tempDbPath();
  hs = await TestHomeserver.start();
});
afterEach(async () => {
  await hs.stop();
  tmp.cleanup();
});

function startMatrixMain(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, DEMAILBOT_DB: tmp.path, LOG_LEVEL: 'info', ...extra };
  if (!extra.TELEGRAM_BOT_TOKEN) delete env.TELEGRAM_BOT_TOKEN;
  delete env.TELEGRAM_WEBHOOK_URL;
  return startMain(env);
}

describe('npm start with MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN', () => {
  it('runs the guide on Matrix, says once that encryption is off, stops cleanly, and answers at the next start', async () => {
    const bot = hs.register('demailbot');
    const alice = hs.user('alice');
    const env = { MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: bot.token };

    const first = startMatrixMain(env);
    await until(() => first.stderr().includes('"event":"matrix_started"'), 'the start');
    const room = await alice.createDm(bot.userId);
    const welcome = await until(() => hs.eventsFrom(bot.userId, room)[0], 'the welcome');
    expect(welcome.content.body).toContain('demailbot');
    await hs.settle(bot.userId);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain('"event":"matrix_stopped"');

    const said = 'commencer';
    await alice.say(room, said); // while the bot is down
    const second = startMatrixMain(env);
    const question = await until(() => hs.eventsFrom(bot.userId, room)[1], 'the answer after the restart');
    expect(question.content.body).toContain('Quelle boîte mail');
    await hs.settle(bot.userId);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    for (const logs of [first.stderr(), second.stderr()]) {
      // Said once per start, with the reason and the fix. (Where the binary is present, encryption is on, or its
      // preparation fails on this homeserver, which has no key endpoints, and the adapter falls back: not tested.)
      const off = logs.split('\n').filter((l) => l.includes('"event":"matrix_encryption_off"'));
      if (!CRYPTO_BINARY_PRESENT) {
        expect(off).toHaveLength(1);
        expect(JSON.parse(off[0]!)).toMatchObject({
          level: 'warn',
          reason: expect.stringContaining('native crypto module did not load'),
          fix: expect.stringContaining('npm rebuild @matrix-org/matrix-sdk-crypto-nodejs'),
        });
      }
      for (const secret of [bot.token, room, room.slice(1, room.indexOf(':')), alice.id, said, welcome.event_id]) expect(logs).not.toContain(secret);
    }
    expect(hs.unknown.filter((u) => !u.includes('/keys/'))).toEqual([]);
  });

  it('says plainly what is wrong with a refused token, without repeating it', async () => {
    const main = startMatrixMain({ MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: 'syt_wrong_token' });
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toMatch(/demailbot: the Matrix homeserver refused the access token \(M_UNKNOWN_TOKEN\): check MATRIX_ACCESS_TOKEN/);
    expect(main.stderr()).not.toContain('syt_wrong_token');
  });
});

describe('npm start with Telegram and Matrix both configured', () => {
  it('runs both in one process, over one database', async () => {
    const telegram = await TelegramHarness.start();
    try {
      const bot = hs.register('demailbot');
      const alice = hs.user('alice');
      const main = startMatrixMain({
        MATRIX_HOMESERVER_URL: hs.url,
        MATRIX_ACCESS_TOKEN: bot.token,
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      });
      await until(() => main.stderr().includes('"event":"matrix_started"') && main.stderr().includes('telegram_started'), 'both starts');
      expect(main.stderr()).toMatch(/"event":"started","adapters":\["telegram","matrix"\]/);

      const client = telegram.server.getClient(TELEGRAM_TOKEN, { userId: 4001, chatId: 4001 });
      await client.sendCommand(client.makeCommand('/start', { from: { id: 4001, is_bot: false, first_name: 'T', language_code: 'fr' } } as never));
      const room = await alice.createDm(bot.userId);
      const onTelegram = await until(() => telegram.messagesTo(4001)[0], 'the Telegram welcome');
      const onMatrix = await until(() => hs.eventsFrom(bot.userId, room)[0], 'the Matrix welcome');
      expect(telegramVisible(onTelegram.text)).toContain('demailbot');
      expect(onMatrix.content.body).toContain('demailbot');

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const db = new Database(tmp.path, { readonly: true });
      try {
        expect(db.prepare('SELECT platform FROM conversations ORDER BY platform').all()).toEqual([{ platform: 'matrix' }, { platform: 'telegram' }]);
      } finally {
        db.close();
      }
    } finally {
      await telegram.stop();
    }
  });
});
