/**
 * A small Matrix homeserver for the tests: node:http on 127.0.0.1 and a free port, speaking the client-server API
 * (https://spec.matrix.org/v1.10/client-server-api/) over real HTTP, for what a bot and a few users use — in memory,
 * one server name, no federation, no end-to-end encryption (an `m.room.encrypted` event is opaque here, as it is to
 * a bot without crypto).
 *
 * Implemented:
 *  - auth by access token (`Authorization: Bearer`, or `?access_token=`): 401 M_MISSING_TOKEN / M_UNKNOWN_TOKEN;
 *  - GET /versions, GET /account/whoami (with a device id);
 *  - GET /sync: `since` tokens (`s<stream position>`), long polling up to `timeout` ms, `filter` (an id from
 *    POST /user/{id}/filter, or inline JSON; only `room.timeline.limit` is applied), `rooms.join` (timeline since
 *    the token, current state when the room is new to the client, `limited`), `rooms.invite` (stripped
 *    `invite_state`), `rooms.leave`, global `account_data`;
 *  - POST /createRoom (preset, invite, is_direct, initial_state, name), POST /join/{id}, /rooms/{id}/join,
 *    /rooms/{id}/leave, /rooms/{id}/invite; GET /joined_rooms, /rooms/{id}/joined_members, /rooms/{id}/members;
 *  - PUT /rooms/{id}/send/{type}/{txnId} (idempotent per access token and txnId: the same event id again);
 *    PUT and GET /rooms/{id}/state/{type}/{stateKey}; GET /rooms/{id}/state; GET /rooms/{id}/event/{eventId}
 *    (404 M_NOT_FOUND for an event not in that room);
 *  - PUT /rooms/{id}/redact/{eventId}/{txnId} (idempotent per access token and txnId): an `m.room.redaction` event
 *    with `redacts` (top level, as in room version 10, and in its content, as in 11); the target's content is
 *    stripped to what the spec's redaction algorithm keeps (nothing for a message; `membership` for a member…) and
 *    its `unsigned.redacted_because` is the redaction, in every later sync and GET. Anyone joined may redact their
 *    own events; others' need the power level `redact` (50 by default): 403 M_FORBIDDEN otherwise, 404 M_NOT_FOUND
 *    for an event not in the room;
 *  - GET and PUT /user/{id}/account_data/{type}; POST and GET /user/{id}/filter;
 *  - POST /_matrix/media/v3/upload and GET …/download (switchable off: `mediaUpload = false` answers
 *    404 M_UNRECOGNIZED, as a server without a media repository would; `maxUploadBytes` answers a bigger upload
 *    413 M_TOO_LARGE, as Synapse's max_upload_size does); a download of an unknown file is 404 M_NOT_FOUND; the
 *    download endpoints, the authenticated (/_matrix/client/v1/media) and the older one, each switchable off;
 *  - GET /_matrix/client/v1/media/config and /_matrix/media/v3/config: `m.upload.size` is `maxUploadBytes`
 *    (left out when it is Infinity, as the spec allows a server that does not say); both 404 M_UNRECOGNIZED when
 *    `mediaUpload = false`, the authenticated one too when `authenticatedMedia = false`.
 * Anything else answers 404 M_UNRECOGNIZED and is recorded in `unknown`, so a test can check the bot used nothing
 * this server does not implement.
 *
 * For the tests: users (`register`), acting as a user over HTTP (`TestUser`: create a DM or a room, invite, join,
 * set a display name, send text, an image, an edit, a reaction, an encrypted event, a reply, a thread reply, a
 * redaction), reading what the bot sent, replaying an event (the same event id
 * again in a later sync), and `settle()`: waits until a client has synced past every event and nothing new came.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SERVER_NAME = 'localhost';

export interface MatrixEvent {
  type: string;
  event_id: string;
  sender: string;
  room_id: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  unsigned?: Record<string, unknown>;
}

interface Room {
  id: string;
  state: Map<string, MatrixEvent>;
}

interface Stored {
  pos: number;
  event: MatrixEvent;
}

interface Account {
  userId: string;
  deviceId: string;
  token: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

const stateKey = (type: string, key: string) => `${type}\u0000${key}`;
const random = () => randomBytes(9).toString('base64url');

export class TestHomeserver {
  url = '';
  /** Set false to refuse uploads (the bot then sends documents as notices). */
  mediaUpload = true;
  /**
   * Uploads over this many bytes are refused with 413 M_TOO_LARGE, and the media config says it (`m.upload.size`).
   * 50 MB by default, Synapse's default max_upload_size ("50M"); Infinity: no limit, and none said.
   */
  maxUploadBytes = 50 * 1024 * 1024;
  /**
   * Which download endpoints answer: the authenticated one of Matrix 1.11 (`/_matrix/client/v1/media/download`;
   * off: 404 M_UNRECOGNIZED, as a server older than 1.11) and the older `/_matrix/media/v3/download` (off:
   * 404 M_NOT_FOUND, as Synapse 1.120+ answers for files uploaded since it serves authenticated media only).
   */
  authenticatedMedia = true;
  legacyMedia = true;
  /** Requests for endpoints this server does not implement. */
  readonly unknown: string[] = [];
  /** Every request: method, path (room ids included: tests only), the caller. */
  readonly requests: Array<{ method: string; path: string; userId?: string }> = [];
  /** Every /sync request: who, from which token, with which timeout. */
  readonly syncs: Array<{ userId: string; since: string | undefined; timeout: number }> = [];

  private server?: Server;
  private pos = 0;
  private counter = 0;
  private readonly stream: Stored[] = [];
  private readonly rooms = new Map<string, Room>();
  private readonly accounts = new Map<string, Account>();
  private readonly accountData = new Map<string, Map<string, { content: unknown; pos: number }>>();
  private readonly filters = new Map<string, unknown>();
  private readonly txns = new Map<string, string>();
  private readonly media = new Map<string, { type: string; data: Buffer; filename?: string }>();
  /** Woken at each new event (long polls) and at each /sync request (settle). */
  private readonly waiters = new Set<() => void>();
  private readonly lastSince = new Map<string, number>();
  private readonly uploadFailures: Array<{ status: number; errcode: string }> = [];
  private readonly failures = new Map<string, Array<{ status: number; errcode: string; retry_after_ms?: number }>>();
  private stopping = false;

  static async start(): Promise<TestHomeserver> {
    const hs = new TestHomeserver();
    const server = createServer((req, res) => void hs.handle(req, res));
    server.keepAliveTimeout = 600_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hs.server = server;
    hs.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return hs;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Test helpers
  // -------------------------------------------------------------------------------------------------------------

  /** A new account: its user id and access token. */
  register(localpart: string): Account {
    const account = { userId: `@${localpart}:${SERVER_NAME}`, deviceId: `DEV${random().toUpperCase()}`, token: `syt_${localpart}_${random()}` };
    this.accounts.set(account.token, account);
    return account;
  }

  user(localpart: string): TestUser {
    return new TestUser(this, this.register(localpart));
  }

  /**
   * The next `count` events `userId` sends are refused with this error (429 M_LIMIT_EXCEEDED with a
   * `retry_after_ms`, 403 M_FORBIDDEN…): for tests of retries and of replies kept for later.
   */
  failSends(userId: string, count: number, error: { status: number; errcode: string; retry_after_ms?: number }): void {
    this.failures.set(userId, Array.from({ length: count }, () => error));
  }

  /** The next `count` uploads are refused with this error (a 502 from a proxy, 429 M_LIMIT_EXCEEDED…). */
  failUploads(count: number, error: { status: number; errcode: string }): void {
    this.uploadFailures.push(...Array.from({ length: count }, () => error));
  }

  /** The stream position of the last event: what `settle` waits for a client to pass. */
  get position(): number {
    return this.pos;
  }

  /** Events of a room in stream order (replays included), with their positions. */
  timeline(roomId: string): Stored[] {
    return this.stream.filter((s) => s.event.room_id === roomId);
  }

  /** What `sender` sent in a room after stream position `after`, in order. */
  eventsFrom(sender: string, roomId: string, after = 0): MatrixEvent[] {
    return this.timeline(roomId)
      .filter((s) => s.pos > after && s.event.sender === sender && s.event.state_key === undefined)
      .map((s) => s.event);
  }

  /** Delivers an event again, with its own event id, at a new stream position: as a server replaying a sync. */
  replay(eventId: string): number {
    const stored = this.stream.find((s) => s.event.event_id === eventId);
    if (!stored) throw new Error(`no event ${eventId}`);
    this.append({ ...stored.event });
    return this.pos;
  }

  /** An uploaded file's content (`mxc://server/id`), its type and the name it was uploaded with. */
  download(mxc: string): { type: string; data: Buffer; filename?: string } | undefined {
    return this.media.get(mxc.replace(/^mxc:\/\/[^/]+\//, ''));
  }

  /** An event as the server has it now (redacted content included), by id. */
  event(eventId: string): MatrixEvent | undefined {
    return this.stream.find((s) => s.event.event_id === eventId)?.event;
  }

  membership(roomId: string, userId: string): string | undefined {
    return this.rooms.get(roomId)?.state.get(stateKey('m.room.member', userId))?.content.membership as string | undefined;
  }

  /** Forgets where `userId`'s client was: the next `settle` waits for a /sync from a new client. */
  forgetClient(userId: string): void {
    this.lastSince.delete(userId);
  }

  /**
   * Waits until `userId`'s client has asked for a sync from the current stream position — so it has handled every
   * event before it, the bot's own replies included — and nothing new came meanwhile.
   */
  async settle(userId: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Events in rooms the client is not in (it left them) are not for it: a sync would have nothing to give it.
    const behind = () => {
      const since = this.lastSince.get(userId) ?? -1;
      return since < this.pos && (since < 0 || !this.syncResponse(userId, since, 50).empty);
    };
    while (behind()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${userId} did not sync past position ${this.pos} (it is at ${this.lastSince.get(userId) ?? 'none'})`);
      await this.next(Math.min(left, 1_000));
    }
  }

  /** Resolves at the next event or /sync request, or after `ms`. */
  private next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Rooms and events
  // -------------------------------------------------------------------------------------------------------------

  private append(event: MatrixEvent): MatrixEvent {
    this.pos++;
    this.stream.push({ pos: this.pos, event });
    this.wake();
    return event;
  }

  private newEvent(roomId: string, sender: string, type: string, content: Record<string, unknown>, key?: string): MatrixEvent {
    const event: MatrixEvent = { type, event_id: `$${++this.counter}-${random()}`, sender, room_id: roomId, origin_server_ts: Date.now(), content };
    if (key !== undefined) {
      event.state_key = key;
      const room = this.room(roomId);
      const previous = room.state.get(stateKey(type, key));
      if (previous) event.unsigned = { prev_content: previous.content, replaces_state: previous.event_id };
      room.state.set(stateKey(type, key), event);
    }
    return this.append(event);
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new HttpError(404, 'M_NOT_FOUND', 'Unknown room');
    return room;
  }

  private membershipOf(room: Room, userId: string): { membership: string | undefined; event?: MatrixEvent } {
    const event = room.state.get(stateKey('m.room.member', userId));
    return { membership: event?.content.membership as string | undefined, event };
  }

  private positionOf(event: MatrixEvent): number {
    return this.stream.find((s) => s.event === event)?.pos ?? 0;
  }

  private requireJoined(room: Room, userId: string): void {
    if (this.membershipOf(room, userId).membership !== 'join') throw new HttpError(403, 'M_FORBIDDEN', 'You are not in this room');
  }

  createRoom(creator: string, body: { invite?: string[]; is_direct?: boolean; preset?: string; initial_state?: Array<{ type: string; state_key?: string; content: Record<string, unknown> }>; name?: string }): string {
    const roomId = `!${random()}:${SERVER_NAME}`;
    this.rooms.set(roomId, { id: roomId, state: new Map() });
    this.newEvent(roomId, creator, 'm.room.create', { creator, room_version: '10' }, '');
    this.newEvent(roomId, creator, 'm.room.member', { membership: 'join' }, creator);
    this.newEvent(roomId, creator, 'm.room.power_levels', { users: { [creator]: 100 }, users_default: 0, events_default: 0, state_default: 50 }, '');
    const publicRoom = body.preset === 'public_chat';
    this.newEvent(roomId, creator, 'm.room.join_rules', { join_rule: publicRoom ? 'public' : 'invite' }, '');
    this.newEvent(roomId, creator, 'm.room.history_visibility', { history_visibility: 'shared' }, '');
    if (body.name) this.newEvent(roomId, creator, 'm.room.name', { name: body.name }, '');
    for (const state of body.initial_state ?? []) this.newEvent(roomId, creator, state.type, state.content, state.state_key ?? '');
    for (const invitee of body.invite ?? []) this.newEvent(roomId, creator, 'm.room.member', { membership: 'invite', ...(body.is_direct ? { is_direct: true } : {}) }, invitee);
    return roomId;
  }

  private join(userId: string, roomId: string): void {
    const room = this.room(roomId);
    const { membership } = this.membershipOf(room, userId);
    if (membership === 'join') return;
    const rule = room.state.get(stateKey('m.room.join_rules', ''))?.content.join_rule;
    if (membership !== 'invite' && rule !== 'public') throw new HttpError(403, 'M_FORBIDDEN', 'You are not invited to this room');
    this.newEvent(roomId, userId, 'm.room.member', { membership: 'join' }, userId);
  }

  private leave(userId: string, roomId: string): void {
    const room = this.room(roomId);
    const { membership } = this.membershipOf(room, userId);
    if (membership !== 'join' && membership !== 'invite') throw new HttpError(403, 'M_FORBIDDEN', 'You are not in this room');
    this.newEvent(roomId, userId, 'm.room.member', { membership: 'leave' }, userId);
  }

  private invite(sender: string, roomId: string, userId: string): void {
    const room = this.room(roomId);
    this.requireJoined(room, sender);
    const { membership } = this.membershipOf(room, userId);
    if (membership === 'join') throw new HttpError(403, 'M_FORBIDDEN', 'Already in the room');
    this.newEvent(roomId, sender, 'm.room.member', { membership: 'invite' }, userId);
  }

  sendEvent(account: Account, roomId: string, type: string, content: Record<string, unknown>, txnId?: string): string {
    const txn = txnId === undefined ? undefined : `${account.token}\u0000${roomId}\u0000${txnId}`;
    const seen = txn && this.txns.get(txn);
    if (seen) return seen;
    const room = this.room(roomId);
    this.requireJoined(room, account.userId);
    const event = this.newEvent(roomId, account.userId, type, content);
    if (txnId !== undefined) event.unsigned = { transaction_id: txnId };
    if (txn) this.txns.set(txn, event.event_id);
    return event.event_id;
  }

  /** The spec's redaction algorithm (room versions 10/11): which content keys an event type keeps. */
  private static readonly KEPT_ON_REDACTION: Record<string, string[]> = {
    'm.room.member': ['membership', 'join_authorised_via_users_server'],
    'm.room.create': ['creator', 'room_version', 'predecessor', 'type', 'm.federate'],
    'm.room.join_rules': ['join_rule', 'allow'],
    'm.room.power_levels': ['ban', 'events', 'events_default', 'invite', 'kick', 'redact', 'state_default', 'users', 'users_default'],
    'm.room.history_visibility': ['history_visibility'],
    'm.room.redaction': ['redacts'],
  };

  redact(account: Account, roomId: string, eventId: string, txnId: string, reason?: string): string {
    const txn = `${account.token}\u0000${roomId}\u0000redact\u0000${txnId}`;
    const seen = this.txns.get(txn);
    if (seen) return seen;
    const room = this.room(roomId);
    this.requireJoined(room, account.userId);
    const target = this.stream.find((s) => s.event.event_id === eventId && s.event.room_id === roomId)?.event;
    if (!target) throw new HttpError(404, 'M_NOT_FOUND', 'Event not found');
    if (target.sender !== account.userId) {
      const levels = room.state.get(stateKey('m.room.power_levels', ''))?.content as
        | { users?: Record<string, number>; users_default?: number; redact?: number }
        | undefined;
      const mine = levels?.users?.[account.userId] ?? levels?.users_default ?? 0;
      if (mine < (levels?.redact ?? 50)) throw new HttpError(403, 'M_FORBIDDEN', 'You cannot redact this event');
    }
    const content: Record<string, unknown> = { redacts: eventId, ...(reason === undefined ? {} : { reason }) };
    const redaction: MatrixEvent & { redacts?: string } = {
      type: 'm.room.redaction',
      event_id: `$${++this.counter}-${random()}`,
      sender: account.userId,
      room_id: roomId,
      origin_server_ts: Date.now(),
      content,
      redacts: eventId,
      unsigned: { transaction_id: txnId },
    };
    const kept = TestHomeserver.KEPT_ON_REDACTION[target.type] ?? [];
    target.content = Object.fromEntries(Object.entries(target.content).filter(([key]) => kept.includes(key)));
    const { room_id: _room, unsigned: _unsigned, ...because } = redaction;
    target.unsigned = { ...(target.unsigned?.transaction_id ? { transaction_id: target.unsigned.transaction_id } : {}), redacted_because: because };
    this.append(redaction);
    this.txns.set(txn, redaction.event_id);
    return redaction.event_id;
  }

  private setState(userId: string, roomId: string, type: string, key: string, content: Record<string, unknown>): string {
    const room = this.room(roomId);
    this.requireJoined(room, userId);
    return this.newEvent(roomId, userId, type, content, key).event_id;
  }

  // -------------------------------------------------------------------------------------------------------------
  // /sync
  // -------------------------------------------------------------------------------------------------------------

  private stripped(event: MatrixEvent) {
    return { type: event.type, state_key: event.state_key, sender: event.sender, content: event.content };
  }

  /** Without its room_id, as in a sync response; the `transaction_id` only for the one who sent it. */
  private forClient(event: MatrixEvent, userId: string): Record<string, unknown> {
    const { room_id: _roomId, unsigned, ...rest } = event;
    const { transaction_id, ...others } = unsigned ?? {};
    const ownUnsigned = { ...others, age: Math.max(0, Date.now() - event.origin_server_ts), ...(event.sender === userId && transaction_id ? { transaction_id } : {}) };
    return { ...rest, unsigned: ownUnsigned };
  }

  private syncResponse(userId: string, since: number | undefined, limit: number): { body: Record<string, unknown>; empty: boolean } {
    const join: Record<string, unknown> = {};
    const invite: Record<string, unknown> = {};
    const leave: Record<string, unknown> = {};
    const from = since ?? 0;
    for (const room of this.rooms.values()) {
      const { membership, event: memberEvent } = this.membershipOf(room, userId);
      if (!memberEvent) continue;
      const memberPos = this.positionOf(memberEvent);
      const inRange = since === undefined || memberPos > since;
      if (membership === 'invite' && inRange) {
        const keep = ['m.room.create', 'm.room.join_rules', 'm.room.name', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.avatar'];
        const events = [...room.state.values()].filter((e) => keep.includes(e.type) || (e.type === 'm.room.member' && (e.state_key === userId || e.state_key === memberEvent.sender)));
        invite[room.id] = { invite_state: { events: events.map((e) => this.stripped(e)) } };
      } else if (membership === 'join') {
        const all = this.timeline(room.id).filter((s) => s.pos > from);
        const shown = all.slice(-limit);
        const timeline = shown.map((s) => this.forClient(s.event, userId));
        const shownIds = new Set(shown.map((s) => s.event));
        const newToClient = since === undefined || memberPos > since;
        const state = newToClient ? [...room.state.values()].filter((e) => !shownIds.has(e)).map((e) => this.forClient(e, userId)) : [];
        if (timeline.length || state.length) {
          join[room.id] = {
            timeline: { events: timeline, limited: all.length > shown.length, prev_batch: `p${shown[0]?.pos ?? from}` },
            state: { events: state },
            ephemeral: { events: [] },
            account_data: { events: [] },
            unread_notifications: { highlight_count: 0, notification_count: 0 },
          };
        }
      } else if ((membership === 'leave' || membership === 'ban') && since !== undefined && inRange) {
        const events = this.timeline(room.id).filter((s) => s.pos > since && s.pos <= memberPos);
        leave[room.id] = { timeline: { events: events.map((s) => this.forClient(s.event, userId)) }, state: { events: [] } };
      }
    }
    const accountData = [...(this.accountData.get(userId) ?? new Map()).entries()]
      .filter(([, value]) => value.pos > from || since === undefined)
      .map(([type, value]) => ({ type, content: value.content }));
    const empty = !Object.keys(join).length && !Object.keys(invite).length && !Object.keys(leave).length && !accountData.length;
    return {
      empty,
      body: {
        next_batch: `s${this.pos}`,
        rooms: { join, invite, leave },
        account_data: { events: accountData },
        presence: { events: [] },
        to_device: { events: [] },
        device_lists: { changed: [], left: [] },
        device_one_time_keys_count: {},
      },
    };
  }

  private async sync(account: Account, query: URLSearchParams): Promise<Record<string, unknown>> {
    const sinceRaw = query.get('since') ?? undefined;
    const since = sinceRaw === undefined ? undefined : Number(/^s(\d+)$/.exec(sinceRaw)?.[1] ?? NaN);
    if (since !== undefined && !Number.isInteger(since)) throw new HttpError(400, 'M_INVALID_PARAM', 'Bad since token');
    const timeout = Math.min(Number(query.get('timeout') ?? 0) || 0, 60_000);
    this.syncs.push({ userId: account.userId, since: sinceRaw, timeout });
    this.lastSince.set(account.userId, since ?? -1);
    if (since === undefined) this.lastSince.set(account.userId, -1);
    this.wake();
    const limit = this.timelineLimit(account.userId, query.get('filter'));
    const deadline = Date.now() + timeout;
    for (;;) {
      const { body, empty } = this.syncResponse(account.userId, since, limit);
      if (!empty || since === undefined || this.stopping || Date.now() >= deadline) return body;
      await this.next(deadline - Date.now());
    }
  }

  private timelineLimit(userId: string, filter: string | null): number {
    let definition: unknown;
    if (filter?.startsWith('{')) {
      try {
        definition = JSON.parse(filter);
      } catch {
        throw new HttpError(400, 'M_INVALID_PARAM', 'Bad filter');
      }
    } else if (filter) {
      definition = this.filters.get(`${userId}\u0000${filter}`);
      if (definition === undefined) throw new HttpError(400, 'M_INVALID_PARAM', 'Unknown filter');
    }
    const limit = (definition as { room?: { timeline?: { limit?: unknown } } } | undefined)?.room?.timeline?.limit;
    return typeof limit === 'number' && limit > 0 ? limit : 10;
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let status = 200;
    let body: unknown;
    let raw: { type: string; data: Buffer } | undefined;
    try {
      if (method === 'OPTIONS') {
        body = {};
      } else if (url.pathname === '/_matrix/client/versions') {
        body = { versions: ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6'], unstable_features: {} };
      } else if (url.pathname.startsWith('/_matrix/media/') || url.pathname.startsWith('/_matrix/client/v1/media/')) {
        const account = this.auth(req, url);
        this.requests.push({ method, path: url.pathname, userId: account.userId });
        const result = await this.mediaRoute(method, url, req);
        if ('data' in result) raw = result as { type: string; data: Buffer };
        else body = result;
      } else if (url.pathname.startsWith('/_matrix/client/v3/') || url.pathname.startsWith('/_matrix/client/r0/')) {
        const account = this.auth(req, url);
        this.requests.push({ method, path: url.pathname, userId: account.userId });
        const segments = url.pathname.split('/').slice(4).map(decodeURIComponent);
        body = await this.clientRoute(method, segments, account, url.searchParams, req);
      } else {
        throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status;
        const retry = (error as { retry_after_ms?: number }).retry_after_ms;
        body = { errcode: error.errcode, error: error.message, ...(retry === undefined ? {} : { retry_after_ms: retry }) };
        if (error.errcode === 'M_UNRECOGNIZED') this.unknown.push(`${method} ${url.pathname}`);
      } else {
        status = 500;
        body = { errcode: 'M_UNKNOWN', error: (error as Error).message };
      }
    }
    if (res.destroyed) return;
    if (raw) {
      res.writeHead(200, { 'Content-Type': raw.type, 'Content-Length': raw.data.length });
      res.end(raw.data);
      return;
    }
    const json = JSON.stringify(body ?? {});
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }

  private auth(req: IncomingMessage, url: URL): Account {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('access_token');
    if (!token) throw new HttpError(401, 'M_MISSING_TOKEN', 'Missing access token');
    const account = this.accounts.get(token);
    if (!account) throw new HttpError(401, 'M_UNKNOWN_TOKEN', 'Unrecognised access token');
    return account;
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private async json(req: IncomingMessage): Promise<Record<string, unknown>> {
    const data = await this.readBody(req);
    if (!data.length) return {};
    try {
      return JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'M_NOT_JSON', 'Content not JSON');
    }
  }

  private async mediaRoute(method: string, url: URL, req: IncomingMessage): Promise<Record<string, unknown> | { type: string; data: Buffer }> {
    const path = url.pathname.replace(/^\/_matrix\/(?:media\/v3|client\/v1\/media)\//, '');
    if (method === 'POST' && path === 'upload') {
      if (!this.mediaUpload) throw new HttpError(404, 'M_UNRECOGNIZED', 'Media uploads are not supported here');
      const failure = this.uploadFailures.shift();
      if (failure) throw new HttpError(failure.status, failure.errcode, 'Refused by the test');
      const data = await this.readBody(req);
      if (data.length > this.maxUploadBytes) throw new HttpError(413, 'M_TOO_LARGE', 'Cannot upload files larger than the limit');
      const id = random();
      const filename = url.searchParams.get('filename') ?? undefined;
      this.media.set(id, { type: req.headers['content-type'] ?? 'application/octet-stream', data, ...(filename ? { filename } : {}) });
      return { content_uri: `mxc://${SERVER_NAME}/${id}` };
    }
    const download = /^download\/([^/]+)\/([^/]+)/.exec(path);
    const authenticated = url.pathname.startsWith('/_matrix/client/v1/media/');
    if (authenticated && !this.authenticatedMedia) throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    if (method === 'GET' && path === 'config') {
      if (!this.mediaUpload) throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
      return Number.isFinite(this.maxUploadBytes) ? { 'm.upload.size': this.maxUploadBytes } : {};
    }
    if (method === 'GET' && download && !authenticated && !this.legacyMedia) throw new HttpError(404, 'M_NOT_FOUND', 'Not found');
    if (method === 'GET' && download) {
      const file = this.media.get(decodeURIComponent(download[2]!));
      if (!file) throw new HttpError(404, 'M_NOT_FOUND', 'Not found');
      return { type: file.type, data: file.data };
    }
    throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private async clientRoute(method: string, s: string[], account: Account, query: URLSearchParams, req: IncomingMessage): Promise<unknown> {
    const me = account.userId;
    const route = `${method} ${s[0]}`;
    switch (route) {
      case 'GET account':
        if (s[1] === 'whoami') return { user_id: me, device_id: account.deviceId };
        break;
      case 'GET sync':
        return this.sync(account, query);
      case 'GET joined_rooms':
        return { joined_rooms: [...this.rooms.values()].filter((r) => this.membershipOf(r, me).membership === 'join').map((r) => r.id) };
      case 'POST createRoom':
        return { room_id: this.createRoom(me, (await this.json(req)) as never) };
      case 'POST join':
        await this.json(req);
        this.join(me, s[1]!);
        return { room_id: s[1] };
      case 'POST user':
      case 'GET user':
      case 'PUT user':
        return this.userRoute(method, s, me, req);
      case 'POST rooms':
      case 'GET rooms':
      case 'PUT rooms':
        return this.roomRoute(method, s, account, req);
    }
    throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private async userRoute(method: string, s: string[], me: string, req: IncomingMessage): Promise<unknown> {
    if (s[1] !== me) throw new HttpError(403, 'M_FORBIDDEN', 'Not your account');
    if (s[2] === 'filter') {
      if (method === 'POST' && s.length === 3) {
        const id = String(this.filters.size + 1);
        this.filters.set(`${me}\u0000${id}`, await this.json(req));
        return { filter_id: id };
      }
      if (method === 'GET' && s[3]) {
        const filter = this.filters.get(`${me}\u0000${s[3]}`);
        if (filter === undefined) throw new HttpError(404, 'M_NOT_FOUND', 'No such filter');
        return filter;
      }
    }
    if (s[2] === 'account_data' && s[3]) {
      const data = this.accountData.get(me) ?? new Map<string, { content: unknown; pos: number }>();
      this.accountData.set(me, data);
      if (method === 'GET') {
        const value = data.get(s[3]);
        if (!value) throw new HttpError(404, 'M_NOT_FOUND', 'Account data not found');
        return value.content;
      }
      if (method === 'PUT') {
        this.pos++;
        data.set(s[3], { content: await this.json(req), pos: this.pos });
        this.wake();
        return {};
      }
    }
    throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private async roomRoute(method: string, s: string[], account: Account, req: IncomingMessage): Promise<unknown> {
    const me = account.userId;
    const roomId = s[1]!;
    const action = s[2];
    if (method === 'POST' && action === 'join') {
      await this.json(req);
      this.join(me, roomId);
      return { room_id: roomId };
    }
    if (method === 'POST' && action === 'leave') {
      await this.json(req);
      this.leave(me, roomId);
      return {};
    }
    if (method === 'POST' && action === 'invite') {
      const body = await this.json(req);
      this.invite(me, roomId, String(body.user_id));
      return {};
    }
    if (method === 'PUT' && action === 'send' && s[3] && s[4]) {
      const failure = this.failures.get(me)?.shift();
      if (failure) {
        const { status, errcode, retry_after_ms } = failure;
        throw Object.assign(new HttpError(status, errcode, 'Refused by the test'), retry_after_ms === undefined ? {} : { retry_after_ms });
      }
      return { event_id: this.sendEvent(account, roomId, s[3], await this.json(req), s[4]) };
    }
    const room = this.room(roomId);
    if (method === 'PUT' && action === 'state' && s[3]) {
      return { event_id: this.setState(me, roomId, s[3], s[4] ?? '', await this.json(req)) };
    }
    if (method === 'PUT' && action === 'redact' && s[3] && s[4]) {
      const body = await this.json(req);
      return { event_id: this.redact(account, roomId, s[3], s[4], typeof body.reason === 'string' ? body.reason : undefined) };
    }
    if (method === 'GET') {
      this.requireJoined(room, me);
      if (action === 'state' && !s[3]) return [...room.state.values()].map((e) => this.forClient(e, me));
      if (action === 'state' && s[3]) {
        const event = room.state.get(stateKey(s[3], s[4] ?? ''));
        if (!event) throw new HttpError(404, 'M_NOT_FOUND', 'Event not found');
        return event.content;
      }
      if (action === 'event' && s[3]) {
        const event = this.stream.find((e) => e.event.event_id === s[3] && e.event.room_id === roomId)?.event;
        if (!event) throw new HttpError(404, 'M_NOT_FOUND', 'Event not found');
        return { ...this.forClient(event, me), room_id: roomId };
      }
      if (action === 'joined_members') {
        const joined: Record<string, unknown> = {};
        for (const e of room.state.values()) if (e.type === 'm.room.member' && e.content.membership === 'join') joined[e.state_key!] = { display_name: null, avatar_url: null };
        return { joined };
      }
      if (action === 'members') {
        return { chunk: [...room.state.values()].filter((e) => e.type === 'm.room.member').map((e) => this.forClient(e, me)) };
      }
    }
    throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }
}

/** Someone using a Matrix client: everything goes over HTTP to the homeserver, with their own access token. */
export class TestUser {
  private txn = 0;

  constructor(
    readonly hs: TestHomeserver,
    readonly account: Account,
  ) {}

  get id(): string {
    return this.account.userId;
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.hs.url}/_matrix/client/v3${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.account.token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T & { errcode?: string; error?: string };
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.errcode} ${json.error}`);
    return json;
  }

  /** A direct chat with `other`, as Element makes one (is_direct, trusted_private_chat), encrypted or not. */
  async createDm(other: string, options: { encrypted?: boolean } = {}): Promise<string> {
    const initial_state = options.encrypted ? [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] : [];
    const { room_id } = await this.request<{ room_id: string }>('POST', '/createRoom', { preset: 'trusted_private_chat', is_direct: true, invite: [other], initial_state });
    return room_id;
  }

  async createRoom(invite: string[], name = 'Démailnagement'): Promise<string> {
    const { room_id } = await this.request<{ room_id: string }>('POST', '/createRoom', { preset: 'private_chat', name, invite });
    return room_id;
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.request('POST', `/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: userId });
  }

  async join(roomId: string): Promise<void> {
    await this.request('POST', `/join/${encodeURIComponent(roomId)}`, {});
  }

  async leave(roomId: string): Promise<void> {
    await this.request('POST', `/rooms/${encodeURIComponent(roomId)}/leave`, {});
  }

  async send(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
    const path = `/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${this.txn++}-${Date.now()}`;
    const { event_id } = await this.request<{ event_id: string }>('PUT', path, content);
    return event_id;
  }

  async setState(roomId: string, type: string, content: Record<string, unknown>, key = ''): Promise<string> {
    const path = `/rooms/${encodeURIComponent(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(key)}`;
    const { event_id } = await this.request<{ event_id: string }>('PUT', path, content);
    return event_id;
  }

  say(roomId: string, text: string): Promise<string> {
    return this.send(roomId, 'm.room.message', { msgtype: 'm.text', body: text });
  }

  /** Uploads a file to the media repository as a Matrix app does before sending it; returns its mxc URI. */
  async upload(data: Buffer, type: string, filename?: string): Promise<string> {
    const query = filename ? `?filename=${encodeURIComponent(filename)}` : '';
    const response = await fetch(`${this.hs.url}/_matrix/media/v3/upload${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.account.token}`, 'Content-Type': type },
      body: new Uint8Array(data),
    });
    const json = (await response.json()) as { content_uri?: string; errcode?: string };
    if (!response.ok || !json.content_uri) throw new Error(`upload: ${response.status} ${json.errcode}`);
    return json.content_uri;
  }

  sendImage(roomId: string): Promise<string> {
    return this.send(roomId, 'm.room.message', { msgtype: 'm.image', body: 'photo.jpg', url: `mxc://${SERVER_NAME}/nothing`, info: { mimetype: 'image/jpeg' } });
  }

  edit(roomId: string, eventId: string, text: string): Promise<string> {
    return this.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: `* ${text}`,
      'm.new_content': { msgtype: 'm.text', body: text },
      'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
    });
  }

  /** A message in a thread, as Element sends one: `m.thread` to the root, falling back to a reply to `lastId`. */
  threadReply(roomId: string, rootId: string, text: string, lastId = rootId): Promise<string> {
    return this.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: text,
      'm.relates_to': { rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: lastId } },
    });
  }

  /** A plain reply (no thread), with the quoted message's fallback in the body. */
  reply(roomId: string, eventId: string, text: string, quoted = '…'): Promise<string> {
    return this.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: `> <@someone:${SERVER_NAME}> ${quoted}\n\n${text}`,
      'm.relates_to': { 'm.in_reply_to': { event_id: eventId } },
    });
  }

  async redact(roomId: string, eventId: string, reason?: string): Promise<string> {
    const path = `/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/r${this.txn++}-${Date.now()}`;
    const { event_id } = await this.request<{ event_id: string }>('PUT', path, reason === undefined ? {} : { reason });
    return event_id;
  }

  /** A display name in one room (the member event again, with `displayname`). */
  setDisplayName(roomId: string, name: string): Promise<string> {
    return this.setState(roomId, 'm.room.member', { membership: 'join', displayname: name }, this.id);
  }

  react(roomId: string, eventId: string, key = '👍'): Promise<string> {
    return this.send(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } });
  }

  sticker(roomId: string): Promise<string> {
    return this.send(roomId, 'm.sticker', { body: 'a cat', url: `mxc://${SERVER_NAME}/cat`, info: {} });
  }

  /** What a client with encryption sends: opaque here (no keys are shared with a bot that has no crypto). */
  sendEncrypted(roomId: string): Promise<string> {
    return this.send(roomId, 'm.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: random(), sender_key: random(), session_id: random(), device_id: this.account.deviceId });
  }
}
