/**
 * The Matrix tests' world: our test homeserver (../support/homeserver.ts) on a loopback port, the real Matrix
 * platform (made by its module, as the composition root makes it) and matrix-bot-sdk syncing with it over HTTP, a real engine on a SQLite file, and users who act
 * through the homeserver's client-server API as a Matrix app would.
 *
 * Encryption is off in these tests, whatever the machine: the adapter is told the native crypto module is missing
 * (`crypto: { available: false, … }`), as it is on our CI where its binary could not be downloaded. (Where the
 * binary is absent, loading the SDK also goes through the stand-in of src/adapters/matrix/sdk.ts: see crypto.test.ts.)
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { matrixPlatform, type MatrixConfig, type MatrixPlatform } from '../../src/adapters/matrix/index.js';
import type { DeskPlace, PlatformDeps } from '../../src/adapters/platform.js';
import { createPlatform } from '../support/platform.js';
import type { DeskInbound, DeskPort, DeskRegistry } from '../../src/desk/port.js';
import type { MediaSource } from '../../src/engine/media.js';
import { CRYPTO_MODULE } from '../../src/adapters/matrix/sdk.js';
import { Engine } from '../../src/engine/engine.js';
import { createLog, type Log } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { catalog, texts } from '../support/engine.js';
import { TestHomeserver, type MatrixEvent, type TestUser } from '../support/homeserver.js';

/** Whether the crypto module's native binary is installed here (its postinstall download, or a platform package). */
export const CRYPTO_BINARY_PRESENT = ((): boolean => {
  const require = createRequire(import.meta.url);
  const dir = dirname(createRequire(require.resolve('matrix-bot-sdk')).resolve(CRYPTO_MODULE));
  return readdirSync(dir).some((file) => file.endsWith('.node')) || existsSync(`${dirname(dir)}/matrix-sdk-crypto-nodejs-${process.platform}-${process.arch}`);
})();

export const NO_CRYPTO = { available: false as const, reason: 'the native crypto module did not load (test: no binary)' };

/**
 * The one way these tests make the Matrix platform: through its module, with the deps the composition root gives,
 * registered with the engine as the sender of its conversations.
 */
export function createMatrix(
  config: MatrixConfig,
  engine: Engine,
  extra: { log?: Log; desk?: DeskRegistry; deskPlaces?: DeskPlace[]; media?: MediaSource } = {},
): MatrixPlatform {
  const { deskPlaces, ...rest } = extra;
  // deskPlaces: what the composition root passes from a desks file's desks on Matrix (one room each).
  const module = { ...matrixPlatform, create: (own: MatrixConfig, deps: PlatformDeps) => matrixPlatform.create(own, { ...deps, ...(deskPlaces ? { deskPlaces } : {}) }) };
  // Through createPlatform: the other platforms made for this engine (Telegram in tests/desk/world.ts) fetch its files.
  return createPlatform(module, config, engine, { desk: new RecordingDesk(), ...rest }) as MatrixPlatform;
}

export interface TestBot {
  adapter: MatrixPlatform;
  engine: Engine;
  db: Db;
  logs: string[];
  stop(): Promise<void>;
}

export class MatrixHarness {
  bot?: TestBot;
  readonly botAccount;

  private constructor(readonly hs: TestHomeserver) {
    this.botAccount = hs.register('demailbot');
  }

  static async start(): Promise<MatrixHarness> {
    return new MatrixHarness(await TestHomeserver.start());
  }

  get botId(): string {
    return this.botAccount.userId;
  }

  /**
   * `shared`: an engine (and its database) made by the caller, shared with other adapters (tests/desk/world.ts): no
   * database of the harness's own, and the bot's `stop` stops the adapter only (the caller closes the rest).
   */
  async startBot(
    dbPath: string,
    options: {
      crypto?: typeof NO_CRYPTO;
      desk?: { roomId: string; registry: DeskRegistry };
      /** The desks of a desks file on Matrix (one room each), with the registry they are handed to. */
      desks?: { places: DeskPlace[]; registry: DeskRegistry };
      shared?: { engine: Engine; db: Db };
      /** false: started (and the outbox flushed) but not listening yet — nothing settles then. */
      listen?: false;
      /** The files of other platforms (PlatformDeps.media); by default, those of the platforms made for the engine. */
      media?: MediaSource;
    } = {},
  ): Promise<TestBot> {
    // A previous client's syncs say nothing about this one's: settle waits for the new client's own.
    this.hs.forgetClient(this.botId);
    const logs: string[] = [];
    const log = createLog('debug', (line) => void logs.push(line));
    const db = options.shared?.db ?? openDatabase(dbPath);
    const engine = options.shared?.engine ?? new Engine({ db, catalog, texts, log });
    const adapter = createMatrix(
      {
        homeserverUrl: this.hs.url,
        accessToken: this.botAccount.token,
        crypto: options.crypto ?? NO_CRYPTO,
        stopGraceMs: 2_000,
        ...(options.desk ? { desk: { roomId: options.desk.roomId } } : {}),
      },
      engine,
      {
        log,
        ...(options.desk ? { desk: options.desk.registry } : {}),
        ...(options.desks ? { desk: options.desks.registry, deskPlaces: options.desks.places } : {}),
        ...(options.media ? { media: options.media } : {}),
      },
    );
    try {
      // As the composition root: start, re-send what a crash left undelivered, then take messages.
      await adapter.start();
      await engine.flushOutbox();
      if (options.listen !== false) await adapter.listen();
    } catch (error) {
      if (!options.shared) db.close();
      throw error;
    }
    this.bot = {
      adapter,
      engine,
      db,
      logs,
      stop: async () => {
        await adapter.stop();
        if (options.shared) return;
        await engine.idle();
        db.close();
      },
    };
    if (options.listen !== false) await this.settle();
    return this.bot;
  }

  /** Until the bot has handled everything the homeserver has (its own replies included). */
  settle(): Promise<void> {
    return this.hs.settle(this.botId);
  }

  user(localpart: string): MatrixUser {
    return new MatrixUser(this, this.hs.user(localpart));
  }

  async stop(): Promise<void> {
    if (this.bot) await this.bot.stop().catch(() => {}); // already stopped by the test: stop() is idempotent
    await this.hs.stop();
  }
}

/** What the bot sent, as a person reads it. */
export interface BotMessage {
  event: MatrixEvent;
  msgtype: string;
  body: string;
  html: string | undefined;
}

export function asMessage(event: MatrixEvent): BotMessage {
  const content = event.content as { msgtype?: string; body?: string; formatted_body?: string };
  return { event, msgtype: content.msgtype ?? '', body: content.body ?? '', html: content.formatted_body };
}

/** A person with a Matrix app, in one direct chat with the bot at a time. */
export class MatrixUser {
  room = '';
  private seen = 0;

  constructor(
    private readonly h: MatrixHarness,
    readonly user: TestUser,
  ) {}

  get id(): string {
    return this.user.id;
  }

  /** Opens a direct chat with the bot (it is invited) and returns what the bot said once it joined. */
  async openDm(options: { encrypted?: boolean } = {}): Promise<BotMessage[]> {
    this.room = await this.user.createDm(this.h.botId, options);
    return this.replies();
  }

  async say(text: string): Promise<BotMessage[]> {
    await this.user.say(this.room, text);
    return this.replies();
  }

  /** Sends something and returns the bot's replies to it. */
  async act(action: (user: TestUser, room: string) => Promise<unknown>): Promise<BotMessage[]> {
    await action(this.user, this.room);
    return this.replies();
  }

  /** The bot's messages in this room since the last look, once the bot has handled everything. */
  async replies(): Promise<BotMessage[]> {
    await this.h.settle();
    const all = this.h.hs.eventsFrom(this.h.botId, this.room);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh.map(asMessage);
  }

  all(): BotMessage[] {
    return this.h.hs.eventsFrom(this.h.botId, this.room).map(asMessage);
  }
}

/** The text a person sees in a notice (HTML tags dropped, entities decoded). */
export function visible(message: BotMessage): string {
  const html = message.html ?? message.body;
  return html
    .replace(/<br>/g, '\n')
    .replace(/<li>/g, '\n- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A stand-in for the desk core: keeps the port it was given and everything the adapter handed it. */
export class RecordingDesk implements DeskRegistry {
  port?: DeskPort;
  readonly received: DeskInbound[] = [];

  register(port: DeskPort): void {
    this.port = port;
  }

  async receive(inbound: DeskInbound): Promise<void> {
    this.received.push(inbound);
  }
}
