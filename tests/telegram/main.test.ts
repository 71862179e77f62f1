/**
 * `npm start` with a token: the real src/main.ts in a child process, polling the emulator (TELEGRAM_API_ROOT), and
 * stopped by SIGTERM like a service manager would. What is sent while it is down is answered at the next start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMain, until } from '../support/process.js';
import { tempDbPath } from '../support/engine.js';
import { Harness, TOKEN, visible } from './harness.js';

let h: Harness;
let tmp: ReturnType<typeof tempDbPath>;
beforeEach(async () => {
  tmp = tempDbPath();
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
  tmp.cleanup();
});

function startTelegramMain() {
  const env: NodeJS.ProcessEnv = { ...process.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: h.apiRoot, DEMAILBOT_DB: tmp.path, LOG_LEVEL: 'info' };
  delete env.TELEGRAM_WEBHOOK_URL;
  return startMain(env);
}

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it('runs the guide on Telegram, stops cleanly on SIGTERM, and answers at the next start what came meanwhile', async () => {
    const client = h.server.getClient(TOKEN, { userId: 3001, chatId: 3001 });
    const from = { from: { id: 3001, is_bot: false, first_name: 'M', language_code: 'fr' } } as never;

    const first = startTelegramMain();
    await until(() => first.stderr().includes('telegram_started'), 'the start');
    await client.sendCommand(client.makeCommand('/start', from));
    const welcome = await until(() => h.messagesTo(3001)[0], 'the welcome');
    expect(visible(welcome.text)).toContain('demailbot');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain('telegram_stopped');

    await client.sendMessage(client.makeMessage('commencer', from)); // while the bot is down
    const second = startTelegramMain();
    const question = await until(() => h.messagesTo(3001)[1], 'the answer after the restart');
    expect(visible(question.text)).toContain('Quelle boîte mail');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    for (const logs of [first.stderr(), second.stderr()]) {
      for (const secret of [TOKEN, TOKEN.split(':')[1]!, '3001', 'commencer']) expect(logs).not.toContain(secret);
    }
  });
});
