/**
 * The web chat's tests' world: a real SQLite file, a real Engine and Desk, the web platform made from an
 * environment by its own module (`webPlatform.fromEnv` → `create`), listening on a free loopback port; people
 * talk to it over real WebSockets (the `ws` client here; Chromium in ./browser.test.ts).
 */
import WebSocket from 'ws';
import { Engine } from '../../src/engine/engine.js';
import { Desk } from '../../src/desk/desk.js';
import { createLog } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { webPlatform, type WebChat } from '../../src/adapters/web/index.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import { platformDeps } from '../support/platform.js';
import { freePort } from '../telegram/harness.js';
import { plainText } from '../../src/render/markup.js';
import type { WireMessage } from '../../src/adapters/web/conversations.js';
import type { Inbound } from '../../src/engine/types.js';
import type { MediaSource } from '../../src/engine/media.js';

export interface WebWorld {
  engine: Engine;
  db: Db;
  desk: Desk;
  web: WebChat;
  url: string;
  origin: string;
  logs: string[];
  /** Everything the web chat handed the engine, in order (the real engine still runs every turn). */
  inbounds: Inbound[];
  /** Moves the clock of the engine, the desk and the web chat. */
  clock: { now: number };
  /** Stops the chat, keeps the database (for a restart on the same file). */
  stop(): Promise<void>;
  close(): Promise<void>;
  path: string;
}

export interface WorldOptions {
  env?: Record<string, string>;
  /** Start on an existing database file (a restart). */
  path?: string;
  /** Called once engine and desk exist, before the web chat starts (e.g. to start a Telegram bot on them). */
  /** The files of other platforms, for the web chat (a fake holding a "telegram" file); else the platforms made. */
  media?: MediaSource;
  before?(parts: { engine: Engine; db: Db; desk: Desk; path: string; log: ReturnType<typeof createLog> }): Promise<void>;
}

export async function startWorld(options: WorldOptions = {}): Promise<WebWorld> {
  const tmp = options.path ? undefined : tempDbPath();
  const path = options.path ?? tmp!.path;
  const logs: string[] = [];
  const log = createLog('debug', (line) => void logs.push(line));
  const clock = { now: Date.now() };
  const db = openDatabase(path);
  const engine = new Engine({ db, catalog, texts, log, now: () => clock.now });
  const desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr', log, now: () => clock.now });
  await options.before?.({ engine, db, desk, path, log });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = webPlatform.fromEnv({ WEB_CHAT_PORT: String(port), WEB_CHAT_PUBLIC_URL: origin, ...options.env })!;
  const deps = platformDeps(engine, { log, desk, ...(options.media ? { media: options.media } : {}) });
  const inbounds: Inbound[] = [];
  const recorded = {
    ...deps,
    engine: {
      receive: (inbound: Inbound) => {
        inbounds.push(inbound);
        return engine.receive(inbound);
      },
      knows: (key: string) => engine.knows(key),
      rename: (from: string, to: string) => engine.rename(from, to),
      idle: () => engine.idle(),
    },
  };
  const web = webPlatform.create(config, recorded) as WebChat;
  engine.register('web', web);
  await web.start();
  await engine.flushOutbox();
  await web.listen();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await web.stop();
    await engine.idle();
    db.close();
  };
  return {
    engine,
    db,
    desk,
    web,
    url: origin,
    origin,
    logs,
    inbounds,
    clock,
    path,
    stop,
    close: async () => {
      await stop();
      tmp?.cleanup();
    },
  };
}

type Frame = Record<string, unknown> & { t: string };

/** Someone's browser tab, without the browser: a WebSocket speaking the page's frames. */
export class Tab {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  secret?: string;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.t === 'ready') this.secret = frame.secret as string;
      this.frames.push(frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(world: { url: string; origin: string }, origin = world.origin): Promise<Tab> {
    const ws = new WebSocket(world.url.replace(/^http/, 'ws') + '/ws', { origin });
    // Listening before "open": a frame sent at once (the server's "busy") arrives in the same tick.
    const tab = new Tab(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: HTTP ${res.statusCode}`)));
    });
    return tab;
  }

  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Waits for a frame matching `test` (from `from`, the index of the first frame to look at). */
  async waitFor(test: (frame: Frame) => boolean, from = 0, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such frame; got ${JSON.stringify(this.frames.slice(from)).slice(0, 2000)}`);
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`closed; got ${JSON.stringify(this.frames.slice(from)).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  messages(): WireMessage[] {
    return this.frames.filter((f) => f.t === 'msg').map((f) => f.m as WireMessage);
  }

  /** The bot's last message with this many messages at least (waits for it). */
  async botMessage(count: number): Promise<WireMessage> {
    await this.waitFor(() => this.messages().filter((m) => m.from === 'bot').length >= count);
    return this.messages().filter((m) => m.from === 'bot')[count - 1]!;
  }

  lastSeq(): number {
    return Math.max(0, ...this.messages().map((m) => m.seq));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export function textOf(message: WireMessage): string {
  return message.lines.map((line) => line.map((span) => span.text).join('')).join('\n');
}

export { plainText };
