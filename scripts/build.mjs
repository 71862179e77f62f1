#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm install`, as `prepare`, and by `npm start` when dist/ is missing or older than
 * src/): compiles src/ to dist/ with tsc (tsconfig.build.json), then stamps dist/ with what it was built from.
 *
 *   node scripts/build.mjs            build if stale, else say it is up to date
 *   node scripts/build.mjs --force    build anyway
 *   node scripts/build.mjs --check    exit 1 (and say why) if dist/ is stale, build nothing
 *   node scripts/build.mjs --if-possible   as `prepare` runs it: without TypeScript installed, say so and exit 0
 *
 * Plain JavaScript, so it runs before anything is compiled. Without TypeScript (an install with --omit=dev)
 * and an up-to-date dist/, there is nothing to do; with a stale one, the message says how to build it.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { isMainModule, staleReason, ROOT, STAMP } from './build-state.mjs';
import { writeFileSync } from 'node:fs';

export function build({ force = false, quiet = false, ifPossible = false } = {}) {
  const reason = force ? 'asked to' : staleReason();
  if (!reason) {
    if (!quiet) process.stderr.write('demailbot: dist/ is up to date\n');
    return 0;
  }
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write(
      `demailbot: dist/ must be rebuilt (${reason}) but TypeScript is not installed.\n` +
        'Run `npm install` (with the dev dependencies), then `npm run build`.\n',
    );
    return ifPossible ? 0 : 1;
  }
  if (!quiet) process.stderr.write(`demailbot: compiling src/ to dist/ (${reason})…\n`);
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('demailbot: the build failed (see the errors above); `npm run typecheck` shows them too.\n');
    return result.status ?? 1;
  }
  writeFileSync(STAMP, JSON.stringify({ builtAt: new Date().toISOString() }) + '\n');
  return 0;
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const reason = staleReason();
    if (reason) process.stderr.write(`demailbot: dist/ is stale: ${reason}; run \`npm run build\`\n`);
    process.exit(reason ? 1 : 0);
  }
  process.exit(build({ force: args.includes('--force'), ifPossible: args.includes('--if-possible') }));
}
