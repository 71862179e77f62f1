/**
 * Records the platform-shape fixture (issue 14) from the code as it is now:
 *
 *   npx tsx tests/adapters/invariants/record.ts <short commit>
 *
 * writes tests/fixtures/platform-shape-<short commit>.json. Run it once, on the commit the fixture names, before
 * a refactor; tests/adapters/invariants.test.ts then checks every later commit against it. Recording again after
 * a change would hide the change: don't, unless the change is meant (and say so in the commit).
 */
import { writeFileSync } from 'node:fs';
import { recordGuideShapes } from './guide-shape.js';
import { recordAdapterState } from './state-shape.js';

const commit = process.argv[2];
if (!commit || !/^[0-9a-f]{7,12}$/.test(commit)) {
  console.error('Usage: npx tsx tests/adapters/invariants/record.ts <short commit>, e.g. $(git rev-parse --short HEAD)');
  process.exit(2);
}
const fixture = {
  recordedAt: commit,
  about:
    'Persisted guide and ticket rows at a spread of states, with what a fresh engine renders from them (the re-sent prompt, /mesdonnees ' +
    'when there are tickets), and the adapter_state rows the Telegram and Matrix adapters leave after a conversation with a desk ' +
    '(run-dependent parts normalised). Recorded by tests/adapters/invariants/record.ts; checked by tests/adapters/invariants.test.ts.',
  conversations: await recordGuideShapes(),
  adapterState: await recordAdapterState(),
};
const file = new URL(`../../fixtures/platform-shape-${commit}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(fixture, null, 2) + '\n');
console.log(`wrote ${file.pathname}: ${fixture.conversations.length} conversations, ${fixture.adapterState.length} adapter_state rows`);
