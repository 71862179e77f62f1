import { describe, expect, it } from 'vitest';
import { escapeMarkup, parseMarkup, plainText } from '../../src/render/markup.js';

describe('markup', () => {
  it('parses bold and code', () => {
    expect(parseMarkup('a **b** `c` d')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'c' },
      { kind: 'text', text: ' d' },
    ]);
  });

  it('keeps escaped values literal, so interpolated text cannot inject formatting', () => {
    const value = '**not bold** `x` \\';
    expect(parseMarkup(`name: ${escapeMarkup(value)}`)).toEqual([{ kind: 'text', text: `name: ${value}` }]);
  });

  it('never throws on unbalanced markers', () => {
    expect(plainText('a **b')).toBe('a **b');
    expect(plainText('`open')).toBe('`open');
  });
});
