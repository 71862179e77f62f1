/**
 * Several desks on Matrix, one bot: two desks of a desks file, each with its own room (`deps.deskPlaces`, as the
 * composition root passes them), through the real desk core, the real engine and guide on a SQLite file, and the
 * real Matrix platform syncing with our test homeserver over HTTP (./harness.ts). People talk to the bot in direct
 * chats; volunteers post in their desk room's threads with their own access tokens. Nothing is faked but the
 * homeserver itself (tests/support/homeserver.ts: no federation, no encryption).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskPlace } from '../../src/adapters/platform.js';
import { Desk } from '../../src/desk/desk.js';
import { parseDesks } from '../../src/desk/desks.js';
import { portName } from '../../src/desk/directory.js';
import { Engine } from '../../src/engine/engine.js';
import { createLog } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import type { MatrixEvent, TestUser } from '../support/homeserver.js';
import { MatrixHarness, visible, type MatrixUser } from './harness.js';

let h: MatrixHarness;
let tmp: ReturnType<typeof tempDbPath>;
let db: Db;
let engine: Engine;
let desk: Desk;
const logs: string[] = [];
/** The rooms of the two desks, each made by its own association's admin (who invites the bot). */
let arnRoom: string;
let coalitionRoom: string;
let alix: TestUser; // ARN's volunteer
let marie: TestUser; // the coalition's volunteer

/** The host the guide offers first and second to someone who answers "1" to every question (found by name). */
const FIRST_HOST = hostNamed('Ecomail');
const SECOND_HOST = hostNamed('Kolab Now');

function hostNamed(name: string): string {
  const provider = catalog.providers.find((p) => p.name === name);
  if (!provider) throw new Error(`no provider named ${name} in the catalogue: the guide's offer changed, update this test`);
  return provider.id;
}

function desksFile() {
  return {
    desks: [
      {
        id: 'arn',
        name: 'ARN',
        matrixRoomId: arnRoom,
        langs: ['fr'],
        timeZone: 'Europe/Paris',
        serves: { hosts: [FIRST_HOST] },
        volunteers: [`matrix:${alix.id}`],
      },
      {
        id: 'coalition',
        name: 'Démailnagement',
        matrixRoomId: coalitionRoom,
        langs: ['fr'],
        timeZone: 'Europe/Paris',
        serves: { default: true },
        volunteers: [`matrix:${marie.id}`],
      },
    ],
  };
}

beforeEach(async () => {
  tmp = tempDbPath();
  logs.length = 0;
  h = await MatrixHarness.start();
  const vera = h.hs.user('vera');
  const zoe = h.hs.user('zoe');
  alix = h.hs.user('alix');
  marie = h.hs.user('marie');
  arnRoom = await vera.createRoom([h.botId, alix.id], 'ARN');
  coalitionRoom = await zoe.createRoom([h.botId, marie.id], 'Démailnagement');
  await alix.join(arnRoom);
  await marie.join(coalitionRoom);

  const log = createLog('debug', (line) => void logs.push(line));
  db = openDatabase(tmp.path);
  engine = new Engine({ db, catalog, texts, log });
  const desks = parseDesks(desksFile(), new Set(catalog.providers.map((p) => p.id)));
  desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr', log, desks });
  // What src/app.ts passes the platform: each desk of the file that has a Matrix room.
  const places: DeskPlace[] = desks.flatMap((d) => (d.matrixRoomId ? [{ place: d.matrixRoomId, port: portName(d, 'matrix'), deskId: d.id }] : []));
  await h.startBot(tmp.path, { shared: { engine, db }, desks: { places, registry: desk } });
});

afterEach(async () => {
  const errors = [...logs, ...(h.bot?.logs ?? [])].filter((l) => l.includes('"level":"error"'));
  await h.stop();
  await engine.idle();
  db.close();
  tmp.cleanup();
  expect(errors).toEqual([]);
});

/** A person who answers "1" to every question, picks the host at `hostIndex` in the offer, then asks for a person. */
async function askForAPerson(person: MatrixUser, hostIndex: number): Promise<string[]> {
  let last = (await person.openDm()).map(visible).join('\n');
  for (let i = 0; i < 30 && !last.includes('Lequel choisissez-vous'); i++) last = (await person.say('1')).map(visible).join('\n');
  last = (await person.say(String(hostIndex))).map(visible).join('\n');
  expect(last).toContain('Étape 1 sur');
  await person.say('/humain');
  return (await person.say('1')).map(visible); // "yes"
}

const botEvents = (room: string): MatrixEvent[] => h.hs.eventsFrom(h.botId, room);
const relation = (e: MatrixEvent) => e.content['m.relates_to'] as { rel_type?: string; event_id?: string } | undefined;

/** The thread roots (cards) the bot opened in a desk room: "#<ticket> · …" on the first line. */
function roots(room: string): MatrixEvent[] {
  return botEvents(room).filter((e) => !relation(e) && /^#\d+ ·/.test(String(e.content.body ?? '')));
}

/** The bot's posts in a thread, as shown. */
function thread(room: string, rootId: string): string[] {
  return botEvents(room)
    .filter((e) => relation(e)?.rel_type === 'm.thread' && relation(e)?.event_id === rootId)
    .map((e) => visible({ event: e, msgtype: '', body: String(e.content.body ?? ''), html: e.content.formatted_body as string | undefined }));
}

/** The card as a client shows it now: the root, or its latest edit. */
function card(room: string, rootId: string): string {
  const last = botEvents(room)
    .filter((e) => relation(e)?.rel_type === 'm.replace' && relation(e)?.event_id === rootId)
    .at(-1);
  return String(((last ? last.content['m.new_content'] : h.hs.event(rootId)!.content) as { body?: string }).body ?? '');
}

async function inThread(volunteer: TestUser, room: string, rootId: string, text: string): Promise<void> {
  await volunteer.threadReply(room, rootId, text);
  await h.settle();
  await engine.idle();
  await h.settle();
}

describe('two desks on Matrix, one room each', () => {
  it('joins both rooms at start, one port per room, each with its own state namespace', async () => {
    expect(h.hs.membership(arnRoom, h.botId)).toBe('join');
    expect(h.hs.membership(coalitionRoom, h.botId)).toBe('join');
    expect(h.bot!.adapter.desks.map((port) => [port.name, port.roomId])).toEqual([
      ['matrix/arn', arnRoom],
      ['matrix/coalition', coalitionRoom],
    ]);
    const alice = h.user('alice');
    await askForAPerson(alice, 1);
    const namespaces = (db.prepare("SELECT DISTINCT adapter FROM adapter_state WHERE adapter LIKE 'matrix-desk%'").all() as Array<{ adapter: string }>).map((r) => r.adapter);
    expect(namespaces).toEqual(['matrix-desk/arn']); // the root opened in ARN's room, under ARN's namespace only
  });

  it('routes each person to the desk of their host, a volunteer claims in each room, and /transfer moves a card to the other room', async () => {
    const alice = h.user('alice');
    const bob = h.user('bob');
    expect((await askForAPerson(alice, 1)).join('\n')).toMatch(/demande n°1/);
    expect((await askForAPerson(bob, 2)).join('\n')).toMatch(/demande n°2/);

    // Alice chose ARN's host: her card is in ARN's room; Bob's is in the coalition's, for everyone else.
    const [aliceRoot] = roots(arnRoom);
    const [bobRoot] = roots(coalitionRoom);
    expect(roots(arnRoom)).toHaveLength(1);
    expect(roots(coalitionRoom)).toHaveLength(1);
    expect(String(aliceRoot!.content.body)).toMatch(/^#1 · .*Ecomail.* · en attente/);
    expect(String(bobRoot!.content.body)).toMatch(/^#2 · .*Kolab Now.* · en attente/);

    // A volunteer claims in each room: each is on their own desk's allow-list.
    await inThread(alix, arnRoom, aliceRoot!.event_id, '/claim');
    expect(card(arnRoom, aliceRoot!.event_id)).toMatch(/pris par Alix|pris par alix/i);
    expect((await alice.replies()).map(visible).join('\n')).toContain('a pris votre demande');
    await inThread(marie, coalitionRoom, bobRoot!.event_id, '/claim');
    expect(card(coalitionRoom, bobRoot!.event_id)).toMatch(/pris par marie/i);
    expect((await bob.replies()).map(visible).join('\n')).toContain('a pris votre demande');

    // Marie passes Bob's ticket to ARN: the card arrives in ARN's room, waiting, and Bob is told.
    await inThread(marie, coalitionRoom, bobRoot!.event_id, '/transfer ARN');
    expect(thread(coalitionRoom, bobRoot!.event_id).join('\n')).toContain('passe la demande à l’équipe ARN');
    const moved = roots(arnRoom).find((e) => String(e.content.body).startsWith('#2 ·'));
    expect(moved, 'the card of #2 in ARN\'s room').toBeDefined();
    expect(card(arnRoom, moved!.event_id)).toMatch(/en attente/);
    expect(thread(arnRoom, moved!.event_id).join('\n')).toContain('Demande passée par l’équipe Démailnagement');
    expect((await bob.replies()).map(visible).join('\n')).toContain('Votre demande passe à l’équipe de bénévoles ARN');
    expect(roots(coalitionRoom)).toHaveLength(1); // nothing new in the room it left

    // In ARN's room, Alix takes it and talks with Bob.
    await inThread(alix, arnRoom, moved!.event_id, '/claim');
    expect(card(arnRoom, moved!.event_id)).toMatch(/pris par alix/i);
    await inThread(alix, arnRoom, moved!.event_id, 'Bonjour Bob, je prends la suite.');
    expect((await bob.replies()).map(visible).join('\n')).toContain('Bonjour Bob, je prends la suite.');
    const tickets = db.prepare('SELECT id, desk FROM tickets ORDER BY id').all();
    expect(tickets).toEqual([
      { id: 1, desk: 'matrix/arn' },
      { id: 2, desk: 'matrix/arn' },
    ]);
  });
});
