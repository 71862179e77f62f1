/**
 * At-least-once with the runner: @grammyjs/runner confirms a batch of updates to Telegram as soon as it fetches the
 * next one, before they are all handled — a crash then would lose them. So each fetched batch is written to the
 * durable inbox (`adapter_state`, rows under "telegram:inbox") first, an update is marked done once handled, and
 * what is left is handled at the next start, before polling. The engine's per-conversation message ids make the
 * replay harmless for updates that were handled after all.
 */
import type { Bot, Transformer } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { DurableInbox } from '../../store/adapter-state.js';
import { maskSecrets } from '../../desk/secrets.js';
import type { Log } from '../../log.js';
import { describeError } from './errors.js';

export class UpdateInbox {
  /**
   * @param isDesk whether an update is the volunteers' desk's: its texts are kept as they are (the desk core masks
   *   what it relays), a person's are masked.
   */
  constructor(
    private readonly inbox: DurableInbox,
    private readonly isDesk: (update: Update) => boolean,
    private readonly log: Log,
  ) {}

  /** An API transformer: each batch getUpdates fetched is stored before the runner hands it out. */
  keepFetched(): Transformer {
    return async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (method === 'getUpdates' && result.ok) {
        const updates = result.result as unknown as Update[];
        if (updates.length > 0) this.inbox.add(updates.map((update) => ({ id: String(update.update_id), payload: forInbox(update, this.isDesk(update)) })));
      }
      return result;
    };
  }

  /** Handled (its effect committed, its reply sent or kept for re-sending): no need to replay it. */
  done(update: Update): void {
    this.inbox.done(String(update.update_id));
  }

  /** Updates fetched by a previous run but not handled (it crashed): handled now, in order, before polling. */
  async replay(bot: Bot): Promise<void> {
    const pending = this.inbox
      .pending()
      .map((item) => item.payload as Update)
      .sort((a, b) => a.update_id - b.update_id);
    if (pending.length > 0) this.log('telegram_replaying', { updates: pending.length });
    for (const update of pending) {
      await bot.handleUpdate(update).catch((error: unknown) => this.log('telegram_replay_failed', describeError(error), 'warn'));
    }
  }
}

/**
 * What the inbox keeps of an update until it is handled (seconds, or until the next start after a crash): the
 * person's text masked, no names (a replayed update has no display name: the card says so), and of a pressed
 * message only what finds its place again — not the text the bot had sent.
 */
export function forInbox(update: Update, isDesk: boolean): Update {
  const strip = <T extends object>(who: T): T => {
    const copy = { ...who } as Record<string, unknown>;
    if ('first_name' in copy) copy.first_name = '';
    if (copy.type === 'private') delete copy.title;
    delete copy.last_name;
    delete copy.username;
    return copy as T;
  };
  const message = (m: Message | undefined): Message | undefined =>
    m && {
      ...m,
      ...(typeof m.text === 'string' && !isDesk ? { text: maskSecrets(m.text).text } : {}),
      ...(m.caption !== undefined ? { caption: isDesk ? m.caption : maskSecrets(m.caption).text } : {}),
      chat: strip(m.chat),
      ...(m.from ? { from: strip(m.from) } : {}),
      ...(m.reply_to_message ? { reply_to_message: { message_id: m.reply_to_message.message_id } as Message['reply_to_message'] } : {}),
    };
  const query = update.callback_query;
  return {
    ...update,
    ...(update.message ? { message: message(update.message) } : {}),
    ...(update.edited_message ? { edited_message: message(update.edited_message) } : {}),
    ...(query
      ? {
          callback_query: {
            ...query,
            from: strip(query.from),
            ...(query.message
              ? {
                  message: {
                    message_id: query.message.message_id,
                    date: query.message.date,
                    chat: strip(query.message.chat),
                    ...('message_thread_id' in query.message && query.message.message_thread_id !== undefined ? { message_thread_id: query.message.message_thread_id } : {}),
                    ...('is_topic_message' in query.message && query.message.is_topic_message ? { is_topic_message: true } : {}),
                  } as unknown as NonNullable<typeof query.message>,
                }
              : {}),
          },
        }
      : {}),
  } as Update;
}
