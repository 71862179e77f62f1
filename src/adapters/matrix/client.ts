/**
 * matrix-bot-sdk's storage (the sync token, the sync filter, its own small key-values) in our SQLite database,
 * table `adapter_state` (migration 3), instead of the SDK's loose JSON file: one file to back up, and the token
 * moves with the conversations it belongs to. Every write is its own small transaction (autocommit).
 */
import type { IFilterInfo, IStorageProvider } from 'matrix-bot-sdk';
import type { Db } from '../store/database.js';

const SYNC_TOKEN = 'sync_token';
const FILTER = 'filter';
const VALUE = 'kv:';

export class SqliteStorageProvider implements IStorageProvider {
  private readonly get;
  private readonly put;
  private readonly remove;

  /** `namespace` is the `adapter` column: "matrix" (one bot account per database). */
  constructor(db: Db, private readonly namespace = 'matrix') {
    this.get = db.prepare<[string, string], { value: string }>('SELECT value FROM adapter_state WHERE adapter = ? AND key = ?');
    this.put = db.prepare<[string, string, string]>(
      'INSERT INTO adapter_state (adapter, key, value) VALUES (?, ?, ?) ON CONFLICT (adapter, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare<[string, string]>('DELETE FROM adapter_state WHERE adapter = ? AND key = ?');
  }

  private read(key: string): string | undefined {
    return this.get.get(this.namespace, key)?.value;
  }

  private write(key: string, value: string | null | undefined): void {
    if (value === null || value === undefined) this.remove.run(this.namespace, key);
    else this.put.run(this.namespace, key, value);
  }

  setSyncToken(token: string | null): void {
    this.write(SYNC_TOKEN, token);
  }

  getSyncToken(): string | null {
    return this.read(SYNC_TOKEN) ?? null;
  }

  setFilter(filter: IFilterInfo): void {
    this.write(FILTER, filter ? JSON.stringify(filter) : null);
  }

  getFilter(): IFilterInfo {
    const raw = this.read(FILTER);
    // The SDK treats a falsy filter as "none stored yet" (its typings say otherwise).
    if (!raw) return undefined as unknown as IFilterInfo;
    try {
      return JSON.parse(raw) as IFilterInfo;
    } catch {
      return undefined as unknown as IFilterInfo;
    }
  }

  storeValue(key: string, value: string): void {
    this.write(VALUE + key, value);
  }

  readValue(key: string): string | null | undefined {
    return this.read(VALUE + key);
  }
}
