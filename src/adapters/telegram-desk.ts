/**
 * The volunteers' escalation desk on Telegram: a supergroup with topics (TELEGRAM_DESK_CHAT_ID), one forum topic
 * per ticket, its card pinned at the top. The desk core (src/desk/desk.ts) composes every text; this port only
 * formats them (the user adapter's markup → HTML and splitting), keeps topics and cards up to date, and turns what
 * volunteers do in the group into `DeskInbound`s (read by TelegramAdapter, which owns the updates).
 *
 *  - Forum mode (topics enabled): a thread is a topic; `threadId` is its message_thread_id, `cardId` the card's
 *    message id. Telegram's "message thread not found", TOPIC_DELETED and TOPIC_CLOSED become ThreadGoneError.
 *  - Reply mode (the chat is not a forum: createForumTopic answers "the chat is not a forum"): the card is posted
 *    in the main timeline, its message id is the `threadId`, posts in the thread are replies to it, and a
 *    volunteer's message belongs to the thread whose bot message it replies to (a map message id → thread, kept in
 *    `adapter_state`, the oldest entries pruned). Whether the chat is a forum is probed again now and then.
 *  - Migration: a basic group upgraded to a supergroup gets a new chat id. An API error carrying
 *    `migrate_to_chat_id`, or the `migrate_to_chat_id` service message, switches the desk to the new id, which is
 *    kept in `adapter_state` (adapter "telegram-desk", key "chatId") for the next start; the failed call is retried
 *    once there.
 *
 * Logs: event names, modes and Telegram's errors only — never a text, a chat id or a user id at info level.
 */
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardButton, Message, Update } from 'grammy/types';
import {
  ThreadGoneError,
  type DeskButton,
  type DeskInbound,
  type DeskPort,
  type DeskPost,
  type DeskThread,
} from '../desk/port.js';
import type { Log } from '../log.js';
import { escapeMarkup, plainText } from '../render/markup.js';
import type { Repositories } from '../store/repositories.js';
import { escapeHtml } from './kit/html.js';
import { CALLBACK_DATA_LIMIT, MESSAGE_LIMIT, SHORT_LABEL, splitMessage, unsupportedKind } from './telegram.js';

export const TELEGRAM_DESK = 'telegram';
/** The `adapter_state.adapter` under which the desk keeps its chat id, mode and reply map. */
export const DESK_STATE_ADAPTER = 'telegram-desk';
/** Telegram's limit for a topic's name, in characters. */
export const TOPIC_NAME_LIMIT = 128;
/** Button presses on the desk carry `desk:<button id>`: never mistaken for the user side's `<seq>:<choice>`. */
export const DESK_CALLBACK_PREFIX = 'desk:';
/** How long an isMember answer is trusted. */
export const MEMBER_CACHE_MS = 60_000;
/** How many bot messages the reply map remembers (reply mode). */
export const REPLY_MAP_LIMIT = 2_000;
/** In reply mode, how often openThread tries createForumTopic again (topics may have been enabled since). */
export const FORUM_PROBE_MS = 3_600_000;

export type DeskMode = 'forum' | 'replies';

/** A tiny key-value store for the desk's own state. */
export interface DeskState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** The desk's state in the `adapter_state` table, through the same statements as the adapters' inboxes. */
export function adapterState(repos: Pick<Repositories, 'inbox'>, adapter = DESK_STATE_ADAPTER): DeskState {
  return {
    get: (key) => repos.inbox.pending(adapter).find((row) => row.key === key)?.value,
    set: (key, value) => {
      repos.inbox.done(adapter, key);
      repos.inbox.add(adapter, [{ id: key, payload: value }]);
    },
  };
}

/** A state that lives as long as the process (tests, or a desk without a database). */
export function memoryState(): DeskState {
  const map = new Map<string, string>();
  return { get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
}

export interface TelegramDeskOptions {
  api: Api;
  /** TELEGRAM_DESK_CHAT_ID: the supergroup (or group) the volunteers meet in. */
  chatId: string;
  state?: DeskState;
  log?: Log;
  /** How long an isMember answer is cached (ms); MEMBER_CACHE_MS by default. */
  memberCacheMs?: number;
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------------------
// Telegram's errors
// ---------------------------------------------------------------------------------------------------------------

const THREAD_GONE = /message thread not found|thread not found|topic_deleted|topic_closed|topic_id_invalid|message to be replied not found|replied message not found/i;
const NOT_MODIFIED = /message is not modified|topic_not_modified/i;
const NOT_A_FORUM = /not a forum|chat_not_forum|topics? (?:are |is )?disabled|method is available only for supergroups/i;
const NOT_FOUND = /message to (?:delete|edit) not found|message not found|wasn't found/i;
const CANT_DELETE = /can't be deleted|message can't be deleted|not enough rights/i;
const NOT_A_MEMBER = /user not found|participant_id_invalid|user_not_participant|member not found|user_id_invalid/i;

function grammyError(error: unknown): GrammyError | undefined {
  return error instanceof GrammyError ? error : undefined;
}

function matches(error: unknown, pattern: RegExp, code = 400): boolean {
  const e = grammyError(error);
  return !!e && e.error_code === code && pattern.test(e.description);
}

export function isThreadGone(error: unknown): boolean {
  return matches(error, THREAD_GONE);
}

function migrationTarget(error: unknown): number | undefined {
  return grammyError(error)?.parameters?.migrate_to_chat_id;
}

/** Rethrows a thread that is gone as ThreadGoneError (no chat id, no text in its message). */
function threadGone(error: unknown): never {
  if (isThreadGone(error)) throw new ThreadGoneError(`telegram: ${grammyError(error)!.description}`);
  throw error;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------------------------

/** A desk button's callback_data. */
export function encodeDeskButton(id: string): string {
  const data = DESK_CALLBACK_PREFIX + id;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new Error(`desk button id over ${CALLBACK_DATA_LIMIT} bytes: "${id}"`);
  return data;
}

/** The desk button a press carries, or undefined for data that is not a desk button's. */
export function decodeDeskButton(data: string | undefined): string | undefined {
  return data?.startsWith(DESK_CALLBACK_PREFIX) && data.length > DESK_CALLBACK_PREFIX.length ? data.slice(DESK_CALLBACK_PREFIX.length) : undefined;
}

/** Buttons two per row while both labels are short, one per row otherwise (as on the user side). */
export function deskKeyboard(buttons: readonly DeskButton[] = []): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const short = (b: DeskButton) => [...b.label].length <= SHORT_LABEL;
  const button = (b: DeskButton): InlineKeyboardButton => ({ text: b.label, callback_data: encodeDeskButton(b.id) });
  for (let i = 0; i < buttons.length; i++) {
    const b = buttons[i]!;
    const next = buttons[i + 1];
    if (next && short(b) && short(next)) {
      rows.push([button(b), button(next)]);
      i++;
    } else rows.push([button(b)]);
  }
  return rows;
}

/** Our markup → HTML parts of at most 4096 characters (never none). */
function partsOf(markup: string): string[] {
  const parts = splitMessage(markup, MESSAGE_LIMIT).filter((part) => part.trim());
  if (parts.length === 0) parts.push(escapeHtml(plainText(markup)) || '…');
  return parts;
}

/** A topic's name: at most 128 characters (code points), never empty. */
export function topicName(title: string): string {
  const name = [...title.replace(/\s+/g, ' ').trim()].slice(0, TOPIC_NAME_LIMIT).join('');
  return name || '…';
}

function nameOf(user: { first_name: string; last_name?: string }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

const COMMAND = /^\/([A-Za-z0-9_]+)@([A-Za-z0-9_]+)(?=\s|$)/;

// ---------------------------------------------------------------------------------------------------------------
// The port
// ---------------------------------------------------------------------------------------------------------------

export class TelegramDesk implements DeskPort {
  readonly name = TELEGRAM_DESK;
  private readonly api: Api;
  private readonly state: DeskState;
  private readonly log: Log;
  private readonly now: () => number;
  private readonly memberCacheMs: number;
  private readonly configured: string;
  private current: string;
  /** Chat ids this desk had before a migration: their late updates still belong to the desk. */
  private readonly previous = new Set<string>();
  private mode: DeskMode | undefined;
  private lastProbe = 0;
  private readonly members = new Map<string, { member: boolean; at: number }>();
  /** Reply mode: bot message id → the thread (card message id) it belongs to. */
  private readonly replies = new Map<number, number>();

  constructor(options: TelegramDeskOptions) {
    this.api = options.api;
    this.state = options.state ?? memoryState();
    this.log = options.log ?? (() => {});
    this.now = options.now ?? (() => Date.now());
    this.memberCacheMs = options.memberCacheMs ?? MEMBER_CACHE_MS;
    this.configured = options.chatId.trim();
    this.current = this.configured;
    const saved = this.read<{ configured: string; current: string }>('chatId');
    // A migration recorded for this configured chat (not for another one the desk was configured with before).
    if (saved?.configured === this.configured && saved.current && saved.current !== this.configured) {
      this.current = saved.current;
      this.previous.add(this.configured);
      this.log('telegram_desk_migrated', { restored: true });
    }
    const mode = this.state.get('mode');
    if (mode === 'forum' || mode === 'replies') this.mode = mode;
    for (const [message, thread] of this.read<Array<[number, number]>>('replies') ?? []) this.replies.set(message, thread);
  }

  /** The desk chat's id now (it changes when the group is upgraded to a supergroup). */
  get chatId(): string {
    return this.current;
  }

  /** Forum topics or reply threads; undefined until the first openThread found out. */
  get threadMode(): DeskMode | undefined {
    return this.mode;
  }

  // --- DeskPort -------------------------------------------------------------------------------------------------

  async openThread(title: string, card: DeskPost): Promise<DeskThread> {
    if (this.mode !== 'replies' || this.now() - this.lastProbe >= FORUM_PROBE_MS) {
      this.lastProbe = this.now();
      try {
        const topic = await this.call((chat) => this.api.createForumTopic(chat, topicName(title)));
        this.setMode('forum');
        const threadId = topic.message_thread_id;
        const [cardId] = await this.send(card, { message_thread_id: threadId }, true).catch(threadGone);
        await this.call((chat) => this.api.pinChatMessage(chat, cardId!, { disable_notification: true })).catch((error: unknown) =>
          this.log('telegram_desk_pin_failed', describe(error), 'warn'),
        );
        return { threadId: String(threadId), cardId: String(cardId) };
      } catch (error) {
        if (!matches(error, NOT_A_FORUM)) throw error;
        this.setMode('replies');
      }
    }
    const [cardId] = await this.send(this.titled(title, card), {}, true);
    this.remember(cardId!, cardId!);
    return { threadId: String(cardId), cardId: String(cardId) };
  }

  async updateThread(thread: DeskThread, title: string, card: DeskPost): Promise<void> {
    const forum = this.mode !== 'replies';
    if (forum) {
      await this.call((chat) => this.api.editForumTopic(chat, Number(thread.threadId), { name: topicName(title) })).catch((error: unknown) => {
        if (!matches(error, NOT_MODIFIED)) threadGone(error);
      });
    }
    const text = partsOf((forum ? card : this.titled(title, card)).text)[0]!;
    await this.call((chat) =>
      this.api.editMessageText(chat, Number(thread.cardId), text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: { inline_keyboard: deskKeyboard(card.buttons) },
      }),
    ).catch((error: unknown) => {
      if (matches(error, NOT_MODIFIED)) return;
      // The card is gone (its topic deleted with it, or deleted by hand): the core opens a new thread.
      if (matches(error, NOT_FOUND)) throw new ThreadGoneError(`telegram: ${grammyError(error)!.description}`);
      threadGone(error);
    });
  }

  async post(threadId: string, message: DeskPost): Promise<string> {
    const thread = Number(threadId);
    const where = this.mode === 'replies' ? { reply_parameters: { message_id: thread } } : { message_thread_id: thread };
    const ids = await this.send(message, where).catch(threadGone);
    if (this.mode === 'replies') for (const id of ids) this.remember(id, thread);
    return ids.join(',');
  }

  async announce(message: DeskPost): Promise<string> {
    return (await this.send(message, {})).join(',');
  }

  /** Deletes a post (every part of a long one: the id lists them, comma-separated). */
  async deleteMessage(_threadId: string, messageId: string): Promise<boolean> {
    let deleted = true;
    for (const id of messageId.split(',').map(Number).filter(Number.isSafeInteger)) {
      try {
        await this.call((chat) => this.api.deleteMessage(chat, id));
      } catch (error) {
        if (matches(error, NOT_FOUND)) continue; // already gone
        if (matches(error, CANT_DELETE) || grammyError(error)?.error_code === 403) {
          this.log('telegram_desk_delete_refused', describe(error), 'warn');
          deleted = false;
          continue;
        }
        throw error;
      }
    }
    return deleted;
  }

  async closeThread(threadId: string): Promise<void> {
    if (this.mode === 'replies') return;
    await this.call((chat) => this.api.closeForumTopic(chat, Number(threadId))).catch((error: unknown) => {
      // Already closed, or deleted: nothing left to close.
      if (matches(error, NOT_MODIFIED) || isThreadGone(error)) return;
      throw error;
    });
  }

  async reopenThread(threadId: string): Promise<void> {
    if (this.mode === 'replies') return;
    await this.call((chat) => this.api.reopenForumTopic(chat, Number(threadId))).catch((error: unknown) => {
      if (matches(error, NOT_MODIFIED)) return;
      threadGone(error);
    });
  }

  async isMember(userId: string): Promise<boolean> {
    const cached = this.members.get(userId);
    if (cached && this.now() - cached.at < this.memberCacheMs) return cached.member;
    if (!/^\d{1,15}$/.test(userId)) return false;
    let member: boolean;
    try {
      const status = await this.call((chat) => this.api.getChatMember(chat, Number(userId)));
      member =
        status.status === 'creator' ||
        status.status === 'administrator' ||
        status.status === 'member' ||
        (status.status === 'restricted' && status.is_member);
    } catch (error) {
      if (!matches(error, NOT_A_MEMBER)) throw error;
      member = false;
    }
    this.members.set(userId, { member, at: this.now() });
    return member;
  }

  /**
   * Cards hold the answers people agreed to show to volunteers: a desk group anyone can find or read is not a
   * place for them. Said loudly at start (the bot still serves: the operator may be fixing it), never fatal.
   */
  async checkPrivate(): Promise<boolean> {
    try {
      const chat = (await this.call((c) => this.api.getChat(c))) as { username?: string; has_visible_history?: boolean };
      const open = chat.username !== undefined || chat.has_visible_history === true;
      if (open) {
        this.log('telegram_desk_not_private', {
          public: chat.username !== undefined,
          visibleHistory: chat.has_visible_history === true,
          fix: 'make the desk group private (no public link/username) and hide its history from new members: cards hold personal answers',
        }, 'warn');
      }
      return !open;
    } catch (error) {
      this.log('telegram_desk_check_failed', describe(error), 'warn');
      return true;
    }
  }

  // --- What happens in the desk chat (called by TelegramAdapter) ------------------------------------------------

  /** Whether an update comes from the desk chat (under its current id or one it had before a migration). */
  owns(update: Update): boolean {
    const chat = chatOf(update);
    if (chat === undefined) return false;
    if (String(chat) === this.current || this.previous.has(String(chat))) return true;
    // The first message of the supergroup the desk group became.
    return update.message?.migrate_from_chat_id !== undefined && String(update.message.migrate_from_chat_id) === this.current;
  }

  /** The thread a desk update belongs to, or undefined for the main timeline (General topic). */
  threadOf(update: Update): string | undefined {
    const message = update.callback_query?.message ?? update.message ?? update.edited_message;
    if (!message) return undefined;
    if ((message as Message).is_topic_message && message.message_thread_id !== undefined) return String(message.message_thread_id);
    // Reply mode: the card itself (a press on its button), a reply to one of the thread's bot messages, or a
    // message in the reply chain Telegram numbers after its root.
    const own = this.replies.get(message.message_id);
    if (update.callback_query && own !== undefined) return String(own);
    const replyTo = (message as Message).reply_to_message?.message_id;
    const viaReply = replyTo !== undefined ? this.replies.get(replyTo) : undefined;
    if (viaReply !== undefined) return String(viaReply);
    const root = message.message_thread_id;
    if (root !== undefined && this.replies.get(root) === root) return String(root);
    return undefined;
  }

  /** The key that keeps one thread's updates in order (threads run in parallel; the main timeline is one). */
  sequenceKey(update: Update): string {
    return `desk:${this.threadOf(update) ?? 'main'}`;
  }

  /**
   * A desk update → what the core receives, or null for what is not for it (service messages, edits, other
   * bots, commands addressed to another bot, presses on buttons that are not the desk's). Follows a migration
   * service message. `botUsername` strips "/claim@our_bot" to "/claim".
   */
  inboundOf(update: Update, botUsername?: string): DeskInbound | null {
    const query = update.callback_query;
    if (query) {
      const button = decodeDeskButton(query.data);
      if (button === undefined || query.from.is_bot) return null;
      // Not proof of membership: in a public (or previewable) group, anyone who sees a card can press its button.
      // Only a message shows someone is in the group; a press is checked with getChatMember like anyone else.
      return { ...this.base(update, `c${query.id}`, query.from), input: { kind: 'button', id: button } };
    }
    const message = update.message;
    if (!message) return null; // edits are not relayed again
    if (message.migrate_to_chat_id !== undefined) {
      this.migrate(String(message.migrate_to_chat_id));
      return null;
    }
    if (message.migrate_from_chat_id !== undefined) {
      if (String(message.migrate_from_chat_id) === this.current) this.migrate(String(message.chat.id));
      return null;
    }
    const from = message.from;
    // Another bot (the anonymous-admin "GroupAnonymousBot" posts for the group itself and is let through).
    if (!from || (from.is_bot && message.sender_chat?.id !== message.chat.id)) return null;
    const base = this.base(update, `m${message.message_id}`, from);
    if (typeof message.text === 'string') {
      let text = message.text;
      const command = COMMAND.exec(text);
      if (command) {
        if (!botUsername || command[2]!.toLowerCase() !== botUsername.toLowerCase()) return null; // another bot's
        text = `/${command[1]}${text.slice(command[0].length)}`;
      }
      this.noteMember(from.id);
      return { ...base, input: { kind: 'text', text } };
    }
    if (!unsupportedKind(message)) return null; // a service message: topic created, pinned, members joining…
    this.noteMember(from.id);
    return { ...base, input: { kind: 'unsupported' } };
  }

  /** Someone who just wrote in the desk chat is a member of it: no getChatMember for a while. */
  noteMember(userId: number): void {
    this.members.set(String(userId), { member: true, at: this.now() });
  }

  /** The desk group became a supergroup with a new id: use it from now on, and after a restart. */
  migrate(to: string): void {
    if (to === this.current || !/^-?\d+$/.test(to)) return;
    this.previous.add(this.current);
    this.current = to;
    this.members.clear();
    this.state.set('chatId', JSON.stringify({ configured: this.configured, current: to }));
    this.log('telegram_desk_migrated', {});
    this.log('telegram_desk_migrated_to', { chat: to }, 'debug');
  }

  // --- Inside -------------------------------------------------------------------------------------------------

  private base(update: Update, messageId: string, from: { id: number; first_name: string; last_name?: string }) {
    const threadId = this.threadOf(update);
    return { desk: TELEGRAM_DESK, ...(threadId !== undefined ? { threadId } : {}), messageId, from: { id: String(from.id), name: nameOf(from) } };
  }

  /** Runs a call on the desk chat; when Telegram says the group moved, follows it and runs the call there once. */
  private async call<T>(fn: (chat: number | string) => Promise<T>): Promise<T> {
    try {
      return await fn(chatArg(this.current));
    } catch (error) {
      const to = migrationTarget(error);
      if (to === undefined) throw error;
      this.migrate(String(to));
      return fn(chatArg(this.current));
    }
  }

  /** Sends a post in parts; the card's (`single`) is only its first part, so that it can be edited as one. */
  private async send(post: DeskPost, where: Record<string, unknown>, single = false): Promise<number[]> {
    const parts = partsOf(post.text);
    if (single) parts.length = 1;
    const keyboard = deskKeyboard(post.buttons);
    const ids: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const sent = await this.call((chat) =>
        this.api.sendMessage(chat, parts[i]!, {
          ...where,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(last && keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        }),
      );
      ids.push(sent.message_id);
    }
    return ids;
  }

  /** Reply mode has no topic names: the title is the card's first line, in bold. */
  private titled(title: string, card: DeskPost): DeskPost {
    return { ...card, text: `**${escapeMarkup(title)}**\n\n${card.text}` };
  }

  private setMode(mode: DeskMode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.state.set('mode', mode);
    this.log('telegram_desk_mode', { mode });
  }

  private remember(messageId: number, threadId: number): void {
    this.replies.delete(messageId);
    this.replies.set(messageId, threadId);
    while (this.replies.size > REPLY_MAP_LIMIT) this.replies.delete(this.replies.keys().next().value!);
    this.state.set('replies', JSON.stringify([...this.replies]));
  }

  private read<T>(key: string): T | undefined {
    const value = this.state.get(key);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as T;
    } catch {
      return undefined;
    }
  }
}

function chatArg(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

function chatOf(update: Update): number | undefined {
  return (update.callback_query?.message ?? update.message ?? update.edited_message)?.chat.id;
}

function describe(error: unknown): Record<string, unknown> {
  const e = grammyError(error);
  return e ? { method: e.method, code: e.error_code, description: e.description } : { error: error instanceof Error ? error.name : typeof error };
}
