/**
 * The Telegram side of the volunteers' escalation desk (src/adapters/telegram/desk/: the port, and the Composer
 * the platform mounts for the desk group's updates), against the telegram-test-api emulator over loopback, with a fake DeskRegistry that
 * records what it is given (the desk core is not part of these tests).
 *
 * What is real: sendMessage, editMessageText, deleteMessage, answerCallbackQuery and getUpdates are the
 * emulator's. Volunteers' messages and presses are posted through the emulator's own client, which passes
 * through the fields we give it (supergroup chat, message_thread_id, is_topic_message, reply_to_message, service
 * fields such as migrate_to_chat_id): the bot fetches them with getUpdates and handles them on its real path
 * (durable inbox, runner, sequentialize). Only the ordering test feeds updates to `bot.handleUpdate` directly, to
 * hold one handler open while others run.
 *
 * What is EMULATED (the emulator has none of it; tests/telegram/forum.ts, answered from the harness's grammY API
 * transformer before a call reaches the emulator): forum topics (createForumTopic, editForumTopic,
 * closeForumTopic, reopenForumTopic, with closed/deleted flags and Telegram's "message thread not found",
 * TOPIC_CLOSED and TOPIC_NOT_MODIFIED), pinChatMessage, getChatMember, the "message is not modified" / "message to
 * edit not found" / "message to be replied not found" errors, and a group's migration to a supergroup (calls on
 * the old id answered with `migrate_to_chat_id`). A user who blocked the bot is a 403 answered by the transformer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { Harness, TOKEN, visible } from './harness.js';
import { catalog, tempDbPath, texts } from '../support/engine.js';
import { openDatabase } from '../../src/store/database.js';
import { Engine } from '../../src/engine/engine.js';
import { ThreadGoneError, type DeskInbound, type DeskPort, type DeskRegistry } from '../../src/desk/port.js';
import { RecipientGoneError } from '../../src/engine/types.js';
import { TelegramDesk } from '../../src/adapters/telegram/desk/port.js';
import { TOPIC_NAME_LIMIT } from '../../src/adapters/telegram/desk/format.js';

const DESK = -1001234567;
const OTHER_GROUP = -1009999;
const OLD_GROUP = -4242;
const NEW_SUPERGROUP = -1004242;

class FakeRegistry implements DeskRegistry {
  readonly ports: DeskPort[] = [];
  readonly received: DeskInbound[] = [];
  /** Called before recording; may hold the handler open. */
  hook?: (inbound: DeskInbound) => Promise<void>;
  register(port: DeskPort): void {
    this.ports.push(port);
  }
  async receive(inbound: DeskInbound): Promise<void> {
    await this.hook?.(inbound);
    this.received.push(inbound);
  }
}

let h: Harness;
let tmp: ReturnType<typeof tempDbPath>;
let registry: FakeRegistry;

beforeEach(async () => {
  tmp = tempDbPath();
  h = await Harness.start();
  registry = new FakeRegistry();
});
afterEach(async () => {
  await h.bot?.stop();
  await h.stop();
  tmp.cleanup();
});

async function startDesk(chatId = DESK, { forum = true } = {}) {
  if (forum) h.forum.enableTopics(chatId);
  const bot = await h.startBot(tmp.path, { kind: 'polling' }, { desk: { chatId: String(chatId), registry } });
  return { bot, desk: bot.adapter.desk! };
}

/** Someone in a group: what they do goes through the emulator's client, with the fields Telegram would add. */
class Volunteer {
  private readonly client;
  constructor(
    readonly id: number,
    readonly chat = DESK,
    private readonly lastName?: string,
  ) {
    this.client = h.server.getClient(TOKEN, { userId: id, chatId: chat, type: 'supergroup' as never, firstName: `User${id}`, chatTitle: 'Desk' });
  }
  private get from() {
    return { id: this.id, is_bot: false, first_name: `User${this.id}`, ...(this.lastName ? { last_name: this.lastName } : {}) };
  }
  private where(thread?: number | string, replyTo?: number | string) {
    return {
      ...(thread !== undefined ? { message_thread_id: Number(thread), is_topic_message: true } : {}),
      ...(replyTo !== undefined ? { reply_to_message: { message_id: Number(replyTo), date: 1, chat: { id: this.chat, type: 'supergroup' } } } : {}),
    };
  }
  async say(text: string, options: { thread?: number | string; replyTo?: number | string } = {}): Promise<void> {
    await this.client.sendMessage(this.client.makeMessage(text, { from: this.from, ...this.where(options.thread, options.replyTo) } as never));
    await h.settle();
  }
  /** A message without text: a sticker, or a service message (topic created, pinned, migrated…). */
  async send(fields: Record<string, unknown>, options: { thread?: number | string } = {}): Promise<void> {
    const message = this.client.makeMessage(undefined as unknown as string, { from: this.from, ...this.where(options.thread), ...fields } as never);
    delete (message as { text?: string }).text;
    await this.client.sendMessage(message as never);
    await h.settle();
  }
  async press(data: string, message: { id: number | string; thread?: number | string }): Promise<void> {
    const query = this.client.makeCallbackQuery(data, {
      from: this.from,
      message: { message_id: Number(message.id), date: 1, chat: { id: this.chat, type: 'supergroup', title: 'Desk' }, ...this.where(message.thread) },
    } as never);
    await this.client.sendCallback(query as never);
    await h.settle();
  }
}

const deskMessages = (chat = DESK) => h.messagesTo(chat);
const lastMessage = (chat = DESK) => deskMessages(chat).at(-1)!;
const rawOf = (m: ReturnType<typeof lastMessage>) => m.raw.message as unknown as Record<string, unknown>;
const card = { text: '**Ticket #1**: Alice moves from `gmail` to <posteo>', buttons: [{ id: 'claim', label: 'Claim' }] };

describe('the desk port on a forum supergroup', () => {
  it('registers itself and opens a thread: a topic, the card in it with its buttons, pinned silently', async () => {
    const { desk } = await startDesk();
    expect(registry.ports).toEqual([desk]);
    expect(desk.name).toBe('telegram');

    const thread = await desk.openThread('#1 Alice — gmail → posteo', card);
    const topic = h.forum.topic(DESK, thread.threadId)!;
    expect(topic.name).toBe('#1 Alice — gmail → posteo');
    const sent = lastMessage();
    expect(String(sent.messageId)).toBe(thread.cardId);
    expect(sent.text).toBe('<b>Ticket #1</b>: Alice moves from <code>gmail</code> to &lt;posteo&gt;');
    expect(sent.parseMode).toBe('HTML');
    expect(rawOf(sent).message_thread_id).toBe(Number(thread.threadId));
    expect(sent.keyboard).toEqual([[{ text: 'Claim', callback_data: 'desk:claim' }]]);
    expect(h.forum.pins).toEqual([{ chat: String(DESK), messageId: Number(thread.cardId), silent: true }]);
    expect(h.bot.logs.some((line) => line.includes('telegram_desk_mode') && line.includes('forum'))).toBe(true);

    // Telegram's 128 characters for a topic's name.
    const long = await desk.openThread('x'.repeat(300), card);
    expect(h.forum.topic(DESK, long.threadId)!.name).toHaveLength(TOPIC_NAME_LIMIT);
  });

  it('updates a thread: renames the topic and edits the card; an unchanged one is no error', async () => {
    const { desk } = await startDesk();
    const thread = await desk.openThread('#1 open', card);
    const claimed = { text: '**Ticket #1** claimed by Bob', buttons: [{ id: 'unclaim', label: 'Release' }] };
    await desk.updateThread(thread, '#1 claimed', claimed);
    expect(h.forum.topic(DESK, thread.threadId)!.name).toBe('#1 claimed');
    const edited = deskMessages().find((m) => String(m.messageId) === thread.cardId)!;
    expect(edited.text).toBe('<b>Ticket #1</b> claimed by Bob');
    expect(edited.keyboard).toEqual([[{ text: 'Release', callback_data: 'desk:unclaim' }]]);
    // Telegram refuses both: TOPIC_NOT_MODIFIED and "message is not modified".
    await expect(desk.updateThread(thread, '#1 claimed', claimed)).resolves.toBeUndefined();
    expect(h.bot.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(2);
  });

  it('posts in a thread, announces in the main timeline, splits long texts, deletes', async () => {
    const { desk } = await startDesk();
    const thread = await desk.openThread('#1', card);
    const id = await desk.post(thread.threadId, { text: 'Alice: **merci**' });
    const posted = lastMessage();
    expect(String(posted.messageId)).toBe(id);
    expect(posted.text).toBe('Alice: <b>merci</b>');
    expect(rawOf(posted).message_thread_id).toBe(Number(thread.threadId));

    const announced = await desk.announce({ text: '#1 still waits' });
    expect(rawOf(lastMessage()).message_thread_id).toBeUndefined();
    expect(String(lastMessage().messageId)).toBe(announced);

    const long = await desk.post(thread.threadId, { text: `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}` });
    const parts = long.split(',');
    expect(parts).toHaveLength(2);
    expect(deskMessages().slice(-2).map((m) => String(m.messageId))).toEqual(parts);
    expect(deskMessages().slice(-2).every((m) => m.text.length <= 4096 && rawOf(m).message_thread_id === Number(thread.threadId))).toBe(true);

    expect(await desk.deleteMessage(thread.threadId, long)).toBe(true);
    expect(deskMessages().map((m) => String(m.messageId))).not.toContain(parts[0]);
    expect(deskMessages().map((m) => String(m.messageId))).not.toContain(parts[1]);
    expect(await desk.deleteMessage(thread.threadId, id)).toBe(true);
    expect(await desk.deleteMessage(thread.threadId, id)).toBe(true); // already gone: nothing left to do
    h.bot.failNextWith('deleteMessage', { error_code: 400, description: "Bad Request: message can't be deleted" });
    expect(await desk.deleteMessage(thread.threadId, announced)).toBe(false);
    h.bot.failNextWith('deleteMessage', { error_code: 403, description: 'Forbidden: not enough rights' });
    expect(await desk.deleteMessage(thread.threadId, announced)).toBe(false);
  });

  it('closes and reopens a topic (twice is no error); a post in a closed topic means the thread is gone', async () => {
    const { desk } = await startDesk();
    const thread = await desk.openThread('#1', card);
    await desk.closeThread(thread.threadId);
    expect(h.forum.topic(DESK, thread.threadId)!.closed).toBe(true);
    await desk.closeThread(thread.threadId); // TOPIC_NOT_MODIFIED
    await expect(desk.post(thread.threadId, { text: 'late' })).rejects.toBeInstanceOf(ThreadGoneError);
    await desk.reopenThread(thread.threadId);
    await desk.reopenThread(thread.threadId);
    expect(h.forum.topic(DESK, thread.threadId)!.closed).toBe(false);
    await expect(desk.post(thread.threadId, { text: 'back' })).resolves.toMatch(/^\d+$/);
  });

  it('a deleted topic throws ThreadGoneError from post, updateThread and reopenThread (close is a no-op)', async () => {
    const { desk } = await startDesk();
    const thread = await desk.openThread('#1', card);
    h.forum.deleteTopic(DESK, thread.threadId);
    const error = await desk.post(thread.threadId, { text: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadGoneError);
    expect((error as Error).message).not.toContain(String(DESK));
    await expect(desk.updateThread(thread, '#1 new', card)).rejects.toBeInstanceOf(ThreadGoneError);
    await expect(desk.reopenThread(thread.threadId)).rejects.toBeInstanceOf(ThreadGoneError);
    await expect(desk.closeThread(thread.threadId)).resolves.toBeUndefined();
    // TOPIC_DELETED as some servers word it.
    h.bot.failNextWith('sendMessage', { error_code: 400, description: 'Bad Request: TOPIC_DELETED' });
    await expect(desk.post(thread.threadId, { text: 'hello' })).rejects.toBeInstanceOf(ThreadGoneError);
    // The card alone deleted: the thread has lost its head, the core starts a new one.
    const other = await desk.openThread('#2', card);
    await desk.deleteMessage(other.threadId, other.cardId);
    await expect(desk.updateThread(other, '#2 new', { text: 'new' })).rejects.toBeInstanceOf(ThreadGoneError);
  });

  it('tells members from others, and asks Telegram again only after a minute', async () => {
    await startDesk();
    let clock = 1_000_000;
    const desk = new TelegramDesk({ api: h.bot.adapter.bot.api, chatId: String(DESK), now: () => clock });
    const statuses = ['creator', 'administrator', 'member', 'restricted', 'restricted-left', 'left', 'kicked', 'unknown'] as const;
    statuses.forEach((status, i) => h.forum.setMember(DESK, 500 + i, status));
    const answers: Record<string, boolean> = {};
    for (const [i, status] of statuses.entries()) answers[status] = await desk.isMember(String(500 + i));
    expect(answers).toEqual({ creator: true, administrator: true, member: true, restricted: true, 'restricted-left': false, left: false, kicked: false, unknown: false });
    expect(await desk.isMember('999')).toBe(false); // never there
    expect(await desk.isMember('not-a-user')).toBe(false);
    const lookups = h.forum.memberLookups;

    // Cached: no call for a minute, even after the volunteer left.
    h.forum.setMember(DESK, 502, 'left');
    expect(await desk.isMember('502')).toBe(true);
    expect(h.forum.memberLookups).toBe(lookups);
    clock += 61_000;
    expect(await desk.isMember('502')).toBe(false);
    expect(h.forum.memberLookups).toBe(lookups + 1);
  });

  it('says loudly at start when the desk group is public or shows its history to newcomers; not when it is private', async () => {
    h.forum.chats.set(String(DESK), { username: 'asso_guichet', has_visible_history: true });
    const { bot } = await startDesk();
    const warning = bot.logs.find((l) => l.includes('telegram_desk_not_private'));
    expect(warning).toContain('"public":true');
    expect(warning).toContain('"level":"warn"');
    await bot.stop();
    h.forum.chats.delete(String(DESK));
    const again = await startDesk();
    expect(again.bot.logs.some((l) => l.includes('telegram_desk_not_private'))).toBe(false);
  });

  it('a volunteer who writes in the desk needs no getChatMember', async () => {
    const { desk } = await startDesk();
    h.forum.setMember(DESK, 600, 'member');
    await new Volunteer(600).say('hello');
    expect(await desk.isMember('600')).toBe(true);
    expect(h.forum.memberLookups).toBe(0);
  });
});

describe('a desk group that became a supergroup', () => {
  it('follows migrate_to_chat_id in an error, retries there, and keeps the new id across a restart', async () => {
    h.forum.enableTopics(NEW_SUPERGROUP);
    h.forum.migrate(OLD_GROUP, NEW_SUPERGROUP);
    let { desk } = await startDesk(OLD_GROUP, { forum: false });
    const thread = await desk.openThread('#1', card); // createForumTopic refused on the old id, done on the new
    expect(desk.chatId).toBe(String(NEW_SUPERGROUP));
    expect(h.forum.topic(NEW_SUPERGROUP, thread.threadId)).toBeDefined();
    expect(String(lastMessage(NEW_SUPERGROUP).messageId)).toBe(thread.cardId);
    expect(h.bot.logs.some((line) => line.includes('telegram_desk_migrated'))).toBe(true);
    // Never a chat id at info level.
    expect(h.bot.logs.filter((l) => JSON.parse(l).level !== 'debug').some((l) => l.includes(String(NEW_SUPERGROUP)))).toBe(false);

    await h.bot.stop();
    ({ desk } = await startDesk(OLD_GROUP, { forum: false }));
    expect(desk.chatId).toBe(String(NEW_SUPERGROUP));
    const before = h.bot.calls.length;
    await desk.announce({ text: 'hello' });
    expect(h.bot.calls.slice(before).map((c) => [c.method, c.payload.chat_id])).toEqual([['sendMessage', NEW_SUPERGROUP]]);

    // Volunteers in the new supergroup reach the desk.
    await new Volunteer(700, NEW_SUPERGROUP).say('hi', { thread: thread.threadId });
    expect(registry.received.map((r) => [r.threadId, r.input])).toEqual([[thread.threadId, { kind: 'text', text: 'hi' }]]);
  });

  it('follows the migrate_to_chat_id service message, and keeps the new id across a restart', async () => {
    let { desk } = await startDesk(OLD_GROUP, { forum: false });
    await new Volunteer(701, OLD_GROUP).send({ migrate_to_chat_id: NEW_SUPERGROUP });
    expect(desk.chatId).toBe(String(NEW_SUPERGROUP));
    expect(registry.received).toEqual([]);
    await new Volunteer(701, NEW_SUPERGROUP).say('after');
    expect(registry.received.map((r) => r.input)).toEqual([{ kind: 'text', text: 'after' }]);

    await h.bot.stop();
    ({ desk } = await startDesk(OLD_GROUP, { forum: false }));
    expect(desk.chatId).toBe(String(NEW_SUPERGROUP));
    await desk.announce({ text: 'hello' });
    expect(visible(lastMessage(NEW_SUPERGROUP).text)).toBe('hello');

    // Configured for another chat now: the old migration is not applied to it.
    await h.bot.stop();
    ({ desk } = await startDesk(DESK));
    expect(desk.chatId).toBe(String(DESK));
  });

  it('also follows migrate_from_chat_id, the first message of the new supergroup', async () => {
    const { desk } = await startDesk(OLD_GROUP, { forum: false });
    await new Volunteer(702, NEW_SUPERGROUP).send({ migrate_from_chat_id: OLD_GROUP });
    expect(desk.chatId).toBe(String(NEW_SUPERGROUP));
    expect(registry.received).toEqual([]);
  });
});

describe('a desk chat without topics: reply threads', () => {
  it('puts the card in the main timeline and the thread in replies to it, and maps replies back', async () => {
    let { desk } = await startDesk(DESK, { forum: false });
    const thread = await desk.openThread('#1 Alice', card);
    expect(thread.threadId).toBe(thread.cardId);
    expect(desk.threadMode).toBe('replies');
    expect(h.bot.logs.some((line) => line.includes('telegram_desk_mode') && line.includes('replies'))).toBe(true);
    const cardMessage = lastMessage();
    expect(rawOf(cardMessage).message_thread_id).toBeUndefined();
    expect(visible(cardMessage.text)).toBe('#1 Alice\n\nTicket #1: Alice moves from gmail to <posteo>');
    expect(cardMessage.text.startsWith('<b>#1 Alice</b>')).toBe(true);
    expect(cardMessage.keyboard).toEqual([[{ text: 'Claim', callback_data: 'desk:claim' }]]);

    const postId = await desk.post(thread.threadId, { text: 'Alice: merci' });
    expect(rawOf(lastMessage()).reply_parameters).toEqual({ message_id: Number(thread.cardId) });

    await desk.updateThread(thread, '#1 Alice (claimed)', { text: 'claimed' });
    expect(visible(deskMessages().find((m) => String(m.messageId) === thread.cardId)!.text)).toBe('#1 Alice (claimed)\n\nclaimed');
    await desk.closeThread(thread.threadId);
    await desk.reopenThread(thread.threadId);
    expect(h.bot.calls.some((c) => /ForumTopic$/.test(c.method) && c.method !== 'createForumTopic')).toBe(false);

    const bob = new Volunteer(800);
    await bob.say('reply to the post', { replyTo: postId });
    await bob.say('reply to the card', { replyTo: thread.cardId });
    await bob.say('not a reply');
    await bob.press('desk:claim', { id: thread.cardId });
    expect(registry.received.map((r) => [r.threadId, r.input])).toEqual([
      [thread.threadId, { kind: 'text', text: 'reply to the post' }],
      [thread.threadId, { kind: 'text', text: 'reply to the card' }],
      [undefined, { kind: 'text', text: 'not a reply' }],
      [thread.threadId, { kind: 'button', id: 'claim' }],
    ]);

    // The map survives a restart.
    await h.bot.stop();
    ({ desk } = await startDesk(DESK, { forum: false }));
    expect(desk.threadMode).toBe('replies');
    await bob.say('after the restart', { replyTo: postId });
    expect(registry.received.at(-1)).toMatchObject({ threadId: thread.threadId, input: { kind: 'text', text: 'after the restart' } });

    // The card deleted by hand: posting in its thread says the thread is gone.
    await desk.deleteMessage(thread.threadId, thread.cardId);
    await expect(desk.post(thread.threadId, { text: 'x' })).rejects.toBeInstanceOf(ThreadGoneError);
  });
});

describe('what happens in the desk chat goes to the desk, never to the guide', () => {
  it('routes texts, buttons and other messages with their thread, and ignores service messages', async () => {
    const { desk } = await startDesk();
    const thread = await desk.openThread('#1', card);
    const bob = new Volunteer(900, DESK, 'Martin');
    await bob.say('on it', { thread: thread.threadId });
    await bob.say('anyone?');
    await bob.say('/claim@TestNameBot 12', { thread: thread.threadId });
    await bob.say('/claim@SomeOtherBot');
    await bob.press('desk:claim', { id: thread.cardId, thread: thread.threadId });
    await bob.press('3:provider:posteo', { id: thread.cardId, thread: thread.threadId }); // not a desk button
    await bob.send({ sticker: { file_id: 's' } }, { thread: thread.threadId });
    await bob.send({ forum_topic_created: { name: '#9', icon_color: 1 } }, { thread: thread.threadId });
    await bob.send({ pinned_message: { message_id: 1, date: 1, chat: { id: DESK, type: 'supergroup' } } });
    await bob.send({ new_chat_members: [{ id: 901, is_bot: false, first_name: 'New' }] });

    const from = { id: '900', name: 'User900 Martin' };
    expect(registry.received).toEqual([
      { desk: 'telegram', threadId: thread.threadId, messageId: expect.stringMatching(/^m\d+$/), from, input: { kind: 'text', text: 'on it' } },
      { desk: 'telegram', messageId: expect.stringMatching(/^m\d+$/), from, input: { kind: 'text', text: 'anyone?' } },
      { desk: 'telegram', threadId: thread.threadId, messageId: expect.stringMatching(/^m\d+$/), from, input: { kind: 'text', text: '/claim 12' } },
      { desk: 'telegram', threadId: thread.threadId, messageId: expect.stringMatching(/^c\d+$/), from, input: { kind: 'button', id: 'claim' } },
      { desk: 'telegram', threadId: thread.threadId, messageId: expect.stringMatching(/^m\d+$/), from, input: { kind: 'unsupported' } },
    ]);
    expect('threadId' in registry.received[1]!).toBe(false);
    // Both presses answered, even the one that was not for the desk.
    expect(h.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(2);
    // The bot said nothing of its own in the desk (only the card), and the guide saw nothing.
    expect(deskMessages()).toHaveLength(1);
    expect(h.bot.engine.knows(`telegram:${DESK}`)).toBe(false);
  });

  it('keeps other groups silent and private chats with the guide', async () => {
    await startDesk();
    await new Volunteer(950, OTHER_GROUP).say('hello bot');
    await new Volunteer(950, OTHER_GROUP).say('/start');
    expect(h.messagesTo(OTHER_GROUP)).toEqual([]);
    const alice = h.user(951, { languageCode: 'fr' });
    expect((await alice.start()).length).toBeGreaterThan(0);
    expect(h.bot.engine.knows('telegram:951')).toBe(true);
    expect(registry.received).toEqual([]);
  });

  it('keeps desk updates in the durable inbox: one fetched but not handled before a crash is handled at start', async () => {
    {
      const db = openDatabase(tmp.path);
      const engine = new Engine({ db, catalog, texts });
      engine.adapterState('telegram').inbox().add([
        {
          id: '777',
          payload: {
            update_id: 777,
            message: { message_id: 77, date: 1, chat: { id: DESK, type: 'supergroup', title: 'Desk' }, from: { id: 5, is_bot: false, first_name: 'V' }, message_thread_id: 12, is_topic_message: true, text: 'left over' },
          },
        },
      ]);
      db.close();
    }
    const { bot } = await startDesk();
    expect(registry.received).toEqual([{ desk: 'telegram', threadId: '12', messageId: 'm77', from: { id: '5', name: 'V' }, input: { kind: 'text', text: 'left over' } }]);
    expect(bot.engine.adapterState('telegram').inbox().pending()).toEqual([]);
  });

  it('handles one thread in order while other threads go on', async () => {
    const { bot } = await startDesk();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    registry.hook = async (inbound) => {
      if (inbound.input.kind === 'text' && inbound.input.text === 'A1') await held;
    };
    const update = (id: number, thread: number, text: string): Update =>
      ({
        update_id: 90_000 + id,
        message: {
          message_id: 90_000 + id,
          date: 1,
          chat: { id: DESK, type: 'supergroup', title: 'Desk' },
          from: { id: 1, is_bot: false, first_name: 'V' },
          message_thread_id: thread,
          is_topic_message: true,
          text,
        },
      }) as Update;
    const a1 = bot.adapter.bot.handleUpdate(update(1, 10, 'A1'));
    const a2 = bot.adapter.bot.handleUpdate(update(2, 10, 'A2'));
    await bot.adapter.bot.handleUpdate(update(3, 20, 'B1'));
    expect(registry.received.map((r) => r.input)).toEqual([{ kind: 'text', text: 'B1' }]);
    release();
    await Promise.all([a1, a2]);
    expect(registry.received.map((r) => (r.input as { text: string }).text)).toEqual(['B1', 'A1', 'A2']);
  });
});

describe('the user side', () => {
  it('throws RecipientGoneError when the person blocked the bot, without chat id or text', async () => {
    await startDesk();
    h.bot.failNextWith('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const error = await h.bot.adapter
      .send('4242', { text: 'a secret sentence', choices: [], promptSeq: 1, lang: 'fr' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientGoneError);
    expect((error as Error).message).not.toMatch(/4242|secret/);
    h.bot.failNextWith('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await expect(h.bot.adapter.send('4242', { text: 'x', choices: [], promptSeq: 1, lang: 'fr' })).rejects.not.toBeInstanceOf(RecipientGoneError);
  });
});
