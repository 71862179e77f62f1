/**
 * The bot of the load test, in a thread of its own: what src/main.ts builds with a token — engine on a SQLite file,
 * catalogue and texts, scheduler, the real Telegram platform polling TELEGRAM_API_ROOT — inside a worker thread, so
 * that the bot and the Telegram side (emulator and simulated people, in the test's thread) do not share one event
 * loop, as they do not in life. (Sharing one saturated loop, the emulator's server accepted the bot's ~500
 * simultaneous connections at about one per loop turn, and sendMessage calls took up to 17 s: the test measured
 * that instead of the bot.)
 *
 * `startBotThread()` starts it and resolves once it takes updates; `stop()` stops it cleanly and returns how busy
 * its event loop was meanwhile.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface BotThread {
  /** Stops taking updates, finishes the turns in flight, closes the database; the bot loop's busy share meanwhile. */
  stop(): Promise<{ utilization: number; activeMs: number }>;
}

/** tsx's module hooks, registered in the worker before it imports TypeScript (ESM entry of `tsx/esm/api`). */
function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('tsx/package.json'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dir, manifest.exports['./esm/api']!.import.default)).href;
}

const BOOT = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.tsx)
  .then(({ register }) => { register(); return import(workerData.entry); })
  .catch((error) => parentPort.postMessage({ type: 'error', error: String((error && error.stack) || error) }));
`;

export function startBotThread(options: { token: string; apiRoot: string; dbPath: string }): Promise<BotThread> {
  const entry = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'bot-worker.ts')).href;
  const worker = new Worker(BOOT, { eval: true, workerData: { tsx: tsxApi(), entry, ...options } });
  type Busy = { utilization: number; activeMs: number };
  return new Promise<BotThread>((resolve, reject) => {
    let stopping: { resolve: (busy: Busy) => void; reject: (error: Error) => void } | undefined;
    const fail = (error: Error) => {
      void worker.terminate();
      if (stopping) stopping.reject(error);
      else reject(error);
    };
    worker.on('error', fail);
    worker.on('message', (message: { type: string; error?: string } & Partial<Busy>) => {
      if (message.type === 'ready') {
        resolve({
          stop: () =>
            new Promise<Busy>((done, failed) => {
              stopping = { resolve: done, reject: failed };
              worker.postMessage({ type: 'stop' });
            }),
        });
      } else if (message.type === 'stopped') {
        void worker.terminate();
        stopping?.resolve({ utilization: message.utilization!, activeMs: message.activeMs! });
      } else if (message.type === 'error') fail(new Error(message.error));
    });
  });
}
