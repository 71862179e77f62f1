/**
 * The Telegram module's own face for `npm run doctor` and the composition root: `check` against the emulator behind
 * the gate (which refuses other tokens and answers getWebhookInfo, getChat and getChatMember, which the emulator
 * lacks), `describe`, `secrets`, `isUserId` and `operatorError`. The doctor's whole run is tests/ops/doctor.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrammyError } from 'grammy';
import { telegramPlatform } from '../../src/adapters/telegram/index.js';
import { checkTelegram } from '../../src/adapters/telegram/doctor.js';
import { BotApiGate } from '../ops/bot-api-gate.js';
import { Harness, TOKEN } from './harness.js';

const DESK = '-1001234567890';
let h: Harness;
let gate: BotApiGate;
let member: Record<string, unknown>;

beforeAll(async () => {
  h = await Harness.start();
  gate = await BotApiGate.start(h.apiRoot, TOKEN);
  gate.answer = (method) => {
    if (method === 'getWebhookInfo') return { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: 2 } };
    if (method === 'getChat') return { ok: true, result: { id: Number(DESK), type: 'supergroup', title: 'Bénévoles', is_forum: true } };
    if (method === 'getChatMember') return { ok: true, result: member };
    return undefined;
  };
});
afterAll(async () => {
  await gate.stop();
  await h.stop();
});

const check = (env: NodeJS.ProcessEnv) => telegramPlatform.check!(telegramPlatform.fromEnv(env)!, { timeoutMs: 5_000 });

describe('the Telegram module', () => {
  it('checks the token, how updates arrive and the desk group for real, saying what to do', async () => {
    member = { status: 'administrator', user: { id: 666, is_bot: true, first_name: 'T' }, can_manage_topics: true, can_pin_messages: true, can_delete_messages: false };
    const results = await check({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: gate.url, TELEGRAM_DESK_CHAT_ID: DESK });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['telegram token', 'ok'],
      ['telegram updates', 'ok'],
      ['telegram desk group', 'ok'],
      ['telegram desk rights', 'fail'],
    ]);
    expect(results[1]!.detail).toBe('long polling, no webhook set, 2 updates waiting');
    expect(results[3]!.fix).toContain('Delete messages');
    const refused = await check({ TELEGRAM_BOT_TOKEN: '987654321:not-the-right-token', TELEGRAM_API_ROOT: gate.url });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ name: 'telegram token', status: 'fail' });
    expect(JSON.stringify(refused)).not.toContain('not-the-right-token');
  });

  it('checks each desk group of the desks file when given them, each line named after its desk\'s port', async () => {
    member = { status: 'administrator', user: { id: 666, is_bot: true, first_name: 'T' }, can_manage_topics: true, can_pin_messages: true, can_delete_messages: true };
    const answer = gate.answer!;
    // ARN's group has topics on; Libretic's is a supergroup without them.
    gate.answer = (method, payload) =>
      method === 'getChat' && payload.chat_id === '-1002222' ? { ok: true, result: { id: -1002222, type: 'supergroup', title: 'Libretic' } } : answer(method, payload);
    try {
      const config = telegramPlatform.fromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: gate.url })!;
      const deskPlaces = [
        { place: '-1001111', port: 'telegram/arn', deskId: 'arn' },
        { place: '-1002222', port: 'telegram/libretic', deskId: 'libretic' },
      ];
      const results = await checkTelegram(config, { timeoutMs: 5_000, deskPlaces });
      expect(results.map((r) => [r.name, r.status])).toEqual([
        ['telegram token', 'ok'],
        ['telegram updates', 'ok'],
        ['telegram desk group (telegram/arn)', 'ok'],
        ['telegram desk rights (telegram/arn)', 'ok'],
        ['telegram desk group (telegram/libretic)', 'fail'],
        ['telegram desk rights (telegram/libretic)', 'ok'],
      ]);
      expect(results[4]!.detail).toBe('chat -1002222 is a supergroup without topics');
      expect(results[4]!.fix).toContain('Topics on');
    } finally {
      gate.answer = answer;
    }
  });

  it('describes itself, names its secrets, knows its user ids and its operator errors', () => {
    const config = telegramPlatform.fromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg', TELEGRAM_WEBHOOK_SECRET: 'a-secret', TELEGRAM_DESK_CHAT_ID: DESK })!;
    expect(telegramPlatform.describe(config)).toEqual({ mode: 'Telegram (webhook)', desk: 'Telegram group' });
    expect(telegramPlatform.describe({ token: TOKEN })).toEqual({ mode: 'Telegram (long polling)' });
    expect(telegramPlatform.secrets!(config)).toEqual([TOKEN, 'a-secret']);
    expect(['123456789', '-100123'].map(telegramPlatform.isUserId)).toEqual([true, true]);
    expect(['@marie:asso.org', 'marie', ''].map(telegramPlatform.isUserId)).toEqual([false, false, false]);
    expect(telegramPlatform.userIdExample).toBe('<user id>'); // as DESK_VOLUNTEERS' error shows the form
    const refused = new GrammyError("Call to 'getMe' failed!", { ok: false, error_code: 401, description: 'Unauthorized' }, 'getMe', {});
    expect(telegramPlatform.operatorError(refused)).toBe("Call to 'getMe' failed! (401: Unauthorized)");
    expect(telegramPlatform.operatorError(new Error('a bug'))).toBeUndefined();
  });
});
