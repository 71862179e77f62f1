/**
 * The Telegram chat, with grammY: private chats only (silent in groups), replies as HTML with inline-keyboard
 * buttons. It knows nothing of the conversation itself: updates become `Inbound`s, `OutMessage`s become
 * messages; the engine decides everything else (stale buttons, bad input, redelivered updates, replies).
 *
 * With `desk` set, one group is the volunteers' escalation desk: its updates go to the desk core through
 * TelegramDesk (./telegram-desk.ts), one ticket's thread in order, never to the guide.
 *
 *   update → inboundOf() → engine.receive() → … → send(): splitMessage() + keyboardOf() → sendMessage
 *
 * Updates arrive by long polling (@grammyjs/runner, one chat's updates in order) or by webhook (node:http, the
 * secret-token header checked). API calls are paced to Telegram's limits (./telegram-pacing.ts, with
 * @grammyjs/transformer-throttler), go through @grammyjs/auto-retry (429 and transient errors) and a transformer
 * that logs failures (method and Telegram's error only: never a text, a token or a chat id).
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Transform } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, HttpError, webhookCallback, type Context, type Transformer } from 'grammy';
import type { BotCommand, InlineKeyboardButton, Message, Update, UserFromGetMe } from 'grammy/types';
import { run, sequentialize, type RunOptions, type RunnerHandle } from '@grammyjs/runner';
import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import type { Engine } from '../engine/engine.js';
import type { DurableInbox } from '../store/adapter-state.js';
import type { Inbound, OutChoice, OutMessage, Sender, UnsupportedKind } from '../engine/types.js';
import { COMMANDS } from '../engine/interpret.js';
import { DEFAULT_LANG, LANGUAGES, type Lang, type Texts } from '../render/i18n.js';
import { linesOf, parseMarkup, plainText, type Span, type Line } from '../render/markup.js';
import { escapeHtml } from './kit/html.js';
import { RecipientGoneError } from '../engine/types.js';
import type { DeskRegistry } from '../desk/port.js';
import { TelegramDesk, adapterState } from './telegram-desk.js';
import { maskSecrets } from '../desk/secrets.js';
import { createPacing, type Pacing, type PacingLimits } from './telegram-pacing.js';

export { escapeHtml };
import type { Log } from '../log.js';

export const TELEGRAM_PLATFORM = 'telegram';
/** Telegram's limit for one message's text. We measure the HTML, which is never shorter than what Telegram counts. */
export const MESSAGE_LIMIT = 4096;
/** The largest webhook body read (a real update is a few kilobytes; Telegram's messages at most 4096 characters). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * The request's body through a counter: past `max` bytes the request is destroyed and `tooLarge` answers 413.
 * It stands for the request for grammY's http adapter, which reads `headers` and the body's events.
 */
function limitedBody(req: IncomingMessage, max: number, tooLarge: () => void): Transform & { headers: IncomingMessage['headers'] } {
  let seen = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) {
        tooLarge();
        req.destroy();
        done(new Error('webhook body over the limit'));
        return;
      }
      done(null, chunk);
    },
  });
  req.on('error', (error) => body.destroy(error));
  req.pipe(body);
  return Object.assign(body, { headers: req.headers, method: req.method, url: req.url });
}

/** Telegram's limit for a button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/** The only updates we ask for: messages, edits (answered kindly) and button presses. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;
/** Labels up to this many characters share a row of the keyboard, two by two; longer ones get a row each. */
export const SHORT_LABEL = 16;

// ---------------------------------------------------------------------------------------------------------------
// Reading updates
// ---------------------------------------------------------------------------------------------------------------

/** A button's callback_data: the prompt number and the choice id, `12:provider:posteo`. */
export function encodeChoice(promptSeq: number, choice: string): string {
  const data = `${promptSeq}:${choice}`;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) {
    throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes for choice "${choice}"`);
  }
  return data;
}

/**
 * The choice a button carries. Data we did not write (another bot version, a forged query) becomes a press with
 * no prompt number, which the engine answers as a stale button: the current question again.
 */
export function decodeChoice(data: string | undefined): { choice: string; promptSeq: number } {
  const match = /^(\d{1,15}):(.+)$/s.exec(data ?? '');
  return match ? { promptSeq: Number(match[1]), choice: match[2]! } : { promptSeq: -1, choice: '' };
}

/** What a message that is not text is, or undefined for a service message (pinned, timer changed…): not answered. */
export function unsupportedKind(message: Message): UnsupportedKind | undefined {
  const has = (key: string) => key in message && (message as unknown as Record<string, unknown>)[key] !== undefined;
  if (has('sticker')) return 'sticker';
  if (has('photo')) return 'photo';
  if (has('voice') || has('audio')) return 'voice';
  if (has('video') || has('video_note') || has('animation')) return 'video';
  if (has('document')) return 'document';
  if (has('location') || has('venue')) return 'location';
  if (has('contact')) return 'contact';
  if (has('poll')) return 'poll';
  for (const key of ['dice', 'game', 'story', 'invoice', 'paid_media', 'giveaway', 'checklist']) if (has(key)) return 'other';
  return undefined;
}

const START = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** An update → what the engine receives, or null when it is not for the guide (groups, channels, service messages). */
export function inboundOf(update: Update): Inbound | null {
  const messageId = String(update.update_id);
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (!chat || chat.type !== 'private') return null;
    return {
      conversation: { platform: TELEGRAM_PLATFORM, chatId: String(chat.id) },
      messageId,
      ...hint(query.from.language_code),
      ...nameOf(query.from),
      input: { kind: 'choice', ...decodeChoice(query.data) },
    };
  }
  const message = update.message ?? update.edited_message;
  if (!message || message.chat.type !== 'private') return null;
  const base = {
    conversation: { platform: TELEGRAM_PLATFORM, chatId: String(message.chat.id) },
    messageId,
    ...hint(message.from?.language_code),
    ...nameOf(message.from),
  };
  if (update.edited_message) return { ...base, input: { kind: 'unsupported', what: 'edit' } };
  if (typeof message.text === 'string') {
    const start = START.exec(message.text.trim());
    if (start) {
      const payload = start[1]?.trim();
      return { ...base, input: { kind: 'start', ...(payload ? { payload } : {}) } };
    }
    return { ...base, input: { kind: 'text', text: message.text } };
  }
  const what = unsupportedKind(message);
  return what ? { ...base, input: { kind: 'unsupported', what } } : null;
}

function hint(languageCode: string | undefined): { langHint?: string } {
  return languageCode ? { langHint: languageCode } : {};
}

/** Used only if the person agrees to show it to a volunteer (never stored otherwise). */
function nameOf(from: { first_name: string; last_name?: string } | undefined): { displayName?: string } {
  const name = [from?.first_name, from?.last_name].filter(Boolean).join(' ').trim();
  return name ? { displayName: name } : {};
}

// ---------------------------------------------------------------------------------------------------------------
// Writing messages
// ---------------------------------------------------------------------------------------------------------------

function spanHtml(span: Span): string {
  const text = escapeHtml(span.text);
  return span.kind === 'bold' ? `<b>${text}</b>` : span.kind === 'code' ? `<code>${text}</code>` : text;
}

/** Adjacent spans of one kind are rendered as one (after splitting, a bold run may come in pieces). */
function spansHtml(spans: readonly Span[]): string {
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && last.kind === span.kind) merged[merged.length - 1] = { kind: span.kind, text: last.text + span.text };
    else merged.push(span);
  }
  return merged.map(spanHtml).join('');
}

/** Our markup → Telegram HTML, every span's text escaped. */
export function toHtml(markup: string): string {
  return spansHtml(parseMarkup(markup));
}

/** A line too long for one message: cut between words, and inside a word only when a word alone is too long. */
function splitLine(line: Line, limit: number): string[] {
  const tokens: Span[] = [];
  for (const span of line) {
    for (const word of span.text.match(/\S+\s*|\s+/g) ?? []) {
      if (spanHtml({ kind: span.kind, text: word }).length <= limit) {
        tokens.push({ kind: span.kind, text: word });
        continue;
      }
      let piece = '';
      for (const char of word) {
        // Code points, never halves of a surrogate pair.
        if (piece && spanHtml({ kind: span.kind, text: piece + char }).length > limit) {
          tokens.push({ kind: span.kind, text: piece });
          piece = '';
        }
        piece += char;
      }
      if (piece) tokens.push({ kind: span.kind, text: piece });
    }
  }
  const chunks: string[] = [];
  let chunk: Span[] = [];
  let length = 0; // an upper bound: each token with its own tags
  for (const token of tokens) {
    const size = spanHtml(token).length;
    if (chunk.length && length + size > limit) {
      chunks.push(spansHtml(chunk).trim());
      chunk = [];
      length = 0;
    }
    chunk.push(token);
    length += size;
  }
  if (chunk.length) chunks.push(spansHtml(chunk).trim());
  return chunks.filter(Boolean);
}

/**
 * Our markup → Telegram HTML in parts of at most `limit` characters: cut between paragraphs when possible, else
 * between lines, else between words. Tags never straddle two parts.
 */
export function splitMessage(markup: string, limit = MESSAGE_LIMIT): string[] {
  const spans = parseMarkup(markup);
  const whole = spansHtml(spans);
  if (whole.length <= limit) return [whole];
  const lines = linesOf(spans);

  const paragraphs: Line[][] = [[]];
  for (const line of lines) {
    if (line.length === 0 || line.every((s) => !s.text.trim())) paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  const parts: string[] = [];
  let current = '';
  const add = (block: string, separator: string) => {
    if (!current) current = block;
    else if (current.length + separator.length + block.length <= limit) current += separator + block;
    else {
      parts.push(current);
      current = block;
    }
  };
  for (const paragraph of paragraphs.filter((p) => p.length > 0)) {
    const html = paragraph.map(spansHtml).join('\n');
    if (html.length <= limit) {
      add(html, '\n\n');
      continue;
    }
    paragraph.forEach((line, i) => {
      const separator = i === 0 ? '\n\n' : '\n';
      const lineHtml = spansHtml(line);
      if (lineHtml.length <= limit) add(lineHtml, separator);
      else {
        // Each piece of an over-long line starts a part of its own: the line fills whole messages anyway.
        if (current) parts.push(current);
        current = '';
        const pieces = splitLine(line, limit);
        parts.push(...pieces.slice(0, -1));
        current = pieces[pieces.length - 1] ?? '';
      }
    });
  }
  if (current) parts.push(current);
  return parts;
}

/** Buttons: two per row while both labels are short, otherwise one per row; the order is kept. */
export function keyboardOf(choices: readonly OutChoice[], promptSeq: number): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const short = (choice: OutChoice) => [...choice.label].length <= SHORT_LABEL;
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i]!;
    const next = choices[i + 1];
    const button = (c: OutChoice): InlineKeyboardButton => ({ text: c.label, callback_data: encodeChoice(promptSeq, c.id) });
    if (next && short(choice) && short(next)) {
      rows.push([button(choice), button(next)]);
      i++;
    } else rows.push([button(choice)]);
  }
  return rows;
}

/** The command menu in one language, from locales/<lang>/common.json `telegram.commands`. */
export function botCommands(texts: Texts, lang: Lang): BotCommand[] {
  const t = texts.t(lang);
  const order = ['start', 'help', 'human', 'where', 'back', 'lang', 'restart', 'forget'] as const satisfies ReadonlyArray<(typeof COMMANDS)[number]>;
  return order.map((key) => ({
    command: plainText(t(`common:telegram.commands.${key}.command`)),
    description: plainText(t(`common:telegram.commands.${key}.description`)),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------------------------

export interface TelegramOptions {
  engine: Engine;
  texts: Texts;
  token: string;
  /** Another Bot API server (TELEGRAM_API_ROOT): a local one, or the tests' emulator. No trailing slash. */
  apiRoot?: string;
  log?: Log;
  /** Known bot info, to skip getMe. */
  botInfo?: UserFromGetMe;
  /** @grammyjs/auto-retry settings, or false for none. */
  retry?: Partial<AutoRetryOptions> | false;
  /**
   * Outgoing calls paced to Telegram's limits (./telegram-pacing.ts): on by default, at Telegram's documented
   * limits; other limits for a test, or false for none (tests that are not about pacing).
   */
  pacing?: Partial<PacingLimits> | false;
  /** Observers of the API calls (metrics): each attempt (inside the retries) and each call (outside them). */
  apiObservers?: { eachAttempt?: Transformer; eachCall?: Transformer };
  /** Polling settings passed to @grammyjs/runner (tests and the bench tune them). */
  runner?: RunOptions<Update>;
  /** How long stop() lets turns in flight finish before aborting their API calls (they stay in the outbox). */
  stopGraceMs?: number;
  /**
   * The volunteers' escalation desk (TELEGRAM_DESK_CHAT_ID): a TelegramDesk is made on this bot and registered
   * with `registry`; everything that happens in that chat goes to `registry.receive`, never to the guide.
   */
  desk?: { chatId: string; registry: DeskRegistry };
}

export type TelegramMode =
  | { kind: 'polling' }
  | {
      kind: 'webhook';
      /** The public https URL Telegram posts to; its path is the one served. */
      url: string;
      port: number;
      host?: string;
      /** Checked in the X-Telegram-Bot-Api-Secret-Token header; a random one per start when not given. */
      secret?: string;
    };

/** A safe description of an error: Telegram's code and description, or the kind of failure — never a payload. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { error: error.message };
  return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

export class TelegramAdapter implements Sender {
  readonly bot: Bot;
  /** The desk port, when `options.desk` is set. */
  readonly desk?: TelegramDesk;
  /** Telegram's limits kept (unless `options.pacing` is false); `pacing.queued()` counts the calls waiting. */
  readonly pacing?: Pacing;
  private readonly log: Log;
  private readonly inbox: DurableInbox;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private handle?: RunnerHandle;
  private server?: Server;
  private stopping = false;
  private stopped?: Promise<void>;
  private finish!: { resolve: () => void; reject: (error: unknown) => void };
  /** Settles when the adapter has stopped (after stop()), or rejects when polling failed for good. */
  readonly done: Promise<void>;

  constructor(private readonly options: TelegramOptions) {
    this.log = options.log ?? (() => {});
    this.inbox = options.engine.adapterState(TELEGRAM_PLATFORM).inbox();
    this.done = new Promise<void>((resolve, reject) => (this.finish = { resolve, reject }));
    this.done.catch(() => {}); // Observed by whoever awaits it; never an unhandled rejection.
    this.bot = new Bot(options.token, {
      ...(options.botInfo ? { botInfo: options.botInfo } : {}),
      client: { ...(options.apiRoot ? { apiRoot: options.apiRoot.replace(/\/+$/, '') } : {}) },
    });

    // Innermost: log failed calls (each attempt). Then the pacing to Telegram's limits, then auto-retry outside
    // it (a retried call queues again, so a 429's retry is paced too). Outermost: calls without a signal of their
    // own are cut short when a stop runs out of patience.
    this.bot.api.config.use(this.logFailures());
    if (options.apiObservers?.eachAttempt) this.bot.api.config.use(options.apiObservers.eachAttempt);
    this.bot.api.config.use(this.keepFetchedUpdates());
    this.pacing = options.pacing === false ? undefined : createPacing(options.pacing);
    if (this.pacing) this.bot.api.config.use(this.pacing.inner, this.pacing.throttler);
    if (options.retry !== false) this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, ...options.retry }));
    if (this.pacing) this.bot.api.config.use(this.pacing.outer);
    if (options.apiObservers?.eachCall) this.bot.api.config.use(options.apiObservers.eachCall);
    setMaxListeners(0, this.abort.signal); // one listener per API call in flight
    const stopSignal = this.abort.signal as unknown as Parameters<Transformer>[3];
    this.bot.api.config.use((prev, method, payload, signal) => prev(method, payload, signal ?? stopSignal));

    this.bot.use(async (ctx, next) => {
      const task = next();
      this.inFlight.add(task);
      try {
        await task;
      } finally {
        this.inFlight.delete(task);
        // Handled (its effect committed, its reply sent or kept for re-sending): no need to replay it.
        this.inbox.done(String(ctx.update.update_id));
      }
    });
    // A press is always answered, at once (or the button keeps spinning), whatever becomes of it.
    this.bot.use(async (ctx, next) => {
      if (!ctx.callbackQuery) return next();
      const answered = ctx.answerCallbackQuery().catch((error: unknown) => this.log('telegram_answer_failed', describeError(error), 'warn'));
      await next();
      await answered;
    });
    if (options.desk) {
      this.desk = new TelegramDesk({ api: this.bot.api, chatId: options.desk.chatId, state: adapterState(options.engine.repos), log: this.log });
      options.desk.registry.register(this.desk);
    }
    const desk = this.desk;
    // One chat's updates in order; on the desk, one thread's (tickets run in parallel).
    this.bot.use(sequentialize((ctx: Context) => (desk?.owns(ctx.update) ? desk.sequenceKey(ctx.update) : ctx.chat ? String(ctx.chat.id) : undefined)));
    this.bot.use(async (ctx) => {
      if (desk?.owns(ctx.update)) {
        const inbound = desk.inboundOf(ctx.update, ctx.me.username);
        if (inbound) await options.desk!.registry.receive(inbound);
        return;
      }
      const inbound = inboundOf(ctx.update);
      if (inbound) await options.engine.receive(inbound);
    });
    this.bot.catch((error) => {
      const type = Object.keys(error.ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
      this.log('telegram_update_failed', { update: type, ...describeError(error.error) }, 'error');
    });
    options.engine.register(TELEGRAM_PLATFORM, this);
  }

  /**
   * Delivers one reply: its parts in order, the buttons under the last one. Throws if Telegram refuses:
   * RecipientGoneError when the person blocked the bot or deleted their account (403).
   */
  async send(chatId: string, message: OutMessage): Promise<void> {
    try {
      await this.sendParts(chatId, message);
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403) throw new RecipientGoneError(`telegram: ${error.description}`);
      throw error;
    }
  }

  private async sendParts(chatId: string, message: OutMessage): Promise<void> {
    const chat = /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
    const parts = splitMessage(message.text).filter((part) => part.trim());
    if (parts.length === 0) parts.push(escapeHtml(plainText(message.text)) || '…');
    const keyboard = keyboardOf(message.choices, message.promptSeq);
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      await this.bot.api.sendMessage(chat, parts[i]!, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(last && keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      });
    }
  }

  /** The command menus: French and English by the user's Telegram language, French for every other language. */
  async setCommands(): Promise<void> {
    const scope = { type: 'all_private_chats' } as const;
    for (const lang of LANGUAGES) await this.bot.api.setMyCommands(botCommands(this.options.texts, lang), { scope, language_code: lang });
    await this.bot.api.setMyCommands(botCommands(this.options.texts, DEFAULT_LANG), { scope });
  }

  /**
   * Starts taking updates: checks the token (getMe), sets the command menus, re-sends replies left undelivered by
   * the last run, then polls or serves the webhook. Resolves once updates are being taken; for a webhook, with the
   * port it listens on.
   */
  async start(mode: TelegramMode = { kind: 'polling' }): Promise<{ port?: number }> {
    await this.bot.init();
    await this.setCommands().catch((error: unknown) => this.log('telegram_commands_failed', describeError(error), 'warn'));
    await this.desk?.checkPrivate();
    await this.options.engine.flushOutbox().catch((error: unknown) => this.log('telegram_outbox_failed', describeError(error), 'warn'));
    if (mode.kind === 'polling') {
      await this.bot.api.deleteWebhook({ drop_pending_updates: false });
      await this.replayInbox();
      this.handle = run(this.bot, {
        ...this.options.runner,
        runner: { silent: true, ...this.options.runner?.runner, fetch: { allowed_updates: [...ALLOWED_UPDATES], ...this.options.runner?.runner?.fetch } },
      });
      this.handle.task()?.then(
        () => undefined,
        (error: unknown) => {
          this.log('telegram_polling_failed', describeError(error), 'error');
          this.finish.reject(error);
        },
      );
      this.log('telegram_started', { mode: 'polling' });
      return {};
    }
    const port = await this.listen(mode);
    this.log('telegram_started', { mode: 'webhook', port });
    return { port };
  }

  /** Stops taking updates, lets the turns in flight finish (aborting their API calls after the grace period). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      await this.handle?.stop();
      const server = this.server;
      // No new connections; the requests being handled finish (and their connections close) as the turns end.
      const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? 10_000)));
      await Promise.race([this.idle(), grace]);
      clearTimeout(timer);
      this.abort.abort();
      await this.idle();
      server?.closeAllConnections();
      await closed;
      this.log('telegram_stopped');
      this.finish.resolve();
    })();
    return this.stopped;
  }

  /** Resolves when no update is being handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async listen(mode: Extract<TelegramMode, { kind: 'webhook' }>): Promise<number> {
    const secret = mode.secret ?? randomBytes(32).toString('hex');
    const path = new URL(mode.url).pathname;
    const callback = webhookCallback(this.bot, 'http', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: 50_000 });
    const server = createServer((req, res) => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
        res.writeHead(404).end();
        return;
      }
      if (this.stopping) {
        res.writeHead(503).end(); // Telegram delivers it again later.
        return;
      }
      // A real update is a few kilobytes: a bigger body is refused before it is read (whoever knows the secret
      // could otherwise make the process buffer gigabytes), and a body streamed without a length is cut at the cap.
      if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        return;
      }
      const tooLarge = () => {
        if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
      };
      callback(limitedBody(req, WEBHOOK_BODY_LIMIT, tooLarge) as unknown as IncomingMessage, res).catch((error: unknown) => {
        if (res.headersSent) return; // cut at the cap: answered 413 already
        // Only the error's kind: a JSON error would quote the (unauthenticated or forged) body.
        this.log('telegram_webhook_failed', { error: error instanceof Error ? error.name : typeof error }, 'warn');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = () => {
        server.off('error', reject);
        resolve();
      };
      if (mode.host) server.listen(mode.port, mode.host, listening);
      else server.listen(mode.port, listening); // every interface, IPv6 and IPv4
    });
    server.on('error', (error) => this.log('telegram_webhook_server_error', describeError(error), 'error'));
    await this.bot.api.setWebhook(mode.url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false });
    return (server.address() as AddressInfo).port;
  }

  /**
   * The runner confirms a batch of updates to Telegram as soon as it fetches the next one, before they are all
   * handled: a crash then would lose them. So each fetched batch is written to the engine's inbox first.
   */
  private keepFetchedUpdates(): Transformer {
    return async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (method === 'getUpdates' && result.ok) {
        const updates = result.result as unknown as Update[];
        if (updates.length > 0) this.inbox.add(updates.map((update) => ({ id: String(update.update_id), payload: this.forInbox(update) })));
      }
      return result;
    };
  }

  /**
   * What the inbox keeps of an update until it is handled (seconds, or until the next start after a crash): the
   * person's text masked, no names (a replayed update has no display name: the card says so), and of a pressed
   * message only what finds its place again — not the text the bot had sent.
   */
  private forInbox(update: Update): Update {
    const isDesk = this.desk?.owns(update) ?? false;
    const strip = <T extends object>(who: T): T => {
      const copy = { ...who } as Record<string, unknown>;
      if ('first_name' in copy) copy.first_name = '';
      if (copy.type === 'private') delete copy.title;
      delete copy.last_name;
      delete copy.username;
      return copy as T;
    };
    const message = (m: Message | undefined): Message | undefined =>
      m && {
        ...m,
        ...(typeof m.text === 'string' && !isDesk ? { text: maskSecrets(m.text).text } : {}),
        ...(m.caption !== undefined ? { caption: isDesk ? m.caption : maskSecrets(m.caption).text } : {}),
        chat: strip(m.chat),
        ...(m.from ? { from: strip(m.from) } : {}),
        ...(m.reply_to_message ? { reply_to_message: { message_id: m.reply_to_message.message_id } as Message['reply_to_message'] } : {}),
      };
    const query = update.callback_query;
    return {
      ...update,
      ...(update.message ? { message: message(update.message) } : {}),
      ...(update.edited_message ? { edited_message: message(update.edited_message) } : {}),
      ...(query
        ? {
            callback_query: {
              ...query,
              from: strip(query.from),
              ...(query.message
                ? {
                    message: {
                      message_id: query.message.message_id,
                      date: query.message.date,
                      chat: strip(query.message.chat),
                      ...('message_thread_id' in query.message && query.message.message_thread_id !== undefined ? { message_thread_id: query.message.message_thread_id } : {}),
                      ...('is_topic_message' in query.message && query.message.is_topic_message ? { is_topic_message: true } : {}),
                    } as unknown as NonNullable<typeof query.message>,
                  }
                : {}),
            },
          }
        : {}),
    } as Update;
  }

  /** Updates fetched by a previous run but not handled (it crashed): handled now, in order, before polling. */
  private async replayInbox(): Promise<void> {
    const pending = this.inbox
      .pending()
      .map((item) => item.payload as Update)
      .sort((a, b) => a.update_id - b.update_id);
    if (pending.length > 0) this.log('telegram_replaying', { updates: pending.length });
    for (const update of pending) {
      await this.bot.handleUpdate(update).catch((error: unknown) => this.log('telegram_replay_failed', describeError(error), 'warn'));
    }
  }

  private logFailures(): Transformer {
    return async (prev, method, payload, signal) => {
      try {
        const result = await prev(method, payload, signal);
        if (!result.ok) this.log('telegram_api_error', { method, code: result.error_code, description: result.description }, 'warn');
        return result;
      } catch (error) {
        if (!signal?.aborted) this.log('telegram_api_unreachable', { method, ...describeError(error) }, 'warn');
        throw error;
      }
    };
  }
}
