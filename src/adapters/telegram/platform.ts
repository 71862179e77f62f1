/**
 * The Telegram chat, with grammY: private chats only (silent in groups), replies as HTML with inline-keyboard
 * buttons. It knows nothing of the conversation itself: updates become `Inbound`s (./read.ts), `OutMessage`s
 * become messages (./format.ts); the engine decides everything else (stale buttons, bad input, redelivered
 * updates, replies).
 *
 * With a desk configured, one group is the volunteers' escalation desk: its updates go to the desk core through
 * the desk's Composer (./desk/updates.ts), one ticket's thread in order, never to the guide. With the coalition's
 * desks (`deps.deskPlaces`), one port per desk group instead, each update routed to the port of its chat.
 *
 *   update → inboundOf() → engine.receive() → … → send(): partsOf() + keyboardOf() → sendMessage
 *
 * Files (issue 17's media relay): a person's or a volunteer's photo, document, voice, audio or video is read as
 * media (./read.ts), sent on by its file_id or uploaded from another platform's bytes (./files.ts), and given to
 * other platforms by `fetchMedia` (./download.ts).
 *
 * Updates arrive by long polling or by webhook (./transport.ts), each fetched batch kept in the durable inbox
 * first (./inbox.ts). API calls are paced to Telegram's limits (./pacing.ts), go through @grammyjs/auto-retry (429
 * and transient errors) and a transformer that logs failures (./errors.ts).
 */
import { setMaxListeners } from 'node:events';
import type { Server } from 'node:http';
import { Bot, InputFile, type Context, type Transformer } from 'grammy';
import { sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { OutMessage } from '../../engine/types.js';
import type { MediaFile, MediaRef } from '../../engine/media.js';
import { DEFAULT_LANG, LANGUAGES } from '../../render/i18n.js';
import type { Log } from '../../log.js';
import { Lifecycle } from '../kit/lifecycle.js';
import type { Platform, PlatformDeps } from '../platform.js';
import type { TelegramConfig } from './config.js';
import { TelegramDesk } from './desk/port.js';
import { deskStateNamespace } from './desk/state.js';
import { deskOf, deskUpdates } from './desk/updates.js';
import { TELEGRAM_API_ROOT, downloadFile } from './download.js';
import { describeError, logFailures, sendError } from './errors.js';
import { TelegramFiles } from './files.js';
import { botCommands, keyboardOf, partsOf } from './format.js';
import { UpdateInbox } from './inbox.js';
import { createPacing, type Pacing } from './pacing.js';
import { TELEGRAM_PLATFORM, chatArg, inboundOf } from './read.js';
import { serveWebhook, startPolling } from './transport.js';

/** How long stop() lets the turns in flight finish before aborting their API calls. */
const STOP_GRACE_MS = 10_000;

/**
 * An update that reached the bot once the stop had begun (a webhook request still being read): not handled, so
 * that Telegram delivers it again (a 500 to its webhook) or the inbox replays it (polling) at the next start.
 */
class StoppingError extends Error {
  override name = 'StoppingError';
}

export class TelegramPlatform implements Platform {
  readonly name = TELEGRAM_PLATFORM;
  readonly bot: Bot;
  /**
   * The desk ports: one per desk group of `deps.deskPlaces` ("telegram/arn", …), or else the single desk of
   * TELEGRAM_DESK_CHAT_ID (named "telegram"); none without a desk.
   */
  readonly desks: readonly TelegramDesk[];
  /** Telegram's limits kept (unless `config.pacing` is false); `pacing.queued()` counts the calls waiting. */
  readonly pacing?: Pacing;
  /** Sends files, by file_id or uploaded (./files.ts): for the person here, for the desks in their topics. */
  readonly files: TelegramFiles;
  private readonly log: Log;
  private readonly inbox: UpdateInbox;
  /** The updates in flight, the stop with grace, `done`. */
  private readonly life = new Lifecycle();
  private readonly abort = new AbortController();
  private handle?: RunnerHandle;
  private server?: Server;
  private port?: number;
  /** Set as soon as stop() is called: the webhook answers 503 from then on. */
  private stopping = false;
  private stopped?: Promise<void>;

  constructor(
    private readonly config: TelegramConfig,
    private readonly deps: PlatformDeps,
  ) {
    this.log = deps.log;
    this.bot = new Bot(config.token, {
      ...(config.botInfo ? { botInfo: config.botInfo } : {}),
      client: { ...(config.apiRoot ? { apiRoot: config.apiRoot.replace(/\/+$/, '') } : {}) },
    });
    this.inbox = new UpdateInbox(deps.state(TELEGRAM_PLATFORM).inbox(), (update) => deskOf(this.desks, update) !== undefined, this.log);
    this.pacing = config.pacing === false ? undefined : createPacing(config.pacing);
    this.configureApi();
    this.files = new TelegramFiles(this.bot.api, deps.media, (ref) => this.fetchMedia(ref));
    this.desks = this.openDesks();
    for (const desk of this.desks) deps.desk.register(desk);
    this.configureUpdates();
  }

  /** The single desk's port when there is exactly one (TELEGRAM_DESK_CHAT_ID, or a desks file with one group). */
  get desk(): TelegramDesk | undefined {
    return this.desks.length === 1 ? this.desks[0] : undefined;
  }

  /** One port per desk place, each with its own state; or the single desk of the variables; or none. */
  private openDesks(): TelegramDesk[] {
    const places = this.deps.deskPlaces ?? [];
    const open = (chatId: string, place?: { port: string; deskId: string }) =>
      new TelegramDesk({
        api: this.bot.api,
        chatId,
        ...(place ? { name: place.port } : {}),
        state: this.deps.state(deskStateNamespace(place)),
        log: this.log,
        files: this.files,
      });
    if (places.length > 0) {
      const chats = new Set<string>();
      for (const { place, port } of places) {
        // Two ports on one group could not tell whose a volunteer's message is: the desks file must give each its own.
        if (chats.has(place)) throw new Error(`two Telegram desks share the group ${place} (${port}): give each desk its own telegramChatId`);
        chats.add(place);
      }
      return places.map((place) => open(place.place, place));
    }
    return this.config.desk ? [open(this.config.desk.chatId)] : [];
  }

  /**
   * Innermost: log failed calls (each attempt). Then the pacing to Telegram's limits, then auto-retry outside it
   * (a retried call queues again, so a 429's retry is paced too). Outermost: calls without a signal of their own
   * are cut short when a stop runs out of patience.
   */
  private configureApi(): void {
    const api = this.bot.api.config;
    const observers = this.config.apiObservers ?? this.deps.metrics?.telegramObservers();
    api.use(logFailures(this.log));
    if (observers?.eachAttempt) api.use(observers.eachAttempt);
    api.use(this.inbox.keepFetched());
    if (this.pacing) api.use(this.pacing.inner, this.pacing.throttler);
    if (this.config.retry !== false) api.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, ...this.config.retry }));
    if (this.pacing) api.use(this.pacing.outer);
    if (observers?.eachCall) api.use(observers.eachCall);
    setMaxListeners(0, this.abort.signal); // one listener per API call in flight
    const stopSignal = this.abort.signal as unknown as Parameters<Transformer>[3];
    api.use((prev, method, payload, signal) => prev(method, payload, signal ?? stopSignal));
    const pacing = this.pacing;
    if (pacing) this.deps.metrics?.watchQueue(() => pacing.queued());
  }

  private configureUpdates(): void {
    this.bot.use(async (ctx, next) => {
      let ran = false;
      try {
        await this.life.track(() => ((ran = true), next()));
      } finally {
        // Handled (its effect committed, its reply sent or kept for re-sending): no need to replay it.
        if (ran) this.inbox.done(ctx.update);
      }
      if (!ran) throw new StoppingError('the platform is stopping');
    });
    // A press is always answered, at once (or the button keeps spinning), whatever becomes of it.
    this.bot.use(async (ctx, next) => {
      if (!ctx.callbackQuery) return next();
      const answered = ctx.answerCallbackQuery().catch((error: unknown) => this.log('telegram_answer_failed', describeError(error), 'warn'));
      await next();
      await answered;
    });
    if (this.desks.length > 0) this.bot.use(deskUpdates(this.desks, this.deps.desk));
    // One chat's updates in order.
    this.bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
    this.bot.use(async (ctx) => {
      const inbound = inboundOf(ctx.update);
      if (inbound) await this.deps.engine.receive(inbound);
    });
    this.bot.catch((error) => {
      // Polled, it stays in the inbox for the next start. (A webhook's request never comes here: grammY's
      // webhookCallback rejects, the server answers 500, Telegram sends it again.)
      if (error.error instanceof StoppingError) return;
      const type = Object.keys(error.ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
      this.log('telegram_update_failed', { update: type, ...describeError(error.error) }, 'error');
    });
  }

  /**
   * Delivers one reply: its parts in order, the buttons under the last one, then its document if it has one (the
   * person's data on /mesdonnees, as a file they can keep). A volunteer's file (`media`) goes as a photo, a
   * document, a voice message… with the text as its caption (./files.ts). Throws if Telegram refuses:
   * RecipientGoneError when the person blocked the bot or deleted their account (403); a MediaGoneError as it is.
   */
  async send(chatId: string, message: OutMessage): Promise<void> {
    const chat = chatArg(chatId);
    const parts = partsOf(message.text);
    const keyboard = keyboardOf(message.choices, message.promptSeq);
    try {
      if (message.media) {
        // A message with a file never has choices (src/engine/types.ts): the text is the file's caption.
        await this.files.send({ chat }, message.media, message.text);
        return;
      }
      for (let i = 0; i < parts.length; i++) {
        const last = i === parts.length - 1;
        await this.bot.api.sendMessage(chat, parts[i]!, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(last && keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        });
      }
      const file = message.attachment;
      if (file) await this.bot.api.sendDocument(chat, new InputFile(Buffer.from(file.content, 'utf8'), file.filename));
    } catch (error) {
      throw sendError(error);
    }
  }

  /**
   * The bytes of a file a person or a volunteer sent here, for another platform (./download.ts): refused over
   * MAX_MEDIA_BYTES before any download, a MediaGoneError when Telegram no longer gives it.
   */
  fetchMedia(ref: MediaRef): Promise<MediaFile> {
    if (ref.platform !== TELEGRAM_PLATFORM) return Promise.reject(new Error(`the Telegram platform holds no ${ref.platform} file`));
    return downloadFile(ref, { api: this.bot.api, apiRoot: this.config.apiRoot?.replace(/\/+$/, '') ?? TELEGRAM_API_ROOT, token: this.config.token });
  }

  /** The command menus: French and English by the user's Telegram language, French for every other language. */
  async setCommands(): Promise<void> {
    const scope = { type: 'all_private_chats' } as const;
    for (const lang of LANGUAGES) await this.bot.api.setMyCommands(botCommands(this.deps.texts, lang), { scope, language_code: lang });
    await this.bot.api.setMyCommands(botCommands(this.deps.texts, DEFAULT_LANG), { scope });
  }

  /** Checks the token (getMe: throws when Telegram refuses it), sets the command menus, checks each desk group. */
  async start(): Promise<void> {
    await this.bot.init();
    await this.setCommands().catch((error: unknown) => this.log('telegram_commands_failed', describeError(error), 'warn'));
    for (const desk of this.desks) await desk.checkPrivate();
  }

  /** Takes updates: what a crashed run left in the inbox first, then polling; or serves the webhook. */
  async listen(): Promise<void> {
    const webhook = this.config.webhook;
    if (webhook) {
      const { server, port } = await serveWebhook(this.bot, webhook, { stopping: () => this.stopping, log: this.log });
      this.server = server;
      this.port = port;
      this.log('telegram_started', { mode: 'webhook', port });
      return;
    }
    await this.bot.api.deleteWebhook({ drop_pending_updates: false });
    await this.inbox.replay(this.bot);
    this.handle = startPolling(this.bot, this.config.runner);
    this.handle.task()?.then(
      () => undefined,
      (error: unknown) => {
        this.log('telegram_polling_failed', describeError(error), 'error');
        this.life.fail(error);
      },
    );
    this.log('telegram_started', { mode: 'polling' });
  }

  /** The port the webhook listens on (TELEGRAM_WEBHOOK_PORT, or the one chosen for port 0), once listening. */
  get webhookPort(): number | undefined {
    return this.port;
  }

  /** Settles when the platform has stopped (after stop()), or rejects when polling failed for good. */
  get done(): Promise<void> {
    return this.life.done;
  }

  /** Stops taking updates, lets the turns in flight finish (aborting their API calls after the grace period). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      // Polling first: a batch fetched just before is still handed out, and handled like any other.
      await this.handle?.stop();
      const server = this.server;
      // No new connections; the requests being handled finish (and their connections close) as the turns end.
      const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      await this.life.stop({
        graceMs: this.config.stopGraceMs ?? STOP_GRACE_MS,
        afterGrace: async () => {
          this.abort.abort();
          await this.life.idle();
          server?.closeAllConnections();
          await closed;
          this.log('telegram_stopped');
        },
      });
    })();
    return this.stopped;
  }

  /** Resolves when no update is being handled. */
  idle(): Promise<void> {
    return this.life.idle();
  }
}
