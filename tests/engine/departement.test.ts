/**
 * The département, read the way people give one (issue 17): numbers, Corsica's 2A/2B, overseas numbers, names with
 * or without accents and hyphens, a typo, a postcode (offered back, never kept as it is), and everything that is
 * not one — through the real interpreter and locales, and data/departements.json as it ships.
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter, type InterpretContext } from '../../src/engine/interpret.js';
import { departementOfPostcode } from '../../src/engine/understand/departement.js';
import { DEPARTEMENT_CODE, DepartementsError, loadDepartements, parseDepartements } from '../../src/catalog/departements.js';
import { createTexts } from '../../src/render/i18n.js';
import type { GuideEvent, Prompt } from '../../src/flows/guide.types.js';

const texts = createTexts();
const interpreter = createInterpreter(texts);

const asking: Prompt = { kind: 'departement', known: null, forVolunteer: false, choices: ['back'] };
const askingKnown: Prompt = { kind: 'departement', known: '35', forVolunteer: false, choices: ['forgetDepartement', 'back'] };
const confirming: Prompt = { kind: 'departementConfirm', departement: '35', choices: ['yes', 'no'] };

function ctx(prompt: Prompt, lang: 'fr' | 'en'): InterpretContext {
  return { prompt, promptSeq: 3, lang, label: (l, choice) => texts.t(l)(`guide:choices.${choice}`) };
}
const read = (words: string, prompt: Prompt = asking, lang: 'fr' | 'en' = 'fr'): GuideEvent =>
  interpreter.interpret({ kind: 'text', text: words }, ctx(prompt, lang));
const noted = (code: string): GuideEvent => ({ type: 'CHOOSE', choice: `departement:${code}` });
const guessed = (code: string): GuideEvent => ({ type: 'CHOOSE', choice: `postcode:${code}` });

describe('data/departements.json', () => {
  it('lists the 101 départements, each number once and of the shape desks and events use', () => {
    const all = loadDepartements();
    expect(all).toHaveLength(101);
    expect(new Set(all.map((d) => d.code)).size).toBe(101);
    for (const d of all) expect(d.code).toMatch(DEPARTEMENT_CODE);
    expect(all.find((d) => d.code === '35')?.name).toBe('Ille-et-Vilaine');
    expect(all.find((d) => d.code === '2B')?.name).toBe('Haute-Corse');
    expect(all.map((d) => d.code)).not.toContain('20');
  });

  it('a wrong entry is named with its file and field', () => {
    const json = { source: 'https://www.insee.fr/fr/information/7766585', checked: '2026-12-02', departements: [{ code: '20', name: 'Corse' }] };
    expect(() => parseDepartements(json)).toThrow(DepartementsError);
    expect(() => parseDepartements(json)).toThrow(/data\/departements\.json: département #1 \(no id\), field code: expected a département number as text/);
  });
});

describe('reading a département', () => {
  it('numbers as people write them, in either language', () => {
    expect(read('35')).toEqual(noted('35'));
    expect(read('1')).toEqual(noted('01')); // the Ain, not "the first button"
    expect(read('01')).toEqual(noted('01'));
    expect(read('2a')).toEqual(noted('2A'));
    expect(read('2A')).toEqual(noted('2A'));
    expect(read('2-B')).toEqual(noted('2B'));
    expect(read('971')).toEqual(noted('971'));
    expect(read('35 Rennes')).toEqual(noted('35'));
    expect(read('Rennes, 35')).toEqual(noted('35'));
    expect(read('n°92 svp')).toEqual(noted('92'));
    expect(read('35', asking, 'en')).toEqual(noted('35'));
  });

  it('names, with or without accents and hyphens, and a typo', () => {
    expect(read('Ille-et-Vilaine')).toEqual(noted('35'));
    expect(read('ille et vilaine')).toEqual(noted('35'));
    expect(read('ile et vilaine')).toEqual(noted('35'));
    expect(read('Paris')).toEqual(noted('75'));
    expect(read('finistere')).toEqual(noted('29'));
    expect(read('Haute-Savoie')).toEqual(noted('74'));
    expect(read('Savoie')).toEqual(noted('73'));
    expect(read('la réunion')).toEqual(noted('974'));
    expect(read('Réunion')).toEqual(noted('974'));
    expect(read('Corse du Sud')).toEqual(noted('2A'));
    expect(read("j'habite dans le Nord")).toEqual(noted('59'));
    expect(read('je suis en Seine-Saint-Denis')).toEqual(noted('93'));
    expect(read('I live in Finistère', asking, 'en')).toEqual(noted('29'));
  });

  it('a postcode is offered back as its département, to confirm (Corsica and overseas included)', () => {
    expect(read('35000')).toEqual(guessed('35'));
    expect(read('35000 Rennes')).toEqual(guessed('35'));
    expect(read('75011')).toEqual(guessed('75'));
    expect(departementOfPostcode('20090')).toBe('2A');
    expect(departementOfPostcode('20200')).toBe('2B');
    expect(departementOfPostcode('97400')).toBe('974');
    expect(departementOfPostcode('98000')).toBeUndefined(); // Monaco
    expect(departementOfPostcode('00100')).toBeUndefined();
  });

  it('what is not one department is not guessed: asked again (UNCLEAR reaches the kind answer)', () => {
    for (const words of ['je sais pas', 'bof', '20', '035', '96', '35 et 29', '123456', "c'est trop cher", 'Rennes', 'Corse', '98000']) {
      expect(read(words), words).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
    }
    expect(read("don't know", asking, 'en')).toEqual({ type: 'UNCLEAR', reason: 'noMatch' });
  });

  it('"non", "back" or a command leave without it; forgetting it is a choice when one is known', () => {
    expect(read('non')).toEqual({ type: 'BACK' });
    expect(read('non merci')).toEqual({ type: 'BACK' });
    expect(read('je préfère pas')).toEqual({ type: 'BACK' });
    expect(read('no thanks', asking, 'en')).toEqual({ type: 'BACK' });
    expect(read('retour')).toEqual({ type: 'BACK' });
    expect(read('/retour')).toEqual({ type: 'BACK' });
    expect(read('aide')).toEqual({ type: 'HELP' });
    expect(read('oublier mon département', askingKnown)).toEqual({ type: 'CHOOSE', choice: 'forgetDepartement' });
    expect(read('29', askingKnown)).toEqual(noted('29'));
  });

  it('"did you mean 35?": yes, no, or another number', () => {
    expect(read('oui', confirming)).toEqual({ type: 'CHOOSE', choice: 'yes' });
    expect(read('yes', confirming, 'en')).toEqual({ type: 'CHOOSE', choice: 'yes' });
    expect(read('non', confirming)).toEqual({ type: 'CHOOSE', choice: 'no' });
    expect(read('29', confirming)).toEqual(noted('29'));
    expect(read('Morbihan', confirming)).toEqual(noted('56'));
  });
});
