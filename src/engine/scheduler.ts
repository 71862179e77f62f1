/**
 * The scheduler: timers that must survive a restart are rows in SQLite (deadlines), not XState `after` timers
 * (those are not part of a persisted snapshot). Every minute it fires the due ones through the engine, and every
 * hour it erases conversations past their retention. Both run at start-up too, so downtime is caught up at once.
 */
import type { Engine } from './engine.js';
import type { Log } from '../log.js';

export interface SchedulerOptions {
  /** How often due deadlines are looked for. */
  deadlinesEveryMs?: number;
  /** How often idle conversations are purged. */
  retentionEveryMs?: number;
}

export function startScheduler(engine: Engine, log: Log, options: SchedulerOptions = {}): { stop(): Promise<void> } {
  const deadlinesEveryMs = options.deadlinesEveryMs ?? 60_000;
  const retentionEveryMs = options.retentionEveryMs ?? 3_600_000;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const fire = () => {
    if (stopped) return;
    // One firing at a time: a slow platform must not make rounds overlap.
    running = running.then(async () => {
      try {
        const sent = await engine.fireDue();
        if (sent > 0) log('checkins_sent', { count: sent });
      } catch (error) {
        log('deadlines_failed', { error: (error as Error).message }, 'error');
      }
    });
  };
  const purge = () => {
    if (stopped) return;
    try {
      const purged = engine.purgeIdle();
      if (purged > 0) log('retention_purged', { conversations: purged });
    } catch (error) {
      log('retention_failed', { error: (error as Error).message }, 'error');
    }
  };

  purge();
  fire();
  const timers = [setInterval(fire, deadlinesEveryMs), setInterval(purge, retentionEveryMs)];
  for (const timer of timers) timer.unref();
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await running;
    },
  };
}
