/**
 * `npm run backup -- FILE`: a consistent copy of the database, taken while the bot runs, with SQLite's online
 * backup (better-sqlite3's `db.backup`): the copy is of one moment even while turns are being committed (WAL mode:
 * the bot never waits for the backup). The copy is then checked
 * (`PRAGMA integrity_check`) and is owner-only, like the database: it is personal data too.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

export interface BackupResult {
  source: string;
  file: string;
  bytes: number;
  conversations: number;
  tickets: number;
  integrity: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

function count(db: Database.Database, table: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return exists ? (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
}

export async function backupDatabase(source: string, file: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source} (DEMAILBOT_DB): nothing to back up`);
  if (existsSync(file)) throw new BackupError(`${file} exists already: give a new file name (backups are never overwritten)`);
  // Written under a temporary name, renamed once checked: a half-written backup never carries the real name.
  const partial = join(dirname(file), `.${basename(file)}.partial`);
  rmSync(partial, { force: true });
  closeSync(openSync(partial, 'wx', 0o600));
  // Read-write, as the bot opens it (a read-only connection to a WAL database can fail when its -shm file is missing).
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // After the first step, everything left in one step: SQLite restarts a backup when another connection (the
    // bot) commits between two steps, so small steps under a busy bot might never finish. One step is one read
    // transaction: a snapshot of one moment, and in WAL mode the bot's commits go on meanwhile.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`the backup of ${source} failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  chmodSync(partial, 0o600);
  const copy = new Database(partial, { fileMustExist: true });
  let result: Omit<BackupResult, 'bytes' | 'file' | 'source'>;
  try {
    const integrity = copy.pragma('integrity_check', { simple: true }) as string;
    result = { integrity, conversations: count(copy, 'conversations'), tickets: count(copy, 'tickets') };
  } finally {
    copy.close();
  }
  if (result.integrity !== 'ok') {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed integrity_check (${result.integrity}): run the doctor on ${source}`);
  }
  renameSync(partial, file);
  return { source, file, bytes: statSync(file).size, ...result };
}
