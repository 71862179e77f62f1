/**
 * Whether dist/ is what src/ compiles to now: the stamp tsc's build leaves (dist/.build-stamp) must be newer than
 * every file under src/ and than the tsconfig files and package.json. Checking costs a few milliseconds (one stat
 * per source file), so `npm start` does it every time.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestUnder(dir) {
  let newest = { path: dir, mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestUnder(path) : { path, mtime: statSync(path).mtimeMs };
    if (candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

/** Why dist/ must be rebuilt ("dist/ is missing", "src/engine/engine.ts changed"), or undefined when it is current. */
export function staleReason() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return 'dist/ is missing';
  }
  const newest = [newestUnder(join(ROOT, 'src')), ...INPUTS.map((f) => ({ path: join(ROOT, f), mtime: statSync(join(ROOT, f)).mtimeMs }))]
    .reduce((a, b) => (b.mtime > a.mtime ? b : a));
  return newest.mtime > built ? `${newest.path.slice(ROOT.length)} changed since the last build` : undefined;
}

export function isMainModule(url) {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}
