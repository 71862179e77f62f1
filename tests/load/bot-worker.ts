/**
 * Worker entry for ./bot-thread.ts: builds what src/main.ts builds with a token (no logging: LOG_LEVEL silent), starts
 * polling, says "ready"; on "stop", stops as main.ts does on SIGTERM and reports its event loop's busy share.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from '../../src/catalog/load.js';
import { Engine } from '../../src/engine/engine.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { createTexts } from '../../src/render/i18n.js';
import { openDatabase } from '../../src/store/database.js';
import { createTelegram, startTelegram } from '../telegram/harness.js';

const { token, apiRoot, dbPath } = workerData as { token: string; apiRoot: string; dbPath: string };
const port = parentPort!;
try {
  const texts = createTexts();
  const db = openDatabase(dbPath);
  const engine = new Engine({ db, catalog: loadCatalog(), texts });
  // Pacing on, as main.ts has it, but with limits no emulator-side rate reaches: this test is about losing nothing
  // under load (Telegram's rates are tests/ops/rush.test.ts's subject; at 30 a second, 7,000 replies take 4 minutes).
  const adapter = createTelegram({ token, apiRoot, pacing: { globalPerSecond: 1e6, privateChatIntervalMs: 0, groupPerMinute: 1e6 } }, engine);
  const scheduler = startScheduler(engine, () => {});
  await startTelegram(adapter, engine);
  const from = performance.eventLoopUtilization();
  port.postMessage({ type: 'ready' });
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'stop') return;
    const busy = performance.eventLoopUtilization(from);
    void (async () => {
      await scheduler.stop();
      await adapter.stop();
      await engine.idle();
      db.close();
      port.postMessage({ type: 'stopped', utilization: busy.utilization, activeMs: busy.active });
    })().catch((error: unknown) => port.postMessage({ type: 'error', error: String((error as Error)?.stack ?? error) }));
  });
} catch (error) {
  port.postMessage({ type: 'error', error: String((error as Error)?.stack ?? error) });
}
