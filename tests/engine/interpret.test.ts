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

  it('reads a bare number as a choice number only where no count, size or sum is plausible', () => {
    expect(text('2', question('domain'))).toEqual({ type: 'CHOOSE', choice: 'want' });
    expect(text('2', question('location'))).toEqual({ type: 'CHOOSE', choice: 'eu' });
    expect(text('3', question('oldProvider'))).toEqual({ type: 'CHOOSE', choice: 'yahoo' });
  });

  it('asks which reading is meant only when the number is also a choice number that means something else', () => {
    const budget = { eurPerMonth: 3, perMailbox: false, exclusive: false };
    // 3 € is "about 5 €", which is also choice 3: one reading.
    expect(text('3', question('budget'))).toEqual({ type: 'CHOOSE', choice: 'about5', amounts: { budget } });
    expect(text('1', question('mailboxes'))).toEqual({ type: 'CHOOSE', choice: 'one', amounts: { mailboxes: 1 } });
    // Choice 6 is "back", never a reading of an answer: six mailboxes.
    expect(text('6', question('mailboxes'))).toEqual({ type: 'CHOOSE', choice: 'upTo20', amounts: { mailboxes: 6 } });
    expect(text('5', question('mailboxes'))).toEqual({
      type: 'AMBIGUOUS',
      readings: [{ choice: 'upTo5', amounts: { mailboxes: 5 } }, { choice: 'dontKnow' }],
    });
    expect(text('0', question('mailboxes'))).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text('4 ?', question('mailboxes'))).toEqual(text('4', question('mailboxes')));
    // Said as a choice's number, or with a word that makes it a count: one reading.
    expect(text('#4', question('mailboxes'))).toEqual({ type: 'CHOOSE', choice: 'moreThan20' });
    expect(text('choix 4', question('mailboxes'))).toEqual({ type: 'CHOOSE', choice: 'moreThan20' });
    expect(text('environ 4', question('mailboxes'))).toEqual({ type: 'CHOOSE', choice: 'upTo5', amounts: { mailboxes: 4 } });
    expect(text('0', question('budget'))).toEqual({
      type: 'CHOOSE',
      choice: 'free',
      amounts: { budget: { eurPerMonth: 0, perMailbox: false, exclusive: false } },
    });
  });

  it('never takes a word of a choice inside a longer answer that changes it', () => {
    expect(text('une quinzaine', question('mailboxes'))).not.toEqual({ type: 'CHOOSE', choice: 'one' });
    expect(text('pas beaucoup', question('storage'))).toEqual({ type: 'UNCLEAR', reason: 'vague' });
    expect(text('beaucoup trop', question('mailboxes'))).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text("non je n'utilise pas gmail", question('oldProvider'))).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text('pas en France', question('location'))).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    expect(text('oui merci', question('humanHelp'))).toEqual({ type: 'CHOOSE', choice: 'yes' });
    expect(text('je suis chez orange', question('oldProvider'))).toEqual({ type: 'CHOOSE', choice: 'orange' });
  });

  it('understands yes and no at every prompt that asks yes or no, in both languages', () => {
    const prompts: Prompt[] = [
      { kind: 'confirmRestart', choices: ['yes', 'no'] },
      { kind: 'confirmForget', choices: ['yes', 'no'] },
      { kind: 'remindersOffer', choices: ['yes', 'timeZone', 'no'] },
      { kind: 'handoffConsent', choices: ['yes', 'yesWithName', 'no'] },
      { kind: 'ispCancelling', choices: ['yes', 'no', 'back'] },
      { kind: 'confirmHostChange', choices: ['yes', 'no'] },
      { kind: 'checkin', day: 7, last: false, choices: ['yes', 'no', 'dontKnow', 'checklist', 'stopReminders'] },
      question('groupware'),
      question('humanHelp'),
      question('membership'),
    ];
    for (const prompt of prompts) {
      for (const yes of ['oui', 'Ouais', 'ok', "d'accord", 'yes', 'yep', 'Oui !']) expect(text(yes, prompt), `${yes} at ${prompt.kind}`).toEqual({ type: 'CHOOSE', choice: 'yes' });
      for (const no of ['non', 'non merci', 'Non, merci.', 'no', 'no thanks', 'nope']) expect(text(no, prompt), `${no} at ${prompt.kind}`).toEqual({ type: 'CHOOSE', choice: 'no' });
    }
  });

  it('takes hosts of other pages by name only, after the choices shown', () => {
    const prompt: Prompt = { kind: 'recommendations', providers: ['posteo'], page: 1, choices: ['provider:posteo', 'change', 'restart'] };
    const extra: InterpretContext = { ...ctx(prompt), extraChoices: ['provider:posteo', 'provider:mailo'], label: (_l, c) => c.replace('provider:', '') };
    const typed = (t: string) => interpreter.interpret({ kind: 'text', text: t }, extra);
    expect(typed('mailo')).toEqual({ type: 'CHOOSE', choice: 'provider:mailo' });
    expect(typed('je prends posteo')).toEqual({ type: 'CHOOSE', choice: 'provider:posteo' });
    expect(typed('4')).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    // A button is only ever one of the choices shown.
    expect(interpreter.interpret({ kind: 'choice', choice: 'provider:mailo', promptSeq: 7 }, extra)).toEqual({ type: 'STALE' });
  });

  it('reads an address by its domain, from the catalogue when no domains are given', () => {
    const old = question('oldProvider');
    expect(text('jean@sfr.fr', old)).toEqual({ type: 'CHOOSE', choice: 'sfr' });
    expect(text('Jean.Dupont@Club-Internet.fr', old)).toEqual({ type: 'CHOOSE', choice: 'sfr' });
    // A domain we do not know is not guessed at: the person picks from the buttons.
    expect(text('jean@mon-asso.fr', old)).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    const given = createInterpreter(texts, { oldProviders: [{ id: 'free', domains: ['example.net'] }] });
    expect(given.interpret({ kind: 'text', text: 'a@example.net' }, ctx(old))).toEqual({ type: 'CHOOSE', choice: 'free' });
  });

  it('at a clarify prompt, takes a reading, back, or a fresh answer to the question', () => {
    const prompt: Prompt = {
      kind: 'clarify',
      question: 'storage',
      readings: [{ choice: 'under5', amounts: { storageGb: 3 } }, { choice: 'under20' }],
      choices: ['reading:0', 'reading:1', 'back'],
    };
    const clarify: InterpretContext = { ...ctx(prompt), label: (_l, c) => (c === 'reading:0' ? 'environ 3 Go' : c === 'reading:1' ? 'De 5 à 20 Go' : 'Retour') };
    const typed = (t: string) => interpreter.interpret({ kind: 'text', text: t }, clarify);
    expect(typed('environ 3 Go')).toEqual({ type: 'CHOOSE', choice: 'reading:0' });
    expect(typed('la deuxième')).toEqual({ type: 'CHOOSE', choice: 'reading:1' });
    expect(typed('3')).toEqual({ type: 'BACK' });
    expect(typed('retour')).toEqual({ type: 'BACK' });
    expect(typed('25 go')).toEqual({ type: 'CHOOSE', choice: 'over20', amounts: { storageGb: 25 } });
    expect(typed('pas beaucoup')).toEqual({ type: 'UNCLEAR', reason: 'vague' });
    expect(typed('bla bla')).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
  });

  it('where the words are the answer (a date, names), reads only the choices, never a rank', () => {
    const date: Prompt = { kind: 'ispCancelDate', choices: ['dateNotKnownYet', 'back'] };
    expect(text('je ne sais pas', date)).toEqual({ type: 'CHOOSE', choice: 'dateNotKnownYet' });
    expect(text('pas encore', date)).toEqual({ type: 'CHOOSE', choice: 'dateNotKnownYet' });
    expect(text('le 2', date)).toEqual({ type: 'TEXT', text: 'le 2' });
    expect(text('le 1er mars', date)).toEqual({ type: 'TEXT', text: 'le 1er mars' });
    expect(text('dans 2 mois', date)).toEqual({ type: 'TEXT', text: 'dans 2 mois' });
    const labels: Prompt = { kind: 'mailboxLabels', count: 3, choices: ['numbered', 'back'] };
    expect(text('les numéroter', labels)).toEqual({ type: 'CHOOSE', choice: 'numbered' });
    expect(text('Papa, Maman, Léa', labels)).toEqual({ type: 'TEXT', text: 'Papa, Maman, Léa' });
    const cancelling: Prompt = { kind: 'ispCancelling', choices: ['yes', 'no', 'back'] };
    expect(text('oui je résilie', cancelling)).toEqual({ type: 'CHOOSE', choice: 'yes' });
    expect(text('non, je garde mon abonnement', cancelling)).toEqual({ type: 'CHOOSE', choice: 'no' });
  });
});
