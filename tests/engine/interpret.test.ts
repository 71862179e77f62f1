import { describe, expect, it } from 'vitest';
import { createInterpreter, normalize, type InterpretContext } from '../../src/engine/interpret.js';
import { createTexts } from '../../src/render/i18n.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import type { Prompt } from '../../src/flows/guide.types.js';

const texts = createTexts();
const interpreter = createInterpreter(texts);

function ctx(prompt: Prompt, lang: 'fr' | 'en' = 'fr'): InterpretContext {
  return {
    prompt,
    promptSeq: 7,
    lang,
    label: (l, choice) =>
      prompt.kind === 'question' && choice !== 'back'
        ? texts.t(l)(`guide:questions.${prompt.question}.choices.${choice}`)
        : texts.t(l)(`guide:choices.${choice}`),
  };
}
const question = (q: keyof typeof QUESTIONS): Prompt => ({ kind: 'question', question: q, number: 1, total: 9, choices: [...QUESTIONS[q], 'back'] });
const text = (t: string, prompt: Prompt, lang?: 'fr' | 'en') => interpreter.interpret({ kind: 'text', text: t }, ctx(prompt, lang));

describe('reading what people type', () => {
  it('normalises case, accents, punctuation and emoji', () => {
    expect(normalize('  Je  NE sais PAS !! 🙂')).toBe('je ne sais pas');
    expect(normalize('Où ?')).toBe('ou');
  });

  it('reads numbers, labels, synonyms and small typos, in either language', () => {
    const old = question('oldProvider');
    expect(text('1', old)).toEqual({ type: 'CHOOSE', choice: 'gmail' });
    expect(text('GMail', old)).toEqual({ type: 'CHOOSE', choice: 'gmail' });
    expect(text('gmial', old)).toEqual({ type: 'CHOOSE', choice: 'gmail' });
    expect(text('hotmail', old)).toEqual({ type: 'CHOOSE', choice: 'outlook' });
    expect(text('wanadoo.fr', old)).toEqual({ type: 'CHOOSE', choice: 'orange' });
    expect(text("j'utilise la poste", old)).toEqual({ type: 'CHOOSE', choice: 'laposte' });
    const budget = question('budget');
    expect(text('je sais pas', budget)).toEqual({ type: 'CHOOSE', choice: 'dontKnow' });
    expect(text('Je ne sais pas.', budget)).toEqual({ type: 'CHOOSE', choice: 'dontKnow' });
    expect(text("I don't know", budget)).toEqual({ type: 'CHOOSE', choice: 'dontKnow' });
    expect(text('gratuit', budget)).toEqual({ type: 'CHOOSE', choice: 'free' });
    expect(text('free only', budget, 'en')).toEqual({ type: 'CHOOSE', choice: 'free' });
  });

  it('treats the back choice and command words as commands', () => {
    const q = question('forWhom');
    expect(text('6', q)).toEqual({ type: 'BACK' });
    expect(text('retour', q)).toEqual({ type: 'BACK' });
    expect(text('/retour', q)).toEqual({ type: 'BACK' });
    expect(text('aide', q)).toEqual({ type: 'HELP' });
    expect(text('?', q)).toEqual({ type: 'HELP' });
    expect(text('/help@demailbot', q)).toEqual({ type: 'HELP' });
    expect(text('/where', q)).toEqual({ type: 'WHERE' });
    expect(text('/recommencer', q)).toEqual({ type: 'RESTART' });
    expect(text('/oublier', q)).toEqual({ type: 'FORGET' });
    expect(text('/langue en', q)).toEqual({ type: 'SET_LANG', lang: 'en' });
    expect(text('/language', q, 'en')).toEqual({ type: 'SET_LANG', lang: 'fr' });
    expect(text('/xyz', q)).toEqual({ type: 'UNKNOWN_COMMAND' });
    // Without the slash too, several words included (Element on Matrix swallows unknown slash commands).
    expect(text('mes données', q)).toEqual({ type: 'MYDATA' });
    expect(text("Où j'en suis ?", q)).toEqual({ type: 'WHERE' });
    expect(text('langue en', q)).toEqual({ type: 'SET_LANG', lang: 'en' });
    expect(text('tout recommencer', q)).toEqual({ type: 'RESTART' });
  });

  it('prefers a choice over a command word when a step offers "help"', () => {
    const step: Prompt = { kind: 'planStep', step: 'importMail', number: 2, total: 9, choices: ['done', 'help', 'later', 'skip'] };
    expect(text('aide', step)).toEqual({ type: 'CHOOSE', choice: 'help' });
    expect(text("c'est fait", step)).toEqual({ type: 'CHOOSE', choice: 'done' });
    expect(text('plus tard', step)).toEqual({ type: 'CHOOSE', choice: 'later' });
  });

  it('never guesses between two choices, and says so for empty, huge or unknown text', () => {
    const q = question('humanHelp');
    expect(text('', q)).toEqual({ type: 'UNCLEAR', reason: 'empty' });
    expect(text('   ', q)).toEqual({ type: 'UNCLEAR', reason: 'empty' });
    expect(text('x'.repeat(50_000), q)).toEqual({ type: 'UNCLEAR', reason: 'tooLong' });
    expect(text('🙂🙂🙂', q)).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text('bla bla', q)).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text('99', q)).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
  });

  it('recognises stale buttons', () => {
    const q = question('forWhom');
    expect(interpreter.interpret({ kind: 'choice', choice: 'me', promptSeq: 7 }, ctx(q))).toEqual({ type: 'CHOOSE', choice: 'me' });
    expect(interpreter.interpret({ kind: 'choice', choice: 'me', promptSeq: 6 }, ctx(q))).toEqual({ type: 'STALE' });
    expect(interpreter.interpret({ kind: 'choice', choice: 'gmail', promptSeq: 7 }, ctx(q))).toEqual({ type: 'STALE' });
  });

  it('reads deep-link payloads and the platform language', () => {
    expect(interpreter.startEvent('gmail')).toEqual({ type: 'START', preset: { oldProvider: 'gmail' } });
    expect(interpreter.startEvent('gmail-asso', 'en-US')).toEqual({
      type: 'START',
      preset: { oldProvider: 'gmail', forWhom: 'association' },
      lang: 'en',
    });
    expect(interpreter.startEvent('nonsense', 'de-DE')).toEqual({ type: 'START' });
  });
});
