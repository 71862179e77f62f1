/** The test homeserver itself behaves as the client-server API says, for what the Matrix tests rely on. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestHomeserver, type TestUser } from '../support/homeserver.js';

let hs: TestHomeserver;
let alice: TestUser;
let bob: TestUser;
beforeEach(async () => {
  hs = await TestHomeserver.start();
  alice = hs.user('alice');
  bob = hs.user('bob');
});
afterEach(() => hs.stop());

type Sync = {
  next_batch: string;
  rooms: {
    join: Record<string, { timeline: { events: Array<{ event_id: string; type: string; content: Record<string, unknown> }> }; state: { events: unknown[] } }>;
    invite: Record<string, { invite_state: { events: Array<{ type: string; state_key: string; content: Record<string, unknown> }> } }>;
  };
};
const sync = (user: TestUser, query = '') => user.request<Sync>('GET', `/sync${query}`);

describe('the test homeserver', () => {
  it('authenticates by access token', async () => {
    const anonymous = await fetch(`${hs.url}/_matrix/client/v3/account/whoami`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const wrong = await fetch(`${hs.url}/_matrix/client/v3/account/whoami?access_token=nope`);
    expect(await wrong.json()).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    expect(await alice.request('GET', '/account/whoami')).toMatchObject({ user_id: '@alice:localhost', device_id: expect.any(String) });
    expect(await (await fetch(`${hs.url}/_matrix/client/versions`)).json()).toMatchObject({ versions: expect.arrayContaining(['v1.6']) });
  });

  it('gives invites with their stripped state, then the room with its state once joined, then only what is new', async () => {
    const room = await alice.createDm(bob.id, { encrypted: true });
    const first = await sync(bob);
    const invite = first.rooms.invite[room]!.invite_state.events;
    expect(invite.find((e) => e.type === 'm.room.member' && e.state_key === bob.id)?.content).toEqual({ membership: 'invite', is_direct: true });
    expect(invite.some((e) => e.type === 'm.room.encryption')).toBe(true);

    await bob.join(room);
    const joined = await sync(bob, `?since=${first.next_batch}`);
    expect(joined.rooms.join[room]!.timeline.events.map((e) => e.type)).toEqual(['m.room.member']);
    expect(joined.rooms.join[room]!.state.events.length).toBeGreaterThan(3);

    await alice.say(room, 'bonjour');
    const next = await sync(bob, `?since=${joined.next_batch}`);
    expect(next.rooms.join[room]!.timeline.events.map((e) => e.content.body)).toEqual(['bonjour']);
    expect(next.rooms.join[room]!.state.events).toEqual([]);
  });

  it('holds a sync open until something happens, up to its timeout', async () => {
    const room = await alice.createRoom([]);
    const { next_batch } = await sync(alice);
    const started = Date.now();
    const empty = await sync(alice, `?since=${next_batch}&timeout=100`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(empty.next_batch).toBe(next_batch);

    const syncs = hs.syncs.length;
    const waiting = sync(alice, `?since=${next_batch}&timeout=20000`);
    while (hs.syncs.length === syncs) await new Promise((resolve) => setTimeout(resolve, 5)); // the request is held
    await alice.say(room, 'réveil');
    const woken = await waiting;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(woken.rooms.join[room]!.timeline.events[0]!.content.body).toBe('réveil');
  });

  it('makes sending idempotent per access token and transaction id', async () => {
    const room = await alice.createRoom([]);
    const path = `/rooms/${encodeURIComponent(room)}/send/m.room.message/txn1`;
    const a = await alice.request<{ event_id: string }>('PUT', path, { msgtype: 'm.text', body: 'une fois' });
    const b = await alice.request<{ event_id: string }>('PUT', path, { msgtype: 'm.text', body: 'une fois' });
    expect(b.event_id).toBe(a.event_id);
    expect(hs.eventsFrom(alice.id, room).filter((e) => e.type === 'm.room.message')).toHaveLength(1);
    await expect(bob.request('PUT', `/rooms/${encodeURIComponent(room)}/send/m.room.message/txn1`, { body: 'x' })).rejects.toThrow(/403 M_FORBIDDEN/);
  });

  it('serves room state, members, account data and media, and records what it does not implement', async () => {
    const room = await alice.createDm(bob.id);
    await bob.join(room);
    const members = await alice.request<{ joined: Record<string, unknown> }>('GET', `/rooms/${encodeURIComponent(room)}/joined_members`);
    expect(Object.keys(members.joined).sort()).toEqual([alice.id, bob.id]);
    await expect(alice.request('GET', `/rooms/${encodeURIComponent(room)}/state/m.room.encryption/`)).rejects.toThrow(/404 M_NOT_FOUND/);
    await alice.request('PUT', `/user/${encodeURIComponent(alice.id)}/account_data/m.direct`, { [bob.id]: [room] });
    expect(await alice.request('GET', `/user/${encodeURIComponent(alice.id)}/account_data/m.direct`)).toEqual({ [bob.id]: [room] });

    const upload = await fetch(`${hs.url}/_matrix/media/v3/upload?filename=a.json`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.account.token}`, 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    const { content_uri } = (await upload.json()) as { content_uri: string };
    expect(hs.download(content_uri)).toEqual({ type: 'application/json', data: Buffer.from('{"a":1}'), filename: 'a.json' });
    hs.maxUploadBytes = 3;
    await expect(alice.upload(Buffer.from('four'), 'text/plain')).rejects.toThrow(/upload: 413 M_TOO_LARGE/);
    hs.maxUploadBytes = Infinity;

    await expect(alice.request('GET', '/presence/x/status')).rejects.toThrow(/404 M_UNRECOGNIZED/);
    expect(hs.unknown).toEqual(['GET /_matrix/client/v3/presence/x/status']);
  });
});
