/**
 * `npm run backup -- FILE`: backs the database (DEMAILBOT_DB, or var/demailbot.db) up to FILE while the bot runs.
 * Exit 0 with one line saying what the copy holds, or 1 with what went wrong. See the README, "Backups".
 */
import { resolve } from 'node:path';
import { backupDatabase } from './backup.js';
import { databasePath } from '../store/database.js';

const file = process.argv[2];
if (!file || file.startsWith('-')) {
  process.stderr.write('usage: npm run backup -- FILE   (for instance: npm run backup -- /var/backups/demailbot/$(date +%F).db)\n');
  process.exit(2);
}
try {
  const result = await backupDatabase(databasePath(), resolve(file));
  process.stdout.write(
    `demailbot: ${result.file} written (${(result.bytes / 2 ** 20).toFixed(1)} MB: ${result.conversations} conversations, ` +
      `${result.tickets} tickets), integrity_check ok, readable by its owner only\n`,
  );
} catch (error) {
  process.stderr.write(`demailbot: ${(error as Error).name === 'BackupError' ? (error as Error).message : (error as Error).stack}\n`);
  process.exitCode = 1;
}
