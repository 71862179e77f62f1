/**
 * The retention job: conversations idle for RETENTION_DAYS are erased, at start-up and then every hour.
 * It runs inside the process (no cron to set up) and is harmless to run often: it only deletes what is due.
 */
import type { Engine } from './engine.js';
import type { Log } from '../log.js';

export const RETENTION_EVERY_MS = 3600 * 1000;

export function startRetention(engine: Engine, log: Log, everyMs = RETENTION_EVERY_MS): { stop(): void } {
  const run = () => {
    try {
      const purged = engine.purgeIdle();
      if (purged > 0) log('retention_purged', { conversations: purged });
    } catch (error) {
      log('retention_failed', { error: (error as Error).message }, 'error');
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
