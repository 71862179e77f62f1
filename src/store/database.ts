/**
 * Opening the SQLite database: WAL, migrations applied at start-up, owner-only file permissions.
 *
 * Durability: WAL with synchronous=NORMAL. A committed turn survives a crash of the process (SIGKILL included);
 * only a power cut can lose the last few commits. That is the trade-off that lets a turn cost tens of
 * microseconds instead of an fsync.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** Default database: a git-ignored file under the project, so `npm start` works on a fresh clone. */
export const DEFAULT_DB_PATH = fileURLToPath(new URL('../../var/demailbot.db', import.meta.url));

export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DEMAILBOT_DB || DEFAULT_DB_PATH);
}

export function openDatabase(path: string = databasePath()): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // a new folder: owner-only, like the file
    // Create the file ourselves so it is owner-only from its first byte (conversations are personal data).
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // What is deleted is overwritten with zeros, in the pages and in the WAL frames that carry them: an erased
  // person's words must not survive in free pages for a backup or a copied disk to keep.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

/**
 * Copies the WAL into the main file and truncates it to zero bytes. After an erasure (/forget, the retention
 * purge), the WAL still holds the frames written before the delete — the erased rows as they were; only a
 * truncating checkpoint removes them from the disk. Cheap when the WAL is small, which it is after a checkpoint.
 * Returns false when a reader kept SQLite from finishing (the next erasure or SQLite's own checkpoint retries).
 */
export function checkpointTruncate(db: Db): boolean {
  if (db.memory) return true;
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  return result?.busy === 0;
}

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database is at schema version ${current}, newer than this demailbot (${MIGRATIONS.length}). ` +
        'Update demailbot rather than running an older version on it.',
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
