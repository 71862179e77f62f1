/**
 * A platform's durable state, in the `adapter_state` table (migration 3), by namespace (the `adapter` column):
 * small key-values (Matrix's sync token, the Telegram desk's mode) and a durable inbox (Telegram's fetched updates,
 * under "<namespace>:inbox"). It is the only way an adapter touches the store: no adapter sees the database, the
 * repositories or the engine's conversations.
 *
 * Keys and namespaces are the ones the adapters wrote before this module existed — "telegram:inbox",
 * "telegram-desk", "matrix", "matrix-desk" — so a database keeps working across the change.
 */
import type { Db } from './database.js';
import type { LateWrites } from './late-writes.js';

export interface AdapterState {
  readonly namespace: string;
  get(key: string): string | undefined;
  /** Sets a value; `null` or `undefined` deletes the key. Each write is its own small commit. */
  set(key: string, value: string | null | undefined): void;
  delete(key: string): void;
  /**
   * Every key of this namespace (the inbox's rows are another namespace). The web chat needs it to find what it
   * keeps for conversations the engine erased (retention) and its expired codes.
   */
  keys(): string[];
  /** The durable inbox of this namespace (rows under "<namespace>:inbox"). */
  inbox(): DurableInbox;
}

/**
 * For a platform that considers updates delivered as soon as they are fetched (Telegram's getUpdates with
 * @grammyjs/runner confirms a batch by fetching the next): the adapter stores each fetched update here before the
 * next fetch, marks it done once handled, and replays what is left at start. Together with the per-conversation
 * message ids, that makes delivery at-least-once and processing exactly-once.
 */
export interface DurableInbox {
  add(items: Array<{ id: string; payload: unknown }>): void;
  /** Handled: the row goes with the next commit the engine makes anyway (./late-writes.ts). */
  done(id: string): void;
  /** What was stored and not handled yet (in key order, as the table keeps it: the adapter sorts if it must). */
  pending(): Array<{ id: string; payload: unknown }>;
}

/** Makes the `AdapterState` of any namespace over one database; `lateWrites` is the engine's (see DurableInbox.done). */
export function adapterStates(db: Db, lateWrites: LateWrites): (namespace: string) => AdapterState {
  const get = db.prepare<[string, string], { value: string }>('SELECT value FROM adapter_state WHERE adapter = ? AND key = ?');
  const put = db.prepare<[string, string, string]>(
    'INSERT INTO adapter_state (adapter, key, value) VALUES (?, ?, ?) ON CONFLICT (adapter, key) DO UPDATE SET value = excluded.value',
  );
  const addOnce = db.prepare<[string, string, string]>('INSERT OR IGNORE INTO adapter_state (adapter, key, value) VALUES (?, ?, ?)');
  const remove = db.prepare<[string, string]>('DELETE FROM adapter_state WHERE adapter = ? AND key = ?');
  const all = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM adapter_state WHERE adapter = ?');
  const keysOf = db.prepare<[string], { key: string }>('SELECT key FROM adapter_state WHERE adapter = ?');
  const addAll = db.transaction((name: string, items: Array<{ id: string; payload: unknown }>) => {
    for (const item of items) addOnce.run(name, item.id, JSON.stringify(item.payload));
  });

  const inboxOf = (name: string): DurableInbox => ({
    add: (items) => addAll(name, items),
    done: (id) => lateWrites.add(() => void remove.run(name, id)),
    pending: () => {
      // A "done" still waiting for its commit must not come back as pending.
      lateWrites.flush();
      return all.all(name).map((row) => ({ id: row.key, payload: JSON.parse(row.value) as unknown }));
    },
  });

  return (namespace) => ({
    namespace,
    get: (key) => get.get(namespace, key)?.value,
    set: (key, value) => {
      if (value === null || value === undefined) remove.run(namespace, key);
      else put.run(namespace, key, value);
    },
    delete: (key) => void remove.run(namespace, key),
    keys: () => keysOf.all(namespace).map((row) => row.key),
    inbox: () => inboxOf(`${namespace}:inbox`),
  });
}
