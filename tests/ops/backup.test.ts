/**
 * `npm run backup -- FILE` while the bot writes: a real SQLite file, an engine taking turns in this process and the
 * backup command in another (as an operator runs it beside the service). The copy passes integrity_check, opens as
 * a demailbot database, is owner-only, and holds every conversation committed before it started.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEngine } from '../support/engine.js';
import { runScript } from '../support/process.js';
import { openDatabase } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'demailbot-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup', () => {
  it('copies the database while turns are committed, and the copy is whole', async () => {
    const path = join(dir, 'live.db');
    const { engine, db } = makeEngine(path);
    const say = (chat: number, n: number) =>
      engine.receive({ conversation: { platform: 'telegram', chatId: String(chat) }, messageId: String(n), input: { kind: 'start' } });
    for (let i = 0; i < 300; i++) await say(i, i);
    const before = (db.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n;

    // The bot keeps writing while the backup runs in its own process.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let i = 300; writing; i++) {
        await say(i, i);
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const file = join(dir, 'copy.db');
    const env = { ...process.env, DEMAILBOT_DB: path };
    const result = await runScript('src/ops/backup-cli.ts', [file], { env });
    writing = false;
    await writer;
    await engine.idle();
    db.close();

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/copy\.db written \(.* MB: \d+ conversations, 0 tickets\), integrity_check ok/);
    expect(written).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const copied = (copy.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n;
    copy.close();
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(copied).toBeLessThanOrEqual(before + written);
    // Restoring is using the copy as the database: it opens, migrated, with its conversations.
    const restored = openDatabase(file);
    expect((restored.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n).toBe(copied);
    restored.close();
  });

  it('never overwrites a file, and says so; with no database, says there is nothing to back up', async () => {
    const path = join(dir, 'small.db');
    openDatabase(path).close();
    const file = join(dir, 'exists.db');
    openDatabase(file).close();
    const again = await runScript('src/ops/backup-cli.ts', [file], { env: { ...process.env, DEMAILBOT_DB: path } });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    const none = await runScript('src/ops/backup-cli.ts', [join(dir, 'x.db')], { env: { ...process.env, DEMAILBOT_DB: join(dir, 'nothing.db') } });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing to back up');
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
    const usage = await runScript('src/ops/backup-cli.ts', [], { env: { ...process.env, DEMAILBOT_DB: path } });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run backup -- FILE');
  });
});
