/**
 * Every platform demailbot can run on, in start order. A new platform is its own folder under src/adapters/ and one
 * line here; nothing else in the bot names it.
 *
 * The order matters once, at start: the composition root starts them in this order, re-sends what a crash left
 * undelivered, then opens them to messages in this order.
 */
import type { PlatformModule } from './platform.js';
import { matrixPlatform } from './matrix/index.js';
import { terminalPlatform } from './terminal/index.js';

export const PLATFORMS: readonly PlatformModule[] = [
  // Matrix first: it can deliver only once started, so the replies a crash left undelivered wait for it.
  matrixPlatform as PlatformModule,
  terminalPlatform as PlatformModule,
];
