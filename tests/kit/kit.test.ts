import { describe, expect, it } from 'vitest';
import { parseMarkup, type Span } from '../../src/render/markup.js';
import { splitSpans } from '../../src/adapters/kit/split.js';
import { buttonRows } from '../../src/adapters/kit/buttons.js';
import { Lifecycle } from '../../src/adapters/kit/lifecycle.js';

/** A platform that counts characters of a plain rendering with `[` `]` around bold: tags count too. */
const render = (spans: readonly Span[]) => spans.map((s) => (s.kind === 'bold' ? `[${s.text}]` : s.text)).join('');
const under = (limit: number) => (spans: readonly Span[]) => render(spans).length <= limit;

describe('splitSpans', () => {
  it('keeps a reply that fits whole', () => {
    expect(splitSpans(parseMarkup('Hello\n\n**world**'), under(100)).map(render)).toEqual(['Hello\n\n[world]']);
  });

  it('cuts between paragraphs, then lines, then words, then inside a word', () => {
    const text = ['**Title** of the first paragraph', 'line one\nline two', 'x'.repeat(60)].join('\n\n');
    expect(splitSpans(parseMarkup(text), under(60)).map(render)).toEqual(['[Title] of the first paragraph\n\nline one\nline two', 'x'.repeat(60)]);

    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const parts = splitSpans(parseMarkup(`intro\n\n**${words}**\n\nend`), under(50)).map(render);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts.join(' ').match(/word\d+/g)).toHaveLength(40);
    expect(parts.every((p) => !/^\s|\s$/.test(p))).toBe(true);
    expect(parts.at(-1)).toMatch(/end$/);
  });

  it('never cuts a code point in half, and cuts a very long word quickly', () => {
    const parts = splitSpans(parseMarkup('🙂'.repeat(80)), under(50)).map(render);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts.join('')).toBe('🙂'.repeat(80));
    const long = splitSpans(parseMarkup('x'.repeat(200_000)), (s) => JSON.stringify({ body: render(s) }).length <= 48_000);
    expect(long.map(render).join('')).toBe('x'.repeat(200_000));
    expect(long.length).toBe(5);
  });
});

describe('buttonRows', () => {
  it('puts two short labels side by side, a long one alone, in order', () => {
    const c = (label: string) => ({ id: label, label });
    expect(buttonRows([c('Oui'), c('Non'), c('Je ne sais pas encore, expliquez'), c('A'), c('B'), c('C')]).map((r) => r.map((x) => x.label))).toEqual([
      ['Oui', 'Non'],
      ['Je ne sais pas encore, expliquez'],
      ['A', 'B'],
      ['C'],
    ]);
  });
});

describe('Lifecycle', () => {
  it('lets what is in flight finish, takes nothing new once stopping, and stops once', async () => {
    const life = new Lifecycle();
    const order: string[] = [];
    void life.track(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('turn');
    });
    const stop = life.stop({ graceMs: 1_000, halt: () => void order.push('halt') });
    expect(life.stop({ graceMs: 0 })).toBe(stop);
    expect(await life.track(async () => order.push('late'))).toBeUndefined();
    await stop;
    await life.done;
    expect(order).toEqual(['halt', 'turn']);
  });

  it('gives up waiting after the grace period', async () => {
    const life = new Lifecycle();
    void life.track(() => new Promise(() => undefined));
    let cut = false;
    await life.stop({ graceMs: 10, afterGrace: () => void (cut = true) });
    expect(cut).toBe(true);
  });

  it('rejects done when the platform failed for good', async () => {
    const life = new Lifecycle();
    life.fail(new Error('polling refused'));
    await expect(life.done).rejects.toThrow('polling refused');
  });
});
