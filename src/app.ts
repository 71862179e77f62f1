/**
 * The composition root: from a configuration, the store, the catalogue, the texts, the engine, the volunteers'
 * desk, the scheduler (check-ins, retention), the metrics when asked for, and the configured platforms from the
 * registry — then their start and their stop, in the one order that keeps every promise:
 *
 *   start: every platform connects (start) → the engine re-sends once what a crash left undelivered → every platform
 *          opens to messages (listen). A reply stored before a crash thus reaches a platform that can deliver it, and
 *          no new message is taken before the old replies went out.
 *   stop:  the scheduler and the metrics stop → every platform stops taking messages and lets its turns finish →
 *          the last "handled" marks are written → the database closes.
 *
 * It names no platform: they come from src/adapters/registry.ts through src/config/config.ts.
 */
import { loadCatalog } from './catalog/load.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/env.js';
import { deskTiming } from './config/defaults.js';
import { Engine } from './engine/engine.js';
import { startScheduler } from './engine/scheduler.js';
import { createTexts } from './render/i18n.js';
import { openDatabase, type Db } from './store/database.js';
import { createLog, type Log } from './log.js';
import { Desk } from './desk/desk.js';
import { Metrics } from './ops/metrics.js';
import type { Platform, PlatformDeps } from './adapters/platform.js';
import { loadEvents } from './catalog/events.js';
import { coalitionDesks, deskPlacesOn } from './config/desks.js';
import { mediaOf } from './adapters/media.js';

export interface App {
  readonly engine: Engine;
  readonly desk: Desk;
  readonly db: Db;
  readonly platforms: readonly Platform[];
  readonly log: Log;
  /** Starts everything; resolves once every platform takes messages. */
  start(): Promise<void>;
  /** Settles when every platform is finished (rejects as soon as one failed for good). */
  readonly done: Promise<void>;
  /** Stops everything and closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

export function createApp(config: Config, options: { log?: Log; env?: NodeJS.ProcessEnv } = {}): App {
  // Metrics only when asked for (METRICS_PORT): then the log's events are counted too.
  const metrics = config.metrics ? new Metrics() : undefined;
  const baseLog = options.log ?? createLog(config.logLevel);
  const log = metrics ? metrics.countingLog(baseLog) : baseLog;
  const catalog = loadCatalog();
  const texts = createTexts();
  // The desks file and the events are data: read (and refused with what to fix) before the database opens.
  const desks = coalitionDesks(config, catalog, options.env ?? process.env);
  const events = loadEvents();
  const db = openDatabase(config.dbPath);
  const engine = new Engine({ db, catalog, texts, retentionDays: config.retentionDays, reminderDays: config.reminderDays, events, log });
  metrics?.instrument(engine);
  metrics?.watch(db);
  // The volunteers' desk: always there, so that asking for a person is answered honestly even with no desk set up.
  const desk = new Desk({
    db,
    host: engine,
    texts,
    catalog,
    lang: config.desk.lang,
    timeZone: config.desk.timeZone,
    allowList: config.desk.volunteers,
    timing: deskTiming(config.desk),
    ...(desks ? { desks } : {}),
    events,
    log,
  });

  const deps: PlatformDeps = {
    // The engine is typed as PlatformEngine there: messages in, its own conversations' names, nothing more.
    engine,
    texts,
    log,
    state: (namespace) => engine.adapterState(namespace),
    desk,
    ...(metrics ? { metrics } : {}),
    media: mediaOf(() => platforms),
  };
  // Platforms register with the engine as they are made, so what the scheduler fires has somewhere to go.
  const platforms = config.platforms.map(({ module, config: own }) => {
    const platform = module.create(own, { ...deps, deskPlaces: deskPlacesOn(module.name, desks) });
    engine.register(platform.name, platform);
    return platform;
  });

  let scheduler: { stop(): Promise<void> } | undefined;
  let metricsServer: { port: number; close(): Promise<void> } | undefined;
  let stopped: Promise<void> | undefined;
  const done = Promise.all(platforms.map((p) => p.done)).then(() => undefined);
  // Whoever awaits `done` sees a failure; it must not also surface as an unhandled rejection.
  done.catch(() => undefined);

  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await scheduler?.stop();
      await metricsServer?.close();
      // Platforms: stop taking messages and let the turns in flight finish; then the database closes.
      await Promise.all(platforms.map((p) => p.stop()));
      await engine.idle();
      db.close();
    })());

  return {
    engine,
    desk,
    db,
    platforms,
    log,
    done,
    stop,
    async start() {
      scheduler = startScheduler(engine, log);
      if (metrics && config.metrics) {
        const { port, host } = config.metrics;
        metricsServer = await metrics.serve(port, host).catch((error: NodeJS.ErrnoException) => {
          const why = error.code === 'EADDRINUSE' ? 'is used by another program' : error.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : error.message;
          throw new ConfigError(`METRICS_PORT ${port} on METRICS_HOST ${host} ${why}: choose another`);
        });
        log('metrics_serving', { port: metricsServer.port });
      }
      log('started', { adapters: platforms.map((p) => p.name), providers: catalog.providers.length });
      for (const platform of platforms) await platform.start();
      // What a crash left undelivered goes out once, now that every platform can deliver and before any takes a message.
      await engine.flushOutbox().catch((error: unknown) => log('outbox_failed', { error: (error as Error)?.message ?? String(error) }, 'warn'));
      for (const platform of platforms) await platform.listen();
    },
  };
}
