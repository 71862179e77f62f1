/**
 * The Telegram adapter's pacing (src/adapters/telegram/pacing.ts) through the Bot API emulator behind the gate:
 * a private chat's messages spaced and in order, a group's too, reads not paced, and desk card edits that wait
 * in the queue coalesced into the newest.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramPlatform } from '../../src/adapters/telegram/index.js';
import { isPaced } from '../../src/adapters/telegram/pacing.js';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { Harness, TOKEN, createTelegram } from '../telegram/harness.js';
import { BotApiGate } from './bot-api-gate.js';

const GROUP = -1003000000001;
let h: Harness;
let gate: BotApiGate;
let made: ReturnType<typeof makeEngine>;
let adapter: TelegramPlatform;
const tmp = tempDbPath();
const left: Array<{ method: string; chat: string; at: number }> = [];

beforeAll(async () => {
  h = await Harness.start();
  gate = await BotApiGate.start(h.apiRoot, TOKEN);
  made = makeEngine(tmp.path);
  // Faster than Telegram so the test is quick: 300 ms between a person's messages, 2 a second in a group.
  adapter = createTelegram({
    token: TOKEN,
    apiRoot: gate.url,
    pacing: { privateChatIntervalMs: 300, groupPerMinute: 120 },
    // When each call leaves the pacing (the observer sits inside it): the spacing is measured at the source, not
    // blurred by the loopback's jitter on a loaded machine.
    apiObservers: {
      eachAttempt: (prev, method, payload, signal) => {
        left.push({ method, chat: String((payload as { chat_id?: unknown }).chat_id), at: performance.now() });
        return prev(method, payload, signal);
      },
    },
  }, made.engine);
});
afterAll(async () => {
  await made.engine.idle();
  made.db.close();
  tmp.cleanup();
  await gate.stop();
  await h.stop();
});

describe('pacing', () => {
  it("spaces one chat's messages and keeps their order; another chat is not held back", async () => {
    const api = adapter.bot.api;
    const started = Date.now();
    await Promise.all([
      ...[1, 2, 3].map((n) => api.sendMessage(111, `m${n}`)),
      api.sendMessage(222, 'other'),
    ]);
    expect(gate.passedTo(111, 'sendMessage').map((p) => p.payload.text)).toEqual(['m1', 'm2', 'm3']);
    const times = left.filter((l) => l.chat === '111').map((l) => l.at);
    expect(times).toHaveLength(3);
    // 300 ms between the chat's turns; the hop through the global queue after it can shave a few milliseconds.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(270);
    // The other chat's message did not wait behind the first chat's pace.
    expect(gate.passedTo(222)[0]!.at - started).toBeLessThan(280);
  });

  it('coalesces edits of one card waiting behind the group\'s pace into the newest, and answers each caller', async () => {
    const api = adapter.bot.api;
    const card = await api.sendMessage(GROUP, 'card v0');
    const busy = api.sendMessage(GROUP, 'a notice'); // the group's next slot is taken: the edits wait behind it
    const edits = [1, 2, 3, 4, 5].map((n) => api.editMessageText(GROUP, card.message_id, `card v${n}`));
    await Promise.all([busy, ...edits]);
    const passed = gate.passedTo(GROUP, 'editMessageText');
    expect(passed.map((p) => p.payload.text)).toEqual(['card v5']);
    expect(h.server.storage.botMessages.find((m) => m.messageId === card.message_id)?.message.text).toBe('card v5');
  });

  it('paces what posts in a chat, not reads nor button answers', () => {
    expect(isPaced('sendMessage', { chat_id: 1, text: 'x' })).toBe(true);
    expect(isPaced('pinChatMessage', { chat_id: -1, message_id: 2 })).toBe(true);
    expect(isPaced('createForumTopic', { chat_id: -1, name: 'n' })).toBe(true);
    expect(isPaced('getChatMember', { chat_id: -1, user_id: 2 })).toBe(false);
    expect(isPaced('answerCallbackQuery', { callback_query_id: 'q' })).toBe(false);
    expect(isPaced('getUpdates', { offset: 1 })).toBe(false);
  });
});
