/**
 * 1,000 browsers' worth of connections (without the browser: the `ws` client) through the real web chat server,
 * engine and SQLite file: each opens a conversation, gets the welcome, answers, gets the reply; then every tab is
 * closed, a message arrives for each while away (as a volunteer's would), and every tab comes back for it.
 * Asserted: none lost, none repeated, numbers contiguous. The latency percentiles are printed (for the closing
 * note), never asserted: timing belongs to `npm run bench`.
 */
import { afterAll, expect, it } from 'vitest';
import { startWorld, Tab, type WebWorld } from './harness.js';
import { chatIdOf } from '../../src/adapters/web/conversations.js';

const PEOPLE = 1_000;
const BATCH = 100;
let world: WebWorld | undefined;
const tabs: Tab[] = [];
afterAll(async () => {
  await Promise.all(tabs.map((t) => t.close()));
  await world?.close();
});

function percentiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  return `p50 ${at(50)} ms · p90 ${at(90)} ms · p99 ${at(99)} ms · max ${sorted.at(-1)!.toFixed(1)} ms (n=${sorted.length})`;
}

async function inBatches<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; from < count; from += BATCH) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => work(from + k)))));
  }
  return out;
}

it(`${PEOPLE} connections: none lost, none repeated; latency printed`, { timeout: 240_000 }, async () => {
  world = await startWorld({
    env: {
      WEB_CHAT_MAX_CONNECTIONS: String(PEOPLE * 2),
      WEB_CHAT_MAX_CONNECTIONS_PER_ADDRESS: String(PEOPLE * 2),
      WEB_CHAT_NEW_CONVERSATIONS_PER_HOUR: String(PEOPLE * 2),
      WEB_CHAT_ADDRESS_MESSAGES_PER_MINUTE: String(PEOPLE * 10),
    },
  });
  const w = world;
  const welcomeMs: number[] = [];
  const replyMs: number[] = [];
  const opened = await inBatches(PEOPLE, async () => {
    const tab = await Tab.open(w);
    tabs.push(tab);
    const t0 = performance.now();
    tab.send({ t: 'hello', lastSeq: 0, lang: 'fr-FR' });
    await tab.botMessage(1);
    welcomeMs.push(performance.now() - t0);
    return tab;
  });
  // Everyone answers at once.
  await Promise.all(
    opened.map(async (tab, i) => {
      const t0 = performance.now();
      tab.send({ t: 'say', id: `load-${i}`, text: 'commencer' });
      await tab.botMessage(2);
      replyMs.push(performance.now() - t0);
      tab.send({ t: 'ack', seq: tab.lastSeq() });
    }),
  );
  for (const tab of opened) {
    const seqs = tab.messages().map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
    expect(tab.messages().filter((m) => m.from === 'me')).toHaveLength(1);
  }
  const secrets = opened.map((tab) => tab.secret!);
  expect(new Set(secrets).size).toBe(PEOPLE);
  const seen = opened.map((tab) => tab.lastSeq());
  await Promise.all(opened.map((tab) => tab.close()));
  tabs.length = 0;

  // While every tab is closed, a message for each (as a volunteer's reply would come).
  for (const secret of secrets) expect(await w.engine.sendWords(`web:${chatIdOf(secret)}`, 'Un message pendant votre absence')).toBe(true);
  const returnMs: number[] = [];
  await inBatches(PEOPLE, async (i) => {
    const tab = await Tab.open(w);
    tabs.push(tab);
    const t0 = performance.now();
    tab.send({ t: 'hello', secret: secrets[i], lastSeq: seen[i] });
    await tab.waitFor((f) => f.t === 'msg');
    returnMs.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tab.messages().map((m) => m.seq)).toEqual([seen[i]! + 1]);
  });
  // And one at a time, with the thousand connections open: the latency of a turn when the burst is not queued.
  const aloneMs: number[] = [];
  for (const tab of tabs.slice(0, 200)) {
    const before = tab.messages().length;
    const t0 = performance.now();
    tab.send({ t: 'say', id: `alone-${tab.secret}`, text: '/ou' });
    await tab.waitFor(() => tab.messages().slice(before).some((m) => m.from === 'bot'));
    aloneMs.push(performance.now() - t0);
  }
  console.log(`web load, ${PEOPLE} connections — welcome: ${percentiles(welcomeMs)}`);
  console.log(`web load, ${PEOPLE} at once — reply to a typed answer: ${percentiles(replyMs)}`);
  console.log(`web load, ${PEOPLE} returns — message kept while away: ${percentiles(returnMs)}`);
  console.log(`web load, one at a time with ${PEOPLE} open — reply to a typed answer: ${percentiles(aloneMs)}`);
});
