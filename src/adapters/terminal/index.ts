/**
 * The terminal as a platform: `npm start` with no token. It is the registry's fallback — it runs only when no other
 * platform is configured — and reads DEMAILBOT_TERMINAL_ID (which local conversation) and the language from
 * DEMAILBOT_LANG, else the locale variables.
 */
import type { Readable, Writable } from 'node:stream';
import type { PlatformModule } from '../platform.js';
import { TERMINAL_PLATFORM, TerminalChat } from './chat.js';

export interface TerminalConfig {
  /** DEMAILBOT_TERMINAL_ID: one conversation per machine user by default ("local"). */
  chatId: string;
  langHint: string | undefined;
  // Not from the environment: for tests and tools (a script talking to the guide through streams).
  input?: Readable;
  output?: Writable;
  /** Bold in ANSI codes; by default when the output is a terminal. */
  colours?: boolean;
}

export const terminalPlatform: PlatformModule<TerminalConfig> = {
  name: TERMINAL_PLATFORM,
  fallback: true,
  fromEnv: (env) => ({
    chatId: env.DEMAILBOT_TERMINAL_ID || 'local',
    langHint: env.DEMAILBOT_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG,
  }),
  create: (config, deps) =>
    new TerminalChat({
      engine: deps.engine,
      texts: deps.texts,
      chatId: config.chatId,
      langHint: config.langHint,
      colours: config.colours ?? Boolean((config.output ?? process.stdout) === process.stdout && process.stdout.isTTY),
      ...(config.input ? { input: config.input } : {}),
      ...(config.output ? { output: config.output } : {}),
    }),
  operatorError: () => undefined,
  describe: () => ({ mode: 'terminal' }),
};
