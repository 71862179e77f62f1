/**
 * `npm run doctor` for real: a SQLite file, the Bot API emulator behind the gate (tests/ops/bot-api-gate.ts,
 * which answers what the emulator lacks: getWebhookInfo, getChat, getChatMember, and refuses other tokens), the
 * tests' Matrix homeserver. Each check's line, the fix when it fails, the exit code, and never a token.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, runDoctor } from '../../src/ops/doctor.js';
import type { CheckResult } from '../../src/ops/check-result.js';
import { openDatabase } from '../../src/store/database.js';
import { Harness, TOKEN } from '../telegram/harness.js';
import { TestHomeserver } from '../support/homeserver.js';
import { runScript } from '../support/process.js';
import { BotApiGate } from './bot-api-gate.js';

const DESK = '-1001234567890';
let dir: string;
let h: Harness;
let gate: BotApiGate;
let hs: TestHomeserver;

/** The answers of a desk group that is right: a forum, the bot an admin with the three rights. */
let desk: { chat: Record<string, unknown>; member: Record<string, unknown>; webhook: Record<string, unknown> };
const goodDesk = () => ({
  chat: { id: Number(DESK), type: 'supergroup', title: 'Bénévoles', is_forum: true },
  member: { status: 'administrator', user: { id: 666, is_bot: true, first_name: 'Test' }, can_manage_topics: true, can_pin_messages: true, can_delete_messages: true },
  webhook: { url: '', has_custom_certificate: false, pending_update_count: 0 },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demailbot-doctor-'));
  h = await Harness.start();
  gate = await BotApiGate.start(h.apiRoot, TOKEN);
  gate.answer = (method) => {
    if (method === 'getWebhookInfo') return { ok: true, result: desk.webhook };
    if (method === 'getChat') return { ok: true, result: desk.chat };
    if (method === 'getChatMember') return { ok: true, result: desk.member };
    return undefined;
  };
  hs = await TestHomeserver.start();
});
afterAll(async () => {
  await gate.stop();
  await h.stop();
  await hs.stop();
  rmSync(dir, { recursive: true, force: true });
});

function dbAt(name: string): string {
  const path = join(dir, name);
  openDatabase(path).close();
  return path;
}

const line = (results: CheckResult[], name: string) => {
  const found = results.find((r) => r.name === name);
  if (!found) throw new Error(`no check "${name}" in ${results.map((r) => r.name).join(', ')}`);
  return formatResult(found);
};
const failed = (results: CheckResult[]) => results.filter((r) => r.status === 'fail').map((r) => r.name);

describe('doctor without a platform', () => {
  it('passes on a fresh database, and says the first start creates a missing one', async () => {
    const results = await runDoctor({ DEMAILBOT_DB: dbAt('fresh.db') });
    expect(failed(results)).toEqual([]);
    expect(line(results, 'configuration')).toContain('terminal chat');
    expect(line(results, 'database schema')).toMatch(/^✓ .*migrated/);
    expect(line(results, 'catalogue')).toMatch(/^✓ catalogue: \d+ providers/);
    const missing = await runDoctor({ DEMAILBOT_DB: join(dir, 'not-yet', 'x.db') });
    expect(failed(missing)).toEqual([]);
    expect(line(missing, 'database')).toContain('the first start creates it');
  });

  it('fails a database others can read, with the chmod that fixes it; and a configuration error, with its variable', async () => {
    const path = dbAt('loose.db');
    chmodSync(path, 0o644);
    const results = await runDoctor({ DEMAILBOT_DB: path, RETENTION_DAYS: 'soon' });
    expect(failed(results)).toEqual(['configuration', 'database permissions']);
    expect(line(results, 'database permissions')).toBe(`✗ database permissions: ${path} can be read by other users (it holds personal data) — fix: chmod 600 ${path}`);
    expect(line(results, 'configuration')).toContain('RETENTION_DAYS');
  });

  it('as a command: one line per check, exit 0 when all pass and 1 when one fails', async () => {
    const env = { ...process.env, DEMAILBOT_DB: dbAt('cli.db'), TELEGRAM_BOT_TOKEN: '', MATRIX_ACCESS_TOKEN: '', MATRIX_HOMESERVER_URL: '' };
    const good = await runScript('src/ops/doctor-cli.ts', [], { env });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^✓ configuration: /m);
    expect(good.stdout).toContain('All good');
    const loose = dbAt('cli-loose.db');
    chmodSync(loose, 0o640);
    const bad = await runScript('src/ops/doctor-cli.ts', [], { env: { ...env, DEMAILBOT_DB: loose } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('fix: chmod 600');
  });
});

describe('doctor on Telegram (the emulator)', () => {
  const env = () => ({ DEMAILBOT_DB: dbAt('tg.db'), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: gate.url, TELEGRAM_DESK_CHAT_ID: DESK });

  it('checks the token with getMe, polling against the webhook state, and the desk group and rights', async () => {
    desk = goodDesk();
    const results = await runDoctor(env());
    expect(failed(results)).toEqual([]);
    expect(line(results, 'telegram token')).toBe('✓ telegram token: the bot is @TestNameBot (id 666)');
    expect(line(results, 'telegram updates')).toContain('long polling, no webhook set');
    expect(line(results, 'telegram desk group')).toContain('is a forum');
    expect(line(results, 'telegram desk rights')).toContain('manage topics, pin and delete');
    expect(results.map(formatResult).join('\n')).not.toContain(TOKEN.split(':')[1]);
  });

  it('fails a group without topics, and an admin without the right to pin — each with what to do', async () => {
    desk = goodDesk();
    desk.chat = { id: Number(DESK), type: 'supergroup', title: 'Bénévoles' };
    desk.member = { ...desk.member, can_pin_messages: false };
    const results = await runDoctor(env());
    expect(failed(results)).toEqual(['telegram desk group', 'telegram desk rights']);
    expect(line(results, 'telegram desk group')).toContain('turn Topics on');
    expect(line(results, 'telegram desk rights')).toBe(
      '✗ telegram desk rights: the bot is an admin without: Pin messages — fix: make the bot an administrator of the group with Pin messages (group settings → Administrators)',
    );
    desk.member = { status: 'member', user: { id: 666, is_bot: true, first_name: 'Test' } };
    expect(line(await runDoctor(env()), 'telegram desk rights')).toContain('a member, not an admin');
  });

  it('warns when polling is configured but a webhook is set, and reports what Telegram said of the webhook', async () => {
    desk = goodDesk();
    desk.webhook = { url: 'https://old.example.org/hook', pending_update_count: 3 };
    expect(line(await runDoctor(env()), 'telegram updates')).toMatch(/^! telegram updates: long polling is configured but a webhook is set at https:\/\/old\.example\.org\/hook, 3 updates waiting — the next start removes it/);
    desk.webhook = { url: 'https://bot.example.org/tg', pending_update_count: 0, last_error_message: 'Wrong response from the webhook: 502 Bad Gateway' };
    const webhook = await runDoctor({ ...env(), TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' });
    expect(line(webhook, 'telegram updates')).toContain('502 Bad Gateway');
    expect(line(webhook, 'telegram updates')).toContain('forwards /tg to port 8080');
  });

  it('fails a token Telegram refuses, without printing it', async () => {
    const wrong = '987654321:not-the-right-token';
    const results = await runDoctor({ ...env(), TELEGRAM_BOT_TOKEN: wrong });
    expect(failed(results)).toEqual(['telegram token']);
    expect(line(results, 'telegram token')).toContain('@BotFather');
    expect(JSON.stringify(results)).not.toContain('not-the-right-token');
  });
});

describe('doctor on Matrix (the test homeserver)', () => {
  it('checks whoami, the desk room joined, and the power to redact', async () => {
    const bot = hs.register('doctorbot');
    const admin = hs.user('doctoradmin');
    const room = await admin.createRoom([bot.userId], 'Bénévoles');
    const env = { DEMAILBOT_DB: dbAt('mx.db'), MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: bot.token, MATRIX_DESK_ROOM_ID: room };

    let results = await runDoctor(env);
    expect(line(results, 'matrix token')).toBe(`✓ matrix token: the bot is ${bot.userId}`);
    expect(line(results, 'matrix media')).toBe('✓ matrix media: uploads up to 50 MB');
    expect(line(results, 'matrix desk room')).toContain('is invited');
    expect(failed(results)).toEqual([]);

    await fetch(`${hs.url}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/join`, { method: 'POST', headers: { authorization: `Bearer ${bot.token}` }, body: '{}' });
    results = await runDoctor(env);
    expect(line(results, 'matrix desk room')).toMatch(/^✓ .* is in /);
    expect(line(results, 'matrix desk power')).toBe(`✗ matrix desk power: power level 0, redacting needs 50 (the person's words cannot be erased from the desk on /forget) — fix: give ${bot.userId} the Moderator role (power 50) in the room's settings`);

    await admin.setState(room, 'm.room.power_levels', { users: { [admin.id]: 100, [bot.userId]: 50 }, users_default: 0, events_default: 0, state_default: 50 });
    results = await runDoctor(env);
    expect(failed(results)).toEqual([]);
    expect(line(results, 'matrix desk power')).toContain('power level 50');
    expect(results.map(formatResult).join('\n')).not.toContain(bot.token);
  });

  it('fails a room the bot is not in, and a token the homeserver refuses', async () => {
    const bot = hs.register('doctorbot2');
    const admin = hs.user('doctoradmin2');
    const room = await admin.createRoom([], 'Ailleurs');
    const env = { DEMAILBOT_DB: dbAt('mx2.db'), MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: bot.token, MATRIX_DESK_ROOM_ID: room };
    expect(line(await runDoctor(env), 'matrix desk room')).toContain(`fix: invite ${bot.userId} to the room`);
    const refused = await runDoctor({ ...env, MATRIX_ACCESS_TOKEN: 'syt_wrong_token' });
    expect(failed(refused)).toEqual(['matrix token']);
    expect(JSON.stringify(refused)).not.toContain('syt_wrong_token');
  });

  describe('the media repository: can files from the other platforms be uploaded here', () => {
    const mediaEnv = (localpart: string) => {
      const bot = hs.register(localpart);
      return { bot, env: { DEMAILBOT_DB: dbAt(`${localpart}.db`), MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: bot.token } };
    };
    const configRequests = (userId: string) => hs.requests.filter((r) => r.userId === userId && r.path.endsWith('/config')).map((r) => r.path);
    const restore = () => {
      hs.maxUploadBytes = 50 * 1024 * 1024;
      hs.mediaUpload = true;
      hs.authenticatedMedia = true;
    };

    it('warns when the upload limit is under the 10 MB a file may be, saying what it means and what to set', async () => {
      const { env } = mediaEnv('doctormedia1');
      try {
        hs.maxUploadBytes = 5 * 1024 * 1024;
        const results = await runDoctor(env);
        expect(line(results, 'matrix media')).toBe(
          "! matrix media: uploads up to 5 MB: files over 5 MB from Telegram or the web chat cannot reach the Matrix desk or people (they may be up to 10 MB) — raise max_upload_size to at least 10M (Synapse's homeserver.yaml), then restart the homeserver",
        );
        // A warning, not a failure: text still goes both ways.
        expect(failed(results)).toEqual([]);
        hs.maxUploadBytes = 10 * 1024 * 1024; // exactly enough
        expect(line(await runDoctor(env), 'matrix media')).toBe('✓ matrix media: uploads up to 10 MB');
        hs.maxUploadBytes = 10 * 1024 * 1024 - 1; // one byte short is short
        expect(line(await runDoctor(env), 'matrix media')).toMatch(/^! matrix media: uploads up to 10 MB: files over 10 MB/);
      } finally {
        restore();
      }
    });

    it('asks the authenticated endpoint (Matrix 1.11) first, and the older one of a homeserver without it', async () => {
      const { bot, env } = mediaEnv('doctormedia2');
      try {
        expect(line(await runDoctor(env), 'matrix media')).toBe('✓ matrix media: uploads up to 50 MB');
        expect(configRequests(bot.userId)).toEqual(['/_matrix/client/v1/media/config']);
        hs.authenticatedMedia = false;
        hs.maxUploadBytes = 100 * 1024 * 1024;
        expect(line(await runDoctor(env), 'matrix media')).toBe('✓ matrix media: uploads up to 100 MB');
        expect(configRequests(bot.userId).slice(1)).toEqual(['/_matrix/client/v1/media/config', '/_matrix/media/v3/config']);
      } finally {
        restore();
      }
    });

    it('warns when the homeserver has no media repository (neither endpoint), and says an unsaid limit is unknown', async () => {
      const { bot, env } = mediaEnv('doctormedia3');
      try {
        hs.mediaUpload = false;
        const results = await runDoctor(env);
        expect(line(results, 'matrix media')).toBe(
          '! matrix media: the homeserver has no media repository (404 M_UNRECOGNIZED on /_matrix/client/v1/media/config and /_matrix/media/v3/config): files from Telegram or the web chat cannot reach the Matrix desk or people — turn the homeserver\'s media repository on (Synapse: enable_media_repo: true), with max_upload_size at least 10M',
        );
        expect(failed(results)).toEqual([]);
        expect(configRequests(bot.userId)).toEqual(['/_matrix/client/v1/media/config', '/_matrix/media/v3/config']);
        hs.mediaUpload = true;
        hs.maxUploadBytes = Infinity; // the spec lets a homeserver leave m.upload.size out
        expect(line(await runDoctor(env), 'matrix media')).toBe('✓ matrix media: the homeserver takes uploads and does not say its size limit');
        expect(results.map(formatResult).join('\n')).not.toContain(bot.token);
      } finally {
        restore();
      }
    });
  });
});
