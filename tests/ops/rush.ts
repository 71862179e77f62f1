/**
 * The rush: many people start the bot within a short time while many of them ask for a volunteer at the same
 * moment — against the Bot API emulator made to enforce Telegram's limits (./bot-api-gate.ts: 429 with
 * retry_after over 30 messages a second in all, one a second in a private chat, 20 a minute in a group), with the
 * real Telegram adapter (its pacing on), the engine and the desk on a SQLite file, as src/main.ts builds them.
 *
 * Used by tests/ops/rush.test.ts (a smaller rush, and the desk's minute scaled down) and by `npm run bench`
 * (bench/rush.ts: 2,000 people within a minute and 100 tickets at once).
 *
 * The emulator side is tests/crash/telegram-side.ts (telegram-test-api with Telegram's getUpdates semantics; people
 * post their updates in-process). Forum topics, pins and chat members — which the emulator lacks — are answered by
 * the gate (`answer`), after its flood control has counted them, as Telegram counts them against the group.
 */
import { performance } from 'node:perf_hooks';
import type { PacingLimits } from '../../src/adapters/telegram/pacing.js';
import { Desk } from '../../src/desk/desk.js';
import { Engine } from '../../src/engine/engine.js';
import { openDatabase } from '../../src/store/database.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import { TelegramSide, TOKEN, type Person } from '../crash/telegram-side.js';
import { createTelegram, startTelegram } from '../telegram/harness.js';
import { BotApiGate, type Limits } from './bot-api-gate.js';

export const RUSH_DESK = -1002000000001;

export interface RushOptions {
  people: number;
  /** Over how long they start (ms), evenly spread. */
  spreadMs: number;
  /** How many of them ask for a volunteer, all at the same moment (once they have had their welcome). */
  tickets: number;
  /** The group window (ms) of the gate and of the bot's pacing: 60,000 is Telegram's; tests scale it down. */
  groupWindowMs?: number;
  /** How long to wait for everything to be delivered before giving up (ms). */
  timeoutMs: number;
}

export interface RushResult {
  /** Time from each person's /start to their first reply (ms), sorted. */
  firstReply: number[];
  /** Time from the ticket moment to the desk having every card (ms). */
  deskDrainMs: number;
  seconds: number;
  /** Chats whose messages were not each delivered once, in order (should be empty). */
  problems: string[];
  /** Calls the gate refused with 429, by limit. */
  refused: Record<string, number>;
  /** Most messages the gate let through in any second (all chats), any second to one private chat, any group window to the desk. */
  peaks: { global: number; privateChat: number; desk: number };
  limits: Limits;
  sent: number;
  tickets: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function runRush(options: RushOptions): Promise<RushResult> {
  const groupWindowMs = options.groupWindowMs ?? 60_000;
  const limits: Limits = { global: { max: 30, ms: 1_000 }, privateChat: { max: 1, ms: 1_000 }, group: { max: 20, ms: groupWindowMs }, slackMs: 50 };
  const pacing: PacingLimits = { globalPerSecond: 30, privateChatIntervalMs: 1_000, groupPerMinute: 20 * (60_000 / groupWindowMs) };
  const side = await TelegramSide.start();
  const gate = await BotApiGate.start(side.apiRoot, TOKEN);
  gate.limits = limits;
  let topics = 0;
  gate.answer = (method, payload) => {
    switch (method) {
      case 'createForumTopic':
        return { ok: true, result: { message_thread_id: 10_000 + ++topics, name: String(payload.name), icon_color: 0 } };
      case 'editForumTopic':
      case 'closeForumTopic':
      case 'reopenForumTopic':
      case 'pinChatMessage':
        return { ok: true, result: true };
      case 'getChatMember':
        return { ok: true, result: { status: 'administrator', user: { id: Number(payload.user_id), is_bot: false, first_name: 'V' } } };
      default:
        return undefined;
    }
  };
  const tmp = tempDbPath();
  const db = openDatabase(tmp.path);
  const engine = new Engine({ db, catalog, texts });
  const desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr' });
  const adapter = createTelegram({
    token: TOKEN,
    apiRoot: gate.url,
    desk: { chatId: String(RUSH_DESK) },
    pacing,
    stopGraceMs: 5_000,
    // Retries without the default cap on attempts: a 429 is a "wait", not a failure, in a rush.
    retry: { maxRetryAttempts: 20, maxDelaySeconds: 120 },
  }, engine, { desk });
  try {
    await startTelegram(adapter, engine);
    const startedAt = performance.now();
    const people: Person[] = Array.from({ length: options.people }, (_, i) => side.person(700_000_000 + i, i % 5 === 0 ? 'en' : 'fr'));
    const firstReply: number[] = [];
    const welcomed: Array<Promise<void>> = [];
    const deadline = (what: string) => Math.max(1_000, options.timeoutMs - (performance.now() - startedAt)) + 0 * what.length;
    // Everyone starts, evenly spread over the window.
    const starts = people.map(async (person, i) => {
      await sleep((options.spreadMs * i) / options.people);
      const at = performance.now();
      await person.command('/start');
      const reply = await person.reply(deadline('welcome'));
      firstReply.push(reply.at - at);
    });
    welcomed.push(...starts);
    // The ticket people: the first `tickets`, once welcomed, ask for a person; all consent at the same moment.
    const askers = people.slice(0, options.tickets);
    await Promise.all(starts.slice(0, options.tickets));
    await Promise.all(
      askers.map(async (person) => {
        await person.command('/humain');
        await person.reply(deadline('consent'));
      }),
    );
    const ticketMoment = performance.now();
    await Promise.all(
      askers.map(async (person) => {
        await person.press('yes');
        await person.reply(deadline('queued'));
      }),
    );
    await Promise.all(welcomed);
    // The desk: every ticket's card posted (a topic, the card, pinned).
    const cards = () => side.messagesTo(RUSH_DESK).filter((m) => m.keyboard?.flat().some((b) => 'callback_data' in b && b.callback_data === 'desk:claim')).length;
    while (cards() < options.tickets) {
      if (performance.now() - startedAt > options.timeoutMs) break;
      await sleep(50);
    }
    const deskDrainMs = performance.now() - ticketMoment;
    await adapter.idle();
    await engine.idle();

    // Each chat: every message the bot sent passed the gate once and was stored once; the prompts came in order.
    const problems: string[] = [];
    for (const person of people) {
      const stored = side.messagesTo(person.id);
      const passed = gate.passedTo(person.id, 'sendMessage');
      const seqs = stored.map((m) => m.seq).filter((s): s is number => s !== undefined);
      const expected = Array.from({ length: person.sent }, (_, k) => k + 1);
      if (stored.length !== passed.length) problems.push(`${person.id}: ${passed.length} sent, ${stored.length} stored`);
      if (JSON.stringify(seqs) !== JSON.stringify(expected)) problems.push(`${person.id}: prompts ${seqs.join(',')} instead of ${expected.join(',')}`);
    }
    if (cards() !== options.tickets) problems.push(`desk: ${cards()} cards for ${options.tickets} tickets`);
    const refused: Record<string, number> = {};
    for (const r of gate.refused) refused[r.limit] = (refused[r.limit] ?? 0) + 1;
    const privatePeak = Math.max(0, ...people.map((p) => gate.peak(1_000 - (limits.slackMs ?? 0), p.id)));
    return {
      firstReply: firstReply.sort((a, b) => a - b),
      deskDrainMs,
      seconds: (performance.now() - startedAt) / 1000,
      problems,
      refused,
      peaks: { global: gate.peak(1_000 - (limits.slackMs ?? 0)), privateChat: privatePeak, desk: gate.peak(groupWindowMs - (limits.slackMs ?? 0), RUSH_DESK) },
      limits,
      sent: gate.passed.length,
      tickets: (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n,
    };
  } finally {
    await adapter.stop();
    await engine.idle();
    db.close();
    await gate.stop();
    await side.stop();
    tmp.cleanup();
  }
}
