/**
 * The platform contract (issue 14): what every platform must do for a person, written once against the driver
 * interface of ./driver.ts and run by each platform's driver (./drivers/): the terminal chat in this process,
 * Telegram through the Bot API emulator, Matrix through the tests' homeserver — each on a real SQLite file, with
 * the engine and the desk core as the composition root builds them (./drivers/core.ts).
 *
 * A new platform (the web chat) passes by writing its driver and adding it to DRIVERS. What only one platform
 * does (Telegram's webhook, Matrix's rooms and encryption) stays in that platform's own tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { texts } from '../support/engine.js';
import { lastWithChoices, numberOf, type PlatformDriver, type Reply } from './driver.js';
import { terminalDriver } from './drivers/terminal.js';
import { telegramDriver } from './drivers/telegram.js';
import { matrixDriver } from './drivers/matrix.js';
import { webDriver } from './drivers/web.js';

const DRIVERS: Array<[string, () => Promise<PlatformDriver>]> = [
  ['terminal', terminalDriver],
  ['telegram', telegramDriver],
  ['matrix', matrixDriver],
  ['web', webDriver],
];

const t = texts.t('fr');
/** A sentence's first words, as shown (markup dropped): enough to recognise it, whatever surrounds it. */
const start = (key: string, words = 4) => t(key).replace(/\*\*/g, '').split(' ').slice(0, words).join(' ');
const last = (replies: readonly Reply[]): Reply => {
  expect(replies.length, 'a reply').toBeGreaterThan(0);
  return replies.at(-1)!;
};
const allText = (replies: readonly Reply[]) => replies.map((r) => r.text).join('\n');
const one = (replies: readonly Reply[]): Reply => {
  expect(replies.map((r) => r.text.slice(0, 80)), 'exactly one reply').toHaveLength(1);
  return replies[0]!;
};

/** From the welcome to the first step of a plan: "Commencer", then "Je ne sais pas" (or the first choice), then the first host. */
async function reachPlan(d: PlatformDriver): Promise<Reply> {
  await d.open();
  let reply = one(await d.press('Commencer'));
  for (let i = 0; i < 20; i++) {
    if (reply.text.includes('Étape 1 sur')) return reply;
    const choices = lastWithChoices(d.replies()).choices;
    const label = reply.text.includes('Voici les meilleurs') ? choices[0]! : choices.includes('Je ne sais pas') ? 'Je ne sais pas' : choices[0]!;
    reply = last(await d.press(label));
  }
  throw new Error(`${d.name}: never reached the plan`);
}

/**
 * Scenarios a platform fails today, found by this suite: they run as expected failures (`it.fails`), so that the
 * day the platform does it the test says so, and the entry goes.
 *  (none today: Telegram's /mesdonnees document, the first one found, is sent since issue 14's Telegram folder.)
 */
const KNOWN_GAPS: Record<string, string[]> = {};

describe.each(DRIVERS)('the platform contract: %s', (name, makeDriver) => {
  const unlessGap = (gap: string) => (KNOWN_GAPS[name]?.includes(gap) ? it.fails : it);
  let d: PlatformDriver | undefined;
  /** Error lines a scenario causes on purpose (a refused reply is an error in the platform's log, by its own name). */
  let errorsExpected = 0;
  const driver = async () => (d = await makeDriver());
  afterEach(async () => {
    const errors = d?.errors() ?? [];
    await d?.close();
    d = undefined;
    const expected = errorsExpected;
    errorsExpected = 0;
    expect(errors.length, `nothing else logged as an error: ${errors.join('\n')}`).toBeLessThanOrEqual(expected);
  });

  it('welcomes a newcomer in French, with the choice to start or switch to English', async () => {
    const d = await driver();
    const welcome = last(await d.open());
    expect(welcome.text).toContain('demailbot');
    expect(welcome.choices).toEqual(['Commencer', 'English']);
  });

  it('takes a choice by its button or list entry, and by its number', async () => {
    const d = await driver();
    await d.open();
    const q1 = one(await d.press('Commencer'));
    expect(q1.text).toContain('Quelle boîte mail utilisez-vous');
    expect(q1.choices).toContain('Gmail');
    expect(one(await d.say(numberOf(q1, 'Gmail'))).text).toContain('Pour qui');
  });

  it('understands a typed answer', async () => {
    const d = await driver();
    await d.open();
    await d.press('Commencer');
    expect(one(await d.say('gmail')).text).toContain('Pour qui');
    expect(one(await d.say('pour moi')).text).toContain('Quelle place');
  });

  it('answers a choice from an older message kindly, with the current question, and acts on nothing', async () => {
    const d = await driver();
    const welcome = last(await d.open());
    const q1 = one(await d.press('Commencer'));
    const q2 = one(await d.press('Gmail'));
    expect(q2.text).toContain('Pour qui');
    // A button under an older message is stale. With a numbered list, the person types a number they read on an
    // older, longer list: the current one lacks it.
    const older = q1.choices[q2.choices.length]!;
    const stale = one(d.choicesAs === 'buttons' ? await d.press('Commencer', welcome) : await d.press(older, q1));
    expect(stale.text).toContain(d.choicesAs === 'buttons' ? start('guide:notices.stale') : start('guide:notices.notUnderstood.noMatch'));
    expect(stale.text).toContain('Pour qui');
    expect(stale.choices).toEqual(q2.choices);
    expect(one(await d.press('Pour moi')).text).toContain('Quelle place');
  });

  it('answers what is not text kindly, with the current question again', async (context) => {
    const d = await driver();
    if (!d.sendNonText) return context.skip(); // a terminal sends only lines of text
    await d.open();
    await d.press('Commencer');
    const reply = one(await d.sendNonText());
    expect(reply.text).toContain(start('guide:notices.unsupported.sticker', 2));
    expect(reply.text).toContain('Quelle boîte mail');
    expect(reply.choices).toContain('Gmail');
  });

  it('never answers a redelivered message twice, nor advances twice', async (context) => {
    const d = await driver();
    if (!d.redeliver) return context.skip(); // a terminal never hands a line twice
    await d.open();
    await d.press('Commencer');
    expect(one(await d.say('gmail')).text).toContain('Pour qui');
    expect(await d.redeliver()).toEqual([]);
    expect(one(await d.press('Pour moi')).text).toContain('Quelle place');
    expect(await d.redeliver()).toEqual([]);
    expect(one(await d.say('je ne sais pas')).text).toContain('nom de domaine');
  });

  it('continues mid-plan after a restart on the same database, where the person was', async () => {
    const d = await driver();
    await reachPlan(d);
    const step2 = one(await d.press('✓ Fait'));
    expect(step2.text).toContain('Étape 2 sur');
    const atStart = await d.restart();
    // A chat that starts again with the person shows where they were; the others say nothing until spoken to.
    if (atStart.length > 0) expect(last(atStart).text).toContain('Étape 2 sur');
    expect(one(await d.press('✓ Fait')).text).toContain('Étape 3 sur');
  });

  it('splits a message longer than the platform takes, in order, nothing lost, the choices under the last part', async () => {
    const d = await driver();
    await d.open();
    const limit = d.messageLimit ?? 4_000;
    const paragraph = (i: number) => `**Paragraphe ${i}** — ` + 'des mots & encore des <mots>, '.repeat(40);
    const count = Math.ceil((limit * 2.5) / paragraph(0).length);
    const text = Array.from({ length: count }, (_, i) => paragraph(i)).join('\n\n');
    const parts = await d.deliver({ text, choices: [{ id: 'done', label: '✓ Fait' }] });
    if (d.messageLimit !== undefined) {
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(part.size).toBeLessThanOrEqual(d.messageLimit);
    } else {
      expect(parts).toHaveLength(1);
    }
    expect(parts.slice(0, -1).every((p) => p.choices.length === 0)).toBe(true);
    expect(parts.at(-1)!.choices).toEqual(['✓ Fait']);
    const words = (s: string) => s.replace(/\*\*/g, '').split(/\s+/).filter(Boolean);
    expect(words(parts.map((p) => p.text).join('\n\n'))).toEqual(words(text));
  });

  unlessGap('document')('/mesdonnees: says what is kept, and sends it as a document', async () => {
    const d = await driver();
    await d.open();
    await d.press('Commencer');
    await d.say('gmail');
    const replies = await d.say('/mesdonnees');
    expect(allText(replies)).toContain(start('privacy:mydata.intro', 3));
    const document = replies.find((r) => r.document)?.document;
    expect(document, 'a document').toBeDefined();
    expect(document!.filename).toMatch(/\.json$/);
    expect(JSON.stringify(JSON.parse(document!.content))).toContain('gmail');
    expect(last(await d.say('pour moi')).text).toContain('Quelle place'); // and the guide goes on
  });

  it('/oublier: asks first, then erases everything; the next message starts afresh', async () => {
    const d = await driver();
    await d.open();
    await d.press('Commencer');
    await d.say('gmail');
    expect(allText(await d.say('/mesdonnees'))).toContain('Gmail');
    const confirm = one(await d.say('/oublier'));
    expect(confirm.text).toContain(start('guide:forget.confirm', 2));
    expect(confirm.choices).toHaveLength(2);
    const done = last(await d.press(confirm.choices[0]!));
    expect(done.text).toContain(start('guide:notices.forgetMe', 4));
    expect(last(await d.say('bonjour')).text).toMatch(/Je suis demailbot|Question 1 sur/);
    expect(allText(await d.say('/mesdonnees'))).not.toContain('Gmail'); // nothing of before

  });

  it('a hand-off: consent first, then a volunteer claims, they talk both ways, and the volunteer closes', async () => {
    const d = await driver();
    await reachPlan(d);
    const consent = one(await d.press(t('guide:choices.human')));
    expect(consent.text).toContain('exactement');
    expect(consent.choices).toHaveLength(3);
    expect(d.volunteer.requests(), 'nothing on the desk before yes').toBe(0);
    expect(last(await d.press(consent.choices[0]!)).text).toMatch(/demande n°1/);
    expect(d.volunteer.requests()).toBe(1);

    await d.volunteer.claim();
    expect(allText(await d.news())).toContain('a pris votre demande');
    await d.volunteer.say('Bonjour ! Où en êtes-vous avec la création du compte ?');
    expect(last(await d.news()).text).toContain('Où en êtes-vous avec la création du compte ?');
    expect(await d.say('Le compte est créé, merci')).toEqual([]); // relayed, and the bot stays quiet
    expect(d.volunteer.posts().at(-1)).toContain('Le compte est créé, merci');
    await d.volunteer.say('/close Compte créé');
    expect(allText(await d.news())).toMatch(/clos|close/);
  });

  it('answers at the next start what the person said while it was stopped', async (context) => {
    const d = await driver();
    if (!d.sayWhileStopped) return context.skip(); // nobody types into a closed terminal
    await d.open();
    await d.press('Commencer');
    expect(last(await d.sayWhileStopped('gmail')).text).toContain('Pour qui');
    expect(one(await d.say('pour moi')).text).toContain('Quelle place');
  });

  it('re-sends at the next start a reply the platform refused', async (context) => {
    const d = await driver();
    if (!d.refuseNextReply) return context.skip(); // a terminal's output does not refuse
    await d.open();
    await d.press('Commencer');
    d.refuseNextReply();
    errorsExpected = 1;
    expect(await d.say('gmail')).toEqual([]);
    expect(last(await d.restart()).text).toContain('Pour qui');
    expect(one(await d.say('pour moi')).text).toContain('Quelle place');
  });

  it('shows what the person typed as they typed it, never as formatting', async () => {
    const d = await driver();
    await d.open();
    const typed = 'Club <b>Échecs</b> & "Co" **gras** `x`';
    const checklist = last(await d.say('/liste'));
    expect(one(await d.press(checklist.choices.find((c) => c.includes('Ajouter'))!)).text).toContain('Tapez le nom du compte');
    expect(last(await d.say(typed)).text).toContain(typed);
  });
});
