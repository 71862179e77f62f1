/**
 * Fuzzing the guide through the real engine (fast-check): thousands of random sequences of what people and the
 * platforms send — typed words, numbers, emoji, huge text, commands, button presses (current and stale),
 * stickers and edits, deep links, check-ins, and restarts of the bot on the same database.
 * Properties: no exception ever escapes; every message gets exactly one reply; every reply has words and at
 * least one choice (no state without a way out); no placeholder or markup leaks into what people read.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';
import type { InboundInput } from '../../src/engine/types.js';
import { plainText } from '../../src/render/markup.js';

const WORDS = [
  'commencer', 'start', '1', '2', '3', '4', '5', '9', '12', '0', 'gmail', 'GMAIL', 'hotmial', 'je sais pas', "I don't know",
  'oui', 'non', 'yes', 'no', 'fait', 'done', 'plus tard', 'passer', 'aide', 'retour', 'back', 'autres', 'pourquoi pas',
  'changer', 'ajouter un compte', 'moi@exemple.fr', 'Europe/Paris', 'mon club', '', '   ', '🙂', '🎉🎉', '?', '/',
  '/aide', '/help', '/retour', '/ou', '/where', '/langue', '/language en', '/recommencer', '/oublier', '/liste',
  '/rappels', '/mesdonnees', '/mydata', '/start', '/start gmail-asso', '/inconnue', '<b>gras</b>', '**bold**', '`code`', '{{name}}', '\\',
];

const input: fc.Arbitrary<InboundInput | { kind: 'restart' } | { kind: 'checkins'; days: number }> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.integer({ min: 501, max: 60_000 }).map((n) => ({ kind: 'text' as const, text: 'x'.repeat(n) })) },
  {
    weight: 5,
    arbitrary: fc
      .record({ pick: fc.nat(20), stale: fc.boolean() })
      .map(({ pick, stale }) => ({ kind: 'choice' as const, choice: `#${pick}`, promptSeq: stale ? -1 : 0 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('sticker', 'photo', 'voice', 'video', 'document', 'location', 'contact', 'poll', 'edit', 'reaction', 'other')
      .map((what) => ({ kind: 'unsupported' as const, what })),
  },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'gmail', 'asso', 'en', 'nonsense').map((payload) => ({ kind: 'start' as const, ...(payload ? { payload } : {}) })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((days) => ({ kind: 'checkins' as const, days })) },
);

describe('the guide under random input', () => {
  let tmp: ReturnType<typeof tempDbPath>;
  beforeAll(() => {
    tmp = tempDbPath();
  });
  afterAll(() => tmp.cleanup());

  it('never throws, always answers, never strands anyone', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 40 }), async (sequence) => {
        let now = Date.parse('2026-06-01T10:00:00Z');
        let env = makeEngine(tmp.path, { now: () => now });
        const chatId = `fuzz-${++run}`;
        const errors: unknown[] = [];
        let messageId = 0;
        try {
          for (const item of sequence) {
            if (item.kind === 'restart') {
              env.close();
              env = makeEngine(tmp.path, { now: () => now });
              await env.engine.flushOutbox();
              continue;
            }
            if (item.kind === 'checkins') {
              now += item.days * 86_400_000;
              await env.engine.fireDue();
              continue;
            }
            let inbound = item;
            if (item.kind === 'choice') {
              // Press a button that exists on the last message (or a made-up one), on it or on an older message.
              const last = env.sender.sent.filter((s) => s.chatId === chatId).at(-1)?.message;
              const choices = last?.choices ?? [];
              const picked = choices[Number(item.choice.slice(1)) % Math.max(choices.length, 1)]?.id ?? 'nothing';
              inbound = { kind: 'choice', choice: picked, promptSeq: item.promptSeq === -1 ? (last?.promptSeq ?? 1) - 1 : (last?.promptSeq ?? 0) };
            }
            const before = env.sender.sent.length;
            const reply = await env.engine.receive({
              conversation: { platform: 'test', chatId },
              messageId: String(++messageId),
              input: inbound,
            });
            expect(reply).not.toBeNull();
            expect(env.sender.sent.length).toBe(before + 1);
            const text = plainText(reply!.text);
            expect(text.trim().length).toBeGreaterThan(0);
            expect(text).not.toMatch(/\{\{|undefined|\[object Object\]|NaN/);
            expect(reply!.choices.length, `no way out after ${JSON.stringify(inbound).slice(0, 80)}`).toBeGreaterThan(0);
          }
        } catch (error) {
          errors.push(error);
        } finally {
          env.close();
        }
        if (errors.length) throw errors[0];
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  }, 120_000);
});
