/**
 * The Matrix chat's configuration, from the environment: MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN (both, or
 * neither), and MATRIX_DESK_ROOM_ID for the volunteers' desk. Errors name the variable and never repeat the token.
 */
import { dirname, join } from 'node:path';
import { ConfigError } from '../../config.js';
import { databasePath } from '../../store/database.js';
import type { CryptoStatus } from './sdk.js';

export interface MatrixConfig {
  /** MATRIX_HOMESERVER_URL: the client-server API's base URL, without a trailing slash. */
  homeserverUrl: string;
  /** MATRIX_ACCESS_TOKEN of the bot's account. Never logged. */
  accessToken: string;
  /** MATRIX_DESK_ROOM_ID: the volunteers' desk room, which the bot is in or invited to. */
  desk?: { roomId: string };
  /**
   * The Rust crypto store's folder: `matrix-crypto/` next to the database (DEMAILBOT_DB); absent or null for no
   * encryption.
   */
  cryptoDir?: string | null;
  // Not from the environment: for tests and tools.
  /** Stands for what loading the SDK found about its native crypto module (tests play a machine without it). */
  crypto?: CryptoStatus;
  /** Long-polling timeout of /sync, in ms (30 s). */
  syncTimeoutMs?: number;
  /** How long stop() lets the events in hand finish (10 s). */
  stopGraceMs?: number;
  /** Attempts per event sent when rate-limited or the network fails (4). */
  sendAttempts?: number;
}

/** A URL variable, or undefined when unset: http(s) only. */
function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL starting with https:// or http:// (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must start with https:// or http:// (got "${raw}")`);
  return raw;
}

/** Matrix's configuration, or undefined when neither variable is set (and no desk room asks for Matrix). */
export function matrixFromEnv(env: NodeJS.ProcessEnv): MatrixConfig | undefined {
  const url = httpUrl(env, 'MATRIX_HOMESERVER_URL');
  const token = env.MATRIX_ACCESS_TOKEN?.trim();
  const deskRoomId = env.MATRIX_DESK_ROOM_ID?.trim() || undefined;
  if (url && !token) throw new ConfigError('MATRIX_HOMESERVER_URL is set but MATRIX_ACCESS_TOKEN is not (the bot account\'s access token)');
  if (!url && token) throw new ConfigError('MATRIX_ACCESS_TOKEN is set but MATRIX_HOMESERVER_URL is not (the bot account\'s homeserver, like https://matrix.example.org)');
  if (token && /\s/.test(token)) throw new ConfigError('MATRIX_ACCESS_TOKEN must be a single word, with no spaces (copy the access token alone)');
  if (deskRoomId && !/^![^:\s]+:\S+$/.test(deskRoomId)) {
    throw new ConfigError(`MATRIX_DESK_ROOM_ID must be a room id like !abcdef:example.org (got "${deskRoomId}")`);
  }
  if (!url || !token) {
    if (deskRoomId) throw new ConfigError('MATRIX_DESK_ROOM_ID is set but MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN are not');
    return undefined;
  }
  return {
    homeserverUrl: url.replace(/\/+$/, ''),
    accessToken: token,
    ...(deskRoomId ? { desk: { roomId: deskRoomId } } : {}),
    cryptoDir: join(dirname(databasePath(env)), 'matrix-crypto'),
  };
}
