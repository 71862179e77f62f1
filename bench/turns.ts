/**
 * Persisted turns: the engine's full turn (interpret → machine → render → one SQLite transaction saving the
 * snapshot, the message id and the reply → delivery to a no-op sender → outbox cleared), on a real database file,
 * one process, one core. Compared with a raw better-sqlite3 upsert of the same snapshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import { Engine } from '../src/engine/engine.js';
import { Desk } from '../src/desk/desk.js';
import type { InboundInput, OutMessage } from '../src/engine/types.js';
import { createTexts } from '../src/render/i18n.js';
import { openDatabase } from '../src/store/database.js';

export interface Row {
  measure: string;
  value: string;
  target?: string;
  ok?: boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One user's scripted conversation, typed and pressed, looping forever: welcome → questions → plan → restart. */
function* script(last: () => OutMessage | undefined): Generator<InboundInput> {
  for (;;) {
    yield { kind: 'start' };
    yield { kind: 'text', text: 'commencer' };
    for (const answer of ['gmail', 'association', 'upTo5', 'under5', 'want', 'about1', 'yes', 'france', 'yes', 'yes']) {
      const message = last()!;
      const choice = message.choices.find((c) => c.id === answer);
      // Half pressed as buttons, half typed as words.
      yield choice && answer.length % 2 === 0
        ? { kind: 'choice', choice: answer, promptSeq: message.promptSeq }
        : { kind: 'text', text: choice?.label ?? 'je sais pas' };
    }
    yield { kind: 'text', text: '1' };
    // An association with several mailboxes: the plan asks what to call them.
    yield { kind: 'text', text: 'présidence, trésorerie' };
    for (let step = 0; step < 9; step++) {
      const message = last()!;
      yield { kind: 'choice', choice: step === 3 ? 'help' : 'done', promptSeq: message.promptSeq };
    }
    yield { kind: 'text', text: '/ou' };
    yield { kind: 'text', text: '/recommencer' };
    yield { kind: 'text', text: 'oui' };
  }
}

export async function benchTurns(options: { conversations?: number; turns?: number; cacheSize?: number } = {}) {
  const conversations = options.conversations ?? 1_000;
  const turns = options.turns ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  const catalog = loadCatalog();
  const texts = createTexts();
  const engine = new Engine({ db, catalog, texts, cacheSize: options.cacheSize ?? 10_000 });
  // As main.ts runs it: the volunteers' desk attached (no desk platform configured).
  new Desk({ db, host: engine, texts, catalog });
  const lastMessage = new Map<string, OutMessage>();
  engine.register('bench', { send: async (chatId, message) => void lastMessage.set(chatId, message) });
  const scripts = Array.from({ length: conversations }, (_, i) => script(() => lastMessage.get(`u${i}`)));

  const latencies = new Float64Array(turns);
  let messageId = 0;
  const runTurn = async (i: number) => {
    const user = i % conversations;
    const input = scripts[user]!.next().value as InboundInput;
    const started = performance.now();
    await engine.receive({ conversation: { platform: 'bench', chatId: `u${user}` }, messageId: String(++messageId), input });
    return performance.now() - started;
  };
  // Warm-up: JIT, caches, every conversation started.
  for (let i = 0; i < Math.max(conversations * 3, 5_000); i++) await runTurn(i);

  const started = performance.now();
  for (let i = 0; i < turns; i++) latencies[i] = await runTurn(i);
  const elapsed = performance.now() - started;
  const sorted = Array.from(latencies).sort((a, b) => a - b);

  // The same snapshots, upserted raw: serialise + INSERT … ON CONFLICT DO UPDATE, one autocommit statement each.
  const snapshots = db.prepare('SELECT key, snapshot FROM conversations').all() as Array<{ key: string; snapshot: string }>;
  const objects = snapshots.map((s) => ({ key: s.key, value: JSON.parse(s.snapshot) as unknown }));
  db.exec('CREATE TABLE raw_upsert (key TEXT PRIMARY KEY, snapshot TEXT NOT NULL) STRICT');
  const upsert = db.prepare('INSERT INTO raw_upsert (key, snapshot) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET snapshot = excluded.snapshot');
  const rawRuns = Math.max(turns, 50_000);
  for (let i = 0; i < 5_000; i++) upsert.run(objects[i % objects.length]!.key, JSON.stringify(objects[i % objects.length]!.value));
  const rawStarted = performance.now();
  for (let i = 0; i < rawRuns; i++) {
    const o = objects[i % objects.length]!;
    upsert.run(o.key, JSON.stringify(o.value));
  }
  const rawMicros = ((performance.now() - rawStarted) * 1000) / rawRuns;
  const avgSnapshotBytes = Math.round(snapshots.reduce((n, s) => n + s.snapshot.length, 0) / snapshots.length);

  db.close();
  rmSync(dir, { recursive: true, force: true });

  const perSecond = turns / (elapsed / 1000);
  const turnMicros = (elapsed * 1000) / turns;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const ratio = turnMicros / rawMicros;
  return {
    rows: [
      { measure: 'persisted turns per second (1 core)', value: perSecond.toFixed(0), target: '≥ 5000', ok: perSecond >= 5000 },
      { measure: 'turn latency p50', value: `${(p50 * 1000).toFixed(0)} µs`, target: '', ok: undefined },
      { measure: 'turn latency p99', value: `${(p99 * 1000).toFixed(0)} µs`, target: '≤ 2 ms', ok: p99 <= 2 },
      { measure: 'turn latency max', value: `${(sorted[sorted.length - 1]! * 1000).toFixed(0)} µs` },
      { measure: 'raw upsert of the same snapshot (serialise + upsert)', value: `${rawMicros.toFixed(1)} µs` },
      { measure: 'persisted turn ÷ raw upsert', value: ratio.toFixed(2), target: '≤ 3', ok: ratio <= 3 },
      { measure: 'snapshot size (average)', value: `${avgSnapshotBytes} bytes` },
    ] satisfies Row[],
    turns,
    conversations,
  };
}
