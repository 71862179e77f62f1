/**
 * The Telegram platform, as the registry (../registry.ts) lists it: its configuration from TELEGRAM_* variables,
 * the platform itself (./platform.ts), its user ids (numbers: "telegram:123456789" in DESK_VOLUNTEERS), the
 * operator's errors (a refused token, Telegram unreachable), the doctor's checks and the secrets to scrub.
 */
import type { PlatformDeps, PlatformModule } from '../platform.js';
import { telegramFromEnv, type TelegramConfig } from './config.js';
import { checkTelegram } from './doctor.js';
import { operatorError } from './errors.js';
import { TelegramPlatform } from './platform.js';
import { TELEGRAM_PLATFORM } from './read.js';

export type { TelegramConfig } from './config.js';
export type { TelegramPlatform } from './platform.js';

/** The module, its `create` typed with what tests and the bench reach into (the bot, the desk port, the pacing). */
export interface TelegramModule extends PlatformModule<TelegramConfig> {
  create(config: TelegramConfig, deps: PlatformDeps): TelegramPlatform;
}

export const telegramPlatform: TelegramModule = {
  name: TELEGRAM_PLATFORM,
  fromEnv: telegramFromEnv,
  create: (config, deps) => new TelegramPlatform(config, deps),
  isUserId: (id) => /^-?\d+$/.test(id),
  userIdExample: '123456789',
  operatorError,
  describe: (config) => ({ mode: config.webhook ? 'webhook' : 'long polling', ...(config.desk ? { desk: 'Telegram group' } : {}) }),
  check: (config, options) => checkTelegram(config, options),
  secrets: (config) => [config.token, ...(config.webhook?.secret ? [config.webhook.secret] : [])],
};
