#!/usr/bin/env node
/**
 * `npm start`, `npm run doctor`, `npm run backup`: runs a compiled command (dist/<name>.js), compiling src/ first
 * when dist/ is missing or older than it — so a fresh `npm install && npm start`, or a `git pull` then
 * `npm start`, runs what the sources say. The command is imported in this same process (no second Node start-up).
 *
 *   node scripts/run.mjs main | ops/doctor-cli | ops/backup-cli  [arguments for the command…]
 */
import { build } from './build.mjs';
import { staleReason } from './build-state.mjs';

const [name, ...rest] = process.argv.slice(2);
if (!name || !/^[\w/-]+$/.test(name)) {
  process.stderr.write('usage: node scripts/run.mjs <command under dist/, like main or ops/doctor-cli> [arguments]\n');
  process.exit(2);
}
if (staleReason()) {
  const status = build();
  if (status !== 0) process.exit(status);
}
// The command reads its own arguments from process.argv.slice(2), as if it had been started directly.
process.argv.splice(1, process.argv.length, new URL(`../dist/${name}.js`, import.meta.url).pathname, ...rest);
await import(`../dist/${name}.js`);
