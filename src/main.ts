/**
 * demailbot's entry point: reads the configuration, makes the app (src/app.ts: the store, the engine, the desk, the
 * scheduler, the metrics and the configured platforms — the terminal chat when none is) and starts it; on
 * SIGINT/SIGTERM it stops taking messages, lets the turns in flight finish, closes the database and exits 0.
 * Operator errors (the configuration, the catalogue, a platform's token or server) are printed plainly, without a
 * stack: each platform's module recognises its own.
 */
import { readConfig } from './config/config.js';
import { ConfigError } from './config/env.js';
import { createApp, type App } from './app.js';
import { PLATFORMS } from './adapters/registry.js';

async function main(): Promise<number> {
  const app: App = createApp(readConfig());
  const stop = (signal: string) => {
    app.log('stopping', { signal });
    void app.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    await app.start();
    // Until a signal stops them, the terminal's input ends, or a platform fails for good (then it throws).
    await app.done;
  } finally {
    await app.stop();
  }
  return 0;
}

/** What to print for an error: the operator's errors plainly (they teach the fix), anything else with its stack. */
function operatorMessage(error: unknown): string {
  const name = (error as Error)?.name;
  if (error instanceof ConfigError || name === 'CatalogError' || name === 'DesksError' || name === 'EventsError') return (error as Error).message;
  for (const module of PLATFORMS) {
    const message = module.operatorError(error);
    if (message !== undefined) return message;
  }
  return (error as Error)?.stack ?? String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demailbot: ${operatorMessage(error)}\n`);
    process.exit(1);
  },
);
