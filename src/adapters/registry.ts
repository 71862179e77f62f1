/**
 * Every platform demailbot can run on, in start order. A new platform is its own folder under src/adapters/ and one
 * line here; nothing else in the bot names it.
 *
 * The order is the order of the start log and of the doctor's lines. It does not decide who can deliver what: the
 * composition root starts every platform before it re-sends what a crash left undelivered, then opens them all.
 */
import type { PlatformModule } from './platform.js';
import { telegramPlatform } from './telegram/index.js';
import { matrixPlatform } from './matrix/index.js';
import { webPlatform } from './web/index.js';
import { terminalPlatform } from './terminal/index.js';

export const PLATFORMS: readonly PlatformModule[] = [
  telegramPlatform as PlatformModule,
  matrixPlatform as PlatformModule,
  webPlatform as PlatformModule,
  terminalPlatform as PlatformModule,
];
