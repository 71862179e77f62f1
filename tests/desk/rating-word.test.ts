/** The rating's word: safe to show, secrets masked as everywhere, and e-mail addresses masked too (see why there). */
import { describe, expect, it } from 'vitest';
import { maskRatingWord } from '../../src/desk/rating-word.js';

describe('the word after "did this help?"', () => {
  it('keeps plain thanks as typed', () => {
    expect(maskRatingWord('  Merci, très patiente et claire !  ')).toEqual({ text: 'Merci, très patiente et claire !', secrets: 0, addresses: 0 });
  });

  it('masks e-mail addresses, with the punctuation around them kept', () => {
    expect(maskRatingWord('écrivez à jeanne.dupont@free.fr, ou (jd+asso@exemple.org).')).toEqual({
      text: 'écrivez à ••••••, ou (••••••).',
      secrets: 0,
      addresses: 2,
    });
  });

  it('masks passwords and codes as every kept text is', () => {
    const masked = maskRatingWord('mon mdp Soleil2024! marche enfin');
    expect(masked.text).not.toContain('Soleil2024');
    expect(masked.secrets).toBe(1);
    expect(masked.addresses).toBe(0);
  });

  it('drops what steers the display, and leaves handles and domains alone', () => {
    expect(maskRatingWord('voir \u202egnp.exe chez mailo.com, merci @marie').text).toBe('voir gnp.exe chez mailo.com, merci @marie');
  });
});
