/**
 * demailbot's entry point: reads the configuration, opens the store, loads the catalogue and the texts, starts
 * the configured adapters — Telegram when TELEGRAM_BOT_TOKEN is set, Matrix when MATRIX_HOMESERVER_URL and
 * MATRIX_ACCESS_TOKEN are (both at once, over one engine and one database), the terminal chat when no platform is
 * configured — the scheduler (check-ins, retention) and, with METRICS_PORT, the Prometheus metrics; and stops them
 * cleanly: on SIGINT/SIGTERM it stops taking messages, lets the turns in flight finish, closes the database and
 * exits 0.
 */
import { loadCatalog } from './catalog/load.js';
import { readConfig, ConfigError } from './config.js';
import { Engine } from './engine/engine.js';
import { startScheduler } from './engine/scheduler.js';
import { TerminalChat } from './adapters/terminal.js';
import { telegramPlatform } from './adapters/telegram/index.js';
import { matrixPlatform } from './adapters/matrix/index.js';
import { createTexts } from './render/i18n.js';
import { openDatabase } from './store/database.js';
import { createLog } from './log.js';
import { Desk } from './desk/desk.js';
import { Metrics } from './ops/metrics.js';

async function main(): Promise<number> {
  const config = readConfig();
  // Metrics only when asked for (METRICS_PORT): then the log's events are counted too.
  const metrics = config.metrics ? new Metrics() : undefined;
  const log = metrics ? metrics.countingLog(createLog(config.logLevel)) : createLog(config.logLevel);
  const catalog = loadCatalog();
  const texts = createTexts();
  const db = openDatabase(config.dbPath);
  const engine = new Engine({ db, catalog, texts, retentionDays: config.retentionDays, reminderDays: config.reminderDays, log });
  metrics?.instrument(engine);
  metrics?.watch(db);
  // The volunteers' desk: always there, so that asking for a person is answered honestly even with no desk set up.
  const hours = 3600_000;
  const desk = new Desk({
    db,
    host: engine,
    texts,
    catalog,
    lang: config.desk.lang,
    timeZone: config.desk.timeZone,
    allowList: config.desk.volunteers,
    timing: {
      unclaimedAlertMs: config.desk.unclaimedAlertHours * hours,
      inactiveMs: config.desk.inactiveDays * 24 * hours,
      stillThereMs: config.desk.stillThereDays * 24 * hours,
      reopenMs: config.desk.reopenHours * hours,
      defaultWaitMinutes: config.desk.defaultWaitMinutes,
      retentionMs: config.desk.ticketRetentionDays * 24 * hours,
    },
    log,
  });

  // Adapters register with the engine as they are made, so what the scheduler fires has somewhere to go.
  // Until src/app.ts: the Telegram platform made through its module, registered as the sender of its conversations.
  const telegram = config.telegram
    ? telegramPlatform.create(
        { ...config.telegram, ...(config.desk.telegramChatId ? { desk: { chatId: config.desk.telegramChatId } } : {}) },
        {
          engine: { receive: (i) => engine.receive(i), knows: (k) => engine.knows(k), rename: (f, t) => engine.renameConversation(f, t), idle: () => engine.idle() },
          texts,
          log,
          state: (namespace) => engine.adapterState(namespace),
          desk,
          ...(metrics ? { metrics } : {}),
        },
      )
    : undefined;
  if (telegram) engine.register(telegram.name, telegram);
  // Until the composition root (src/app.ts): the Matrix platform made by its module, from the same environment.
  const matrixConfig = config.matrix ? matrixPlatform.fromEnv(process.env) : undefined;
  const matrix = matrixConfig
    ? matrixPlatform.create(matrixConfig, {
        engine: { receive: (i) => engine.receive(i), knows: (k) => engine.knows(k), rename: (a, b) => engine.renameConversation(a, b), idle: () => engine.idle() },
        texts,
        log,
        state: (namespace) => engine.adapterState(namespace),
        desk,
      })
    : undefined;
  if (matrix) engine.register(matrix.name, matrix);
  const platforms = Boolean(telegram || matrix);
  const terminal = platforms
    ? undefined
    : new TerminalChat({ engine, texts, chatId: config.terminalId, langHint: config.langHint, colours: Boolean(process.stdout.isTTY) });
  const scheduler = startScheduler(engine, log);
  const metricsServer =
    metrics && config.metrics
      ? await metrics.serve(config.metrics.port, config.metrics.host).catch((error: NodeJS.ErrnoException) => {
          const why = error.code === 'EADDRINUSE' ? 'is used by another program' : error.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : error.message;
          throw new ConfigError(`METRICS_PORT ${config.metrics!.port} on METRICS_HOST ${config.metrics!.host} ${why}: choose another`);
        })
      : undefined;
  if (metricsServer) log('metrics_serving', { port: metricsServer.port });
  const adapters = [...(telegram ? ['telegram'] : []), ...(matrix ? ['matrix'] : []), ...(terminal ? ['terminal'] : [])];
  log('started', { adapters, providers: catalog.providers.length });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    await scheduler.stop();
    await metricsServer?.close();
    // Platforms: stop taking messages and let the turns in flight finish; main() then closes the database.
    if (platforms) {
      await Promise.all([telegram?.stop(), matrix?.stop()]);
      return;
    }
    await engine.idle();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (platforms) {
    // Matrix first: it can only deliver once started, while Telegram's API works before its start — so the replies
    // a crash left undelivered, re-sent by each start, reach both platforms.
    if (matrix) {
      await matrix.start();
      // Replies a crash left undelivered, once Matrix can deliver; then it takes messages.
      await engine.flushOutbox().catch((error: unknown) => log('matrix_outbox_failed', { error: (error as Error).name }, 'warn'));
      await matrix.listen();
    }
    if (telegram) {
      await telegram.start();
      await engine.flushOutbox().catch((error: unknown) => log('telegram_outbox_failed', { error: (error as Error)?.message }, 'warn'));
      await telegram.listen();
    }
    // Until a signal stops them, or Telegram's polling fails for good (then it throws).
    await Promise.all([telegram?.done, matrix?.done]);
  } else {
    await terminal!.run();
  }
  await scheduler.stop();
  await metricsServer?.close();
  await engine.idle();
  db.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Configuration, catalogue, Telegram and Matrix errors (a wrong token, the server unreachable) are for the
    // operator: say what is wrong, plainly, without a stack. grammY's messages name the method, never the token;
    // the Matrix adapter's name the variable to check.
    const name = (error as Error)?.name;
    const known = error instanceof ConfigError || name === 'CatalogError' || name === 'GrammyError' || name === 'HttpError';
    const said = known ? (error as Error).message : matrixPlatform.operatorError(error);
    process.stderr.write(`demailbot: ${said ?? (error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
