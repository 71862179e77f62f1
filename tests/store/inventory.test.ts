/**
 * The README's data inventory names every column of every table, so that people (and the associations answering
 * for them) know everything that is stored. A column added without a line in the inventory fails this test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { tempDbPath } from '../support/engine.js';
import { ROOT } from '../support/process.js';

function inventoryColumns(): Set<string> {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Data inventory'), readme.indexOf('\n## ', readme.indexOf('## Data inventory') + 5));
  const firstCells = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]!);
  return new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([a-z_]+\.[a-z_]+)`/g)].map((m) => m[1]!)));
}

describe('the data inventory', () => {
  it('names every column of every table', () => {
    const tmp = tempDbPath();
    const db = openDatabase(tmp.path);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map(
      (t) => t.name,
    );
    const columns = tables.flatMap((table) =>
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => `${table}.${c.name}`),
    );
    db.close();
    tmp.cleanup();
    const listed = inventoryColumns();
    expect(columns.length).toBeGreaterThan(10);
    expect(columns.filter((column) => !listed.has(column))).toEqual([]);
    // And the inventory does not describe columns that no longer exist.
    expect([...listed].filter((column) => !columns.includes(column))).toEqual([]);
  });
});
