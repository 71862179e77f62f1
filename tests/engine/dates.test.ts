import { describe, expect, it } from 'vitest';
import { createDateReader } from '../../src/engine/understand/dates.js';
import { createLexicon } from '../../src/engine/understand/lexicon.js';
import { createInterpreter } from '../../src/engine/interpret.js';
import { createTexts } from '../../src/render/i18n.js';

const texts = createTexts();
const parseTypedDate = createDateReader(createLexicon(texts));

const NOW = Date.UTC(2026, 11, 1, 15, 0); // 1 December 2026

describe('a date as people type it', () => {
  it.each([
    ['15/03/2027', '2027-03-15'],
    ['15-03-27', '2027-03-15'],
    ['le 15/03', '2027-03-15'],
    ['2027-03-15', '2027-03-15'],
    ['15 mars', '2027-03-15'],
    ['le 15 mars 2027', '2027-03-15'],
    ['1er avril', '2027-04-01'],
    ['fin janvier', '2027-01-31'],
    ['fin février 2028', '2028-02-29'],
    ['début mars', '2027-03-01'],
    ['March 15', '2027-03-15'],
    ['15th March 2027', '2027-03-15'],
    ['end of January', '2027-01-31'],
    ['aujourd\'hui', '2026-12-01'],
    ['demain', '2026-12-02'],
    ['hier', '2026-11-30'],
    ['dans 2 semaines', '2026-12-15'],
    ['dans un mois', '2027-01-01'],
    ['in three months', '2027-03-01'],
    ['next month', '2027-01-01'],
    ['le 2 novembre', '2026-11-02'], // already cancelled: the nearest one is last month
    ['Le 20 Décembre', '2026-12-20'],
  ])('%s → %s', (typed, expected) => {
    expect(parseTypedDate(typed, NOW)).toBe(expected);
  });

  it.each(['mars', 'bientôt', 'je ne sais pas', '31/02/2027', '15 mars ou avril', '45/12', 'dans 50 ans', ''])(
    'asks again rather than guess: %s',
    (typed) => {
      expect(parseTypedDate(typed, NOW)).toBeUndefined();
    },
  );
});

describe('the date question', () => {
  const interpreter = createInterpreter(texts);
  const ctx = {
    prompt: { kind: 'ispCancelDate' as const, choices: ['dateNotKnownYet', 'back'] },
    promptSeq: 1,
    lang: 'fr' as const,
    label: (_lang: string, choice: string) => (choice === 'dateNotKnownYet' ? 'Je ne sais pas encore' : 'Retour'),
    now: NOW,
  };
  it('gives the date typed as a choice the guide can keep, and asks again for what is not one', () => {
    expect(interpreter.interpret({ kind: 'text', text: 'fin mars' }, ctx)).toEqual({ type: 'CHOOSE', choice: 'date:2027-03-31' });
    expect(interpreter.interpret({ kind: 'text', text: 'bientôt' }, ctx)).toEqual({ type: 'UNCLEAR', reason: 'notADate' });
    expect(interpreter.interpret({ kind: 'text', text: 'je ne sais pas encore' }, ctx)).toEqual({ type: 'CHOOSE', choice: 'dateNotKnownYet' });
  });
});
