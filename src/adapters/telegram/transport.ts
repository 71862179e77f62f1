/**
 * How updates reach the bot: long polling (@grammyjs/runner: batches fetched while the last ones are handled, one
 * chat's updates kept in order by the platform's sequentialize) or a webhook (node:http, Telegram's secret-token
 * header checked by grammY, the body's size capped).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { run, type RunOptions, type RunnerHandle } from '@grammyjs/runner';
import type { Log } from '../../log.js';
import { describeError } from './errors.js';
import { ALLOWED_UPDATES } from './read.js';

/** The largest webhook body read (a real update is a few kilobytes; Telegram's messages at most 4096 characters). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookConfig {
  /** TELEGRAM_WEBHOOK_URL: the public https URL Telegram posts to; its path is the one served. */
  url: string;
  /** TELEGRAM_WEBHOOK_PORT: the local port the reverse proxy forwards to (0: any free port, for tests). */
  port: number;
  /** The interface to listen on; every interface, IPv6 and IPv4, when not given. */
  host?: string;
  /** TELEGRAM_WEBHOOK_SECRET, checked in the X-Telegram-Bot-Api-Secret-Token header; a random one per start when not given. */
  secret?: string;
}

/** Starts long polling. The runner's own logging is off: failures surface through its task (see the platform). */
export function startPolling(bot: Bot, options: RunOptions<Update> = {}): RunnerHandle {
  return run(bot, {
    ...options,
    runner: { silent: true, ...options.runner, fetch: { allowed_updates: [...ALLOWED_UPDATES], ...options.runner?.fetch } },
  });
}

/**
 * Serves the webhook and tells Telegram where it is. While `stopping()`, updates are answered 503: Telegram
 * delivers them again later (to the next start).
 */
export async function serveWebhook(bot: Bot, webhook: WebhookConfig, options: { stopping: () => boolean; log: Log }): Promise<{ server: Server; port: number }> {
  const { log } = options;
  const secret = webhook.secret ?? randomBytes(32).toString('hex');
  const path = new URL(webhook.url).pathname;
  const callback = webhookCallback(bot, 'http', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: 50_000 });
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404).end();
      return;
    }
    if (options.stopping()) {
      res.writeHead(503).end(); // Telegram delivers it again later.
      return;
    }
    // A real update is a few kilobytes: a bigger body is refused before it is read (whoever knows the secret
    // could otherwise make the process buffer gigabytes), and a body streamed without a length is cut at the cap.
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) {
      res.writeHead(413, { connection: 'close' }).end();
      req.destroy();
      return;
    }
    const tooLarge = () => {
      if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
    };
    callback(limitedBody(req, WEBHOOK_BODY_LIMIT, tooLarge) as unknown as IncomingMessage, res).catch((error: unknown) => {
      if (res.headersSent) return; // cut at the cap: answered 413 already
      // Only the error's kind: a JSON error would quote the (unauthenticated or forged) body.
      log('telegram_webhook_failed', { error: error instanceof Error ? error.name : typeof error }, 'warn');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if (webhook.host) server.listen(webhook.port, webhook.host, listening);
    else server.listen(webhook.port, listening); // every interface, IPv6 and IPv4
  });
  server.on('error', (error) => log('telegram_webhook_server_error', describeError(error), 'error'));
  await bot.api.setWebhook(webhook.url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * The request's body through a counter: past `max` bytes the request is destroyed and `tooLarge` answers 413.
 * It stands for the request for grammY's http adapter, which reads `headers` and the body's events.
 */
export function limitedBody(req: IncomingMessage, max: number, tooLarge: () => void): Transform & { headers: IncomingMessage['headers'] } {
  let seen = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) {
        tooLarge();
        req.destroy();
        done(new Error('webhook body over the limit'));
        return;
      }
      done(null, chunk);
    },
  });
  req.on('error', (error) => body.destroy(error));
  req.pipe(body);
  return Object.assign(body, { headers: req.headers, method: req.method, url: req.url });
}
