/**
 * What telegram-test-api lacks for the escalation desk, emulated in memory and answered from the harness's API
 * transformer (tests/telegram/harness.ts) before a call reaches the emulator:
 *
 *  - forum topics: createForumTopic, editForumTopic, closeForumTopic, reopenForumTopic (the emulator answers 500
 *    "not supported"), with closed and deleted flags; a sendMessage (or a file's sendPhoto, sendDocument…) into a deleted or unknown topic fails with
 *    "message thread not found", into a closed one with TOPIC_CLOSED — then it never reaches the emulator;
 *    a sendMessage with reply_parameters naming no message fails with "message to be replied not found";
 *  - pinChatMessage (recorded) and getChatMember (answered from a table of members);
 *  - errors the emulator never gives: editMessageText of a message it does not hold ("message to edit not found")
 *    or with the same text and keyboard ("message is not modified");
 *  - a group upgraded to a supergroup: every call naming the old chat id fails with `migrate_to_chat_id`.
 *
 * Everything else — sendMessage, editMessageText, deleteMessage, answerCallbackQuery, getUpdates — is the
 * emulator's own. Topic ids are taken from the emulator's message counter, as Telegram numbers a topic by the id
 * of its "topic created" service message.
 */
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';

export interface Topic {
  chat: string;
  id: number;
  name: string;
  closed: boolean;
  deleted: boolean;
}

type Status = 'creator' | 'administrator' | 'member' | 'restricted' | 'restricted-left' | 'left' | 'kicked' | 'unknown';

type ApiAnswer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };

const fail = (description: string, error_code = 400, parameters?: Record<string, unknown>): ApiAnswer => ({
  ok: false,
  error_code,
  description,
  ...(parameters ? { parameters } : {}),
});

export class FakeForum {
  /** Chats with topics enabled. */
  readonly forums = new Set<string>();
  readonly topics = new Map<string, Topic>();
  /** `${chat}:${user}` → status. A user not listed has left ("left"); "unknown" is a user Telegram does not know. */
  readonly members = new Map<string, Status>();
  readonly pins: Array<{ chat: string; messageId: number; silent: boolean }> = [];
  /** Old chat id → the supergroup it became. */
  readonly moved = new Map<string, number>();
  /** getChatMember calls answered. */
  memberLookups = 0;
  /** What getChat says of a chat beyond its id (a public username, history visible to newcomers). */
  readonly chats = new Map<string, { username?: string; has_visible_history?: boolean }>();

  constructor(private readonly server: Emulator) {}

  enableTopics(chat: string | number): void {
    this.forums.add(String(chat));
  }

  setMember(chat: string | number, user: number, status: Status): void {
    this.members.set(`${chat}:${user}`, status);
  }

  /** The group became a supergroup: its old id is refused from now on. */
  migrate(from: string | number, to: number): void {
    this.moved.set(String(from), to);
  }

  topic(chat: string | number, id: number | string): Topic | undefined {
    return this.topics.get(`${chat}:${id}`);
  }

  /** A volunteer deletes a topic: it is gone with all its messages. */
  deleteTopic(chat: string | number, id: number | string): void {
    const topic = this.topic(chat, id);
    if (topic) topic.deleted = true;
    const storage = this.server.storage;
    storage.botMessages = storage.botMessages.filter(
      (m) => !(String(m.message.chat_id) === String(chat) && String((m.message as { message_thread_id?: unknown }).message_thread_id) === String(id)),
    );
  }

  /** The answer to an API call the emulator cannot give, or undefined to let the emulator answer. */
  handle(method: string, payload: Record<string, unknown>): ApiAnswer | undefined {
    const chat = payload.chat_id === undefined ? undefined : String(payload.chat_id);
    if (chat !== undefined && this.moved.has(chat)) {
      return fail('Bad Request: group chat was upgraded to a supergroup chat', 400, { migrate_to_chat_id: this.moved.get(chat) });
    }
    const threadId = payload.message_thread_id as number | undefined;
    const topic = chat !== undefined && threadId !== undefined ? this.topic(chat, threadId) : undefined;
    const liveTopic = (): ApiAnswer | undefined =>
      !topic || topic.deleted ? fail('Bad Request: message thread not found') : undefined;
    switch (method) {
      case 'createForumTopic': {
        if (!this.forums.has(chat!)) return fail('Bad Request: the chat is not a forum');
        const name = String(payload.name ?? '');
        if ([...name].length < 1 || [...name].length > 128) return fail('Bad Request: TOPIC_NAME_INVALID');
        const counter = this.server as unknown as { messageId: number };
        const id = counter.messageId++;
        this.topics.set(`${chat}:${id}`, { chat: chat!, id, name, closed: false, deleted: false });
        return { ok: true, result: { message_thread_id: id, name, icon_color: 7322096 } };
      }
      case 'editForumTopic': {
        const gone = liveTopic();
        if (gone) return gone;
        if (payload.name === undefined || payload.name === topic!.name) return fail('Bad Request: TOPIC_NOT_MODIFIED');
        topic!.name = String(payload.name);
        return { ok: true, result: true };
      }
      case 'closeForumTopic':
      case 'reopenForumTopic': {
        const gone = liveTopic();
        if (gone) return gone;
        const closing = method === 'closeForumTopic';
        if (topic!.closed === closing) return fail('Bad Request: TOPIC_NOT_MODIFIED');
        topic!.closed = closing;
        return { ok: true, result: true };
      }
      case 'getChat':
        return { ok: true, result: { id: Number(chat), type: 'supergroup', title: 'Desk', is_forum: this.forums.has(chat!), ...this.chats.get(chat!) } };
      case 'pinChatMessage':
        this.pins.push({ chat: chat!, messageId: Number(payload.message_id), silent: payload.disable_notification === true });
        return { ok: true, result: true };
      case 'getChatMember': {
        this.memberLookups++;
        const user = Number(payload.user_id);
        const status = this.members.get(`${chat}:${user}`) ?? 'left';
        if (status === 'unknown') return fail('Bad Request: user not found');
        const base = { user: { id: user, is_bot: false, first_name: `User${user}` } };
        if (status === 'restricted' || status === 'restricted-left') {
          return { ok: true, result: { ...base, status: 'restricted', is_member: status === 'restricted' } };
        }
        return { ok: true, result: { ...base, status } };
      }
      // A file goes into a topic as a message does (the files themselves: ./files.ts).
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendVoice':
      case 'sendAudio':
      case 'sendVideo': {
        if (threadId !== undefined) {
          const gone = liveTopic();
          if (gone) return gone;
          if (topic!.closed) return fail('Bad Request: TOPIC_CLOSED');
        }
        const replyTo = (payload.reply_parameters as { message_id?: number } | undefined)?.message_id;
        if (replyTo !== undefined && !this.stored(chat!, replyTo)) return fail('Bad Request: message to be replied not found');
        return undefined;
      }
      case 'editMessageText': {
        const stored = this.stored(chat!, Number(payload.message_id));
        if (!stored) return fail('Bad Request: message to edit not found');
        const current = stored.message as unknown as { text?: string; reply_markup?: unknown };
        const markup = (m: unknown) => JSON.stringify(typeof m === 'string' ? JSON.parse(m) : (m ?? null));
        if (current.text === payload.text && markup(current.reply_markup) === markup(payload.reply_markup)) {
          return fail('Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private stored(chat: string, messageId: number) {
    return this.server.storage.botMessages.find((m) => String(m.message.chat_id) === chat && m.messageId === messageId);
  }
}
