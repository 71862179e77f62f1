/**
 * The browser the web chat's tests drive: Debian's Chromium (/usr/bin/chromium, installed by scripts/test-tools.mjs;
 * Playwright's own download fails here), headless, without the background services that would reach the network.
 * Screenshots land in ARTIFACTS.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const ARTIFACTS = 'test-artifacts/web';

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
