/**
 * The web chat under the contract: the real WebChat (node:http + `ws`) listening on a loopback port, and one person
 * whose browser tab is a browser-less WebSocket client (`ws`) speaking the page's frames (src/adapters/web/protocol.ts)
 * the way src/adapters/web/client/widget.js does:
 *   - it keeps the secret the server gives (`ready`) and comes back with it (`hello { secret, lastSeq }`);
 *   - it keeps what the person sent until the server `accepted` it, and sends it again after a reconnect (a stop,
 *     a lost connection): the server knows it by its id and never answers it twice;
 *   - it acknowledges what it shows (`ack`), and forgets its secret when a message says `erased` (/oublier).
 *
 * How replies are read: each `msg` from the bot is one reply (the person's own words come back as `msg` too, from
 * "me": not replies). A turn is settled when a ping sent after the frame comes back (the server has read the frame
 * and started its turn: both ends are in this process), the engine is idle, and a second ping comes back (every
 * frame the turn sent has arrived).
 */
import WebSocket from 'ws';
import { webPlatform, type WebChat } from '../../../src/adapters/web/index.js';
import { chatIdOf, type WireMessage } from '../../../src/adapters/web/conversations.js';
import type { PlatformEngine } from '../../../src/adapters/platform.js';
import type { OutMessage } from '../../../src/engine/types.js';
import { tempDbPath, texts } from '../../support/engine.js';
import { freePort } from '../../telegram/harness.js';
import { lastWithChoices, type PlatformDriver, type Reply } from '../driver.js';
import { errorsIn, logLines, makeCore, volunteerOn, type Core } from './core.js';

/** The one place the web platform is created: through its module, from its environment, as the composition root does. */
function makePlatform(core: Core, port: number, origin: string): WebChat {
  const config = webPlatform.fromEnv({ WEB_CHAT_PORT: String(port), WEB_CHAT_PUBLIC_URL: origin });
  if (!config) throw new Error('the web chat read no configuration from WEB_CHAT_PORT');
  // The engine as a platform sees it (PlatformEngine); main's Engine names `rename` renameConversation for now.
  const engine: PlatformEngine = {
    receive: (inbound) => core.engine.receive(inbound),
    knows: (key) => core.engine.knows(key),
    rename: (from, to) => core.engine.renameConversation(from, to),
    idle: () => core.engine.idle(),
  };
  return webPlatform.create(config, { engine, texts, log: core.log, state: (ns) => core.engine.adapterState(ns), desk: core.desk }) as WebChat;
}

type Frame = Record<string, unknown> & { t: string };
type SentFrame = { t: 'say'; id: string; text: string } | { t: 'choose'; id: string; choice: string; promptSeq: number; label: string };

const textOf = (m: WireMessage) => m.lines.map((line) => line.map((span) => span.text).join('')).join('\n');

function asReply(m: WireMessage): Reply {
  return {
    text: textOf(m),
    choices: m.choices.map((c) => c.label),
    // What goes over the wire: the web takes a message of any length (nothing is split).
    size: JSON.stringify({ t: 'msg', m }).length,
    handle: m,
    ...(m.attachment?.content !== undefined ? { document: { filename: m.attachment.filename, content: m.attachment.content } } : {}),
  };
}

/** A browser tab without the browser: one WebSocket at a time, the page's memory across them. */
class Tab {
  private ws?: WebSocket;
  private frames: Frame[] = [];
  secret?: string;
  /** The last message shown (hello's `lastSeq`). */
  lastSeq = 0;
  /** What the person sent and the server has not accepted yet (the widget's outbox). */
  outbox: SentFrame[] = [];
  /** Bot messages shown, not yet read by the driver. */
  unread: WireMessage[] = [];
  /** The last message said erased: the page forgot its secret and closed (a new conversation starts on demand). */
  forgotten = false;
  /** The last thing the person sent (for a redelivery). */
  lastSent?: SentFrame;
  /** What a person would see go wrong (a message shown twice, a refusal): reported with the errors. */
  readonly problems: string[] = [];

  constructor(private readonly url: string, private readonly origin: string) {}

  /** Opens a connection and says hello (resuming with the secret if it has one); resolves once `ready`. */
  async connect(): Promise<void> {
    const ws = new WebSocket(this.url, { origin: this.origin });
    this.ws = ws;
    this.frames = [];
    ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as Frame));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`the web chat refused the connection: HTTP ${res.statusCode}`)));
    });
    this.forgotten = false;
    this.send({ t: 'hello', lastSeq: this.lastSeq, lang: 'fr-FR', ...(this.secret ? { secret: this.secret } : {}) });
    await this.waitFor((f) => f.t === 'ready' || f.t === 'forgotten' || f.t === 'refused', 'answered hello');
    const answer = this.frames.find((f) => f.t === 'ready' || f.t === 'forgotten' || f.t === 'refused')!;
    if (answer.t !== 'ready') throw new Error(`the web chat answered hello with ${JSON.stringify(answer)}`);
    // As the page does once ready: what was sent and not accepted goes again, under the same ids.
    for (const kept of this.outbox) this.send(kept);
  }

  private receive(frame: Frame): void {
    this.frames.push(frame);
    if (frame.t === 'ready') {
      if (frame.secret !== this.secret) this.lastSeq = 0; // a new conversation: nothing of the old one on screen
      this.secret = frame.secret as string;
    } else if (frame.t === 'msg') {
      const m = frame.m as WireMessage;
      if (m.seq <= this.lastSeq) return void this.problems.push(`message ${m.seq} shown twice (last shown: ${this.lastSeq})`);
      this.lastSeq = m.seq;
      if (m.from === 'bot') this.unread.push(m);
      if (m.erased) {
        // As the page does (forgetHere): no secret, no outbox, the connection closed.
        this.secret = undefined;
        this.outbox = [];
        this.forgotten = true;
        this.ws?.close();
      }
    } else if (frame.t === 'accepted' || (frame.t === 'refused' && frame.id !== undefined)) {
      // Refused (too long, too fast): the page puts the text back in the box; it is no longer on its way.
      this.outbox = this.outbox.filter((f) => f.id !== frame.id);
      if (frame.t === 'refused') this.problems.push(`the web chat refused a message: ${JSON.stringify(frame)}`);
    }
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(frame: Frame): void {
    if (this.open) this.ws!.send(JSON.stringify(frame));
  }

  /** Sends (or keeps, while disconnected) something the person typed or pressed. */
  post(frame: SentFrame): void {
    this.outbox.push(frame);
    this.lastSent = frame;
    this.send(frame);
  }

  /** A round trip: every frame the server wrote before its pong has arrived, and it has read ours. */
  async ping(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        ws.off('pong', done);
        ws.off('close', done);
        resolve();
      };
      ws.on('pong', done);
      ws.on('close', done);
      ws.ping();
    });
  }

  /** As the page does a moment after showing messages. */
  ack(): void {
    if (this.lastSeq > 0) this.send({ t: 'ack', seq: this.lastSeq });
  }

  private async waitFor(test: (f: Frame) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!this.frames.some(test)) {
      if (Date.now() > deadline) throw new Error(`the web chat never ${what}; got ${JSON.stringify(this.frames).slice(0, 1000)}`);
      if (this.ws?.readyState === WebSocket.CLOSED) throw new Error(`the connection closed before the web chat ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async close(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }
}

export async function webDriver(): Promise<PlatformDriver> {
  const tmp = tempDbPath();
  const logs: string[] = [];
  const log = logLines(logs);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let core = makeCore(tmp.path, log);
  let web: WebChat;
  const refuse = { next: false };
  const tab = new Tab(`ws://127.0.0.1:${port}/ws`, origin);
  const all: Reply[] = [];
  let nextId = 1;

  /** As the composition root does: start, re-send what a crash left undelivered, then open to messages. */
  const launch = async () => {
    web = makePlatform(core, port, origin);
    const platform = web;
    core.engine.register('web', {
      // "The platform refuses the next reply": the web chat itself keeps every reply before showing it, so the
      // refusal is played here, where the engine hands it over (as Telegram's driver refuses sendMessage).
      send: async (chatId: string, message: OutMessage) => {
        if (refuse.next) {
          refuse.next = false;
          throw new Error('refused by the test: the reply did not reach the web chat');
        }
        await platform.send(chatId, message);
      },
    });
    await web.start();
    await core.engine.flushOutbox();
    await web.listen();
  };

  const settle = async () => {
    await tab.ping();
    await core.engine.idle();
    await tab.ping();
  };

  /** Bot messages shown since the last look. */
  const fresh = (): Reply[] => {
    const replies = tab.unread.splice(0).map(asReply);
    all.push(...replies);
    tab.ack();
    return replies;
  };

  /** Something the person sends: after erasure the page starts a new conversation first (its "start again"). */
  const post = async (frame: SentFrame): Promise<Reply[]> => {
    if (tab.forgotten) {
      await tab.connect();
      await settle();
    }
    tab.post(frame);
    await settle();
    return fresh();
  };

  const stop = async () => {
    await web.stop();
    await core.close();
  };
  /** A new process on the same file and port; the page reconnects by itself and sends again what was not accepted. */
  const restart = async () => {
    await stop();
    core = makeCore(tmp.path, log);
    await launch();
    await tab.connect();
    await settle();
    return fresh();
  };

  await launch();

  return {
    name: 'web',
    choicesAs: 'buttons',
    open: async () => {
      await tab.connect();
      await settle();
      return fresh();
    },
    say: (text) => post({ t: 'say', id: `p${nextId++}`, text }),
    press: (label, on = lastWithChoices(all)) => {
      const m = on.handle as WireMessage;
      const choice = m.choices.find((c) => c.label === label);
      if (!choice) throw new Error(`no choice "${label}" in ${JSON.stringify(m.choices.map((c) => c.label))}`);
      return post({ t: 'choose', id: `p${nextId++}`, choice: choice.id, promptSeq: m.promptSeq, label });
    },
    // sendNonText: undefined — the page has a text box and buttons only: a person cannot send a sticker, a photo
    // or a file on the web chat (a frame that is not one is `badFrame`, tested in tests/web/server.test.ts).
    redeliver: async () => {
      // The page lost its connection before the server's `accepted`, as far as it knows: after the reconnect it sends
      // the last message again, under the same id.
      const last = tab.outbox.at(-1) ?? tab.lastSent;
      if (!last) throw new Error('nothing sent yet to send again');
      await tab.close();
      tab.outbox = [last];
      await tab.connect();
      await settle();
      return fresh();
    },
    restart,
    sayWhileStopped: async (text) => {
      await stop();
      // The page keeps what is typed while the server is away, and sends it once connected again.
      tab.post({ t: 'say', id: `p${nextId++}`, text });
      core = makeCore(tmp.path, log);
      await launch();
      await tab.connect();
      await settle();
      return fresh();
    },
    refuseNextReply: () => void (refuse.next = true),
    deliver: async (message) => {
      // As the engine does: through the platform's Sender, for this person's chat id.
      await web.send(chatIdOf(tab.secret!), { ...message, promptSeq: 0, lang: 'fr' });
      await settle();
      return fresh();
    },
    news: async () => {
      await settle();
      return fresh();
    },
    replies: () => [...all],
    volunteer: volunteerOn(() => core, settle),
    errors: () => [...errorsIn(logs), ...tab.problems],
    close: async () => {
      await tab.close().catch(() => {});
      await stop().catch(() => {});
      tmp.cleanup();
    },
  };
}
