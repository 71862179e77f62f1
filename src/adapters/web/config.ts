/**
 * The web chat's configuration, from the environment. `WEB_CHAT_PORT` turns it on; everything else has a default
 * a small association can run with. Each mistake is a ConfigError that names the variable and shows a right value.
 */
import { ConfigError } from '../../config/env.js';
import type { UploadLimits } from './uploads.js';

export interface WebLimits {
  /** Open WebSocket connections, all addresses together (WEB_CHAT_MAX_CONNECTIONS). */
  maxConnections: number;
  /** Open connections from one address (WEB_CHAT_MAX_CONNECTIONS_PER_ADDRESS). */
  connectionsPerAddress: number;
  /** Messages one connection may send in a minute (WEB_CHAT_MESSAGES_PER_MINUTE). */
  messagesPerMinute: number;
  /** Messages one address may send in a minute, all its connections together (WEB_CHAT_ADDRESS_MESSAGES_PER_MINUTE). */
  addressMessagesPerMinute: number;
  /** New conversations (and carry codes tried) one address may open in an hour (WEB_CHAT_NEW_CONVERSATIONS_PER_HOUR). */
  newConversationsPerHour: number;
  /** Characters in one typed message (WEB_CHAT_MAX_MESSAGE_CHARS). */
  maxMessageChars: number;
}

export interface WebConfig {
  port: number;
  /** The address to listen on (WEB_CHAT_HOST): loopback by default, behind a reverse proxy. */
  host: string;
  /** Where people reach the chat (WEB_CHAT_PUBLIC_URL), without a trailing slash: the links it gives start with it. */
  publicUrl: string;
  /** The origins allowed to open the chat: WEB_CHAT_ORIGINS and the public URL's own. */
  origins: string[];
  /** Read the person's address from X-Forwarded-For (WEB_CHAT_TRUST_PROXY=1, when behind nginx). */
  trustProxy: boolean;
  limits: WebLimits;
  /** Messages kept per conversation to redraw the page on return (beyond those not yet shown). */
  historyKept: number;
  /** How long a code to carry the conversation to another device stays valid. */
  carryMinutes: number;
  /** The files people send, kept in memory only (./uploads.ts). */
  media: UploadLimits;
}

export const DEFAULT_LIMITS: WebLimits = {
  maxConnections: 2_000,
  connectionsPerAddress: 20,
  messagesPerMinute: 30,
  addressMessagesPerMinute: 120,
  newConversationsPerHour: 20,
  maxMessageChars: 2_000,
};

const MEGABYTE = 1024 * 1024;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1, max = 1_000_000): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, like "${fallback}" (got "${raw}")`);
  }
  return value;
}

/** "https://asso.example.org/page" → "https://asso.example.org"; throws a ConfigError naming `name` otherwise. */
export function originOf(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: "${value}" is not a web address; write it in full, like "https://asso.example.org"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name}: "${value}" must start with https:// (or http:// for a test on this machine)`);
  }
  return url.origin;
}

export function readWebConfig(env: NodeJS.ProcessEnv): WebConfig | undefined {
  const rawPort = env.WEB_CHAT_PORT?.trim();
  if (rawPort === undefined || rawPort === '') return undefined;
  const port = wholeNumber(env, 'WEB_CHAT_PORT', 8080, 1, 65_535);
  const host = env.WEB_CHAT_HOST?.trim() || '127.0.0.1';
  const rawPublic = env.WEB_CHAT_PUBLIC_URL?.trim() || `http://localhost:${port}`;
  originOf(rawPublic, 'WEB_CHAT_PUBLIC_URL');
  const publicUrl = rawPublic.replace(/\/+$/, '');
  const listed = (env.WEB_CHAT_ORIGINS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const entry of listed) {
    if (entry === '*') {
      throw new ConfigError('WEB_CHAT_ORIGINS cannot be "*": list the sites allowed to embed the chat, like "https://asso.example.org,https://www.asso.example.org"');
    }
    if (new URL(originOf(entry, 'WEB_CHAT_ORIGINS')).origin !== entry.replace(/\/+$/, '')) {
      throw new ConfigError(`WEB_CHAT_ORIGINS lists origins, without a path: write "${originOf(entry, 'WEB_CHAT_ORIGINS')}" instead of "${entry}"`);
    }
  }
  const origins = [...new Set([originOf(publicUrl, 'WEB_CHAT_PUBLIC_URL'), ...listed.map((entry) => originOf(entry, 'WEB_CHAT_ORIGINS'))])];
  const trust = env.WEB_CHAT_TRUST_PROXY?.trim();
  if (trust !== undefined && trust !== '' && trust !== '0' && trust !== '1') {
    throw new ConfigError(`WEB_CHAT_TRUST_PROXY must be 1 (behind a reverse proxy that sets X-Forwarded-For) or 0 (got "${trust}")`);
  }
  return {
    port,
    host,
    publicUrl,
    origins,
    trustProxy: trust === '1',
    limits: {
      maxConnections: wholeNumber(env, 'WEB_CHAT_MAX_CONNECTIONS', DEFAULT_LIMITS.maxConnections),
      connectionsPerAddress: wholeNumber(env, 'WEB_CHAT_MAX_CONNECTIONS_PER_ADDRESS', DEFAULT_LIMITS.connectionsPerAddress),
      messagesPerMinute: wholeNumber(env, 'WEB_CHAT_MESSAGES_PER_MINUTE', DEFAULT_LIMITS.messagesPerMinute),
      addressMessagesPerMinute: wholeNumber(env, 'WEB_CHAT_ADDRESS_MESSAGES_PER_MINUTE', DEFAULT_LIMITS.addressMessagesPerMinute),
      newConversationsPerHour: wholeNumber(env, 'WEB_CHAT_NEW_CONVERSATIONS_PER_HOUR', DEFAULT_LIMITS.newConversationsPerHour),
      maxMessageChars: wholeNumber(env, 'WEB_CHAT_MAX_MESSAGE_CHARS', DEFAULT_LIMITS.maxMessageChars, 50, 100_000),
    },
    historyKept: 200,
    carryMinutes: 15,
    media: {
      // 200 MB in all: twenty phones' screenshots sent at once several times over; the oldest go first beyond it.
      totalBytes: wholeNumber(env, 'WEB_CHAT_MEDIA_TOTAL_MB', 200, 10, 100_000) * MEGABYTE,
      // A conversation keeps a few files at a time (a screenshot, a letter, a PDF): its oldest go first beyond it.
      conversationBytes: wholeNumber(env, 'WEB_CHAT_MEDIA_CONVERSATION_MB', 30, 10, 100_000) * MEGABYTE,
      // Long enough for the retries of a desk that was down for a night to still find the file.
      ttlMs: wholeNumber(env, 'WEB_CHAT_MEDIA_HOURS', 24, 1, 24 * 30) * 3_600_000,
    },
  };
}
