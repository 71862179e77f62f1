/**
 * What people type, and what it must be understood as: every row of ./phrasings.table.ts through the real
 * interpreter, at the prompt where it was typed.
 */
import { describe, expect, it } from 'vitest';
import { PHRASINGS, createPhrasingReader } from './phrasings.table.js';

const { read, describe: describeEvent } = createPhrasingReader();

describe('typed phrasings, in French and English', () => {
  it('has at least 80 phrasings, in both languages', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(80);
    expect(PHRASINGS.filter((p) => p.lang === 'en').length).toBeGreaterThanOrEqual(30);
    expect(new Set(PHRASINGS.map((p) => `${p.at}|${p.lang ?? 'fr'}|${p.typed}`)).size).toBe(PHRASINGS.length);
  });

  it.each(PHRASINGS.map((p) => [p.typed, p.at, p] as const))('"%s" at %s', (_typed, _at, phrasing) => {
    const event = read(phrasing);
    expect(event, describeEvent(event, phrasing.at)).toEqual(phrasing.means);
  });
});
