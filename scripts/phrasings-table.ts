/**
 * Prints, as a markdown table, what the interpreter understands for each typed phrasing of
 * tests/engine/phrasings.table.ts (the real interpreter, read now — not the expectations), for the closing note.
 * Run: npx tsx scripts/phrasings-table.ts > phrasings.md
 * A row whose reading differs from what the table expects is marked ✗ (the test fails on it too).
 */
import { isDeepStrictEqual } from 'node:util';
import { PHRASINGS, createPhrasingReader } from '../tests/engine/phrasings.table.js';

const { read, describe: describeEvent } = createPhrasingReader();
const cell = (text: string) => text.replace(/\|/g, '\\|');
const lines = ['| # | typed | lang | at | understood as | |', '|---|---|---|---|---|---|'];
let differing = 0;
PHRASINGS.forEach((row, i) => {
  const event = read(row);
  const expected = isDeepStrictEqual(event, row.means);
  if (!expected) differing++;
  lines.push(`| ${i + 1} | ${cell(row.typed)} | ${row.lang ?? 'fr'} | ${row.at} | ${cell(describeEvent(event, row.at))} | ${expected ? '✓' : '✗'} |`);
});
lines.push('', `${PHRASINGS.length} phrasings (${PHRASINGS.filter((r) => r.lang === 'en').length} in English); ${differing} read otherwise than the table expects.`);
console.log(lines.join('\n'));
process.exitCode = differing > 0 ? 1 : 0;
