/**
 * The terminal as a platform: `npm start` with no token. It is the registry's fallback — it runs only when no other
 * platform is configured — and reads DEMAILBOT_TERMINAL_ID (which local conversation) and the language from
 * DEMAILBOT_LANG, else the locale variables.
 */
import type { PlatformModule } from '../platform.js';
import { TERMINAL_PLATFORM, TerminalChat } from './chat.js';

export interface TerminalConfig {
  /** DEMAILBOT_TERMINAL_ID: one conversation per machine user by default ("local"). */
  chatId: string;
  langHint: string | undefined;
}

export const terminalPlatform: PlatformModule<TerminalConfig> = {
  name: TERMINAL_PLATFORM,
  fallback: true,
  fromEnv: (env) => ({
    chatId: env.DEMAILBOT_TERMINAL_ID || 'local',
    langHint: env.DEMAILBOT_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG,
  }),
  create: (config, deps) =>
    new TerminalChat({ engine: deps.engine, texts: deps.texts, chatId: config.chatId, langHint: config.langHint, colours: Boolean(process.stdout.isTTY) }),
  operatorError: () => undefined,
  describe: () => ({ mode: 'terminal' }),
};
