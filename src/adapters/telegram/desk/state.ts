/**
 * The desk's own durable state: the chat id after a migration ("chatId"), forum or reply mode ("mode") and reply
 * mode's map of bot messages to threads ("replies"), under `adapter_state` namespace "telegram-desk" — given by the
 * platform as `deps.state('telegram-desk')`; a desk of a desks file has the same keys under "telegram-desk/<desk id>".
 */
import type { AdapterState } from '../../../store/adapter-state.js';
// The single desk's port is named after the platform (./read.ts TELEGRAM_DESK is the same word).
import { TELEGRAM_PLATFORM } from '../read.js';

/** The `adapter_state` namespace of the desk's chat id, mode and reply map. */
export const DESK_STATE_NAMESPACE = 'telegram-desk';

/**
 * The namespace of one port's state: "telegram-desk" for the single desk (its port named "telegram", as before
 * desks files existed — even when it comes as a place, so that its stored mode and reply map are found again),
 * "telegram-desk/<desk id>" for a desk of a desks file.
 */
export function deskStateNamespace(place?: { port: string; deskId: string }): string {
  return !place || place.port === TELEGRAM_PLATFORM ? DESK_STATE_NAMESPACE : `${DESK_STATE_NAMESPACE}/${place.deskId}`;
}

/** What the desk needs of its state: small values by key. */
export type DeskState = Pick<AdapterState, 'get' | 'set'>;

/** A state that lives as long as the process (tests, or a desk without a database). */
export function memoryState(): DeskState {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void (value === null || value === undefined ? map.delete(key) : map.set(key, value)),
  };
}

/** A JSON value kept under `key`, or undefined when absent or unreadable (a hand-edited row: started afresh). */
export function readJson<T>(state: DeskState, key: string): T | undefined {
  const value = state.get(key);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
