/**
 * The guide's context must stay in V8's fast mode through XState's assigns (patches/README.md): checked in a child
 * Node with --allow-natives-syntax, which is what can ask V8 (%HasFastProperties) — the test's own process cannot.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const probe = `
const { setup, assign, createActor } = require('xstate');
const fast = new Function('o', 'return %HasFastProperties(o)');
const context = {};
for (let i = 0; i < 30; i++) context['field' + i] = i; // more than the guide's 25
const machine = setup({}).createMachine({ context, on: { GO: { actions: assign({ field0: ({ context }) => context.field0 + 1 }) } } });
const actor = createActor(machine).start();
actor.send({ type: 'GO' });
actor.send({ type: 'GO' });
process.stdout.write(JSON.stringify({ fast: fast(actor.getSnapshot().context), field0: actor.getSnapshot().context.field0 }));
`;

describe('a context as big as the guide\'s', () => {
  it("stays in V8's fast mode after XState's assigns (patches/xstate+5.33.3.patch)", () => {
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', probe], { cwd: process.cwd(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ fast: true, field0: 2 });
  });
});
