import { describe, expect, it } from 'vitest';
import type { OldProvider, PlanStepId, Provider } from '../../src/catalog/types.js';
import { MOVE_ORDER } from '../../src/flows/plan.js';
import { plainText } from '../../src/render/markup.js';
import { describePlanStep, describeTrap, type PlanStepContext } from '../../src/render/plan-text.js';
import {
  association,
  fixtureProviders,
  LANGUAGES,
  oldChoices,
  oldProvider,
  oldProviders,
  posteo,
  proton,
  translators,
  tuta,
  unknownProvider,
} from './fixtures.js';

const { fr, en } = translators;

function ctx(oldId: string, provider: Provider, extra: Partial<PlanStepContext> = {}): PlanStepContext {
  return { oldProviderId: oldId, old: oldProviders.find((p) => p.id === oldId), provider, ...extra };
}
const bodyOf = (step: PlanStepId, c: PlanStepContext, t = fr) => plainText(describePlanStep(step, c, t).body);
const helpOf = (step: PlanStepId, c: PlanStepContext, t = fr) => plainText(describePlanStep(step, c, t).help);

describe('importing mail', () => {
  it('gmail → Posteo: the Umzugsservice, with its address', () => {
    const body = bodyOf('importMail', ctx('gmail', posteo));
    expect(body).toContain('Umzugsservice');
    expect(body).toContain('https://posteo.de/umzugsservice');
    expect(body).not.toContain('Thunderbird, gratuit');
  });

  it('outlook → Posteo: Thunderbird with the Microsoft sign-in, not the Umzugsservice (it takes only Outlook contacts)', () => {
    const body = bodyOf('importMail', ctx('outlook', posteo));
    expect(body).not.toContain('Umzugsservice');
    expect(body).toContain('Thunderbird');
    expect(body).toContain('fenêtre de connexion');
  });

  it('outlook → Proton: Easy Switch', () => {
    const body = bodyOf('importMail', ctx('outlook', proton), en);
    expect(body).toContain('Easy Switch');
    expect(body).toContain('https://proton.me/easyswitch');
  });

  it('orange → a provider without a tool: Thunderbird, with imap.orange.fr:993 and the new box settings', () => {
    const body = bodyOf('importMail', ctx('orange', association));
    expect(body).toContain('Thunderbird');
    expect(body).toContain('imap.orange.fr:993');
    expect(body).toContain('votre adresse complète');
    expect(body).toContain('mail.asso.example.org:993');
  });

  it('free and iCloud: the user name is the part before the @', () => {
    expect(bodyOf('importMail', ctx('free', association))).toContain('imap.free.fr:993, SSL/TLS, nom d\'utilisateur : la partie avant le @');
    expect(bodyOf('importMail', ctx('icloud', association), en)).toContain('the part before the @');
  });

  it('outlook through Thunderbird: announces the sign-in window and the end of passwords', () => {
    const body = bodyOf('importMail', ctx('outlook', association));
    expect(body).toContain('outlook.office365.com:993');
    expect(body).toContain('fenêtre de connexion');
    expect(body).toContain('16 septembre 2024');
  });

  it('Tuta: says what works instead, and keeps the old box', () => {
    const body = bodyOf('importMail', ctx('gmail', tuta));
    expect(body).toContain('ne sait pas (encore)');
    expect(body).toContain('Dossiers locaux');
    expect(body).toContain('imap.gmail.com:993');
  });

  it('the tool path offers Thunderbird as a way out when the new box speaks IMAP', () => {
    expect(helpOf('importMail', ctx('gmail', posteo))).toContain('Copier vers');
    expect(helpOf('importMail', ctx('gmail', proton))).not.toContain('Copier vers');
  });

  it('Gmail through Thunderbird warns about the "All Mail" folder, in the help', () => {
    expect(helpOf('importMail', ctx('gmail', association))).toContain('Tous les messages');
    expect(helpOf('importMail', ctx('orange', association))).not.toContain('Tous les messages');
  });
});

describe('traps', () => {
  it('every trap in data is told at its own step, and only there, in every language', () => {
    for (const old of oldProviders) {
      for (const lang of LANGUAGES) {
        const t = translators[lang];
        for (const trap of old.traps) {
          const sentence = plainText(describeTrap(trap.id, t, { old: old.name }));
          for (const step of MOVE_ORDER) {
            const body = bodyOf(step, ctx(old.id, posteo), t);
            if (step === trap.step) expect(body, `${old.id}/${trap.id}/${lang}`).toContain(sentence);
            else expect(body, `${old.id}/${trap.id}/${lang} at ${step}`).not.toContain(sentence);
          }
        }
      }
    }
  });

  it('Yahoo: forwarding is paid, and the free ways are offered instead', () => {
    const body = bodyOf('forwarding', ctx('yahoo', posteo));
    expect(body).toContain('payant');
    expect(body).toContain('relever le courrier');
    expect(body).toContain('une fois par semaine');
    expect(bodyOf('forwarding', ctx('yahoo', posteo), en)).toContain('paid');
  });

  it('Orange, SFR, Free: the six-month rule at forwarding, and "do not cancel yet" at the start', () => {
    for (const id of ['orange', 'sfr', 'free']) {
      const forwarding = bodyOf('forwarding', ctx(id, posteo));
      expect(forwarding).toContain('six mois');
      expect(forwarding).toContain('courrier reçu');
      expect(forwarding).toContain('L.44-1');
      expect(forwarding).toContain(oldProvider(id).name);
      expect(bodyOf('forwarding', ctx(id, posteo), en)).toContain('six months');
      expect(bodyOf('createAccount', ctx(id, posteo))).toContain('Ne résiliez pas');
    }
    expect(bodyOf('forwarding', ctx('gmail', posteo))).not.toContain('L.44-1');
    expect(bodyOf('forwarding', ctx('laposte', posteo))).not.toContain('L.44-1');
  });
});

describe('the other steps', () => {
  it('forwarding: the provider\'s own menu where it is free, where to look where unknown', () => {
    expect(bodyOf('forwarding', ctx('gmail', posteo))).toContain('Transfert et POP/IMAP');
    expect(bodyOf('forwarding', ctx('orange', posteo))).toContain('« Transfert » ou « Redirection »');
    expect(bodyOf('forwarding', ctx('other', posteo))).toContain('« Transfert » ou « Redirection »');
  });

  it('phone: the provider app without IMAP, the server settings with them', () => {
    expect(bodyOf('phone', ctx('gmail', tuta))).toContain("l'application Tuta");
    const withImap = bodyOf('phone', ctx('gmail', posteo));
    expect(withImap).toContain('posteo.de:993');
    expect(withImap).toContain('posteo.de:465');
    expect(bodyOf('phone', ctx('gmail', unknownProvider))).not.toContain('IMAP');
  });

  it('contacts and calendar: the tool only where it takes that kind of data from that old provider', () => {
    expect(bodyOf('contacts', ctx('outlook', posteo))).toContain('Umzugsservice');
    expect(bodyOf('calendar', ctx('outlook', posteo))).not.toContain('Umzugsservice');
    expect(bodyOf('contacts', ctx('yahoo', posteo), en)).toContain('Umzugsservice');
    expect(bodyOf('calendar', ctx('yahoo', posteo), en)).not.toContain('Umzugsservice');
    expect(bodyOf('calendar', ctx('icloud', posteo))).toContain('Umzugsservice');
  });

  it('contacts: the tool when it names the old provider, then export and import', () => {
    const gmail = bodyOf('contacts', ctx('gmail', posteo));
    expect(gmail).toContain('Umzugsservice');
    expect(gmail).toContain('https://contacts.google.com');
    expect(bodyOf('contacts', ctx('orange', posteo))).not.toContain('Umzugsservice');
    expect(bodyOf('contacts', ctx('orange', association))).toContain("n'a pas de carnet d'adresses");
    expect(bodyOf('calendar', ctx('orange', association))).toContain("n'a pas d'agenda");
  });

  it('createAccount: the sign-up page, and membership when required', () => {
    expect(bodyOf('createAccount', ctx('gmail', association))).toContain('https://asso.example.org/signup');
    expect(bodyOf('createAccount', ctx('gmail', association))).toContain('adhérer');
    expect(bodyOf('createAccount', ctx('gmail', posteo))).not.toContain('adhérer');
  });

  it('ready-to-copy messages use the new address and name once known, placeholders before', () => {
    const before = bodyOf('autoReply', ctx('gmail', posteo));
    expect(before).toContain('[votre nouvelle adresse]');
    const after = bodyOf('tellContacts', ctx('gmail', posteo, { newAddress: 'marie_*dupont*@posteo.net', displayName: 'Marie' }));
    expect(after).toContain('marie_*dupont*@posteo.net');
    expect(after).toContain('Marie');
    expect(after).not.toContain('[votre');
  });

  it('changeAddress starts with the root accounts and names service-public.fr with its doubt in the help', () => {
    expect(bodyOf('changeAddress', ctx('gmail', posteo))).toContain('Apple, Google ou Microsoft');
    const help = helpOf('changeAddress', ctx('gmail', posteo));
    expect(help).toContain('service-public.fr');
    expect(help).toContain('vérifiez');
  });
});

describe('every step, every pair, both languages', () => {
  const pairs: Array<{ id: string; old?: OldProvider; provider: Provider }> = oldChoices.flatMap((choice) =>
    fixtureProviders.map((provider) => ({ ...choice, provider })),
  );

  it('renders a title, a body and a help, with nothing left unfilled or unbalanced', () => {
    for (const { id, old, provider } of pairs) {
      for (const lang of LANGUAGES) {
        for (const step of MOVE_ORDER) {
          const text = describePlanStep(step, { oldProviderId: id, old, provider }, translators[lang]);
          for (const [part, markup] of Object.entries(text)) {
            const where = `${id} → ${provider.id}, ${step}.${part} (${lang})`;
            expect(markup.trim(), where).not.toBe('');
            expect(markup, where).not.toContain('{{');
            // Unbalanced markers are kept as literal text by the parser: none should be left.
            expect(plainText(markup), where).not.toMatch(/\*\*|`/);
          }
        }
      }
    }
  });

  it('works for "other", without old provider data, with the generic how-tos', () => {
    const other = { oldProviderId: 'other', provider: posteo };
    expect(bodyOf('contacts', other)).toContain('Dans votre ancienne messagerie');
    expect(bodyOf('importMail', { oldProviderId: 'other', provider: association })).toContain('cherchez « IMAP »');
    // Posteo's tool takes any IMAP box and has no list of providers: the person types the old address.
    expect(bodyOf('importMail', other)).toContain('Tapez votre ancienne adresse');
    expect(bodyOf('importMail', other)).not.toContain('Choisissez');
  });

  it('uses a known provider\'s how-tos even when its data is missing', () => {
    expect(bodyOf('contacts', { oldProviderId: 'gmail', provider: posteo })).toContain('Google Contacts');
  });

  it('the English text is not the French one', () => {
    expect(bodyOf('forwarding', ctx('gmail', posteo), en)).not.toEqual(bodyOf('forwarding', ctx('gmail', posteo), fr));
  });
});
