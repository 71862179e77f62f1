/**
 * A conversation typed the way people type, through the real engine (SQLite file, renderer, machine): every
 * answer moves the guide on to the next question, and what is stored is what was meant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';

let tmp: ReturnType<typeof tempDbPath>;
beforeEach(() => {
  tmp = tempDbPath();
});
afterEach(() => tmp.cleanup());

describe('typed answers through the engine', () => {
  it('goes from a greeting to the recommendations on answers typed in everyday words', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const person = chat();
    await person.start();
    const steps: Array<[string, string]> = [
      ['bonjour', "Quelle boîte mail utilisez-vous aujourd'hui ?"],
      ['jean@sfr.fr', 'Pour qui est la nouvelle boîte mail ?'],
      ['juste moi', 'Quelle place vous faut-il pour vos mails ?'],
      ['3 go', 'Voulez-vous utiliser votre propre nom de domaine'],
      ['non merci', 'Quel budget pour votre messagerie ?'],
      ['1€', 'agenda et un carnet'],
      ['ouais', 'Où vos mails doivent-ils être hébergés ?'],
      ['UE', 'compter sur des personnes'],
      ['oui merci', "d'adhérer à l'association"],
    ];
    for (const [typed, next] of steps) {
      await person.say(typed);
      expect(sender.lastText(), `after "${typed}"`).toContain(next);
    }
    await person.say('non');
    expect(sender.last.choices[0]!.id).toMatch(/^provider:/);
    await person.say('/mesdonnees');
    const stored = sender.lastText();
    for (const answer of ['SFR', 'environ 3 Go', 'au plus 1 € par mois', 'Union européenne']) expect(stored).toContain(answer);
    close();
  });

  it('does the same in English, for a family that types figures', async () => {
    const { sender, chat, close } = makeEngine(tmp.path);
    const person = chat('bob');
    await person.start(undefined, 'en-GB');
    const steps: Array<[string, string]> = [
      ['hello', 'Which mailbox do you use today?'],
      // A domain we do not know is asked again, never guessed; a known one is read.
      ['bob@example.org', 'Which mailbox do you use today?'],
      ['bob@hotmail.co.uk', 'Who is the new mailbox for?'],
      ['for my family', 'How many mailboxes (addresses) do you need?'],
      ['there are 4 of us', 'How much space do you need for your mail?'],
      ['about 12 GB', 'Do you want to use your own domain name'],
      ['no thanks', 'What is your budget for e-mail?'],
      ['any price', 'calendar and an address book'],
      ['nope', 'Where should your mail be hosted?'],
      ['Switzerland is fine', 'count on people'],
      ['yep', 'join the association'],
    ];
    for (const [typed, next] of steps) {
      await person.say(typed);
      expect(sender.lastText(), `after "${typed}"`).toContain(next);
    }
    await person.say('no');
    expect(sender.last.choices[0]!.id).toMatch(/^provider:/);
    await person.say('/mydata');
    const stored = sender.lastText();
    for (const answer of ['Outlook', 'For my family', '4 mailboxes', 'about 12 GB', "Doesn't matter", 'In Europe']) {
      expect(stored).toContain(answer);
    }
    close();
  });
});
