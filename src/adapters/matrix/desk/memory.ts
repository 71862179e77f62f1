/** What the Matrix desk remembers of its threads: bounded maps in memory, and event ids kept in `adapter_state`. */
import type { AdapterState } from '../../../store/adapter-state.js';

/** Events remembered with their thread, threads with their last event, multi-part posts: at most this many each. */
export const KEPT = 5_000;

/** A map that forgets its oldest entries past `KEPT`. */
export class Bounded<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key); // refreshed: last in insertion order
    super.set(key, value);
    if (this.size > KEPT) this.delete(this.keys().next().value as K);
    return this;
  }
}

/**
 * A set of event ids kept in `adapter_state` (namespace "matrix-desk") under a prefix — in memory only without a
 * state —, cached. Keys are "kv:<prefix>:<id>": the "kv:" of the SDK's storage provider, which kept them before.
 */
export class RememberedIds {
  private readonly known = new Set<string>();

  constructor(
    private readonly prefix: string,
    private readonly state: AdapterState | undefined,
  ) {}

  private key(id: string): string {
    return `kv:${this.prefix}:${id}`;
  }

  add(id: string): void {
    this.known.add(id);
    this.state?.set(this.key(id), '1');
  }

  has(id: string): boolean {
    if (this.known.has(id)) return true;
    if (!this.state?.get(this.key(id))) return false;
    this.known.add(id);
    return true;
  }
}
