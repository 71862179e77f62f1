/**
 * The Matrix chat, with matrix-bot-sdk: one `Platform` (../platform.ts) over the bot's account. Its parts:
 *
 *   ./client.ts  the SDK's client, its storage through AdapterState ("matrix"), the crypto store's folder
 *   ./sync.ts    every /sync event routed in one place → ./people.ts (direct chats) or ./desk/room.ts (a desk)
 *   ./rooms.ts   who is in which room, leaving rooms      ./send.ts   events out (retries, encryption, files)
 *   ./read.ts    events → Inbound inputs                   ./format.ts replies → m.notice contents (HTML, plain)
 *   ./media.ts   files: sent by mxc URI or uploaded, downloaded for other platforms (fetchMedia)
 *
 * - Desks: the room of MATRIX_DESK_ROOM_ID (port "matrix", state "matrix-desk"); or, with a desks file, one room per
 *   desk on Matrix (`deps.deskPlaces`: port "matrix/<desk id>", state "matrix-desk/<desk id>"), each its own port.
 * - start(): checks the token (whoami), joins every desk room (it must be invited, or start fails), prepares
 *   encryption where it is on (falling back to off if that fails), starts syncing — but holds the batches: replies
 *   can be sent from here on, nothing is answered yet. listen(): the batches are handled. stop(): no new batch,
 *   the events in hand finish (up to the grace period).
 * - Encryption: on where the SDK's native crypto module loads (./sdk.ts) and a crypto folder is configured. Off
 *   otherwise, said once in the log at start.
 * - A reply to a person who left their room (or whose room the bot is no longer in) throws RecipientGoneError.
 * - Logs carry event names and Matrix error codes: never a message, a token, a room or a user id.
 */
import type { IFilterInfo, MatrixClient } from 'matrix-bot-sdk';
import { RecipientGoneError } from '../../engine/types.js';
import type { OutMessage } from '../../engine/types.js';
import type { MediaFile, MediaRef } from '../../engine/media.js';
import type { Log } from '../../log.js';
import { Lifecycle } from '../kit/lifecycle.js';
import type { Platform, PlatformDeps } from '../platform.js';
import { makeClient, protectFolder, StateStorageProvider, SYNC_FILTER } from './client.js';
import type { MatrixConfig } from './config.js';
import { deskRoomPlaces, type MatrixDeskPlace } from './desk/places.js';
import { MatrixDesk } from './desk/port.js';
import { DeskRoom } from './desk/room.js';
import { describeError, ENCRYPTION_FIX, MatrixStartError, routeSdkLogs, whoamiFailed } from './errors.js';
import { noticeContents } from './format.js';
import { MatrixMedia } from './media.js';
import { People } from './people.js';
import { parseMatrixChatId, Rooms } from './rooms.js';
import { MATRIX_PLATFORM } from './read.js';
import { loadMatrixSdk, type MatrixSdk } from './sdk.js';
import { Transport } from './send.js';
import { SyncRouter } from './sync.js';

export class MatrixPlatform implements Platform {
  readonly name = MATRIX_PLATFORM;
  private readonly sdk: MatrixSdk;
  private readonly log: Log;
  private readonly storage: StateStorageProvider;
  private readonly rooms: Rooms;
  private readonly people: People;
  private readonly router: SyncRouter;
  private readonly transport: Transport;
  private readonly media: MatrixMedia;
  /** The desk rooms by room id, in the order they were given (the first is `desk`'s). */
  private readonly deskRooms = new Map<string, DeskRoom>();
  private readonly places: MatrixDeskPlace[];
  private client?: MatrixClient;
  private userId = '';
  private encryption: { on: true } | { on: false; reason: string };
  /** Started: the client (and its crypto) prepared, replies can go out. */
  private ready = false;
  private readonly lifecycle = new Lifecycle();
  readonly done = this.lifecycle.done;

  constructor(
    private readonly config: MatrixConfig,
    deps: PlatformDeps,
  ) {
    this.log = deps.log;
    const loaded = loadMatrixSdk();
    this.sdk = loaded.sdk;
    routeSdkLogs(this.sdk, this.log);
    const crypto = config.crypto ?? loaded.crypto;
    this.encryption = !crypto.available
      ? { on: false, reason: crypto.reason }
      : config.cryptoDir
        ? { on: true }
        : { on: false, reason: 'no folder for the crypto store (the database is in memory)' };
    if (this.encryption.on && config.cryptoDir) protectFolder(config.cryptoDir);
    this.storage = new StateStorageProvider(deps.state(MATRIX_PLATFORM));

    const bot = () => this.userId;
    const encrypted = () => this.encryption.on;
    this.transport = new Transport(() => this.client, { attempts: config.sendAttempts ?? 4, stopping: () => this.lifecycle.isStopping, log: this.log });
    this.media = new MatrixMedia({ client: () => this.requireClient(), source: deps.media, log: this.log });
    this.rooms = new Rooms(() => this.client!, bot, this.log);
    this.people = new People({
      engine: deps.engine,
      texts: deps.texts,
      rooms: this.rooms,
      bot,
      encrypted,
      notice: (roomId, content) => this.transport.event(roomId, content),
      log: this.log,
    });
    this.places = deskRoomPlaces(config, deps.deskPlaces);
    for (const { roomId, port: name, namespace } of this.places) {
      if (this.deskRooms.has(roomId)) continue; // two desks cannot share a room: the desks file's check says so first
      const port = new MatrixDesk(() => this.requireClient(), roomId, {
        name,
        state: deps.state(namespace),
        log: this.log,
        send: (room, content) => this.transport.event(room, content),
        media: (room, media, caption) => this.media.contents(room, media, caption),
        // The room's whole state is read once, then kept up to date by /sync: someone absent from it never joined.
        membership: async (userId) => (this.ready ? ((await this.rooms.get(roomId)).members.get(userId) ?? 'leave') : undefined),
      });
      this.deskRooms.set(roomId, new DeskRoom(roomId, { port, registry: deps.desk, rooms: this.rooms, bot, encrypted, log: this.log }));
      deps.desk.register(port);
    }
    this.router = new SyncRouter({ people: this.people, rooms: this.rooms, bot, lifecycle: this.lifecycle, log: this.log, desks: this.deskRooms });
  }

  /** The (first) desk's port (registered with the desk core at construction), when a desk is configured. */
  get desk(): MatrixDesk | undefined {
    return this.desks[0];
  }

  /** Every desk's port, in the order of the desk places (one, for MATRIX_DESK_ROOM_ID). */
  get desks(): MatrixDesk[] {
    return [...this.deskRooms.values()].map((room) => room.port);
  }

  /** Whether encryption is on (known after start: it may have failed to prepare). */
  get encrypted(): boolean {
    return this.encryption.on;
  }

  /** The bot's user id (after start). */
  get botUserId(): string {
    return this.userId;
  }

  private requireClient(): MatrixClient {
    if (!this.client || !this.ready) throw new Error('the Matrix adapter is not started yet');
    return this.client;
  }

  /**
   * Checks the token (whoami), joins the desk room, prepares encryption where it is on (falling back to off if that
   * fails), then starts syncing with the batches held until listen(). Resolves once replies can be sent.
   */
  async start(): Promise<void> {
    const probe = this.newClient(false);
    let whoami: { user_id: string; device_id?: string };
    try {
      whoami = await probe.getWhoAmI();
    } catch (error) {
      const detail = describeError(error);
      this.log('matrix_whoami_failed', detail, 'error');
      throw whoamiFailed(detail);
    }
    this.userId = whoami.user_id;
    for (const place of this.places) await this.joinDesk(probe, place);
    if (this.encryption.on && !whoami.device_id) {
      this.encryption = { on: false, reason: 'the access token is not tied to a device (whoami gives no device_id)' };
    }
    this.router.firstSync(!this.storage.getSyncToken());

    if (this.encryption.on) {
      this.client = this.newClient(true);
      try {
        await this.startSyncing();
      } catch (error) {
        this.client.stop();
        this.encryption = { on: false, reason: `preparing encryption failed (${JSON.stringify(describeError(error))})` };
        this.client = undefined;
      }
    }
    if (!this.client) {
      this.client = probe;
      if (!this.encryption.on) {
        // Once per start, and plainly: the operator must know encrypted rooms are not served, and how to fix it.
        this.log('matrix_encryption_off', { reason: this.encryption.reason, fix: ENCRYPTION_FIX }, 'warn');
      }
      await this.startSyncing();
    }
    this.ready = true;
    this.log('matrix_started', { encryption: this.encryption.on ? 'on' : 'off' });
  }

  /** The batches /sync brings are handled from now on (the first one may be waiting already). */
  async listen(): Promise<void> {
    if (!this.ready) throw new Error('the Matrix adapter is not started yet: start() it first');
    this.router.listen();
  }

  /** The bot must be in each desk room: joined already, or invited (it joins now). Start fails otherwise. */
  private async joinDesk(client: MatrixClient, { roomId, setting }: MatrixDeskPlace): Promise<void> {
    if (!/^![^:]+:.+$/.test(roomId)) {
      throw new MatrixStartError(`${setting} is not a Matrix room id (it looks like !abc:example.org; see the room settings, Advanced)`);
    }
    try {
      await client.joinRoom(roomId);
      this.log('matrix_desk_joined');
    } catch (error) {
      const detail = describeError(error);
      this.log('matrix_desk_join_failed', detail, 'error');
      throw new MatrixStartError(
        `the bot cannot join the desk room ${setting} (${String(detail.errcode ?? detail.error ?? detail.status)}): invite the bot's account to that room, or check the id`,
      );
    }
  }

  private async startSyncing(): Promise<void> {
    const client = this.client!;
    this.router.attach(client);
    await client.start(SYNC_FILTER as unknown as IFilterInfo['filter']);
  }

  private newClient(withCrypto: boolean): MatrixClient {
    const { homeserverUrl, accessToken, cryptoDir } = this.config;
    return makeClient(this.sdk, {
      homeserverUrl,
      accessToken,
      storage: this.storage,
      ...(withCrypto && cryptoDir ? { cryptoDir } : {}),
      hooks: this.router.hooks,
      syncTimeoutMs: this.config.syncTimeoutMs ?? 30_000,
    });
  }

  /**
   * Delivers one reply: its notice(s) — or the volunteer's file with the text as its caption —, then its document.
   * Throws if the homeserver refuses (the engine keeps the reply for a retry) — an error saying only Matrix's error
   * code: the engine logs its message; a file that cannot be had (MediaGoneError) or uploaded (UploadRefusedError)
   * says so.
   */
  async send(chatId: string, message: OutMessage): Promise<void> {
    if (!this.ready) throw new Error('the Matrix adapter is not started yet'); // re-sent after its start
    const { roomId, owner } = parseMatrixChatId(chatId);
    if (this.rooms.hasLeft(roomId) || this.rooms.aloneIn(roomId) || (owner && this.rooms.userLeft(roomId, owner))) {
      throw new RecipientGoneError('the person left the Matrix room');
    }
    this.people.replying(roomId, message);
    // The file found (or uploaded) first: its own errors say what is wrong with it, not the room's.
    const contents = message.media ? await this.media.contents(roomId, message.media, message.text) : noticeContents(message);
    try {
      for (const content of contents) await this.transport.event(roomId, content);
      if (message.attachment) await this.transport.attachment(roomId, message.attachment);
    } catch (error) {
      const detail = describeError(error);
      if (detail.errcode === 'M_FORBIDDEN' && !(await this.rooms.botIsIn(roomId))) throw new RecipientGoneError('the bot is no longer in the Matrix room');
      throw new Error(`Matrix refused the reply (${JSON.stringify(detail)})`);
    }
  }

  /** The bytes of a file a Matrix user sent (its mxc URI), for another platform to upload (./media.ts). */
  fetchMedia(ref: MediaRef): Promise<MediaFile> {
    return this.media.fetch(ref);
  }

  /** Stops syncing, lets the events in hand finish (up to the grace period). The database stays open. */
  stop(): Promise<void> {
    return this.lifecycle.stop({
      halt: () => {
        this.router.stop();
        this.client?.stop();
      },
      graceMs: this.config.stopGraceMs ?? 10_000,
      afterGrace: () => this.log('matrix_stopped'),
    });
  }

  /** Resolves when no event is being handled. */
  idle(): Promise<void> {
    return this.lifecycle.idle();
  }
}

