/**
 * Outgoing Telegram calls paced to what Telegram allows, with @grammyjs/transformer-throttler (Bottleneck):
 * about 30 messages a second in all, one a second in a private chat, 20 a minute in a group — the volunteers'
 * desk (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). Each chat has its own
 * queue chained to the global one, so a chat holds at most one call in the global queue at a time: a person
 * with a long plan step, or a busy desk, never keeps the others waiting behind a burst (fair between
 * conversations), and a chat's messages keep their order.
 *
 * Only what posts or changes something in a chat is paced (sendMessage, sendDocument, editMessageText,
 * pinChatMessage, createForumTopic, deleteMessage…); reads (getChat, getChatMember…), answerCallbackQuery and
 * getUpdates are not: Telegram does not count them against a chat, and a press must be answered at once.
 *
 * Card edits are coalesced: an edit of a message (editMessageText, editMessageReplyMarkup) that is still waiting
 * in the queue when a newer edit of the same message comes is replaced by it — the card shows its latest state,
 * and the desk's 20 a minute are not spent on states nobody would see. Both callers get the newer edit's answer.
 *
 * Two transformers, installed around the throttler by the adapter: `outer` (before it: coalescing, the count
 * of calls waiting) and `inner` (after it: the call leaves the queue).
 */
import type { Transformer } from 'grammy';
import { apiThrottler } from '@grammyjs/transformer-throttler';

export interface PacingLimits {
  /** Messages a second, all chats together (30). */
  globalPerSecond: number;
  /** Milliseconds between two messages in one private chat (1000). */
  privateChatIntervalMs: number;
  /** Messages a minute in one group (20). */
  groupPerMinute: number;
}

export const TELEGRAM_LIMITS: PacingLimits = { globalPerSecond: 30, privateChatIntervalMs: 1_000, groupPerMinute: 20 };

const EDITS = new Set(['editMessageText', 'editMessageReplyMarkup']);
const UNPACED = new Set(['answerCallbackQuery', 'getUpdates', 'setMyCommands', 'deleteWebhook', 'setWebhook']);

/** Whether Telegram counts this call against a chat (it posts or changes something there). */
export function isPaced(method: string, payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && 'chat_id' in payload && !method.startsWith('get') && !UNPACED.has(method);
}

interface Waiting {
  payload: Record<string, unknown>;
  answer: Promise<unknown>;
  /** Left the queue (sent, or being retried): too late to replace its content. */
  started: boolean;
}

export interface Pacing {
  /** Installed first (closest to the network): marks a call as out of the queue. */
  inner: Transformer;
  /** The throttler itself, installed next. */
  throttler: Transformer;
  /** Installed after the throttler: coalesces waiting edits, counts waiting calls. */
  outer: Transformer;
  /** Calls waiting for their turn (for the metrics). */
  queued(): number;
}

export function createPacing(limits: Partial<PacingLimits> = {}): Pacing {
  const { globalPerSecond, privateChatIntervalMs, groupPerMinute } = { ...TELEGRAM_LIMITS, ...limits };
  // Evenly spaced rather than a reservoir refilled each second or minute: a refilled reservoir lets a full burst
  // at the end of one window and another at the start of the next — twice the limit within one sliding window,
  // which is what Telegram answers 429 to. Spaced calls keep under the limit in every window.
  const throttle = apiThrottler({
    global: { minTime: Math.ceil(1_000 / globalPerSecond) },
    group: { maxConcurrent: 1, minTime: Math.ceil(60_000 / groupPerMinute) },
    out: { maxConcurrent: 1, minTime: privateChatIntervalMs },
  });
  const edits = new Map<string, Waiting>();
  const entries = new WeakMap<object, Waiting>();
  const inQueue = new Set<object>();
  const editKey = (method: string, payload: Record<string, unknown>) => `${method}:${String(payload.chat_id)}:${String(payload.message_id)}`;

  const inner: Transformer = (prev, method, payload, signal) => {
    if (payload) {
      inQueue.delete(payload);
      const entry = entries.get(payload);
      if (entry) entry.started = true;
    }
    return prev(method, payload, signal);
  };
  const throttler: Transformer = (prev, method, payload, signal) => (isPaced(method, payload) ? throttle(prev, method, payload, signal) : prev(method, payload, signal));
  const outer: Transformer = (prev, method, payload, signal) => {
    if (!isPaced(method, payload)) return prev(method, payload, signal);
    const record = payload as Record<string, unknown>;
    inQueue.add(record);
    if (!EDITS.has(method) || record.message_id === undefined) {
      const answer = prev(method, payload, signal);
      void answer.finally(() => inQueue.delete(record)).catch(() => {});
      return answer;
    }
    const key = editKey(method, record);
    const previous = edits.get(key);
    if (previous && !previous.started) {
      // Still queued: it goes out with the newer content (the throttler holds that very object).
      inQueue.delete(record);
      for (const field of Object.keys(previous.payload)) delete previous.payload[field];
      Object.assign(previous.payload, record);
      return previous.answer as ReturnType<Transformer>;
    }
    // An earlier edit of this message already left (or is being retried after a 429): this one goes after it,
    // never before — the card must end in its latest state.
    const entry: Waiting = { payload: record, started: false, answer: Promise.resolve() };
    entries.set(record, entry);
    const answer = (async () => {
      if (previous) await previous.answer.catch(() => undefined);
      return prev(method, payload, signal);
    })();
    entry.answer = answer;
    edits.set(key, entry);
    void answer
      .finally(() => {
        inQueue.delete(record);
        if (edits.get(key) === entry) edits.delete(key);
      })
      .catch(() => {});
    return answer;
  };
  return { inner, throttler, outer, queued: () => inQueue.size };
}
