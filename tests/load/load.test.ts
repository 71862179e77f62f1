/**
 * Load: 1,000 people talking to the bot at once through the Bot API emulator — the real Telegram adapter (grammY,
 * @grammyjs/runner, the durable inbox) and the engine on a SQLite file, as src/main.ts builds them, in a thread of
 * this process (./bot-thread.ts), polling the emulator over loopback HTTP with Telegram's getUpdates semantics
 * (../crash/telegram-side.ts); the emulator and the people are in the test's own thread, like a remote Telegram.
 *
 * Each person holds a short conversation of seven turns — /start, buttons, a typed answer, /ou — pausing 0–20 ms
 * before each, and waits for every reply. None may be lost: every person gets every reply, once, in order, and every
 * stored conversation ends where its script leads. The latency of each turn — from the person's update reaching
 * the emulator to the bot's reply being stored there — is reported as percentiles; it is not held to a target here
 * (targets are for `npm run bench`). With everyone waiting for every reply, the latency is mostly queueing — a closed
 * loop of 1,000 people runs at the pace of the slower side; so the busy share of both threads is printed too: the
 * one near 100% is the bottleneck (measured on 2 cores: the bot's thread, ~99%; the emulator's, ~75%).
 */
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { stateName } from '../../src/flows/prompt.js';
import { openDatabase } from '../../src/store/database.js';
import type { ConversationRow } from '../../src/store/repositories.js';
import { tempDbPath } from '../support/engine.js';
import { startBotThread, type BotThread } from './bot-thread.js';
import { TelegramSide, TOKEN, type Person } from '../crash/telegram-side.js';
import { prng } from '../crash/scripts.js';

const USERS = Number(process.env.LOAD_USERS ?? 1_000);
const OLD = ['gmail', 'outlook', 'yahoo', 'icloud', 'orange', 'sfr', 'free', 'laposte'] as const;
const FOR_WHOM = ['me', 'family', 'association', 'business'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Seven turns; which old mailbox, for whom, and typed or pressed, vary with the person. */
function script(i: number) {
  const english = i % 5 === 0;
  const old = OLD[i % OLD.length]!;
  const forWhom = FOR_WHOM[i % FOR_WHOM.length]!;
  const turns: Array<(p: Person) => Promise<unknown>> = [
    (p) => p.command('/start'),
    (p) => p.press('begin'),
    (p) => p.press(old),
    (p) => p.press(forWhom),
    // The next question is the storage one for a single person (one mailbox is implied), the mailboxes one otherwise.
    (p) => (english ? p.press('dontKnow') : p.say('je sais pas')),
    (p) => p.command('/ou'),
    (p) => p.press('dontKnow'),
  ];
  const answers =
    forWhom === 'me'
      ? { oldProvider: old, forWhom, storage: 'dontKnow', domain: 'dontKnow' }
      : { oldProvider: old, forWhom, mailboxes: 'dontKnow', storage: 'dontKnow' };
  return { english, turns, answers, question: forWhom === 'me' ? 'budget' : 'domain' };
}

describe('load: 1,000 people at once through the emulator', () => {
  it('answers everyone, every turn, once and in order; prints latency percentiles', { timeout: 180_000 }, async () => {
    const side = await TelegramSide.start();
    const tmp = tempDbPath();
    let bot: BotThread | undefined;
    try {
      bot = await startBotThread({ token: TOKEN, apiRoot: side.apiRoot, dbPath: tmp.path });
      const latencies: number[] = [];
      const people = Array.from({ length: USERS }, (_, i) => ({ i, script: script(i) }));
      const started = performance.now();
      const telegramFrom = performance.eventLoopUtilization();
      await Promise.all(
        people.map(async ({ i, script }) => {
          const person = side.person(500_000 + i, script.english ? 'en' : 'fr');
          const think = prng(i + 1);
          for (const turn of script.turns) {
            await sleep(think() * 20);
            const sentAt = performance.now();
            await turn(person);
            const reply = await person.reply(60_000);
            latencies.push(reply.at - sentAt);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const telegramBusy = performance.eventLoopUtilization(telegramFrom).utilization;
      const botBusy = (await bot.stop()).utilization;
      bot = undefined;

      const db = openDatabase(tmp.path);
      // None lost: each person got exactly prompts 1…7, one message each, and is stored where the script leads.
      const turns = people[0]!.script.turns.length;
      const rowOf = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE key = ?');
      for (const { i, script } of people) {
        const id = 500_000 + i;
        expect(side.messagesTo(id).map((m) => m.seq), `user ${id}`).toEqual(Array.from({ length: turns }, (_, k) => k + 1));
        const row = rowOf.get(`telegram:${id}`)!;
        expect([row.prompt_seq, row.delivered_seq], `user ${id}: stored and delivered`).toEqual([turns, turns]);
        const snapshot = JSON.parse(row.snapshot) as { value: unknown; context: { answers: object; question: string; lang: string } };
        expect(stateName(snapshot.value), `user ${id}`).toBe('asking');
        expect(snapshot.context.question, `user ${id}`).toBe(script.question);
        expect(snapshot.context.answers, `user ${id}`).toMatchObject(script.answers);
        expect(snapshot.context.lang).toBe(script.english ? 'en' : 'fr');
      }
      expect(db.prepare("SELECT COUNT(*) AS n FROM adapter_state WHERE adapter = 'telegram:inbox'").get()).toEqual({ n: 0 });
      expect(latencies).toHaveLength(USERS * turns);
      db.close();

      const sorted = [...latencies].sort((a, b) => a - b);
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      console.log(
        `load: ${USERS} people × ${turns} turns = ${latencies.length} turns in ${seconds.toFixed(1)} s ` +
          `(${(latencies.length / seconds).toFixed(0)} turns/s; ${side.calls.get('getUpdates')} getUpdates, ${side.calls.get('sendMessage')} sendMessage)\n` +
          `  latency, update at the emulator → reply at the emulator: p50 ${ms(percentile(sorted, 50))} · p95 ${ms(percentile(sorted, 95))} · ` +
          `p99 ${ms(percentile(sorted, 99))} · max ${ms(sorted[sorted.length - 1]!)}\n` +
          `  busy share of each thread: bot ${(botBusy * 100).toFixed(0)}% (since it started polling) · emulator and people ${(telegramBusy * 100).toFixed(0)}%`,
      );
    } finally {
      await bot?.stop();
      await side.stop();
      tmp.cleanup();
    }
  });
});
