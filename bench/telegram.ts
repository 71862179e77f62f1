/**
 * Messages per second through the Telegram Bot API emulator (telegram-test-api): demailbot's Telegram adapter and
 * engine on a real SQLite file, against a bare grammY echo bot on the same emulator, and their ratio.
 *
 * The emulator and the simulated users run in a worker thread — the "Telegram side", like a remote server — so the
 * main thread holds only the bot being measured. Users form a closed loop: each of them sends a message, waits for
 * the reply, then sends the next (a typed conversation for demailbot; the echo bot echoes the same texts). Both bots
 * poll with @grammyjs/runner. The emulator answers getUpdates at once, even when empty, where Telegram would hold
 * the request (long polling); both bots get the same shim: after an empty answer, wait for the next message (or
 * 20 ms) before asking again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Bot, type Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import { run } from '@grammyjs/runner';
import { loadCatalog } from '../src/catalog/load.js';
import { Engine } from '../src/engine/engine.js';
import { Desk } from '../src/desk/desk.js';
import { createTexts } from '../src/render/i18n.js';
import { openDatabase } from '../src/store/database.js';
import type { Row } from './turns.js';
import { createTelegram, freePort, startTelegram } from '../tests/telegram/harness.js';

const TOKEN = '123456789:bench-token';

/** One user's typed conversation, looping: welcome → questions → host → plan steps → restart. */
const SCRIPT = [
  '/start', 'commencer', 'gmail', 'pour moi', 'je sais pas', 'non', 'gratuit', 'oui', 'peu importe', 'oui', 'oui', '1',
  'fait', 'fait', 'aide', 'fait', 'plus tard', 'fait', 'fait', '/ou', '/recommencer', 'oui',
];

/** The Telegram side: the emulator and the users' closed loop (CommonJS, evaluated in the worker). */
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const TelegramServer = require(workerData.emulator);
const { token, script } = workerData;
(async () => {
  const server = new TelegramServer({ port: workerData.port, host: '127.0.0.1', storeTimeout: 3600 });
  await server.start();
  // Keep idle keep-alive connections open: the default 5 s would race with the bot reusing one (ECONNRESET).
  server.server.keepAliveTimeout = 600000;
  server.server.headersTimeout = 601000;
  let round = null;
  server.on('AddedBotMessage', () => {
    const stored = server.storage.botMessages;
    const last = stored[stored.length - 1];
    stored.length = 0; // not needed: keep the emulator lean
    if (!round) return;
    const user = round.users.get(String(last.message.chat_id));
    if (!user || !user.waiting) return; // a second part of a long reply
    user.waiting = false;
    round.answered++;
    if (round.answered === round.warmup) {
      round.started = process.hrtime.bigint();
      parentPort.postMessage({ type: 'measuring' });
    }
    if (round.answered === round.warmup + round.measured) round.ended = process.hrtime.bigint();
    if (round.answered % 256 === 0) server.storage.userMessages = server.storage.userMessages.filter((u) => !u.isRead);
    if (round.sent < round.warmup + round.measured) send(user);
    else if ([...round.users.values()].every((u) => !u.waiting)) finish();
  });
  const send = (user) => {
    round.sent++;
    user.waiting = true;
    const text = script[user.step++ % script.length];
    const person = { id: user.id, is_bot: false, first_name: 'U' + user.id, language_code: 'fr' };
    server.addUserMessage({ botToken: token, date: Math.floor(Date.now() / 1000), from: person, chat: { id: user.id, type: 'private', first_name: person.first_name }, text });
    parentPort.postMessage({ type: 'update' });
  };
  const finish = () => {
    const seconds = Number(round.ended - round.started) / 1e9;
    parentPort.postMessage({ type: 'done', perSecond: round.measured / seconds });
    round = null;
  };
  parentPort.on('message', async (message) => {
    if (message.type === 'round') {
      const users = new Map();
      for (let i = 0; i < message.users; i++) {
        const id = message.firstUser + i;
        users.set(String(id), { id, step: 0, waiting: false });
      }
      round = { users, warmup: message.warmup, measured: message.measured, sent: 0, answered: 0, started: 0n, ended: 0n };
      for (const user of users.values()) send(user);
    } else if (message.type === 'stop') {
      await server.stop();
      parentPort.close();
    }
  });
  parentPort.postMessage({ type: 'ready', apiRoot: server.config.apiURL });
})().catch((error) => parentPort.postMessage({ type: 'error', error: String(error && error.stack || error) }));
`;

interface RoundResult {
  perSecond: number;
  /** Time the bot's thread was busy (event-loop utilisation), per message, in µs. */
  busyMicros: number;
}

interface TelegramSide {
  apiRoot: string;
  /** Runs one closed-loop round: messages per second, and the bot thread's busy time per message. */
  round(options: { users: number; firstUser: number; warmup: number; measured: number }): Promise<RoundResult>;
  /** Long-polling shim for a bot: after an empty getUpdates, wait for the next user message (or 20 ms). */
  longPoll: Transformer;
  stop(): Promise<void>;
}

async function startTelegramSide(port: number): Promise<TelegramSide> {
  const emulator = createRequire(import.meta.url).resolve('telegram-test-api');
  const worker = new Worker(WORKER, { eval: true, workerData: { emulator, token: TOKEN, script: SCRIPT, port } });
  let wake: (() => void) | undefined;
  let done: ((perSecond: number) => void) | undefined;
  let measuring: (() => void) | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (message: { type: string; apiRoot?: string; perSecond?: number; error?: string }) => {
      if (message.type === 'ready') resolve(message.apiRoot!);
      else if (message.type === 'update') wake?.();
      else if (message.type === 'measuring') measuring?.();
      else if (message.type === 'done') done?.(message.perSecond!);
      else if (message.type === 'error') reject(new Error(message.error));
    });
  });
  const apiRoot = await ready;
  return {
    apiRoot,
    round: (options) =>
      new Promise<RoundResult>((resolve, reject) => {
        let start: EventLoopUtilization | undefined;
        // A reply lost for good would stall the closed loop: fail the bench rather than hang.
        const watchdog = setTimeout(() => reject(new Error('telegram bench: a round stalled (a reply was lost)')), 300_000);
        measuring = () => (start = performance.eventLoopUtilization());
        done = (perSecond) => {
          clearTimeout(watchdog);
          const { active } = performance.eventLoopUtilization(start);
          resolve({ perSecond, busyMicros: (active * 1000) / options.measured });
        };
        worker.postMessage({ type: 'round', ...options });
      }),
    longPoll: async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (method !== 'getUpdates' || !result.ok || (result.result as Update[]).length > 0) return result;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      return prev(method, payload, signal);
    },
    stop: async () => {
      worker.postMessage({ type: 'stop' });
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}


/** The bare grammY echo bot: every text answered with itself. */
async function echoBot(side: TelegramSide) {
  const bot = new Bot(TOKEN, { client: { apiRoot: side.apiRoot } });
  bot.api.config.use(side.longPoll);
  bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  bot.catch((error) => console.error('echo bot:', error.message));
  await bot.init();
  const handle = run(bot, { runner: { silent: true } });
  return { stop: () => handle.stop() };
}

/** demailbot as `npm start` runs it with a token: the Telegram adapter over the engine on a SQLite file. */
async function demailbot(side: TelegramSide, dbPath: string) {
  const db = openDatabase(dbPath);
  const catalog = loadCatalog();
  const engine = new Engine({ db, catalog, texts: createTexts() });
  new Desk({ db, host: engine, texts: createTexts(), catalog }); // as main.ts runs it
  // The pacing machinery is in (its cost is part of the bot's), but with limits this bench never reaches: it
  // measures the bot's thread time per message, not Telegram's rates (those are the rush rows).
  const adapter = createTelegram({
    token: TOKEN,
    apiRoot: side.apiRoot,
    // BENCH_TELEGRAM_PACING=off: without the pacing machinery, to see its cost.
    pacing: process.env.BENCH_TELEGRAM_PACING === 'off' ? false : { globalPerSecond: Infinity, privateChatIntervalMs: 0, groupPerMinute: Infinity },
  }, engine);
  adapter.bot.api.config.use(side.longPoll);
  await startTelegram(adapter, engine);
  return {
    stop: async () => {
      await adapter.stop();
      await engine.idle();
      db.close();
    },
  };
}

export async function benchTelegram(options: { messages?: number; users?: number; rounds?: number } = {}): Promise<Row[]> {
  const measured = options.messages ?? 5_000;
  const users = options.users ?? 50;
  const rounds = options.rounds ?? 3;
  const warmup = Math.max(1_000, users * SCRIPT.length);
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-bench-telegram-'));
  const side = await startTelegramSide(await freePort());
  let firstUser = 1_000_000;
  const best = { echo: { perSecond: 0, busyMicros: Infinity }, demailbot: { perSecond: 0, busyMicros: Infinity } };
  try {
    // Alternate the two bots and keep each one's best round: the machine's noise hits both alike.
    for (let r = 0; r < rounds; r++) {
      for (const which of ['echo', 'demailbot'] as const) {
        const bot = which === 'echo' ? await echoBot(side) : await demailbot(side, join(dir, `bench-${r}.db`));
        const result = await side.round({ users, firstUser, warmup, measured });
        firstUser += users;
        await bot.stop();
        if (result.perSecond > best[which].perSecond) best[which] = result;
      }
    }
  } finally {
    await side.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = best.echo.perSecond / best.demailbot.perSecond;
  return [
    { measure: `Telegram emulator: bare grammY echo bot (${users} users)`, value: `${best.echo.perSecond.toFixed(0)} msg/s` },
    { measure: `Telegram emulator: demailbot (${users} users)`, value: `${best.demailbot.perSecond.toFixed(0)} msg/s` },
    { measure: 'Telegram emulator: echo ÷ demailbot (time per message)', value: ratio.toFixed(2), target: '≤ 1.3', ok: ratio <= 1.3 },
    { measure: 'Telegram: bot thread busy per message, echo', value: `${best.echo.busyMicros.toFixed(0)} µs` },
    { measure: 'Telegram: bot thread busy per message, demailbot', value: `${best.demailbot.busyMicros.toFixed(0)} µs` },
  ];
}
