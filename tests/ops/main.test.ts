/**
 * `npm start` with METRICS_PORT: the real src/main.ts in a child process, on Telegram (the emulator), serving its
 * metrics on loopback while it answers; a port already taken is a plain configuration error.
 */
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMain, until } from '../support/process.js';
import { tempDbPath } from '../support/engine.js';
import { Harness, TOKEN, freePort } from '../telegram/harness.js';

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

const env = (port: number): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: h.apiRoot, DEMAILBOT_DB: tmp.path, LOG_LEVEL: 'info', METRICS_PORT: String(port) };
  delete e.TELEGRAM_WEBHOOK_URL;
  return e;
};

describe('npm start with METRICS_PORT', () => {
  it('serves the metrics of the running bot over loopback', async () => {
    const port = await freePort();
    const bot = startMain(env(port));
    await until(() => bot.stderr().includes('telegram_started'), 'the start');
    // A chat id no metric's value could contain by chance (a 4-digit one once matched the heap size's bytes).
    const chat = 730_491_826_517;
    const client = h.server.getClient(TOKEN, { userId: chat, chatId: chat });
    await client.sendCommand(client.makeCommand('/start', { from: { id: chat, is_bot: false, first_name: 'M', language_code: 'fr' } } as never));
    await until(() => h.messagesTo(chat)[0], 'the welcome');
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    let text = await scrape();
    // The reply reaches the emulator just before the turn's timer stops: a few scrapes at most.
    for (let i = 0; i < 100 && !text.includes('demailbot_turns_total{platform="telegram",outcome="replied"} 1'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await scrape();
    }
    expect(text).toContain('demailbot_turns_total{platform="telegram",outcome="replied"} 1');
    expect(text).toContain('demailbot_telegram_api_calls_total{method="sendMessage",result="ok"} 1');
    expect(text).toContain('demailbot_log_events_total{event="telegram_started",level="info"} 1');
    expect(text).not.toContain(String(chat));
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('says plainly when the port is taken', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const bot = startMain(env(port));
      expect(await bot.exited).toBe(1);
      expect(bot.stderr()).toContain(`demailbot: METRICS_PORT ${port} on METRICS_HOST 127.0.0.1 is used by another program: choose another`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
