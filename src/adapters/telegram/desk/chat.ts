/**
 * The desk group's chat id, which Telegram changes when a basic group is upgraded to a supergroup. An API error
 * carrying `migrate_to_chat_id`, or the `migrate_to_chat_id` / `migrate_from_chat_id` service messages, switch the
 * desk to the new id, kept in the desk's state (key "chatId", with the configured id it belongs to) for the next
 * start; the failed call is retried once there. Late updates from the old id still belong to the desk.
 */
import type { Update } from 'grammy/types';
import type { Log } from '../../../log.js';
import { chatArg } from '../read.js';
import { migrationTarget } from './errors.js';
import { readJson, type DeskState } from './state.js';

export class DeskChat {
  private readonly configured: string;
  private current: string;
  /** Chat ids this desk had before a migration: their late updates still belong to the desk. */
  private readonly previous = new Set<string>();
  /** Called after a migration (the member cache is for the old chat). */
  onMigrate: () => void = () => {};

  constructor(
    configuredId: string,
    private readonly state: DeskState,
    private readonly log: Log,
  ) {
    this.configured = configuredId.trim();
    this.current = this.configured;
    const saved = readJson<{ configured: string; current: string }>(state, 'chatId');
    // A migration recorded for this configured chat (not for another one the desk was configured with before).
    if (saved?.configured === this.configured && saved.current && saved.current !== this.configured) {
      this.current = saved.current;
      this.previous.add(this.configured);
      this.log('telegram_desk_migrated', { restored: true });
    }
  }

  /** The desk chat's id now. */
  get id(): string {
    return this.current;
  }

  /** Whether an update comes from the desk chat (under its current id or one it had before a migration). */
  owns(update: Update): boolean {
    const chat = (update.callback_query?.message ?? update.message ?? update.edited_message)?.chat.id;
    if (chat === undefined) return false;
    if (String(chat) === this.current || this.previous.has(String(chat))) return true;
    // The first message of the supergroup the desk group became.
    return update.message?.migrate_from_chat_id !== undefined && String(update.message.migrate_from_chat_id) === this.current;
  }

  /** The desk group became a supergroup with a new id: use it from now on, and after a restart. */
  migrate(to: string): void {
    if (to === this.current || !/^-?\d+$/.test(to)) return;
    this.previous.add(this.current);
    this.current = to;
    this.onMigrate();
    this.state.set('chatId', JSON.stringify({ configured: this.configured, current: to }));
    this.log('telegram_desk_migrated', {});
    this.log('telegram_desk_migrated_to', { chat: to }, 'debug');
  }

  /** Runs a call on the desk chat; when Telegram says the group moved, follows it and runs the call there once. */
  async call<T>(fn: (chat: number | string) => Promise<T>): Promise<T> {
    try {
      return await fn(chatArg(this.current));
    } catch (error) {
      const to = migrationTarget(error);
      if (to === undefined) throw error;
      this.migrate(String(to));
      return fn(chatArg(this.current));
    }
  }
}
