/**
 * The volunteers' desk on Matrix (src/adapters/matrix/desk/: the port, and the desk room's inbound): the
 * real adapter and matrix-bot-sdk over HTTP with the test homeserver, a recording stand-in for the desk core
 * (./harness.ts RecordingDesk). Every wait is on a condition (the bot has synced past every event).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatrixStartError } from '../../src/adapters/matrix/errors.js';
import { cardContents, MatrixDesk } from '../../src/adapters/matrix/desk/port.js';
import { readDeskEvent } from '../../src/adapters/matrix/desk/read.js';
import { deskRoomPlaces } from '../../src/adapters/matrix/desk/places.js';
import { matrixPlatform } from '../../src/adapters/matrix/index.js';
import { ThreadGoneError, type DeskPort } from '../../src/desk/port.js';
import { RecipientGoneError, type OutMessage } from '../../src/engine/types.js';
import { tempDbPath } from '../support/engine.js';
import type { MatrixEvent, TestUser } from '../support/homeserver.js';
import { MatrixHarness, RecordingDesk } from './harness.js';

let h: MatrixHarness;
let tmp: ReturnType<typeof tempDbPath>;
let vera: TestUser;
let deskRoom: string;
let desk: RecordingDesk;

const port = (): DeskPort => desk.port!;
const startBot = () => h.startBot(tmp.path, { desk: { roomId: deskRoom, registry: desk } });
const content = (eventId: string) => h.hs.event(eventId)!.content as Record<string, unknown>;
/** The bot's events in the desk room after stream position `after`. */
const botEvents = (after = 0): MatrixEvent[] => h.hs.eventsFrom(h.botId, deskRoom, after);

beforeEach(async () => {
  tmp = tempDbPath();
  h = await MatrixHarness.start();
  vera = h.hs.user('vera'); // the desk's admin: she created the room (power 100)
  deskRoom = await vera.createRoom([h.botId], 'Desk');
  desk = new RecordingDesk();
});

afterEach(async () => {
  await h.stop();
  tmp.cleanup();
});

describe('the desk room', () => {
  it('is joined at start when the bot is invited, gets no welcome, and the port is registered', async () => {
    await startBot();
    expect(h.hs.membership(deskRoom, h.botId)).toBe('join');
    expect(port()).toBeInstanceOf(MatrixDesk);
    expect(port().name).toBe('matrix');
    expect(h.bot!.adapter.desk).toBe(port());
    // A room of two (Vera and the bot) is not a direct chat: no welcome, nothing to the guide.
    await vera.say(deskRoom, 'bonjour');
    await h.settle();
    expect(botEvents()).toEqual([]);
    expect(desk.received.map((r) => r.input)).toEqual([{ kind: 'text', text: 'bonjour' }]);
    expect(h.hs.unknown).toEqual([]);
  });

  it('fails the start clearly, naming MATRIX_DESK_ROOM_ID, when the bot is not invited or the id is wrong', async () => {
    const closed = await vera.createRoom([], 'Closed desk');
    await expect(h.startBot(tmp.path, { desk: { roomId: closed, registry: desk } })).rejects.toThrow(MatrixStartError);
    await expect(h.startBot(tmp.path, { desk: { roomId: closed, registry: desk } })).rejects.toThrow(/MATRIX_DESK_ROOM_ID \(M_FORBIDDEN\)/);
    await expect(h.startBot(tmp.path, { desk: { roomId: '!nowhere:localhost', registry: desk } })).rejects.toThrow(/MATRIX_DESK_ROOM_ID/);
    await expect(h.startBot(tmp.path, { desk: { roomId: '#desk:localhost', registry: desk } })).rejects.toThrow(/MATRIX_DESK_ROOM_ID is not a Matrix room id/);
    expect(h.hs.membership(closed, h.botId)).toBeUndefined();
  });

  it('with a desks file: every desk room is joined, and a room the bot cannot join fails the start naming its desk', async () => {
    const closed = await vera.createRoom([], 'Closed desk');
    const places = [
      { place: deskRoom, port: 'matrix/arn', deskId: 'arn' },
      { place: closed, port: 'matrix/libretic', deskId: 'libretic' },
    ];
    await expect(h.startBot(tmp.path, { desks: { places, registry: desk } })).rejects.toThrow(/desk room matrixRoomId of desk "libretic" in the desks file \(M_FORBIDDEN\)/);
    expect(h.hs.membership(closed, h.botId)).toBeUndefined();
  });

  it('the doctor checks each desk room of the desks file when given them, naming the desk in each check', async () => {
    const closed = await vera.createRoom([], 'Closed desk');
    const config = { homeserverUrl: h.hs.url, accessToken: h.botAccount.token };
    const deskPlaces = [
      { place: deskRoom, port: 'matrix/arn', deskId: 'arn' },
      { place: closed, port: 'matrix/libretic', deskId: 'libretic' },
    ];
    const results = await matrixPlatform.check(config, { timeoutMs: 5_000, deskPlaces });
    expect(results.map((r) => `${r.status} ${r.name}`)).toEqual(['ok matrix token', 'ok matrix media', 'ok matrix desk room (arn)', 'fail matrix desk room (libretic)']);
    expect(results[3]!.fix).toContain('matrixRoomId of desk "libretic" in the desks file');
    // Without desk places: MATRIX_DESK_ROOM_ID's room, under the checks' names of before.
    const single = await matrixPlatform.check({ ...config, desk: { roomId: deskRoom } }, { timeoutMs: 5_000 });
    expect(single.map((r) => `${r.status} ${r.name}`)).toEqual(['ok matrix token', 'ok matrix media', 'ok matrix desk room']);
  });

  it('keeps the single desk\'s port name and namespace when it comes as a desk place, and gives a desk of the file its own', () => {
    expect(deskRoomPlaces({ desk: { roomId: '!a:x' } }, undefined)).toEqual([{ roomId: '!a:x', port: 'matrix', namespace: 'matrix-desk', setting: 'MATRIX_DESK_ROOM_ID' }]);
    expect(deskRoomPlaces({ desk: { roomId: '!a:x' } }, [])).toHaveLength(1);
    expect(deskRoomPlaces({}, [{ place: '!a:x', port: 'matrix', deskId: 'main' }])[0]).toMatchObject({ port: 'matrix', namespace: 'matrix-desk' });
    expect(deskRoomPlaces({}, [{ place: '!b:x', port: 'matrix/arn', deskId: 'arn' }])[0]).toMatchObject({ roomId: '!b:x', port: 'matrix/arn', namespace: 'matrix-desk/arn' });
    expect(deskRoomPlaces({}, undefined)).toEqual([]);
  });

  it('is joined when the bot is already in it (a restart)', async () => {
    await (await startBot()).stop();
    await startBot();
    expect(h.hs.membership(deskRoom, h.botId)).toBe('join');
  });
});

describe('the desk port', () => {
  beforeEach(async () => {
    await startBot();
  });

  it('opens a thread: the card as its root, the title in bold on the first line, HTML and plain, escaped', async () => {
    const thread = await port().openThread('#12 · Gmail → Posteo', { text: 'Marie <m@x>\nStep **3** of 9: `imap`', buttons: [{ id: 'claim', label: 'Claim' }] });
    expect(thread.cardId).toBe(thread.threadId);
    const root = h.hs.event(thread.threadId)!;
    expect(root.sender).toBe(h.botId);
    expect(root.room_id).toBe(deskRoom);
    expect(root.content).toEqual({
      msgtype: 'm.notice',
      format: 'org.matrix.custom.html',
      body: '#12 · Gmail → Posteo\nMarie <m@x>\nStep 3 of 9: imap',
      formatted_body: '<strong>#12 · Gmail → Posteo</strong><br>Marie &lt;m@x&gt;<br>Step <strong>3</strong> of 9: <code>imap</code>',
    });
    expect(cardContents('a `b`', { text: '' })[0]!.formatted_body).toBe('<strong>a `b`</strong>');
  });

  it('updates the card with an m.replace edit of the root', async () => {
    const thread = await port().openThread('#1', { text: 'waiting' });
    const before = h.hs.position;
    await port().updateThread(thread, '#1 · claimed', { text: 'by **Vera**' });
    const [edit] = botEvents(before);
    expect(edit!.content).toEqual({
      msgtype: 'm.notice',
      format: 'org.matrix.custom.html',
      body: '* #1 · claimed\nby Vera',
      formatted_body: '* <strong>#1 · claimed</strong><br>by <strong>Vera</strong>',
      'm.new_content': { msgtype: 'm.notice', format: 'org.matrix.custom.html', body: '#1 · claimed\nby Vera', formatted_body: '<strong>#1 · claimed</strong><br>by <strong>Vera</strong>' },
      'm.relates_to': { rel_type: 'm.replace', event_id: thread.cardId },
    });
  });

  it('posts in a thread (m.thread, falling back to a reply to its last event) and announces in the timeline', async () => {
    const thread = await port().openThread('#2', { text: 'card' });
    const first = await port().post(thread.threadId, { text: 'Marie: **hello**' });
    expect(content(first)).toMatchObject({
      msgtype: 'm.notice',
      body: 'Marie: hello',
      formatted_body: 'Marie: <strong>hello</strong>',
      'm.relates_to': { rel_type: 'm.thread', event_id: thread.threadId, is_falling_back: true, 'm.in_reply_to': { event_id: thread.threadId } },
    });
    const second = await port().post(thread.threadId, { text: 'again' });
    expect(content(second)['m.relates_to']).toMatchObject({ 'm.in_reply_to': { event_id: first } });
    // A volunteer's message in the thread becomes its last event.
    const said = await vera.threadReply(deskRoom, thread.threadId, 'on it', second);
    await h.settle();
    const third = await port().post(thread.threadId, { text: 'thanks' });
    expect(content(third)['m.relates_to']).toMatchObject({ event_id: thread.threadId, 'm.in_reply_to': { event_id: said } });

    const announced = await port().announce({ text: '#2 **still** waits' });
    expect(content(announced)).toEqual({ msgtype: 'm.notice', format: 'org.matrix.custom.html', body: '#2 still waits', formatted_body: '#2 <strong>still</strong> waits' });
  });

  it('cuts a very long post into several events, all in the thread, deleted together', async () => {
    const thread = await port().openThread('#3', { text: 'card' });
    const before = h.hs.position;
    const long = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} ` + 'é<&'.repeat(400)).join('\n\n');
    const id = await port().post(thread.threadId, { text: long });
    const parts = botEvents(before);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.event_id).toBe(id);
    for (const part of parts) {
      expect(part.content['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: thread.threadId });
      expect(Buffer.byteLength(JSON.stringify(part.content))).toBeLessThan(60_000);
    }
    expect(await port().deleteMessage(thread.threadId, id)).toBe(true);
    for (const part of parts) expect(h.hs.event(part.event_id)!.content).toEqual({});
  });

  it("deletes its own messages by redaction, and says false where it may not (a volunteer's message)", async () => {
    const thread = await port().openThread('#4', { text: 'card' });
    const posted = await port().post(thread.threadId, { text: 'oops' });
    expect(await port().deleteMessage(thread.threadId, posted)).toBe(true);
    const redacted = h.hs.event(posted)!;
    expect(redacted.content).toEqual({});
    const redaction = h.hs.timeline(deskRoom).map((s) => s.event).find((e) => e.type === 'm.room.redaction')!;
    expect(redaction).toMatchObject({ sender: h.botId, redacts: posted, content: { redacts: posted } });
    expect(redacted.unsigned).toMatchObject({ redacted_because: { event_id: redaction.event_id } });

    const hers = await vera.threadReply(deskRoom, thread.threadId, 'mine');
    expect(await port().deleteMessage(thread.threadId, hers)).toBe(false); // the bot has power 0 here
    expect(content(hers).body).toBe('mine');
  });

  it('knows who is a member: joined, invited then gone, never there', async () => {
    const victor = h.hs.user('victor');
    const stranger = h.hs.user('stranger');
    await vera.invite(deskRoom, victor.id);
    await h.settle();
    expect(await port().isMember(vera.id)).toBe(true);
    expect(await port().isMember(victor.id)).toBe(false); // invited is not a member yet
    await victor.join(deskRoom);
    await h.settle();
    expect(await port().isMember(victor.id)).toBe(true);
    await victor.leave(deskRoom);
    await h.settle();
    expect(await port().isMember(victor.id)).toBe(false);
    expect(await port().isMember(stranger.id)).toBe(false);
    expect(await port().isMember(h.botId)).toBe(true);
    // The bot stays on the desk when the others have left.
    await vera.leave(deskRoom);
    await h.settle();
    expect(h.hs.membership(deskRoom, h.botId)).toBe('join');
    expect(await port().isMember(vera.id)).toBe(false);
    // All from the membership tracked through /sync: not one request per question.
    expect(h.hs.requests.filter((r) => r.path.endsWith('/joined_members'))).toEqual([]);
  });

  it('answers isMember from the API when built on its own (no adapter), with a short cache', async () => {
    const client = new (await import('matrix-bot-sdk')).MatrixClient(h.hs.url, h.botAccount.token);
    const alone = new MatrixDesk(client, deskRoom, { memberCacheMs: 0 });
    expect(await alone.isMember(vera.id)).toBe(true);
    expect(await alone.isMember('@stranger:localhost')).toBe(false);
  });

  it('says ThreadGone once a root is redacted (seen through sync), across a restart, and for an unknown root', async () => {
    const thread = await port().openThread('#5', { text: 'card' });
    const other = await port().openThread('#6', { text: 'card' });
    await vera.redact(deskRoom, thread.threadId, 'cleaning up');
    await h.settle();
    await expect(port().post(thread.threadId, { text: 'hello?' })).rejects.toThrow(ThreadGoneError);
    await expect(port().updateThread(thread, '#5', { text: 'claimed' })).rejects.toThrow(ThreadGoneError);
    expect(await port().post(other.threadId, { text: 'still here' })).toMatch(/^\$/);

    await h.bot!.stop();
    desk = new RecordingDesk();
    await startBot();
    await expect(port().post(thread.threadId, { text: 'hello?' })).rejects.toThrow(ThreadGoneError);
    expect(await port().post(other.threadId, { text: 'still here' })).toMatch(/^\$/);
    // A root the homeserver does not know (404 M_NOT_FOUND).
    await expect(port().post('$nothing-here', { text: 'hello?' })).rejects.toThrow(ThreadGoneError);
    await expect(port().updateThread({ threadId: '$nothing-here', cardId: '$nothing-here' }, 't', { text: 'c' })).rejects.toThrow(ThreadGoneError);
  });

  it('looks roots up again after a gap in the desk timeline (a redaction it could not see)', async () => {
    const thread = await port().openThread('#10', { text: 'card' });
    const other = await port().openThread('#11', { text: 'card' });
    await h.bot!.stop();
    await vera.redact(deskRoom, thread.threadId);
    for (let i = 0; i < 60; i++) await vera.say(deskRoom, `chat ${i}`); // more than the sync filter's 50
    desk = new RecordingDesk();
    await startBot();
    expect(h.hs.event(thread.threadId)!.unsigned).toHaveProperty('redacted_because');
    await expect(port().post(thread.threadId, { text: 'hello?' })).rejects.toThrow(ThreadGoneError);
    expect(await port().post(other.threadId, { text: 'still here' })).toMatch(/^\$/);
    expect(desk.received.length).toBe(50); // what the limited sync gave, in order
    expect(desk.received[49]!.input).toEqual({ kind: 'text', text: 'chat 59' });
  });

  it('closes and reopens threads as nothing (Matrix threads have no such state)', async () => {
    const thread = await port().openThread('#7', { text: 'card' });
    const before = h.hs.position;
    await port().closeThread(thread.threadId);
    await port().reopenThread(thread.threadId);
    expect(h.hs.position).toBe(before);
  });
});

describe('what volunteers say on the desk', () => {
  let victor: TestUser;
  beforeEach(async () => {
    victor = h.hs.user('victor');
    await vera.invite(deskRoom, victor.id);
    await victor.join(deskRoom);
    await vera.setDisplayName(deskRoom, 'Vera V.');
    await startBot();
  });

  it('goes to the desk with its thread, its sender and its text; the bot’s own posts, notices, edits and reactions do not', async () => {
    const thread = await port().openThread('#8', { text: 'card' });
    const posted = await port().post(thread.threadId, { text: 'Marie: help' });
    await port().announce({ text: 'news' });

    const inThread = await vera.threadReply(deskRoom, thread.threadId, '/claim', posted);
    const replyToPost = await victor.reply(deskRoom, posted, 'I can help too', 'Marie: help');
    const replyToRoot = await victor.reply(deskRoom, thread.threadId, 'about this one');
    const timeline = await vera.say(deskRoom, 'coffee?');
    const image = await victor.sendImage(deskRoom);
    const sticker = await victor.sticker(deskRoom);
    await vera.send(deskRoom, 'm.room.message', { msgtype: 'm.notice', body: 'a bot of hers' });
    await vera.edit(deskRoom, timeline, 'tea?');
    await vera.react(deskRoom, posted);
    await h.settle();

    expect(desk.received).toEqual([
      { desk: 'matrix', threadId: thread.threadId, messageId: inThread, from: { id: vera.id, name: 'Vera V.' }, input: { kind: 'text', text: '/claim' } },
      { desk: 'matrix', threadId: thread.threadId, messageId: replyToPost, from: { id: victor.id, name: 'victor' }, input: { kind: 'text', text: 'I can help too' } },
      { desk: 'matrix', threadId: thread.threadId, messageId: replyToRoot, from: { id: victor.id, name: 'victor' }, input: { kind: 'text', text: 'about this one' } },
      { desk: 'matrix', messageId: timeline, from: { id: vera.id, name: 'Vera V.' }, input: { kind: 'text', text: 'coffee?' } },
      {
        desk: 'matrix',
        messageId: image,
        from: { id: victor.id, name: 'victor' },
        input: { kind: 'media', media: { platform: 'matrix', id: 'mxc://localhost/nothing', kind: 'photo', mimeType: 'image/jpeg', filename: 'photo.jpg' } },
      },
      { desk: 'matrix', messageId: sticker, from: { id: victor.id, name: 'victor' }, input: { kind: 'unsupported' } },
    ]);
    expect(desk.received[3]).not.toHaveProperty('threadId');
    expect(h.hs.unknown).toEqual([]);
    expect(h.bot!.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });

  it('finds the thread of a reply to a thread message after a restart (asking the homeserver)', async () => {
    const thread = await port().openThread('#9', { text: 'card' });
    const hers = await vera.threadReply(deskRoom, thread.threadId, 'first');
    await h.settle();
    await h.bot!.stop();
    desk = new RecordingDesk();
    await startBot();
    const reply = await victor.reply(deskRoom, hers, 'answer', 'first');
    const toTimeline = await victor.reply(deskRoom, await vera.say(deskRoom, 'lunch?'), 'yes');
    await h.settle();
    expect(desk.received.find((r) => r.messageId === reply)).toMatchObject({ threadId: thread.threadId, input: { kind: 'text', text: 'answer' } });
    expect(desk.received.find((r) => r.messageId === toTimeline)).not.toHaveProperty('threadId');
    expect(h.hs.unknown).toEqual([]);
  });

  it('keeps direct chats with people on the guide, as before', async () => {
    const alice = h.user('alice');
    const welcome = await alice.openDm();
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.body).toContain('demailbot');
    expect((await alice.say('commencer'))[0]!.body).toContain('Quelle boîte mail');
    expect(desk.received).toEqual([]);
    expect(botEvents()).toEqual([]); // nothing said on the desk
  });
});

describe('a person who left', () => {
  const reply: OutMessage = { text: 'Vera: **hello**', choices: [], promptSeq: 1, lang: 'fr' };

  it('cannot be reached: send throws RecipientGoneError, without ids or text; also after a restart', async () => {
    await startBot();
    const alice = h.user('alice');
    await alice.openDm();
    await h.bot!.adapter.send(alice.room, reply); // still there
    await alice.user.leave(alice.room);
    await h.settle();
    expect(h.hs.membership(alice.room, h.botId)).toBe('leave'); // left alone, the bot left too
    const error = await h.bot!.adapter.send(alice.room, reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientGoneError);
    expect((error as Error).message).not.toMatch(/alice|!|hello/);

    await h.bot!.stop();
    await startBot(); // nothing known of that room: the server's M_FORBIDDEN says it
    const again = await h.bot!.adapter.send(alice.room, reply).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RecipientGoneError);
  });
});

describe('the test homeserver, for the desk', () => {
  it('redacts idempotently per transaction, strips what the spec strips, and serves events by id', async () => {
    const victor = h.hs.user('victor');
    await vera.invite(deskRoom, victor.id);
    await victor.join(deskRoom);
    const said = await victor.say(deskRoom, 'secret');
    const path = `/rooms/${encodeURIComponent(deskRoom)}/redact/${encodeURIComponent(said)}/t1`;
    const first = await victor.request<{ event_id: string }>('PUT', path, { reason: 'typo' });
    const again = await victor.request<{ event_id: string }>('PUT', path, {});
    expect(again.event_id).toBe(first.event_id);
    expect(h.hs.timeline(deskRoom).filter((s) => s.event.type === 'm.room.redaction')).toHaveLength(1);
    const fetched = await vera.request<Record<string, unknown>>('GET', `/rooms/${encodeURIComponent(deskRoom)}/event/${encodeURIComponent(said)}`);
    expect(fetched).toMatchObject({ event_id: said, content: {}, unsigned: { redacted_because: { event_id: first.event_id, redacts: said, content: { redacts: said, reason: 'typo' } } } });
    // A member event keeps its membership; others' events need power (Vera: 100, Victor: 0).
    const member = h.hs.timeline(deskRoom).map((s) => s.event).find((e) => e.type === 'm.room.member' && e.state_key === victor.id && e.content.membership === 'join')!;
    await vera.redact(deskRoom, member.event_id);
    expect(h.hs.event(member.event_id)!.content).toEqual({ membership: 'join' });
    await expect(victor.redact(deskRoom, await vera.say(deskRoom, 'mine'))).rejects.toThrow(/403 M_FORBIDDEN/);
    await expect(vera.redact(deskRoom, '$unknown')).rejects.toThrow(/404 M_NOT_FOUND/);
    await expect(vera.request('GET', `/rooms/${encodeURIComponent(deskRoom)}/event/%24unknown`)).rejects.toThrow(/404 M_NOT_FOUND/);
    expect(h.hs.unknown).toEqual([]);
  });
});

describe('reading desk events', () => {
  const event = (type: string, content: Record<string, unknown>) => ({ type, event_id: '$e', sender: '@v:x', content });
  it('keeps text (reply fallbacks stripped), flags what cannot be relayed, drops the rest', () => {
    expect(readDeskEvent(event('m.room.message', { msgtype: 'm.text', body: '> <@a:x> q\n\nanswer', 'm.relates_to': { 'm.in_reply_to': { event_id: '$q' } } }))).toEqual({ kind: 'text', text: 'answer' });
    expect(readDeskEvent(event('m.room.message', { msgtype: 'm.text', body: '> quoted on purpose', 'm.relates_to': { rel_type: 'm.thread', event_id: '$r', is_falling_back: true, 'm.in_reply_to': { event_id: '$r' } } }))).toEqual({ kind: 'text', text: '> quoted on purpose' });
    for (const msgtype of ['m.image', 'm.file', 'm.video', 'm.audio', 'm.location']) expect(readDeskEvent(event('m.room.message', { msgtype, body: 'x' }))).toEqual({ kind: 'unsupported' });
    expect(readDeskEvent(event('m.sticker', { body: 'cat' }))).toEqual({ kind: 'unsupported' });
    expect(readDeskEvent(event('m.room.encrypted', {}))).toEqual({ kind: 'unsupported' });
    expect(readDeskEvent(event('m.room.message', { msgtype: 'm.notice', body: 'bot' }))).toBeNull();
    expect(readDeskEvent(event('m.reaction', {}))).toBeNull();
    expect(readDeskEvent(event('m.room.redaction', {}))).toBeNull();
    expect(readDeskEvent(event('m.room.message', { msgtype: 'm.text', body: '* x', 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } }))).toBeNull();
    expect(readDeskEvent({ ...event('m.room.member', { membership: 'join' }), state_key: '@v:x' })).toBeNull();
  });
});
