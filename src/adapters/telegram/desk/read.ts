/**
 * Reading what happens in the desk group: which ticket's thread an update belongs to (a forum topic, or in reply
 * mode the card a message replies to), and what the desk core receives of it — never service messages, edits,
 * other bots, commands addressed to another bot, or presses on buttons that are not the desk's.
 */
import type { Message, Update } from 'grammy/types';
import type { DeskInbound } from '../../../desk/port.js';
import { mediaOf, unsupportedKind } from '../read.js';
import type { DeskChat } from './chat.js';
import { decodeDeskButton } from './format.js';
import type { ReplyMap } from './replies.js';

/** The single desk's port name (TELEGRAM_DESK_CHAT_ID), stored with each ticket's thread. */
export const TELEGRAM_DESK = 'telegram';

const COMMAND = /^\/([A-Za-z0-9_]+)@([A-Za-z0-9_]+)(?=\s|$)/;

/** What reading a desk update needs of the desk. */
export interface DeskReader {
  /** The port's name ("telegram", "telegram/arn"): the core finds the ticket's desk by it. */
  readonly name: string;
  readonly chat: DeskChat;
  readonly replies: ReplyMap;
  /** Someone who just wrote in the desk chat is a member of it. */
  noteMember(userId: number): void;
}

/** The thread a desk update belongs to, or undefined for the main timeline (General topic). */
export function threadOf(update: Update, replies: ReplyMap): string | undefined {
  const message = update.callback_query?.message ?? update.message ?? update.edited_message;
  if (!message) return undefined;
  if ((message as Message).is_topic_message && message.message_thread_id !== undefined) return String(message.message_thread_id);
  // Reply mode: the card itself (a press on its button), a reply to one of the thread's bot messages, or a
  // message in the reply chain Telegram numbers after its root.
  const own = replies.threadOf(message.message_id);
  if (update.callback_query && own !== undefined) return String(own);
  const replyTo = (message as Message).reply_to_message?.message_id;
  const viaReply = replyTo !== undefined ? replies.threadOf(replyTo) : undefined;
  if (viaReply !== undefined) return String(viaReply);
  const root = message.message_thread_id;
  if (root !== undefined && replies.threadOf(root) === root) return String(root);
  return undefined;
}

/**
 * A desk update → what the core receives, or null for what is not for it. Follows a migration service message.
 * `botUsername` strips "/claim@our_bot" to "/claim".
 */
export function deskInboundOf(update: Update, desk: DeskReader, botUsername?: string): DeskInbound | null {
  const base = (messageId: string, from: { id: number; first_name: string; last_name?: string }) => {
    const threadId = threadOf(update, desk.replies);
    return { desk: desk.name, ...(threadId !== undefined ? { threadId } : {}), messageId, from: { id: String(from.id), name: nameOf(from) } };
  };
  const query = update.callback_query;
  if (query) {
    const button = decodeDeskButton(query.data);
    if (button === undefined || query.from.is_bot) return null;
    // Not proof of membership: in a public (or previewable) group, anyone who sees a card can press its button.
    // Only a message shows someone is in the group; a press is checked with getChatMember like anyone else.
    return { ...base(`c${query.id}`, query.from), input: { kind: 'button', id: button } };
  }
  const message = update.message;
  if (!message) return null; // edits are not relayed again
  if (message.migrate_to_chat_id !== undefined) {
    desk.chat.migrate(String(message.migrate_to_chat_id));
    return null;
  }
  if (message.migrate_from_chat_id !== undefined) {
    if (String(message.migrate_from_chat_id) === desk.chat.id) desk.chat.migrate(String(message.chat.id));
    return null;
  }
  const from = message.from;
  // Another bot (the anonymous-admin "GroupAnonymousBot" posts for the group itself and is let through).
  if (!from || (from.is_bot && message.sender_chat?.id !== message.chat.id)) return null;
  const inbound = base(`m${message.message_id}`, from);
  if (typeof message.text === 'string') {
    let text = message.text;
    const command = COMMAND.exec(text);
    if (command) {
      if (!botUsername || command[2]!.toLowerCase() !== botUsername.toLowerCase()) return null; // another bot's
      text = `/${command[1]}${text.slice(command[0].length)}`;
    }
    desk.noteMember(from.id);
    return { ...inbound, input: { kind: 'text', text } };
  }
  const file = mediaOf(message);
  if (file) {
    desk.noteMember(from.id);
    return { ...inbound, input: { kind: 'media', ...file } };
  }
  if (!unsupportedKind(message)) return null; // a service message: topic created, pinned, members joining…
  desk.noteMember(from.id);
  return { ...inbound, input: { kind: 'unsupported' } };
}

function nameOf(user: { first_name: string; last_name?: string }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}
