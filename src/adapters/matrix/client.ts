/**
 * The SDK's client as the adapter uses it:
 * - its storage (the sync token, the sync filter, its own small key-values) in our `adapter_state` table through
 *   AdapterState (namespace "matrix"), instead of the SDK's loose JSON file: one file to back up, and the token
 *   moves with the conversations it belongs to. Keys as before: sync_token, filter, kv:<key>.
 * - MatrixClient with the sync token saved only after a batch was handled (./sync.ts holds the batch until its
 *   events are), and the Rust crypto store in an owner-only folder.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IFilterInfo, IStorageProvider, MatrixClient } from 'matrix-bot-sdk';
import type { AdapterState } from '../../store/adapter-state.js';
import type { MatrixSdk } from './sdk.js';

const SYNC_TOKEN = 'sync_token';
const FILTER = 'filter';
const VALUE = 'kv:';

/** matrix-bot-sdk's IStorageProvider over one namespace of `adapter_state`. Every write is its own small commit. */
export class StateStorageProvider implements IStorageProvider {
  constructor(private readonly state: AdapterState) {}

  setSyncToken(token: string | null): void {
    this.state.set(SYNC_TOKEN, token);
  }

  getSyncToken(): string | null {
    return this.state.get(SYNC_TOKEN) ?? null;
  }

  setFilter(filter: IFilterInfo): void {
    this.state.set(FILTER, filter ? JSON.stringify(filter) : null);
  }

  getFilter(): IFilterInfo {
    const raw = this.state.get(FILTER);
    // The SDK treats a falsy filter as "none stored yet" (its typings say otherwise).
    if (!raw) return undefined as unknown as IFilterInfo;
    try {
      return JSON.parse(raw) as IFilterInfo;
    } catch {
      return undefined as unknown as IFilterInfo;
    }
  }

  storeValue(key: string, value: string): void {
    this.state.set(VALUE + key, value);
  }

  readValue(key: string): string | null | undefined {
    return this.state.get(VALUE + key);
  }
}

/** The sync filter: no presence, typing or receipts; room timelines and state as they come. */
export const SYNC_FILTER = {
  presence: { not_types: ['*'] },
  room: { ephemeral: { not_types: ['*'] }, timeline: { limit: 50 } },
} as const;

/** `StoreType.Sqlite` of @matrix-org/matrix-sdk-crypto-nodejs (a const enum, not importable as a value). */
const RUST_STORE_SQLITE = 1;

/** Around each /sync batch the SDK hands out: `before` may refuse it (throw), `after` waits for its events' handling. */
export interface BatchHooks {
  before(raw: unknown): Promise<void>;
  after(): Promise<void>;
}

type GuideClientClass = new (
  homeserverUrl: string,
  accessToken: string,
  storage: IStorageProvider,
  cryptoStore: InstanceType<MatrixSdk['RustSdkCryptoStorageProvider']> | undefined,
  hooks: BatchHooks,
) => MatrixClient;

const clientClasses = new WeakMap<MatrixSdk, GuideClientClass>();

/**
 * MatrixClient, with the sync token saved only after a batch was handled: the SDK's `persistTokenAfterSync`, and
 * `processSync` waiting for the adapter's queues (the SDK's event emitter does not wait for async listeners).
 */
function guideClientClass(sdk: MatrixSdk): GuideClientClass {
  let Client = clientClasses.get(sdk);
  if (!Client) {
    Client = class GuideClient extends sdk.MatrixClient {
      constructor(homeserverUrl: string, accessToken: string, storage: IStorageProvider, cryptoStore: never, private readonly hooks: BatchHooks) {
        super(homeserverUrl, accessToken, storage, cryptoStore);
        this.persistTokenAfterSync = true;
      }

      protected override async processSync(raw: unknown, emitFn?: (type: string, ...payload: unknown[]) => Promise<unknown>): Promise<unknown> {
        await this.hooks.before(raw);
        const result: unknown = await super.processSync(raw, emitFn);
        await this.hooks.after();
        return result;
      }
    } as unknown as GuideClientClass;
    clientClasses.set(sdk, Client);
  }
  return Client;
}

export interface ClientOptions {
  homeserverUrl: string;
  accessToken: string;
  storage: IStorageProvider;
  /** The Rust crypto store's folder, for a client with encryption; none for one without. */
  cryptoDir?: string;
  hooks: BatchHooks;
  syncTimeoutMs: number;
}

export function makeClient(sdk: MatrixSdk, options: ClientOptions): MatrixClient {
  const cryptoStore = options.cryptoDir ? new sdk.RustSdkCryptoStorageProvider(options.cryptoDir, RUST_STORE_SQLITE as never) : undefined;
  const Client = guideClientClass(sdk);
  const client = new Client(options.homeserverUrl, options.accessToken, options.storage, cryptoStore, options.hooks);
  client.syncingTimeout = options.syncTimeoutMs;
  return client;
}

/**
 * The crypto store holds the bot device's keys (whoever reads them reads the encrypted chats): its folder is made
 * owner-only before the SDK creates it with the default mode, and files an older run left readable are narrowed.
 */
export function protectFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o700 : 0o600);
  }
}
