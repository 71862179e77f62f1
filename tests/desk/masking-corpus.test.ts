/**
 * The masking corpus (./masking-corpus.ts) through maskSecrets: how many secret-bearing messages still show a
 * secret (leak rate), how many harmless ones were changed (false-positive rate). Goals from issue 13: under 2 %
 * and under 3 %. The figures are printed for the closing note; the goals are what the test holds.
 */
import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/desk/secrets.js';
import { HARMLESS_ANSWERING, HARMLESS_EN, HARMLESS_FR, SECRET_EN, SECRET_FR, type SecretCase } from './masking-corpus.js';

const SECRET = [...SECRET_FR, ...SECRET_EN];
const HARMLESS: Array<[string, boolean]> = [
  ...[...HARMLESS_FR, ...HARMLESS_EN].map((m): [string, boolean] => [m, false]),
  ...HARMLESS_ANSWERING.map((m): [string, boolean] => [m, true]),
];
const masked = (m: string, answering: boolean) => maskSecrets(m, { answeringVolunteer: answering }).text;

function leaks([message, secrets, options]: SecretCase): string[] {
  const out = maskSecrets(message, { answeringVolunteer: options?.answering === true }).text;
  return secrets.filter((secret) => out.includes(secret));
}

describe('the masking corpus', () => {
  it('is big enough, in both languages', () => {
    expect(SECRET.length).toBeGreaterThanOrEqual(150);
    expect(HARMLESS.length).toBeGreaterThanOrEqual(100);
    expect(SECRET_EN.length).toBeGreaterThanOrEqual(30);
    expect(HARMLESS_EN.length).toBeGreaterThanOrEqual(20);
  });

  it('leaks under 2 % of the secret-bearing messages and changes under 3 % of the harmless ones', () => {
    const leaked = SECRET.filter((c) => leaks(c).length > 0);
    const changed = HARMLESS.filter(([m, answering]) => masked(m, answering) !== m);
    const leakRate = (100 * leaked.length) / SECRET.length;
    const fpRate = (100 * changed.length) / HARMLESS.length;
    console.log(
      `masking corpus: ${SECRET.length} secret-bearing, ${leaked.length} leaked (${leakRate.toFixed(1)} %); ` +
        `${HARMLESS.length} harmless, ${changed.length} changed (${fpRate.toFixed(1)} %)\n` +
        leaked.map(([m, , o]) => `  leak: ${m} → ${masked(m, o?.answering === true)}`).join('\n') +
        (leaked.length ? '\n' : '') +
        changed.map(([m, answering]) => `  false positive: ${m} → ${masked(m, answering)}`).join('\n'),
    );
    expect(leakRate).toBeLessThan(2);
    expect(fpRate).toBeLessThan(3);
  });

  it('is idempotent on the corpus', () => {
    for (const [message, , options] of SECRET) {
      const once = maskSecrets(message, { answeringVolunteer: options?.answering === true });
      expect(maskSecrets(once.text, { answeringVolunteer: options?.answering === true })).toEqual({ text: once.text, count: 0 });
    }
  });
});
