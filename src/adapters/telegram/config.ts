/**
 * The Telegram platform's configuration, read from its environment variables (the README's table): none set, no
 * Telegram; TELEGRAM_BOT_TOKEN set, the Telegram chat, by long polling or, with TELEGRAM_WEBHOOK_URL, by webhook;
 * TELEGRAM_DESK_CHAT_ID, the volunteers' desk in that group. Errors name the variable and how to fix it, and never
 * repeat a token or a secret.
 */
import type { Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { RunOptions } from '@grammyjs/runner';
import type { AutoRetryOptions } from '@grammyjs/auto-retry';
import { ConfigError, httpUrl, positiveInteger } from '../../config.js';
import type { PacingLimits } from './pacing.js';
import type { WebhookConfig } from './transport.js';

export interface TelegramConfig {
  /** TELEGRAM_BOT_TOKEN, from @BotFather. */
  token: string;
  /** TELEGRAM_API_ROOT: another Bot API server (a local telegram-bot-api, or an emulator), without a trailing slash. */
  apiRoot?: string;
  /** Webhook mode when TELEGRAM_WEBHOOK_URL is set; long polling otherwise. */
  webhook?: WebhookConfig;
  /**
   * Outgoing calls paced to Telegram's limits (./pacing.ts): on, at Telegram's documented limits, when absent.
   * TELEGRAM_PACING=off gives false (test servers only); a test may give other limits.
   */
  pacing?: Partial<PacingLimits> | false;
  /** TELEGRAM_DESK_CHAT_ID: the group the volunteers' escalation desk lives in. */
  desk?: { chatId: string };

  // What follows is never read from the environment: the tests and the bench tune it.
  /** Known bot info, to skip getMe. */
  botInfo?: UserFromGetMe;
  /** @grammyjs/auto-retry settings, or false for none. */
  retry?: Partial<AutoRetryOptions> | false;
  /** Polling settings passed to @grammyjs/runner. */
  runner?: RunOptions<Update>;
  /**
   * Observers of the API calls: each attempt (inside the pacing and the retries) and each call (outside them).
   * The metrics' (`deps.metrics.telegramObservers()`) when not given.
   */
  apiObservers?: { eachAttempt?: Transformer; eachCall?: Transformer };
  /** How long stop() lets turns in flight finish before aborting their API calls (they stay in the outbox); 10 s. */
  stopGraceMs?: number;
}

const TOKEN_SHAPE = /^\d+:[\w-]+$/;
const CHAT_ID = /^-?\d+$/;

/** TelegramConfig from the environment, undefined without TELEGRAM_BOT_TOKEN; a ConfigError when something is wrong. */
export function telegramFromEnv(env: NodeJS.ProcessEnv): TelegramConfig | undefined {
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  const webhookUrl = httpUrl(env, 'TELEGRAM_WEBHOOK_URL');
  if (!token) {
    if (webhookUrl) throw new ConfigError('TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not');
    if (deskChatId(env)) throw new ConfigError('TELEGRAM_DESK_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not');
    return undefined;
  }
  if (!TOKEN_SHAPE.test(token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters: ask @BotFather)');
  }
  const apiRoot = httpUrl(env, 'TELEGRAM_API_ROOT')?.replace(/\/+$/, '');
  const pacing = env.TELEGRAM_PACING?.trim() || 'on';
  if (pacing !== 'on' && pacing !== 'off') throw new ConfigError(`TELEGRAM_PACING must be on or off (got "${pacing}")`);
  const config: TelegramConfig = { token, ...(apiRoot ? { apiRoot } : {}), ...(pacing === 'off' ? { pacing: false as const } : {}) };
  if (webhookUrl) {
    const port = positiveInteger(env, 'TELEGRAM_WEBHOOK_PORT', 8080);
    if (port > 65_535) throw new ConfigError(`TELEGRAM_WEBHOOK_PORT must be a port number, 1 to 65535 (got "${port}")`);
    const secret = env.TELEGRAM_WEBHOOK_SECRET || undefined;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -');
    }
    config.webhook = { url: webhookUrl, port, ...(secret ? { secret } : {}) };
  }
  const chatId = deskChatId(env);
  if (chatId) config.desk = { chatId };
  return config;
}

/** TELEGRAM_DESK_CHAT_ID, checked: a group's id is a number (negative for groups), never its @name or link. */
function deskChatId(env: NodeJS.ProcessEnv): string | undefined {
  const chatId = env.TELEGRAM_DESK_CHAT_ID?.trim() || undefined;
  if (chatId && !CHAT_ID.test(chatId)) {
    throw new ConfigError(`TELEGRAM_DESK_CHAT_ID must be a chat id, a number like -1001234567890 (got "${chatId}")`);
  }
  return chatId;
}
