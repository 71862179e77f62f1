/**
 * The volunteers' escalation desk on Telegram: a supergroup with topics (TELEGRAM_DESK_CHAT_ID), one forum topic
 * per ticket, its card pinned at the top. The desk core (src/desk/desk.ts) composes every text; this port only
 * formats them (./format.ts), keeps topics and cards up to date, and turns what volunteers do in the group into
 * `DeskInbound`s (./read.ts; the platform hands it the group's updates through ./updates.ts).
 *
 *  - Forum mode (topics enabled): a thread is a topic; `threadId` is its message_thread_id, `cardId` the card's
 *    message id. Telegram's "message thread not found", TOPIC_DELETED and TOPIC_CLOSED become ThreadGoneError.
 *  - Reply mode (the chat is not a forum: createForumTopic answers "the chat is not a forum"): the card is posted
 *    in the main timeline, its message id is the `threadId`, posts in the thread are replies to it, and a
 *    volunteer's message belongs to the thread whose bot message it replies to (a map message id → thread, kept in
 *    `adapter_state`, the oldest entries pruned). Whether the chat is a forum is probed again now and then.
 *  - Migration: a basic group upgraded to a supergroup gets a new chat id, followed by ./chat.ts.
 *  - State: `adapter_state` namespace "telegram-desk" (./state.ts), keys "mode", "chatId" and "replies"; a desk of a
 *    desks file keeps the same keys under its own namespace ("telegram-desk/arn"), its port named "telegram/arn".
 *
 * Logs: event names, modes and Telegram's errors only — never a text, a chat id or a user id at info level.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { type DeskInbound, type DeskPort, type DeskPost, type DeskThread } from '../../../desk/port.js';
import type { Log } from '../../../log.js';
import type { TelegramFiles } from '../files.js';
import { partsOf } from '../format.js';
import { DeskChat } from './chat.js';
import { CANT_DELETE, NOT_A_FORUM, NOT_A_MEMBER, NOT_FOUND, NOT_MODIFIED, describeDeskError as describe, goneError, grammyError, isThreadGone, matches, threadGone } from './errors.js';
import { deskKeyboard, titled, topicName } from './format.js';
import { TELEGRAM_DESK, deskInboundOf, threadOf, type DeskReader } from './read.js';
import { ReplyMap } from './replies.js';
import { memoryState, type DeskState } from './state.js';

/** How long an isMember answer is trusted. */
export const MEMBER_CACHE_MS = 60_000;
/** In reply mode, how often openThread tries createForumTopic again (topics may have been enabled since). */
export const FORUM_PROBE_MS = 3_600_000;

export type DeskMode = 'forum' | 'replies';

export interface TelegramDeskOptions {
  api: Api;
  /**
   * The port's name, stored with each ticket's thread: "telegram" (the default) for the single desk of
   * TELEGRAM_DESK_CHAT_ID, "telegram/<desk id>" for a desk of a desks file (src/desk/directory.ts's portName).
   */
  name?: string;
  /** TELEGRAM_DESK_CHAT_ID: the supergroup (or group) the volunteers meet in. */
  chatId: string;
  /** `deps.state('telegram-desk')` (or 'telegram-desk/<desk id>'); a memory state (tests) when not given. */
  state?: DeskState;
  log?: Log;
  /** Sends the files people show (DeskPost.media) into their ticket's thread; the platform's. */
  files?: TelegramFiles;
  /** How long an isMember answer is cached (ms); MEMBER_CACHE_MS by default. */
  memberCacheMs?: number;
  now?: () => number;
}

export class TelegramDesk implements DeskPort, DeskReader {
  readonly name: string;
  readonly chat: DeskChat;
  readonly replies: ReplyMap;
  private readonly api: Api;
  private readonly state: DeskState;
  private readonly log: Log;
  private readonly files?: TelegramFiles;
  private readonly now: () => number;
  private readonly memberCacheMs: number;
  private mode: DeskMode | undefined;
  private lastProbe = 0;
  private readonly members = new Map<string, { member: boolean; at: number }>();

  constructor(options: TelegramDeskOptions) {
    this.api = options.api;
    this.name = options.name ?? TELEGRAM_DESK;
    this.state = options.state ?? memoryState();
    this.log = options.log ?? (() => {});
    if (options.files) this.files = options.files;
    this.now = options.now ?? (() => Date.now());
    this.memberCacheMs = options.memberCacheMs ?? MEMBER_CACHE_MS;
    this.chat = new DeskChat(options.chatId, this.state, this.log);
    this.chat.onMigrate = () => this.members.clear();
    const mode = this.state.get('mode');
    if (mode === 'forum' || mode === 'replies') this.mode = mode;
    this.replies = new ReplyMap(this.state);
  }

  /** The desk chat's id now (it changes when the group is upgraded to a supergroup). */
  get chatId(): string {
    return this.chat.id;
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
        const topic = await this.chat.call((chat) => this.api.createForumTopic(chat, topicName(title)));
        this.setMode('forum');
        const threadId = topic.message_thread_id;
        const [cardId] = await this.send(card, { message_thread_id: threadId }, true).catch(threadGone);
        await this.chat.call((chat) => this.api.pinChatMessage(chat, cardId!, { disable_notification: true })).catch((error: unknown) =>
          this.log('telegram_desk_pin_failed', describe(error), 'warn'),
        );
        return { threadId: String(threadId), cardId: String(cardId) };
      } catch (error) {
        if (!matches(error, NOT_A_FORUM)) throw error;
        this.setMode('replies');
      }
    }
    const [cardId] = await this.send(titled(title, card), {}, true);
    this.replies.remember(cardId!, cardId!);
    return { threadId: String(cardId), cardId: String(cardId) };
  }

  async updateThread(thread: DeskThread, title: string, card: DeskPost): Promise<void> {
    const forum = this.mode !== 'replies';
    if (forum) {
      await this.chat.call((chat) => this.api.editForumTopic(chat, Number(thread.threadId), { name: topicName(title) })).catch((error: unknown) => {
        if (!matches(error, NOT_MODIFIED)) threadGone(error);
      });
    }
    const text = partsOf((forum ? card : titled(title, card)).text)[0]!;
    await this.chat.call((chat) =>
      this.api.editMessageText(chat, Number(thread.cardId), text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: { inline_keyboard: deskKeyboard(card.buttons) },
      }),
    ).catch((error: unknown) => {
      if (matches(error, NOT_MODIFIED)) return;
      // The card is gone (its topic deleted with it, or deleted by hand): the core opens a new thread.
      if (matches(error, NOT_FOUND)) throw goneError(error);
      threadGone(error);
    });
  }

  async post(threadId: string, message: DeskPost): Promise<string> {
    const thread = Number(threadId);
    const where = this.mode === 'replies' ? { reply_parameters: { message_id: thread } } : { message_thread_id: thread };
    const ids = await this.send(message, where).catch(threadGone);
    if (this.mode === 'replies') for (const id of ids) this.replies.remember(id, thread);
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
        await this.chat.call((chat) => this.api.deleteMessage(chat, id));
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
    await this.chat.call((chat) => this.api.closeForumTopic(chat, Number(threadId))).catch((error: unknown) => {
      // Already closed, or deleted: nothing left to close.
      if (matches(error, NOT_MODIFIED) || isThreadGone(error)) return;
      throw error;
    });
  }

  async reopenThread(threadId: string): Promise<void> {
    if (this.mode === 'replies') return;
    await this.chat.call((chat) => this.api.reopenForumTopic(chat, Number(threadId))).catch((error: unknown) => {
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
      const status = await this.chat.call((chat) => this.api.getChatMember(chat, Number(userId)));
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
      const chat = (await this.chat.call((c) => this.api.getChat(c))) as { username?: string; has_visible_history?: boolean };
      const open = chat.username !== undefined || chat.has_visible_history === true;
      if (open) {
        this.log('telegram_desk_not_private', {
          desk: this.name,
          public: chat.username !== undefined,
          visibleHistory: chat.has_visible_history === true,
          fix: 'make the desk group private (no public link/username) and hide its history from new members: cards hold personal answers',
        }, 'warn');
      }
      return !open;
    } catch (error) {
      this.log('telegram_desk_check_failed', { desk: this.name, ...describe(error) }, 'warn');
      return true;
    }
  }

  // --- What happens in the desk chat (handed by ./updates.ts) ----------------------------------------------------

  /** Whether an update comes from the desk chat (under its current id or one it had before a migration). */
  owns(update: Update): boolean {
    return this.chat.owns(update);
  }

  /**
   * The key that keeps one thread's updates in order (threads run in parallel; the main timeline is one). The
   * port's name is in it: two desk groups number their topics each from their own start.
   */
  sequenceKey(update: Update): string {
    return `desk:${this.name}:${threadOf(update, this.replies) ?? 'main'}`;
  }

  /** A desk update → what the core receives (./read.ts). */
  inboundOf(update: Update, botUsername?: string): DeskInbound | null {
    return deskInboundOf(update, this, botUsername);
  }

  /** Someone who just wrote in the desk chat is a member of it: no getChatMember for a while. */
  noteMember(userId: number): void {
    this.members.set(String(userId), { member: true, at: this.now() });
  }

  // --- Inside -------------------------------------------------------------------------------------------------

  /**
   * Sends a post in parts; the card's (`single`) is only its first part, so that it can be edited as one. A post
   * with a file is the file with the text as its caption, or the text then the file (./files.ts): every id is
   * returned, so that deleting the post deletes both.
   */
  private async send(post: DeskPost, where: Record<string, unknown>, single = false): Promise<number[]> {
    if (post.media) {
      if (!this.files) throw new Error('this Telegram desk port was made without `files`: it cannot post a file');
      return this.files.send({ chat: this.chat.id, where, call: (send) => this.chat.call(send) }, post.media, post.text);
    }
    const parts = partsOf(post.text);
    if (single) parts.length = 1;
    const keyboard = deskKeyboard(post.buttons);
    const ids: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const sent = await this.chat.call((chat) =>
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

  private setMode(mode: DeskMode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.state.set('mode', mode);
    this.log('telegram_desk_mode', { mode });
  }
}
