/**
 * The invariants of issue 14's refactor, against tests/fixtures/platform-shape-e74187e.json (recorded on main at
 * e74187e, before anything moved, by tests/adapters/invariants/record.ts):
 *  (a) every persisted guide and ticket row, written into a fresh database, renders what it rendered then — the
 *      prompt the engine re-sends at start, and /mesdonnees where the conversation has tickets;
 *  (b) the Telegram and Matrix adapters, run again through the same conversation with a desk, leave the same
 *      `adapter_state` rows: namespaces, keys and value shapes.
 * Real parts throughout: SQLite files, the Bot API emulator, the tests' homeserver (see the two modules).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRestored, type GuideShape } from './invariants/guide-shape.js';
import { recordAdapterState, type StateRow } from './invariants/state-shape.js';

const FIXTURE = 'platform-shape-e74187e.json';
const fixture = JSON.parse(readFileSync(new URL(`../fixtures/${FIXTURE}`, import.meta.url), 'utf8')) as {
  conversations: GuideShape[];
  adapterState: StateRow[];
};

describe(`(a) persisted guide and ticket rows render as at ${FIXTURE}`, () => {
  it('covers a spread of states, tickets queued, claimed and closed among them', () => {
    const names = fixture.conversations.map((c) => c.name);
    for (const name of ['welcome', 'clarify', 'recommendations', 'planStep1', 'hostChanged', 'checklistItem', 'checkin', 'handoffConsent', 'confirmForget']) {
      expect(names).toContain(name);
    }
    const statuses = new Set(fixture.conversations.flatMap((c) => c.tickets.map((t) => t.status)));
    expect([...statuses].sort()).toEqual(['asked', 'claimed', 'closed', 'queued']);
  });

  it.each(fixture.conversations.map((c) => [c.name, c] as const))('%s', async (_name, saved) => {
    const now = await renderRestored(saved.conversation, saved.tickets);
    expect(now.prompt).toEqual(saved.restored.prompt);
    expect(now.myData).toEqual(saved.restored.myData);
    // The prompt re-sent is the one the person was left with (a volunteer's words, buttonless, excepted).
    if (saved.reply.choices.length > 0) expect(now.prompt.choices).toEqual(saved.reply.choices);
  });
});

describe(`(b) adapter_state rows as at ${FIXTURE}`, () => {
  it('the same namespaces, keys and value shapes after the Telegram and Matrix conversations with a desk', async () => {
    expect(await recordAdapterState()).toEqual(fixture.adapterState);
  }, 60_000);
});
