/**
 * The Telegram adapter end to end: the real adapter, grammY and @grammyjs/runner, polling telegram-test-api on a
 * loopback port (see ./harness.ts for how users are simulated and what the recording transformer stands in for).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, labels, TOKEN, visible, type BotMessage } from './harness.js';
import { tempDbPath, texts } from '../support/engine.js';
import { MESSAGE_LIMIT } from '../../src/adapters/telegram/format.js';

let h: Harness;
let tmp: ReturnType<typeof tempDbPath>;

beforeEach(async () => {
  tmp = tempDbPath();
  h = await Harness.start();
  await h.startBot(tmp.path);
});

afterEach(async () => {
  await h.bot.stop();
  await h.stop();
  tmp.cleanup();
});

/** The single message a user action got in reply. */
const one = async (replies: Promise<BotMessage[]>): Promise<BotMessage> => {
  const list = await replies;
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('Telegram, through the Bot API emulator', () => {
  it('runs a whole conversation: /start, buttons and typing, a chosen host, the first plan steps', async () => {
    const alice = h.user(1001, { languageCode: 'fr-FR' });
    const welcome = await one(alice.start());
    expect(welcome.parseMode).toBe('HTML');
    expect(visible(welcome.text)).toContain('demailbot');
    expect(labels(welcome)).toEqual(['Commencer', 'English']);

    const q1 = await one(alice.press('Commencer'));
    expect(visible(q1.text)).toContain('Quelle boîte mail utilisez-vous');
    expect(labels(q1)).toContain('Gmail');
    // Short labels share a row; long ones ("SFR / Neuf / Club-Internet") get their own.
    expect(q1.keyboard!.some((row) => row.length === 2)).toBe(true);
    expect(q1.keyboard!.find((row) => row.some((b) => b.text.startsWith('SFR')))).toHaveLength(1);

    expect(visible((await one(alice.press('Gmail'))).text)).toContain('Pour qui');
    expect(visible((await one(alice.say('pour moi'))).text)).toContain('Quelle place');
    await one(alice.press('Je ne sais pas'));
    for (const answer of ['non', 'gratuit', 'oui', 'peu importe', 'oui']) await one(alice.say(answer));
    const recommendations = await one(alice.say('oui'));
    expect(visible(recommendations.text)).toMatch(/✓/);
    const first = recommendations.keyboard![0]![0]!;
    expect('callback_data' in first && first.callback_data).toMatch(/^\d+:provider:/);

    const step1 = await one(alice.press(first.text));
    expect(visible(step1.text)).toContain('Étape 1 sur');
    expect(labels(step1)).toContain('✓ Fait');
    expect(visible((await one(alice.press('✓ Fait'))).text)).toContain('Étape 2 sur');
    expect(visible((await one(alice.say('fait'))).text)).toContain('Étape 3 sur');

    // Every press was answered, once.
    const presses = h.server.storage.userMessages.filter((u) => 'callbackQuery' in u).length;
    expect(h.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(presses);
    expect(presses).toBe(5);
  });

  it('takes the language from the Telegram client and preselects answers from a deep link', async () => {
    const bob = h.user(1002, { languageCode: 'en' });
    const welcome = await one(bob.start('gmail-asso'));
    expect(visible(welcome.text)).toContain('Hello');
    expect(labels(welcome)).toEqual(['Start', 'Français']);
    const next = await one(bob.press('Start'));
    expect(visible(next.text)).toContain('Question 3 of');
    expect(visible(next.text)).toContain('How many mailboxes');
  });

  it('answers a stale button and shows the current question again, without acting on it', async () => {
    const alice = h.user(1003, { languageCode: 'fr' });
    const welcome = await one(alice.start());
    await one(alice.press('Commencer', welcome));
    const stale = await one(alice.press('Commencer', welcome));
    expect(visible(stale.text)).toContain('message précédent');
    expect(visible(stale.text)).toContain('Quelle boîte mail');
    // A button we never made (an old bot version, a forged query) is treated the same way.
    const forged = await one(alice.pressData('not-ours'));
    expect(visible(forged.text)).toContain('Quelle boîte mail');
    expect(h.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(3);
    // And the real question still works.
    expect(visible((await one(alice.press('Gmail'))).text)).toContain('Pour qui');
  });

  it('answers kindly what is not text, in the user language, with the current question again', async () => {
    const alice = h.user(1004, { languageCode: 'fr' });
    await alice.start();
    await alice.say('commencer');
    const sticker = await one(alice.sendNonText({ sticker: { file_id: 'x', file_unique_id: 'x', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }));
    expect(visible(sticker.text)).toContain('autocollant');
    expect(visible(sticker.text)).toContain('Quelle boîte mail');
    expect(labels(sticker)).toContain('Gmail');
    expect(visible((await one(alice.sendNonText({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] }))).text)).toContain('images');
    expect(visible((await one(alice.sendNonText({ voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } }))).text)).toContain('vocaux');
    expect(visible((await one(alice.sendNonText({ location: { latitude: 48.85, longitude: 2.35 } }))).text)).toContain('position');
    expect(visible((await one(alice.say('gmail'))).text)).toContain('Pour qui');
  });

  it('answers an edited message kindly (fed to grammY directly: the emulator cannot produce edits)', async () => {
    // telegram-test-api wraps every user update as `message`; it has no way to send `edited_message`. The update is
    // handed to grammY as the runner would, and the reply still goes out through the emulator.
    const alice = h.user(1005, { languageCode: 'fr' });
    await alice.start();
    await h.bot.adapter.bot.handleUpdate({
      update_id: 999_001,
      edited_message: { message_id: 1, date: 1, edit_date: 2, chat: { id: alice.chatId, type: 'private', first_name: 'A' }, from: { id: alice.id, is_bot: false, first_name: 'A' }, text: 'gmail' },
    });
    const edit = await one(alice.replies());
    expect(visible(edit.text)).toContain('modifié');
    expect(labels(edit)).toEqual(['Commencer', 'English']); // and the current question again
  });

  it('never answers a redelivered update twice, nor advances the conversation twice', async () => {
    const alice = h.user(1006, { languageCode: 'fr' });
    await alice.start();
    await one(alice.press('Commencer'));
    await one(alice.say('gmail'));
    h.redeliverLast(); // Telegram hands "gmail" again, same update_id
    expect(await alice.replies()).toEqual([]);
    await one(alice.press('Pour moi'));
    h.redeliverLast(); // and the button press
    const answered = h.bot.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    expect(await alice.replies()).toEqual([]);
    // The press is answered again (the spinner must stop), but nothing else happens.
    expect(h.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(answered + 1);
    expect(visible((await one(alice.say('une seule'))).text)).toContain('Quelle place');
  });

  it('resumes after a restart of the bot mid-conversation, on the same database file', async () => {
    const alice = h.user(1007, { languageCode: 'fr' });
    await alice.start();
    await one(alice.press('Commencer'));
    await one(alice.press('Yahoo'));
    const forWhom = alice.lastWithButtons();
    await h.bot.stop();

    await h.startBot(tmp.path);
    // A button pressed on the message shown before the restart is still current.
    expect(visible((await one(alice.press('Pour ma famille', forWhom))).text)).toContain('Combien de boîtes');
    const again = await one(alice.start());
    expect(visible(again.text)).toContain('Re-bonjour');
    expect(visible(again.text)).toContain('Combien de boîtes');
  });

  it('delivers at the next start a reply Telegram refused before the restart', async () => {
    const alice = h.user(1008, { languageCode: 'fr' });
    await alice.start();
    h.bot.failNext('sendMessage');
    expect(await alice.say('commencer')).toEqual([]);
    await h.bot.stop();
    await h.startBot(tmp.path);
    const [late] = alice.all().slice(-1);
    expect(visible(late!.text)).toContain('Quelle boîte mail');
  });

  it('logs what happened, never a text, a token or a chat id', async () => {
    const alice = h.user(4242, { languageCode: 'fr' });
    await alice.start();
    h.bot.failNext('sendMessage');
    await alice.say('orange-secrète');
    h.bot.failNext('answerCallbackQuery');
    await alice.press('Commencer');
    const logs = h.bot.logs.join('');
    expect(logs).toContain('telegram_started');
    expect(logs).toContain('telegram_update_failed');
    expect(logs).toContain('telegram_answer_failed');
    for (const secret of [TOKEN, TOKEN.split(':')[1]!, '4242', 'orange', 'secrète', 'Commencer']) expect(logs).not.toContain(secret);
  });

  it('stays silent in groups (and still answers button presses there)', async () => {
    const group = h.user(1009, { type: 'group', chatId: -100123 });
    expect(await group.start()).toEqual([]);
    expect(await group.say('aide')).toEqual([]);
    expect(await group.pressData('1:begin', 1)).toEqual([]);
    expect(h.bot.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
    expect(h.bot.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
  });

  it('splits a long message cleanly, buttons under the last part', async () => {
    const alice = h.user(1010, { languageCode: 'fr' });
    const paragraph = (i: number) => `**Paragraphe ${i}** — ` + 'des mots & encore des mots, '.repeat(40);
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');
    await h.bot.adapter.send(String(alice.chatId), { text, choices: [{ id: 'done', label: '✓ Fait' }], promptSeq: 7, lang: 'fr' });
    const parts = await alice.replies();
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(part.text.match(/<b>/g)?.length).toBe(part.text.match(/<\/b>/g)?.length);
      expect(part.text.startsWith('<b>Paragraphe ')).toBe(true); // cut between paragraphs
    }
    expect(parts.slice(0, -1).every((p) => p.keyboard === undefined)).toBe(true);
    expect(labels(parts[parts.length - 1]!)).toEqual(['✓ Fait']);
    expect(parts.map((p) => visible(p.text)).join('\n\n')).toBe(text.replace(/\*\*/g, ''));
  });

  it('escapes for HTML every value put into a sentence', async () => {
    const alice = h.user(1011, { languageCode: 'fr' });
    const text = texts.t('fr')('guide:notices.providerChosen', { provider: 'Tom & <Jerry> `mail`' });
    await h.bot.adapter.send(String(alice.chatId), { text: `${text}\n\`a<b>&c\``, choices: [], promptSeq: 1, lang: 'fr' });
    const [message] = await alice.replies();
    expect(message!.parseMode).toBe('HTML');
    expect(message!.text).toContain('<b>Tom &amp; &lt;Jerry&gt; `mail`</b>');
    expect(message!.text).toContain('<code>a&lt;b&gt;&amp;c</code>');
    expect(message!.text).not.toMatch(/<(?!\/?(b|code)>)/);
  });

  it('sets the command menus in French and English at start (recorded: the emulator has no setMyCommands)', () => {
    const commands = h.bot.calls.filter((c) => c.method === 'setMyCommands');
    expect(commands.map((c) => c.payload.language_code)).toEqual(['fr', 'en', undefined]);
    for (const call of commands) expect(call.payload.scope).toEqual({ type: 'all_private_chats' });
    const names = (i: number) => (commands[i]!.payload.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names(0)).toEqual(['start', 'aide', 'humain', 'ou', 'retour', 'langue', 'recommencer', 'oublier']);
    expect(names(1)).toEqual(['start', 'help', 'human', 'where', 'back', 'language', 'restart', 'forget']);
    expect(names(2)).toEqual(names(0));
  });

  it('understands every command of the menus, typed as Telegram sends them', async () => {
    const alice = h.user(1012, { languageCode: 'fr' });
    await alice.start();
    await one(alice.press('Commencer'));
    expect(visible((await one(alice.say('/aide'))).text)).toContain('/retour');
    expect(visible((await one(alice.say('/ou@TestNameBot'))).text)).toContain('Question 1 sur');
    expect(visible((await one(alice.say('/language'))).text)).toContain('English');
  });
});

describe('Telegram by webhook', () => {
  it('serves updates posted with the secret token, and refuses the others', async () => {
    await h.bot.stop();
    const secret = 'a-secret_123';
    const bot = await h.startBot(tmp.path, { kind: 'webhook', url: 'https://bot.example.org/telegram/hook', port: 0, secret, host: '127.0.0.1' } as const);
    const setWebhook = bot.calls.find((c) => c.method === 'setWebhook')!;
    expect(setWebhook.payload).toMatchObject({ url: 'https://bot.example.org/telegram/hook', secret_token: secret });
    const port = bot.adapter.webhookPort!;
    const update = (id: number) => ({
      update_id: id,
      message: { message_id: id, date: 1, chat: { id: 2001, type: 'private', first_name: 'W' }, from: { id: 2001, is_bot: false, first_name: 'W', language_code: 'fr' }, text: '/start' },
    });
    const post = (body: unknown, headers: Record<string, string> = {}, path = '/telegram/hook') =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    expect((await post(update(1))).status).toBe(401);
    expect((await post(update(2), { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' })).status).toBe(401);
    expect((await post(update(3), { 'X-Telegram-Bot-Api-Secret-Token': secret }, '/elsewhere')).status).toBe(404);
    expect(h.messagesTo(2001)).toHaveLength(0);
    expect((await post(update(4), { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(200);
    expect(visible(h.messagesTo(2001)[0]!.text)).toContain('demailbot');
    // Telegram retrying the same update: answered 200, not twice.
    expect((await post(update(4), { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(200);
    expect(h.messagesTo(2001)).toHaveLength(1);
    // A body that is not JSON: refused, and the log does not quote it.
    expect((await post('{"not json": forged-body', { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(500);
    expect(bot.logs.join('')).toContain('telegram_webhook_failed');
    expect(bot.logs.join('')).not.toContain('forged-body');

    // Even with the right secret, a body over 1 MB is refused, announced or streamed, without being kept whole.
    const big = JSON.stringify({ ...update(5), message: { ...update(5).message, text: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await post(big, { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
        for (let i = 0; i < 40; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
      body: streamed,
      duplex: 'half',
    } as RequestInit).catch(() => undefined);
    if (response) expect(response.status).toBe(413); // or the connection was cut mid-upload
    expect((await post(update(6), { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(200); // still serving
  });
});
