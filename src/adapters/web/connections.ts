/**
 * The web chat's WebSocket side (`ws`): who is connected, and which tabs show which conversation.
 *
 *   upgrade   → /ws, Origin in WEB_CHAT_ORIGINS (else 403), not stopping
 *   connected → room left, in all and from this address (else "busy"); each frame parsed (else `badFrame`) and
 *               handed on (./dialogue.ts), tracked by the platform's Lifecycle so that a stop lets it finish
 *   heartbeat → a ping every HEARTBEAT_MS; a connection that did not answer the last one is closed
 *   tabs      → attach (the conversation is open in this connection) / detach (closed), frames to one or all
 *
 * It knows nothing of what the frames mean: that is ./dialogue.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Log } from '../../log.js';
import type { Lifecycle } from '../kit/lifecycle.js';
import type { WebConfig } from './config.js';
import { parseFrame, type ClientFrame, type RefusalReason } from './protocol.js';

/** Pings every so often, so connections that died silently are closed and stop counting against the limits. */
const HEARTBEAT_MS = 30_000;

/** One open WebSocket: a browser tab (or a widget), attached to a conversation once its `hello` is answered. */
export interface Client {
  ws: WebSocket;
  /** Answered the last ping (a phone gone to sleep, a cut network never say goodbye: they stop answering). */
  alive: boolean;
  id: number;
  address: string;
  chatId?: string;
  secret?: string;
}

export class WebConnections {
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly tabs = new Map<string, Set<Client>>();
  private readonly perAddress = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  private nextId = 1;

  constructor(
    private readonly config: WebConfig,
    private readonly log: Log,
    private readonly lifecycle: Lifecycle,
    /** What a well-formed frame does (./dialogue.ts). */
    private readonly onFrame: (client: Client, frame: ClientFrame) => Promise<void>,
  ) {
    // A frame can be a few times longer than its text (JSON escapes); anything much bigger is not ours.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxMessageChars * 6 + 4096, clientTracking: false });
  }

  /** The person's address: the socket's, or the first X-Forwarded-For one behind a trusted proxy (WEB_CHAT_TRUST_PROXY). */
  addressOf(req: IncomingMessage): string {
    const forwarded = this.config.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]!.trim() : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  /** The HTTP server's 'upgrade': a WebSocket for the page, or a 403 that names the setting. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const origin = req.headers.origin;
    if (path !== '/ws' || !origin || !this.config.origins.includes(origin) || this.lifecycle.isStopping) {
      this.log('web_origin_refused', { origin: origin ?? null, path }, 'warn');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nThis site is not allowed to open the chat (WEB_CHAT_ORIGINS).\n');
      return;
    }
    const address = this.addressOf(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, address));
  }

  startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        if (!client.alive) client.ws.terminate();
        else {
          client.alive = false;
          client.ws.ping();
        }
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** At a stop: no more pings, every connection closed (the pages reconnect to the next process on their own). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.ws.close(1001, 'server stopping');
  }

  count(): number {
    return this.clients.size;
  }

  /** The conversation is open in this connection: its frames go there from now on. */
  attach(client: Client, chatId: string, secret: string, fresh: boolean): void {
    client.chatId = chatId;
    client.secret = secret;
    const tabs = this.tabs.get(chatId) ?? new Set<Client>();
    tabs.add(client);
    this.tabs.set(chatId, tabs);
    this.frame(client, { t: 'ready', secret, fresh });
  }

  /** A frame to every open tab of the conversation. */
  toTabs(chatId: string, frame: Record<string, unknown>): void {
    for (const client of this.tabs.get(chatId) ?? []) this.frame(client, frame);
  }

  /** The conversation was erased: its tabs hold it no more (a frame they send now is a `badFrame`). */
  forgetTabs(chatId: string): void {
    for (const client of this.tabs.get(chatId) ?? []) {
      client.chatId = undefined;
      client.secret = undefined;
    }
    this.tabs.delete(chatId);
  }

  refuse(client: Client, reason: RefusalReason, extra: { id?: string; retryAfterMs?: number; max?: number } = {}): void {
    this.frame(client, { t: 'refused', reason, ...extra });
  }

  frame(client: Client, frame: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(frame));
  }

  private connected(ws: WebSocket, address: string): void {
    const { limits } = this.config;
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.clients.size >= limits.maxConnections || fromAddress >= limits.connectionsPerAddress) {
      this.log('web_limit', { limit: 'connections', open: this.clients.size }, 'warn');
      ws.send(JSON.stringify({ t: 'refused', reason: 'busy', retryAfterMs: 30_000 }));
      ws.close(1013, 'busy');
      return;
    }
    const client: Client = { ws, alive: true, id: this.nextId++, address };
    ws.on('pong', () => (client.alive = true));
    this.clients.add(client);
    this.perAddress.set(address, fromAddress + 1);
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? undefined : parseFrame(data.toString());
      if (!frame) return this.refuse(client, 'badFrame');
      void this.lifecycle
        .track(() => this.onFrame(client, frame))
        .catch((error: unknown) => this.log('web_turn_failed', { error: (error as Error).message }, 'error'));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.clients.delete(client);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
      if (client.chatId) this.detach(client);
    });
  }

  private detach(client: Client): void {
    const tabs = this.tabs.get(client.chatId!);
    tabs?.delete(client);
    if (tabs?.size === 0) this.tabs.delete(client.chatId!);
    client.chatId = undefined;
  }
}
