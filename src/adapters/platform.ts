/**
 * What a platform is — the one contract every chat app demailbot speaks on (the terminal, Telegram, Matrix, the web
 * chat) fulfils. The composition root (src/app.ts) knows platforms only through this file and the registry
 * (./registry.ts); a platform knows the conversation only through `PlatformEngine` (messages in, replies out) and the
 * store only through `AdapterState`.
 *
 * Life of a platform, driven by the composition root:
 *   create (from its module, with its own configuration) → start() every platform (connect, check the token, join
 *   rooms: replies can be delivered from here on) → the engine re-sends once what a crash left undelivered →
 *   listen() every platform (messages come in) → … → stop() (no new message; the turns in flight finish) → done.
 */
import type { Inbound, OutMessage, Sender } from '../engine/types.js';
import type { MediaFile, MediaRef, MediaSource } from '../engine/media.js';
import type { AdapterState } from '../store/adapter-state.js';
import type { DeskRegistry } from '../desk/port.js';
import type { Texts } from '../render/i18n.js';
import type { Log } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { CheckResult } from '../ops/check-result.js';

/** The engine as a platform sees it: nothing of the conversation, only messages in and its own conversations' names. */
export interface PlatformEngine {
  /** One message (or button press, or start) from a person: the turn runs, the reply goes out through `send`. */
  receive(inbound: Inbound): Promise<OutMessage | null>;
  /** Whether a conversation is stored under this key ("matrix:!room:server @user:server"). */
  knows(conversationKey: string): boolean;
  /** Moves a stored conversation to a new key (an id scheme changed): nothing is lost, nothing merged. */
  rename(fromKey: string, toKey: string): void;
  /** Resolves when every turn under way has finished. */
  idle(): Promise<void>;
}

/** What the composition root hands a platform it creates. */
export interface PlatformDeps {
  engine: PlatformEngine;
  texts: Texts;
  log: Log;
  /** The platform's durable state, by namespace (the `adapter_state` table): the only way it touches the store. */
  state(namespace: string): AdapterState;
  /** The volunteers' desk: a platform with a desk configured registers its port and hands it what volunteers do. */
  desk: DeskRegistry;
  /** Set when METRICS_PORT is: a platform may count its own API calls and queues there. */
  metrics?: Metrics;
  /**
   * The coalition's desks on this platform (a desks file, src/desk/desks.ts): one desk port per group or room,
   * registered under `port` ("telegram/arn"), its state under its own namespace. Empty or absent: the platform's
   * own single-desk setting (TELEGRAM_DESK_CHAT_ID, MATRIX_DESK_ROOM_ID), its port named after the platform.
   */
  deskPlaces?: ReadonlyArray<DeskPlace>;
  /**
   * Reads a file another platform holds (a Matrix screenshot to post on a Telegram desk, a Telegram photo for a
   * web chat), from the running platform named in the file's reference. Bytes in memory only.
   */
  media: MediaSource;
}

/** One desk's group or room on a platform: where it is, and the port name the desk core knows it by. */
export interface DeskPlace {
  /** The Telegram chat id, the Matrix room id. */
  place: string;
  /** "telegram/arn": stored with each ticket's thread. */
  port: string;
  /** The desk's id, for the namespace of the port's own state ("telegram-desk/arn"). */
  deskId: string;
}

/** A running platform. It is also the engine's `Sender` for its conversations (`send(chatId, message)`). */
export interface Platform extends Sender {
  /** The platform's name, also the first part of its conversations' keys ("telegram"). */
  readonly name: string;
  /** Connects without taking messages yet (checks the token, joins the desk room); replies can be sent after it. */
  start(): Promise<void>;
  /** Opens to messages: polling, a webhook, a sync loop, a listening port, the terminal's input. */
  listen(): Promise<void>;
  /** Stops taking messages and lets the turns in flight finish. Safe to call twice, and before `listen`. */
  stop(): Promise<void>;
  /**
   * Settles when the platform is finished: resolves after `stop()` (or the end of the terminal's input), rejects
   * when it failed for good (Telegram's polling refused), so that the process exits and says why.
   */
  readonly done: Promise<void>;
  /**
   * The bytes of a file this platform holds (`ref.platform` is its name), for another platform to upload. Only
   * platforms that take files have it; throws when the file is too big to fetch or gone.
   */
  fetchMedia?(ref: MediaRef): Promise<MediaFile>;
}

/** A platform's entry in the registry: reads its own configuration and makes the platform. */
export interface PlatformModule<C = unknown> {
  readonly name: string;
  /**
   * Its configuration from the environment, or undefined when it is not configured (no token). Throws a
   * `ConfigError` naming the variable and how to fix it when it is configured wrongly.
   */
  fromEnv(env: NodeJS.ProcessEnv): C | undefined;
  /** Only when no other platform is configured (the terminal chat: `npm start` with no token). */
  readonly fallback?: boolean;
  create(config: C, deps: PlatformDeps): Platform;
  /**
   * Whether `id` is a user id of this platform, as written in DESK_VOLUNTEERS after "<name>:". Only platforms
   * volunteers can work from have it (Telegram, Matrix); a web chat user is never a volunteer.
   */
  isUserId?(id: string): boolean;
  /** An example user id ("<user id>", "@user:server"), for the error that teaches DESK_VOLUNTEERS' format. */
  readonly userIdExample?: string;
  /**
   * When `error` is one of this platform's operator errors (a wrong token, the server unreachable): what to print,
   * plainly and without a stack, never a token. Undefined for any other error.
   */
  operatorError(error: unknown): string | undefined;
  /** How it runs, for the start's log line and the doctor's summary ("Telegram (long polling)"). */
  describe(config: C): { mode: string; desk?: string };
  /** `npm run doctor`: checks against the platform's server for real (the token, the desk's rights). */
  check?(config: C, options: { timeoutMs: number; deskPlaces?: ReadonlyArray<DeskPlace> }): Promise<CheckResult[]>;
  /** The secrets in its configuration, for the doctor to scrub from every line it prints. */
  secrets?(config: C): string[];
}

/** A platform module with the configuration it read (what readConfig returns for each configured platform). */
export interface ConfiguredPlatform<C = unknown> {
  module: PlatformModule<C>;
  config: C;
}
