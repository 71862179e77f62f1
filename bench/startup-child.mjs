/**
 * What src/main.ts does before it takes messages, and nothing else, timed: read the configuration, make the
 * logger, load and validate the catalogue, load the texts, open the database (WAL, migrations), build the engine,
 * start the scheduler and let its first pass finish (purge of idle conversations, due check-ins). The adapter is not
 * started (no platform to reach). Prints one JSON line: the time of each phase and, `ready`, the time since the
 * process started (performance.now() counts from the process's start: Node's own start-up and module loading are
 * in it), and the resident memory at that point.
 *
 * It runs the compiled JavaScript under dist/ with plain node, as `npm start` does (scripts/run.mjs): plain
 * JavaScript itself, so that no TypeScript loader is in the measure.
 *
 *   npm run build && DEMAILBOT_DB=var/big.db node bench/startup-child.mjs
 */
import { performance } from 'node:perf_hooks';

const marks = { modulesFrom: performance.now() };
// The modules main.ts imports, adapters included (loaded, not started).
const [{ loadCatalog }, { readConfig }, { Engine }, { startScheduler }, { createTexts }, { openDatabase }, { createLog }, { Desk }] = await Promise.all([
  import('../dist/catalog/load.js'),
  import('../dist/config.js'),
  import('../dist/engine/engine.js'),
  import('../dist/engine/scheduler.js'),
  import('../dist/render/i18n.js'),
  import('../dist/store/database.js'),
  import('../dist/log.js'),
  import('../dist/desk/desk.js'),
  import('../dist/adapters/terminal.js'),
  import('../dist/adapters/telegram/index.js'),
  import('../dist/adapters/matrix/index.js'),
]);
const lap = (name, from) => (marks[name] = performance.now() - from);
let t = performance.now();
lap('modules', marks.modulesFrom);

const config = readConfig();
const log = createLog(config.logLevel);
lap('config', t);
t = performance.now();
const catalog = loadCatalog();
lap('catalog', t);
t = performance.now();
const texts = createTexts();
lap('texts', t);
t = performance.now();
const db = openDatabase(config.dbPath);
lap('database', t);
t = performance.now();
const engine = new Engine({ db, catalog, texts, retentionDays: config.retentionDays, reminderDays: config.reminderDays, log });
new Desk({ db, host: engine, texts, catalog, log }); // as main.ts runs it
lap('engine', t);
t = performance.now();
const scheduler = startScheduler(engine, log);
await scheduler.stop(); // resolves once the first pass (run at start) is done
lap('scheduler', t);

const ready = performance.now();
const rss = process.memoryUsage().rss;
const conversations = db.prepare('SELECT COUNT(*) AS n FROM conversations').get().n;
db.close();
delete marks.modulesFrom;
process.stdout.write(JSON.stringify({ ready, rss, conversations, phases: marks }) + '\n');
