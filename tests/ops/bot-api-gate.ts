/**
 * A gate in front of the Bot API emulator (telegram-test-api), on its own loopback port: the bot's apiRoot points
 * here, and every call is forwarded to the emulator — except what the gate answers itself, which is what the
 * emulator does not do and real Telegram does:
 *
 *  - tokens: a call with another token than the bot's is refused 401 Unauthorized (the emulator takes any);
 *  - `answer`: a test's own replies for methods the emulator lacks (getWebhookInfo, getChat, getChatMember…);
 *  - `limits`: Telegram's flood control. Outgoing messages (sendMessage, sendDocument, editMessageText,
 *    editMessageReplyMarkup, createForumTopic, editForumTopic, pinChatMessage, deleteMessage…: every method with a
 *    chat_id but getUpdates and answerCallbackQuery) are counted in sliding windows — all chats together, each
 *    private chat, each group — and a call over a limit is refused 429 "Too Many Requests: retry after N" with
 *    `parameters.retry_after`, as Telegram does; it never reaches the emulator.
 *
 * The gate records every call it let through (method, chat, time) and every 429, for the tests to check that the
 * bot kept under the limits and that each message was delivered once, in order.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Window {
  /** At most this many calls… */
  max: number;
  /** …in any window of this many milliseconds. */
  ms: number;
}

export interface Limits {
  global: Window;
  privateChat: Window;
  group: Window;
  /** Subtracted from each window (ms): the jitter of a loopback between the bot's timer and the gate's clock. */
  slackMs?: number;
}

/** Telegram's documented limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). */
export const TELEGRAM_LIMITS: Limits = {
  global: { max: 30, ms: 1_000 },
  privateChat: { max: 1, ms: 1_000 },
  group: { max: 20, ms: 60_000 },
  slackMs: 50,
};

export type ApiAnswer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };

export interface Passed {
  method: string;
  chat: string;
  at: number;
  payload: Record<string, unknown>;
}

const UNCOUNTED = new Set(['getUpdates', 'answerCallbackQuery', 'getMe', 'getChat', 'getChatMember', 'getWebhookInfo', 'setMyCommands', 'deleteWebhook', 'setWebhook']);

export class BotApiGate {
  url = '';
  /** Calls with a chat that reached the emulator (or `answer`), in order. */
  readonly passed: Passed[] = [];
  /** Calls refused 429, by kind of limit. */
  readonly refused: Array<{ method: string; chat: string; limit: keyof Omit<Limits, 'slackMs'>; at: number }> = [];
  /** Set to enforce flood control (off by default). */
  limits?: Limits;
  /** A test's own answers, consulted first (undefined: forward to the emulator). */
  answer?: (method: string, payload: Record<string, unknown>) => ApiAnswer | undefined;
  private server?: Server;
  private readonly recent = new Map<string, number[]>();

  private constructor(
    private readonly upstream: URL,
    private readonly token: string,
  ) {}

  static async start(upstream: string, token: string): Promise<BotApiGate> {
    const gate = new BotApiGate(new URL(upstream), token);
    const server = createServer((req, res) => void gate.handle(req, res));
    server.keepAliveTimeout = 600_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gate.server = server;
    gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return gate;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The calls of `method` to `chat` that went through, oldest first. */
  passedTo(chat: string | number, method?: string): Passed[] {
    return this.passed.filter((p) => p.chat === String(chat) && (!method || p.method === method));
  }

  /** The most calls to one chat (or all chats) that went through within any window of `ms`. */
  peak(ms: number, chat?: string | number): number {
    const times = this.passed.filter((p) => chat === undefined || p.chat === String(chat)).map((p) => p.at);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= ms) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    if (!match) return this.forward(req, res, body);
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) return this.reply(res, { ok: false, error_code: 401, description: 'Unauthorized' });
    const payload = this.parse(req, body);
    const chat = payload.chat_id === undefined ? undefined : String(payload.chat_id);
    const own = this.answer?.(method, payload);
    if (chat !== undefined && !UNCOUNTED.has(method)) {
      const refusal = this.overLimit(method, chat);
      if (refusal) return this.reply(res, refusal);
      this.passed.push({ method, chat, at: Date.now(), payload });
    }
    if (own) return this.reply(res, own);
    return this.forward(req, res, body);
  }

  private parse(req: IncomingMessage, body: Buffer): Record<string, unknown> {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/json') && body.length) return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (type.includes('multipart/form-data')) {
      // Uploads (sendDocument): only chat_id matters here.
      const chat = /name="chat_id"\r\n\r\n([^\r]*)/.exec(body.toString('latin1'));
      return chat ? { chat_id: chat[1] } : {};
    }
    return {};
  }

  /** A 429 answer if this call would go over a limit (and then it is not counted), else undefined (counted). */
  private overLimit(method: string, chat: string): ApiAnswer | undefined {
    const limits = this.limits;
    if (!limits) return undefined;
    const now = Date.now();
    const slack = limits.slackMs ?? 0;
    const isGroup = chat.startsWith('-');
    const checks: Array<[keyof Omit<Limits, 'slackMs'>, string, Window]> = [
      ['global', '*', limits.global],
      isGroup ? ['group', chat, limits.group] : ['privateChat', chat, limits.privateChat],
    ];
    for (const [limit, key, window] of checks) {
      const times = (this.recent.get(key) ?? []).filter((t) => now - t < window.ms - slack);
      this.recent.set(key, times);
      if (times.length >= window.max) {
        this.refused.push({ method, chat, limit, at: now });
        const retryAfter = Math.max(1, Math.ceil((times[0]! + window.ms - slack - now) / 1000));
        return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
      }
    }
    for (const [, key] of checks) this.recent.get(key)!.push(now);
    return undefined;
  }

  private reply(res: ServerResponse, answer: ApiAnswer): void {
    const status = answer.ok ? 200 : answer.error_code;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const upstream = httpRequest(
      { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    upstream.end(body);
  }
}
