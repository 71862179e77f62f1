/**
 * Two of the coalition's desks on Telegram, one bot: the real Telegram platform given two desk places
 * (`deps.deskPlaces`, as the app passes them from a desks file), the real desk core with those two desks
 * (src/desk/desks.ts, as tests/desk/coalition.test.ts drives it with in-memory ports), the engine and the guide
 * on a SQLite file — over loopback to the telegram-test-api emulator (tests/telegram/harness.ts).
 *
 * What is EMULATED (as in ./desk.test.ts): forum topics, pins and chat members, which the emulator lacks
 * (tests/telegram/forum.ts). The clock is fixed on a weekday morning so that no quiet hours get in the way.
 *
 * What it shows: each group is its own port ("telegram/arn", "telegram/libretic") with its own state; a French
 * person is routed to ARN (everyone else), an English one to Libretic (serves English); a volunteer of each desk
 * claims there (the allow-list is the desk's); `/transfer libretic` from ARN moves the card into Libretic's group.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, TOKEN, visible, type BotMessage, type TestUser } from './harness.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import { Engine } from '../../src/engine/engine.js';
import { Desk } from '../../src/desk/desk.js';
import { parseDesks, type DeskSpec } from '../../src/desk/desks.js';
import { placesOf } from '../../src/desk/directory.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createLog } from '../../src/log.js';
import type { DeskPlace } from '../../src/adapters/platform.js';

const ARN_GROUP = -1001111;
const LIBRETIC_GROUP = -1002222;
const ALIX = 501; // ARN's volunteer
const LEA = 502; // Libretic's volunteer
/** Wednesday 25 November 2026, 10:00 UTC. */
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

const HOSTS = new Set(catalog.providers.map((p) => p.id));
const DESKS = parseDesks(
  {
    desks: [
      { id: 'arn', name: 'ARN', telegramChatId: String(ARN_GROUP), langs: ['fr'], timeZone: 'Europe/Paris', serves: { default: true }, volunteers: [`telegram:${ALIX}`] },
      { id: 'libretic', name: 'Libretic', telegramChatId: String(LIBRETIC_GROUP), langs: ['fr', 'en'], timeZone: 'Europe/Paris', serves: { langs: ['en'] }, volunteers: [`telegram:${LEA}`] },
    ],
  },
  HOSTS,
);

/** What the app passes the Telegram platform: its share of the desks' places. */
function telegramPlaces(desks: readonly DeskSpec[]): DeskPlace[] {
  return desks.flatMap((desk) => placesOf(desk).filter((p) => p.platform === 'telegram').map(({ place, port }) => ({ place, port, deskId: desk.id })));
}

let h: Harness;
let tmp: ReturnType<typeof tempDbPath>;
let db: Db;
let engine: Engine;
let logs: string[];

beforeEach(async () => {
  tmp = tempDbPath();
  h = await Harness.start();
  for (const group of [ARN_GROUP, LIBRETIC_GROUP]) h.forum.enableTopics(group);
  logs = [];
  const log = createLog('debug', (line) => void logs.push(line));
  const now = () => T0;
  db = openDatabase(tmp.path);
  engine = new Engine({ db, catalog, texts, now, log });
  const desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr', now, log, desks: DESKS });
  await h.startBot(tmp.path, { kind: 'polling' }, { shared: { engine, db }, desks: { places: telegramPlaces(DESKS), registry: desk } });
});
afterEach(async () => {
  await h.bot?.stop();
  await engine.idle();
  db.close();
  await h.stop();
  tmp.cleanup();
  // Nothing along the way was an error for the engine, the desk or the adapter.
  expect([...logs, ...(h.bot?.logs ?? [])].filter((l) => l.includes('"level":"error"'))).toEqual([]);
});

/** Someone in a private chat with the bot: from /start to the plan's first step, then asking for a person. */
async function askForSomeone(user: TestUser): Promise<BotMessage[]> {
  await user.start();
  for (let i = 0; i < 30 && !visible(user.lastWithButtons().text).match(/(Étape|Step) 1 (sur|of)/); i++) {
    const last = user.lastWithButtons();
    const data = last.keyboard!.flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
    await user.pressData(data.find((d) => d.includes(':provider:')) ?? data[0]!, last.messageId);
  }
  await choose(user, 'human');
  return choose(user, 'yes');
}

async function choose(user: TestUser, id: string): Promise<BotMessage[]> {
  const last = user.lastWithButtons();
  const button = last.keyboard!.flat().find((b) => 'callback_data' in b && b.callback_data.endsWith(`:${id}`));
  if (!button || !('callback_data' in button)) throw new Error(`no choice "${id}" under the last message: ${JSON.stringify(last.keyboard)}`);
  return user.pressData(button.callback_data, last.messageId);
}

/** A volunteer in one desk group, writing in a ticket's topic through the emulator's client. */
function volunteer(id: number, group: number) {
  h.forum.setMember(group, id, 'member');
  const client = h.server.getClient(TOKEN, { userId: id, chatId: group, type: 'supergroup' as never, firstName: `V${id}`, chatTitle: 'Guichet' });
  return async (text: string, topic: number) => {
    await client.sendMessage(client.makeMessage(text, { from: { id, is_bot: false, first_name: `V${id}` }, message_thread_id: topic, is_topic_message: true } as never));
    await h.settle();
    await engine.idle();
    await h.settle();
  };
}

/** The ticket's live topic in a group ("#<ticket> · …"), or undefined. */
function topicOf(group: number, ticket: number) {
  return [...h.forum.topics.values()].find((t) => t.chat === String(group) && !t.deleted && t.name.startsWith(`#${ticket} ·`));
}

const inTopic = (group: number, topic: number) =>
  h.messagesTo(group)
    .filter((m) => (m.raw.message as { message_thread_id?: number }).message_thread_id === topic)
    .map((m) => visible(m.text));

const deskOfTicket = (id: number) => (db.prepare('SELECT desk FROM tickets WHERE id = ?').get(id) as { desk: string | null }).desk;

describe('two desks on Telegram, one bot', () => {
  it('opens one port per group, each named after its desk, each keeping its state under its own namespace', async () => {
    const ports = h.bot.adapter.desks;
    expect(ports.map((p) => [p.name, p.chatId])).toEqual([
      ['telegram/arn', String(ARN_GROUP)],
      ['telegram/libretic', String(LIBRETIC_GROUP)],
    ]);
    expect(h.bot.adapter.desk).toBeUndefined(); // no single desk to speak of
    await askForSomeone(h.user(1001, { languageCode: 'fr' }));
    await askForSomeone(h.user(1002, { languageCode: 'en' }));
    const namespaces = db.prepare("SELECT adapter, key, value FROM adapter_state WHERE adapter LIKE 'telegram-desk%' ORDER BY adapter, key").all();
    expect(namespaces).toEqual([
      { adapter: 'telegram-desk/arn', key: 'mode', value: 'forum' },
      { adapter: 'telegram-desk/libretic', key: 'mode', value: 'forum' },
    ]);
  });

  it('routes each person to their desk\'s group; a volunteer claims in each; /transfer moves the card to the other group', async () => {
    const alix = volunteer(ALIX, ARN_GROUP);
    const lea = volunteer(LEA, LIBRETIC_GROUP);
    // Léa is in ARN's group too, but not on ARN's list: she cannot act there.
    const leaAtArn = volunteer(LEA, ARN_GROUP);

    const jeanne = h.user(1001, { languageCode: 'fr', firstName: 'Jeanne' });
    expect(visible((await askForSomeone(jeanne)).at(-1)!.text)).toMatch(/demande n°1/);
    const sam = h.user(1002, { languageCode: 'en', firstName: 'Sam' });
    await askForSomeone(sam);

    // Jeanne (French, no desk for her host) → ARN, for everyone else; Sam (English) → Libretic.
    const arnTopic = topicOf(ARN_GROUP, 1)!;
    const libreticTopic = topicOf(LIBRETIC_GROUP, 2)!;
    expect(arnTopic.name).toMatch(/en attente$/);
    expect(libreticTopic.name).toMatch(/en attente$/);
    expect(topicOf(LIBRETIC_GROUP, 1)).toBeUndefined();
    expect(topicOf(ARN_GROUP, 2)).toBeUndefined();
    expect([deskOfTicket(1), deskOfTicket(2)]).toEqual(['telegram/arn', 'telegram/libretic']);

    await leaAtArn('/claim', arnTopic.id);
    expect(inTopic(ARN_GROUP, arnTopic.id).at(-1)).toMatch(/bénévole/i);
    expect(topicOf(ARN_GROUP, 1)!.name).toMatch(/en attente$/);

    await alix('/claim', arnTopic.id);
    expect(topicOf(ARN_GROUP, 1)!.name).toMatch(/pris par /);
    await lea('/claim', libreticTopic.id);
    expect(topicOf(LIBRETIC_GROUP, 2)!.name).toMatch(/pris par /);
    expect((await sam.replies()).map((m) => visible(m.text)).join('\n')).toContain('A volunteer has taken your request');

    // Each desk talks with its own person.
    await alix('Bonjour Jeanne, je regarde avec vous.', arnTopic.id);
    expect((await jeanne.replies()).map((m) => visible(m.text)).join('\n')).toContain('je regarde avec vous');
    await lea('Hello Sam!', libreticTopic.id);
    expect((await sam.replies()).map((m) => visible(m.text)).join('\n')).toContain('Hello Sam!');

    // ARN passes Jeanne's ticket to Libretic: its topic closes, the card arrives in Libretic's group.
    await alix('/transfer libretic', arnTopic.id);
    expect(h.forum.topic(ARN_GROUP, arnTopic.id)!.closed).toBe(true);
    expect(inTopic(ARN_GROUP, arnTopic.id).at(-1)).toContain('Libretic');
    const moved = topicOf(LIBRETIC_GROUP, 1)!;
    expect(moved.name).toMatch(/en attente$/);
    const [card, ...notices] = inTopic(LIBRETIC_GROUP, moved.id);
    expect(card).toMatch(/#1/);
    expect(notices.join('\n')).toContain('Demande passée par l’équipe ARN');
    expect(notices.join('\n')).not.toContain('je regarde avec vous'); // the history stays behind
    expect(deskOfTicket(1)).toBe('telegram/libretic');
    expect((await jeanne.replies()).map((m) => visible(m.text)).join('\n')).toContain('Votre demande passe à l’équipe de bénévoles Libretic');

    // Libretic's volunteer takes it there; ARN's cannot act in Libretic's group (not on its list, not a member).
    await lea('/claim', moved.id);
    expect(topicOf(LIBRETIC_GROUP, 1)!.name).toMatch(/pris par /);
    await lea('On continue ici, Jeanne.', moved.id);
    expect((await jeanne.replies()).map((m) => visible(m.text)).join('\n')).toContain('On continue ici, Jeanne.');
  });
});
