/**
 * demailbot's entry point: reads the configuration, opens the store, loads the catalogue and the texts, starts
 * the configured adapters — the terminal chat when no platform is configured — and stops them cleanly.
 */
import { loadCatalog } from './catalog/load.js';
import { readConfig, ConfigError } from './config.js';
import { Engine } from './engine/engine.js';
import { startRetention } from './engine/retention.js';
import { TerminalChat } from './adapters/terminal.js';
import { createTexts } from './render/i18n.js';
import { openDatabase } from './store/database.js';
import { createLog } from './log.js';

async function main(): Promise<number> {
  const config = readConfig();
  const log = createLog(config.logLevel);
  const catalog = loadCatalog();
  const texts = createTexts();
  const db = openDatabase(config.dbPath);
  const engine = new Engine({ db, catalog, texts, retentionDays: config.retentionDays, log });
  const retention = startRetention(engine, log);
  log('started', { adapters: ['terminal'], providers: catalog.providers.length });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    retention.stop();
    await engine.idle();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const terminal = new TerminalChat({
    engine,
    texts,
    chatId: config.terminalId,
    langHint: config.langHint,
    colours: Boolean(process.stdout.isTTY),
  });
  await terminal.run();
  retention.stop();
  await engine.idle();
  db.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Configuration and catalogue errors are for the operator: say what is wrong, plainly, without a stack.
    const known = error instanceof ConfigError || (error as Error)?.name === 'CatalogError';
    process.stderr.write(`demailbot: ${known ? (error as Error).message : (error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
