/**
 * The crash test: the real bot process (`node --import tsx src/main.ts`, as `npm start` runs it with a token) is
 * killed with SIGKILL at random moments while eight people hold whole guide conversations with it through the Bot
 * API emulator, and restarted on the same SQLite file each time, dozens of times, until every conversation is done.
 *
 * The people (./scripts.ts): /start (one with a deep link), the questions by buttons and by typing, commands, a
 * sticker, an old button, a language switch, more hosts, "why not", an answer changed, a host chosen, every plan step
 * to the plan's end; then, until the kill quota is reached, /recommencer and another whole conversation. Each waits
 * for the reply before acting again (as people do) — but for a few impatient moments (a double tap on a button, two
 * messages typed in a row) that put several updates of one chat in one fetched batch. When the bot died before
 * answering, they just keep waiting: what they sent is still at Telegram (not confirmed) or in the bot's inbox, and
 * the restarted bot answers it. Telegram's delivery is modelled faithfully (./telegram-side.ts): an update is
 * handed out again until a later getUpdates confirms it with its offset.
 *
 * Kill moments, after the bot logged `started` (configuration, database, engine, scheduler ready): a fifth within
 * 0–80 ms — inside start-up: command menus, re-sending undelivered replies, inbox replay, first fetches; a fifth
 * within 0–4 ms of the bot receiving a batch of several updates (fetched, soon confirmed by the next fetch, some
 * still waiting behind their chat's turn: without the inbox they would be lost); a fifth within 0–4 ms of a reply
 * reaching Telegram (sent, not yet recorded as delivered); the rest 50–400 ms after it started taking updates.
 * Moments and pauses come from a PRNG whose seed is printed: CRASH_SEED=<seed> replays the same draws (the
 * processes' own timing still varies, so a replay is likely, not certain, to hit the same instants).
 * CRASH_KILLS sets the quota (default 30), CRASH_REPLY_TIMEOUT_MS how long a person waits for one reply.
 *
 * What is guaranteed, and checked here:
 *  - Exactly-once processing: every update a person sent is processed once and only once — never lost, never
 *    applied twice. Each processed update advances the conversation's prompt number by one, so after N updates the
 *    prompts a person received are numbered exactly 1…N, the stored `prompt_seq` is N, and each prompt has the same
 *    buttons as in the same conversation run without any crash (replayed in-process afterwards), and the final
 *    state (snapshot, recent update ids, anonymous counts) is identical to that uninterrupted run: nothing rolled
 *    back, no step skipped, no answer counted twice.
 *  - At-least-once delivery of replies: every prompt reached the person; after the last restart nothing is left
 *    undelivered (`delivered_seq` = `prompt_seq`) and the inbox is empty.
 *  - No reply sent twice, precisely: no two messages to a chat carry the same prompt number (the `seq` in their
 *    buttons' callback_data `seq:choice`) unless all but one of them are declared re-sends — messages that begin with
 *    the "welcome back" notice, sent at start by the engine's flushOutbox for a reply committed but not known to be
 *    delivered when the previous process died. Of those re-sends, "duplicates" repeat a prompt the person had
 *    already received (the process died after Telegram accepted the message and before `delivered_seq` was written);
 *    "recoveries" are the first delivery of a prompt whose original send was cut off.
 *
 * What is not guaranteed: exactly-once delivery. A crash between Telegram accepting a reply and the bot recording
 * it (an unavoidable window: the two are not one transaction) makes the prompt come once more, marked "welcome
 * back" — at most one re-send per conversation per crash (a crash during the re-send itself can add one more). Only
 * the prompt is re-sent: what the lost reply said before its question (e.g. "✓ Bravo !") is not kept. Durability
 * is for a killed process (SQLite WAL, synchronous=NORMAL); a power cut can lose the last commits.
 */
import { describe, expect, it } from 'vitest';
import { splitMessage, keyboardOf } from '../../src/adapters/telegram/format.js';
import { inboundOf } from '../../src/adapters/telegram/read.js';
import { Engine } from '../../src/engine/engine.js';
import { stateName } from '../../src/flows/prompt.js';
import { openDatabase } from '../../src/store/database.js';
import type { ConversationRow } from '../../src/store/repositories.js';
import { RecordingSender, catalog, tempDbPath, texts } from '../support/engine.js';
import { visible } from '../telegram/harness.js';
import { BotProcess, type LogLine } from './bot-process.js';
import { AGAIN, SCRIPTS, againSteps, play, prng } from './scripts.js';
import { TelegramSide, TOKEN, type Received } from './telegram-side.js';

type KillMode = 'start-up' | 'after a fetch' | 'after a reply' | 'anytime' | 'after the last reply';

const MIN_KILLS = Number(process.env.CRASH_KILLS ?? 30);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WELCOME_BACK = (['fr', 'en'] as const).map((lang) => texts.t(lang)('guide:notices.welcomeBack'));
/** The text a person reads (tags dropped, every entity the adapter writes decoded). */
const readable = (html: string) =>
  visible(html.replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
const isResend = (m: Received) => WELCOME_BACK.some((notice) => readable(m.html).startsWith(notice));

describe('crash test: SIGKILL at random moments, restarted on the same database', () => {
  it('loses no conversation, rolls nothing back, processes every answer once, re-sends only declared re-sends', { timeout: 240_000 }, async () => {
    console.log(`crash test seed ${SEED} (CRASH_SEED=${SEED} replays the same kill moments and pauses)`);
    const started = performance.now();
    const rng = prng(SEED);
    const side = await TelegramSide.start();
    const tmp = tempDbPath();
    const refTmp = tempDbPath();
    const runs: BotProcess[] = [];
    let bot: BotProcess | undefined;
    try {
      // --- the conversations, and the killer ------------------------------------------------------------------
      let kills = 0;
      const killsBy = new Map<KillMode, number>();
      let killsWithAnswerInFlight = 0;
      let answersInFlightAtKill = 0;
      let replies = 0;
      const people = SCRIPTS.map((script, i) => ({ script, person: side.person(7001 + i, script.languageCode), rounds: 0 }));
      let finished = false;
      let failure: unknown;
      const conversations = Promise.all(
        people.map(async (p, i) => {
          const think = prng(SEED + 1 + i);
          const options = { think: () => 5 + think() * 55, replyTimeoutMs: Number(process.env.CRASH_REPLY_TIMEOUT_MS ?? 60_000), onReply: () => replies++ };
          await play(p.person, p.script.steps, options);
          p.rounds = 1;
          while (kills < MIN_KILLS && failure === undefined) {
            await play(p.person, againSteps(AGAIN[(i + p.rounds) % AGAIN.length]!), options);
            p.rounds++;
          }
        }),
      ).then(
        () => void (finished = true),
        (error: unknown) => {
          failure = error;
          finished = true;
        },
      );

      const spawnBot = () => {
        bot = new BotProcess({ token: TOKEN, apiRoot: side.apiRoot, dbPath: tmp.path });
        runs.push(bot);
        return bot;
      };
      /**
       * Resolves true at the next `event` of the Telegram side that passes `test`, false after `ms` (or as soon as the
       * conversations are over).
       */
      const nextEvent = <T>(event: 'batch' | 'reply', test: (value: T) => boolean, ms: number) =>
        new Promise<boolean>((resolve) => {
          const done = (seen: boolean) => {
            clearInterval(poll);
            side.events.off(event, onEvent);
            resolve(seen);
          };
          const onEvent = (value: T) => test(value) && done(true);
          const until = performance.now() + ms;
          const poll = setInterval(() => (finished || performance.now() > until) && done(false), 5);
          side.events.on(event, onEvent);
        });
      while (!finished) {
        const current = spawnBot();
        await current.until('started');
        const draw = rng();
        const mode: KillMode = draw < 0.2 ? 'start-up' : draw < 0.4 ? 'after a fetch' : draw < 0.6 ? 'after a reply' : 'anytime';
        if (mode === 'start-up') {
          await sleep(rng() * 80);
        } else {
          await current.until('telegram_started');
          if (mode === 'anytime') {
            const deadline = performance.now() + 50 + rng() * 350;
            while (!finished && performance.now() < deadline) await sleep(5);
          } else {
            // Within 0–4 ms of the bot receiving a batch of several updates (fetched, soon confirmed by the next
            // fetch, some still waiting behind the same chat's turn), or of a reply reaching Telegram (sent, not yet
            // recorded as delivered): the windows where a crash could lose an update or repeat a reply.
            const delay = rng() * 4;
            const seen =
              mode === 'after a fetch'
                ? await nextEvent<number>('batch', (size) => size >= 2, 2_000)
                : await nextEvent<Received>('reply', () => true, 2_000);
            if (seen) await sleep(delay);
          }
          if (finished) break;
        }
        if (!current.alive) throw new Error(`the bot exited by itself: ${JSON.stringify(await current.exited)}\n${current.other}`);
        const waiting = people.filter((p) => p.person.sent > p.person.seq).length;
        await current.kill();
        kills++;
        killsBy.set(mode, (killsBy.get(mode) ?? 0) + 1);
        if (waiting > 0) killsWithAnswerInFlight++;
        answersInFlightAtKill += waiting;
      }
      await conversations;
      if (failure !== undefined) throw failure;

      // One more kill right after the last reply, then a clean start to deliver what is owed, and a clean stop.
      if (bot!.alive) {
        await bot!.kill();
        kills++;
        killsBy.set('after the last reply', 1);
      }
      const last = spawnBot();
      await last.until('telegram_started');
      const settleBy = performance.now() + 10_000;
      while (side.unconfirmed() > 0 && performance.now() < settleBy) await sleep(10);
      await sleep(100);
      expect(await last.stop()).toBe(0);
      const elapsed = (performance.now() - started) / 1000;

      // --- the same conversations without any crash, in-process: the reference -----------------------------
      const refDb = openDatabase(refTmp.path);
      const refEngine = new Engine({ db: refDb, catalog, texts });
      const refSender = new RecordingSender();
      refEngine.register('telegram', refSender);
      for (const update of side.updates()) {
        const inbound = inboundOf(update);
        if (inbound) await refEngine.receive(inbound);
      }

      // --- what was sent, what is stored ----------------------------------------------------------------------
      const db = openDatabase(tmp.path);
      const rowOf = (d: typeof db, chatId: number) =>
        d.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE key = ?').get(`telegram:${chatId}`);
      let duplicates = 0;
      let recoveries = 0;
      let messages = 0;
      for (const { person, script } of people) {
        const label = `user ${person.id} (${script.name})`;
        const sent = side.messagesTo(person.id);
        messages += sent.length;
        const n = person.sent;
        const reference = refSender.sent.filter((s) => s.chatId === String(person.id)).map((s) => s.message);
        expect(reference.map((m) => m.promptSeq), `${label}: the uninterrupted run`).toEqual(Array.from({ length: n }, (_, i) => i + 1));

        // Every message carries a prompt number; they never go backwards; prompts 1…N all arrived.
        expect(sent.every((m) => m.seq !== undefined), `${label}: a message without buttons`).toBe(true);
        const seqs = sent.map((m) => m.seq!);
        expect(seqs, `${label}: prompt numbers in order`).toEqual([...seqs].sort((a, b) => a - b));
        expect([...new Set(seqs)], `${label}: prompts 1…${n}, each processed update answered`).toEqual(Array.from({ length: n }, (_, i) => i + 1));

        for (let seq = 1; seq <= n; seq++) {
          const group = sent.filter((m) => m.seq === seq);
          const expected = reference[seq - 1]!;
          for (const m of group) expect(m.keyboard, `${label}: the buttons of prompt ${seq}`).toEqual(keyboardOf(expected.choices, seq));
          const originals = group.filter((m) => !isResend(m));
          // At most one message per prompt that is not a declared re-send; it is the uninterrupted run's reply.
          expect(originals.length, `${label}: prompt ${seq} sent twice`).toBeLessThanOrEqual(1);
          if (originals.length === 1) expect(originals[0]!.html, `${label}: the reply ${seq}`).toBe(splitMessage(expected.text).at(-1));
          const resends = group.length - originals.length;
          if (originals.length === 0) {
            recoveries++;
            duplicates += resends - 1;
          } else duplicates += resends;
        }

        const row = rowOf(db, person.id)!;
        const refRow = rowOf(refDb, person.id)!;
        expect(row.prompt_seq, `${label}: stored prompt number`).toBe(n);
        expect(row.delivered_seq, `${label}: everything delivered`).toBe(n);
        expect(stateName(JSON.parse(row.snapshot).value), `${label}: final state`).toBe('planEnd');
        expect(JSON.parse(row.snapshot), `${label}: the stored conversation`).toEqual(JSON.parse(refRow.snapshot));
        expect(row.recent_ids, `${label}: recent update ids`).toBe(refRow.recent_ids);
      }
      const counts = (d: typeof db) =>
        d.prepare('SELECT metric, detail, SUM(count) AS n FROM stats_daily GROUP BY metric, detail ORDER BY metric, detail').all();
      expect(counts(db), 'anonymous counts: each milestone counted once').toEqual(counts(refDb));
      expect(db.prepare("SELECT COUNT(*) AS n FROM adapter_state WHERE adapter = 'telegram:inbox'").get(), 'inbox empty').toEqual({ n: 0 });
      db.close();
      refDb.close();

      // --- the bot's own account: no turn failed, and what it replayed ------------------------------------------
      const lines: LogLine[] = runs.flatMap((run) => run.lines);
      const errors = lines.filter((line) => line.level === 'error');
      expect(errors, 'errors logged by the bot').toEqual([]);
      const replayed = lines.filter((line) => line.event === 'telegram_replaying').reduce((sum, line) => sum + Number(line.updates), 0);
      const warnings = new Map<string, number>();
      for (const line of lines.filter((l) => l.level === 'warn')) warnings.set(line.event, (warnings.get(line.event) ?? 0) + 1);

      const updates = people.reduce((sum, p) => sum + p.person.sent, 0);
      const summary = {
        seed: SEED,
        seconds: Number(elapsed.toFixed(1)),
        kills,
        'kills by moment': Object.fromEntries(killsBy),
        'kills with an answer awaited': killsWithAnswerInFlight,
        'answers awaited at a kill': answersInFlightAtKill,
        starts: runs.length,
        conversations: people.length,
        rounds: people.reduce((sum, p) => sum + p.rounds, 0),
        'updates sent': updates,
        'replies awaited (a burst awaits its last)': replies,
        'messages received': messages,
        're-sends (welcome back)': duplicates + recoveries,
        '  of which duplicates': duplicates,
        '  of which recoveries': recoveries,
        'updates replayed from the inbox': replayed,
        'updates redelivered by Telegram': side.redelivered,
        'warnings logged': Object.fromEntries(warnings),
      };
      console.log('crash test:', JSON.stringify(summary, null, 2));
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    } finally {
      for (const run of runs) await run.kill();
      await side.stop();
      tmp.cleanup();
      refTmp.cleanup();
    }
  });
});
