/**
 * demailbot's entry point: reads the configuration, opens the store, loads the catalogue and the texts, starts
 * the configured adapter — Telegram when TELEGRAM_BOT_TOKEN is set, the terminal chat otherwise — and the
 * scheduler (check-ins, retention), and stops them cleanly: on SIGINT/SIGTERM it stops taking messages, lets the
 * turns in flight finish, closes the database and exits 0.
 */
import { loadCatalog } from './catalog/load.js';
import { readConfig, ConfigError } from './config.js';
import { Engine } from './engine/engine.js';
import { startScheduler } from './engine/scheduler.js';
import { TerminalChat } from './adapters/terminal.js';
import { TelegramAdapter } from './adapters/telegram.js';
import { createTexts } from './render/i18n.js';
import { openDatabase } from './store/database.js';
import { createLog } from './log.js';

async function main(): Promise<number> {
  const config = readConfig();
  const log = createLog(config.logLevel);
  const catalog = loadCatalog();
  const texts = createTexts();
  const db = openDatabase(config.dbPath);
  const engine = new Engine({ db, catalog, texts, retentionDays: config.retentionDays, reminderDays: config.reminderDays, log });

  // The adapter registers with the engine as it is made, so what the scheduler fires has somewhere to go.
  const telegram = config.telegram
    ? new TelegramAdapter({ engine, texts, token: config.telegram.token, apiRoot: config.telegram.apiRoot, log })
    : undefined;
  const terminal = telegram
    ? undefined
    : new TerminalChat({ engine, texts, chatId: config.terminalId, langHint: config.langHint, colours: Boolean(process.stdout.isTTY) });
  const scheduler = startScheduler(engine, log);
  log('started', { adapters: [telegram ? 'telegram' : 'terminal'], providers: catalog.providers.length });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    await scheduler.stop();
    // Telegram: stop taking updates and let the turns in flight finish; main() then closes the database.
    if (telegram) return telegram.stop();
    await engine.idle();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (telegram) {
    const webhook = config.telegram?.webhook;
    await telegram.start(webhook ? { kind: 'webhook', ...webhook } : { kind: 'polling' });
    await telegram.done; // Until a signal stops it, or polling fails for good (then it throws).
  } else {
    await terminal!.run();
  }
  await scheduler.stop();
  await engine.idle();
  db.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Configuration, catalogue and Telegram errors (a wrong token, the Bot API unreachable) are for the operator:
    // say what is wrong, plainly, without a stack. grammY's messages name the method, never the token.
    const name = (error as Error)?.name;
    const known = error instanceof ConfigError || name === 'CatalogError' || name === 'GrammyError' || name === 'HttpError';
    process.stderr.write(`demailbot: ${known ? (error as Error).message : (error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
