/** data/old-providers.json: complete, sourced, and saying what the plan relies on. */
import { describe, expect, it } from 'vitest';
import { isKnown, type Fact } from '../../src/catalog/types.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { oldProvider, oldProviders } from './fixtures.js';

describe('data/old-providers.json', () => {
  it('has every old provider of the question, "other" aside', () => {
    expect(oldProviders.map((p) => p.id).sort()).toEqual(QUESTIONS.oldProvider.filter((id) => id !== 'other').sort());
  });

  // Checked on or after the first reading (2026-11-25), never in the future.
  const TODAY = new Date().toISOString().slice(0, 10);
  it('carries a web source and the check date on every known fact and every trap', () => {
    for (const old of oldProviders) {
      const facts = Object.entries(old.facts) as Array<[string, Fact<unknown>]>;
      for (const [name, fact] of facts) {
        if (!isKnown(fact)) continue;
        expect(fact.source, `${old.id}.${name}`).toMatch(/^https:\/\//);
        expect(fact.checked >= '2026-11-25' && fact.checked <= TODAY, `${old.id}.${name}: ${fact.checked}`).toBe(true);
      }
      for (const trap of old.traps) {
        expect(trap.source, `${old.id} ${trap.id}`).toMatch(/^https:\/\//);
        expect(trap.checked >= '2026-11-25' && trap.checked <= TODAY, `${old.id} ${trap.id}: ${trap.checked}`).toBe(true);
      }
    }
  });

  it('knows the server settings of every old provider', () => {
    expect(oldProviders.filter((old) => !isKnown(old.facts.imap)).map((old) => old.id)).toEqual([]);
    const orange = oldProvider('orange').facts.imap;
    expect(isKnown(orange) && `${orange.value.host}:${orange.value.port}`).toBe('imap.orange.fr:993');
  });

  it('records the sign-in rules and forwarding the plan depends on', () => {
    const value = <T>(fact: Fact<T>) => (isKnown(fact) ? fact.value : 'unknown');
    expect(value(oldProvider('gmail').facts.auth)).toBe('appPassword');
    expect(value(oldProvider('outlook').facts.auth)).toBe('oauthOnly');
    expect(value(oldProvider('yahoo').facts.auth)).toBe('appPassword');
    expect(value(oldProvider('icloud').facts.auth)).toBe('appPassword');
    expect(value(oldProvider('yahoo').facts.forwarding)).toBe('paid');
  });

  it('marks the ISP mailboxes, each with the six-month rule and the "do not cancel yet" trap', () => {
    expect(oldProviders.filter((old) => old.isp).map((old) => old.id).sort()).toEqual(['free', 'orange', 'sfr']);
    for (const old of oldProviders.filter((o) => o.isp)) {
      expect(old.traps.find((t) => t.id === 'ispSixMonthsAfterCancel')?.step).toBe('forwarding');
      expect(old.traps.find((t) => t.id === 'ispDontCancelYet')?.step).toBe('createAccount');
    }
  });
});
