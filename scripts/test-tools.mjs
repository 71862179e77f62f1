#!/usr/bin/env node
/**
 * `npm test` runs this first (`pretest`): the browser tests (tests/web/) drive Debian's Chromium through
 * playwright-core — Playwright's own browser download cannot work here — so /usr/bin/chromium must exist.
 * Installs it with apt-get when missing (as root, or with `sudo -n` when that needs no password); otherwise
 * says plainly what to run. Plain JavaScript: it runs before anything is compiled.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

if (existsSync(CHROMIUM)) process.exit(0);
process.stderr.write(`demailbot: the browser tests need Chromium at ${CHROMIUM}; installing it with apt-get…\n`);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!root && !sudo) {
  process.stderr.write('demailbot: cannot install it (not root, and sudo asks for a password). Run:\n  sudo apt-get update && sudo apt-get install -y chromium\nthen `npm test` again.\n');
  process.exit(1);
}
const prefix = root ? [] : ['-n'];
const apt = (args) => (root ? run('apt-get', args) : run('sudo', [...prefix, 'apt-get', ...args]));
if (!apt(['install', '-y', '--no-install-recommends', 'chromium']) && !(apt(['update']) && apt(['install', '-y', '--no-install-recommends', 'chromium']))) {
  process.stderr.write('demailbot: apt-get could not install chromium (see above). Install it by hand: apt-get install -y chromium\n');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`demailbot: apt-get finished but ${CHROMIUM} is still missing: is this Debian or Ubuntu? Install Chromium and link it there.\n`);
  process.exit(1);
}
process.stderr.write('demailbot: Chromium installed.\n');
