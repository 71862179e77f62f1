/**
 * The web chat's entry in the platform registry: the guide on an association's own site, for the people who use
 * neither Telegram nor Matrix. `WEB_CHAT_PORT` turns it on (see ./config.ts and the README's "Web chat").
 *
 * It has no desk of its own: its people ask for a volunteer like everyone else, and volunteers answer from the
 * Telegram or Matrix desk.
 */
import type { PlatformModule } from '../platform.js';
import { readWebConfig, type WebConfig } from './config.js';
import { WebChat } from './chat.js';
import { WEB_PLATFORM } from './conversations.js';

export type { WebConfig } from './config.js';
export { WebChat } from './chat.js';
export { WEB_PLATFORM } from './conversations.js';

export const webPlatform: PlatformModule<WebConfig> = {
  name: WEB_PLATFORM,
  fromEnv: (env) => readWebConfig(env),
  create: (config, deps) => new WebChat(config, deps),
  // No isUserId: a web conversation's id is a SHA-256 of the browser's secret, never a volunteer's.
  operatorError(error) {
    if (!(error as { webChat?: boolean } | undefined)?.webChat) return undefined;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE') return 'The web chat could not listen: WEB_CHAT_PORT is already used by another program. Choose another port, or stop that program.';
    if (code === 'EACCES') return 'The web chat could not listen: ports below 1024 need privileges. Use a port such as 8080 behind your reverse proxy (see the README, "Web chat").';
    if (code === 'EADDRNOTAVAIL') return 'The web chat could not listen: WEB_CHAT_HOST is not an address of this machine.';
    return undefined;
  },
  describe: (config) => ({ mode: `web chat on ${config.host}:${config.port} (${config.publicUrl}; embeddable from ${config.origins.join(', ')})` }),
};
