/**
 * Files through the desk end to end, a Telegram person and the Telegram desk (issue 17): the real engine, guide and
 * desk core on a SQLite file (tests/desk/world.ts, as src/main.ts builds them), the real Telegram platform and its
 * desk port, over loopback to telegram-test-api.
 *
 * EMULATED, because the emulator lacks it: every file call (sendPhoto…, getFile, the download route) in
 * tests/telegram/files.ts, forum topics in tests/telegram/forum.ts — both answered from the harness's API
 * transformer. The world also runs its Matrix homeserver, unused here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN } from './harness.js';
import { TG_DESK, World, tgVisible } from '../desk/world.js';
import { MAX_MEDIA_BYTES } from '../../src/engine/media.js';

let w: World | undefined;
afterEach(async () => {
  const errors = w ? [...w.logs, ...w.tg.bot.logs].filter((l) => l.includes('"level":"error"')) : [];
  await w?.close();
  w = undefined;
  expect(errors).toEqual([]);
});

describe('a Telegram person, the Telegram desk: files', () => {
  it('a screenshot after the consent question goes to the topic by its file_id; the volunteer\'s photo reaches the person; too big is refused; /oublier deletes it', async () => {
    w = await World.start({ telegramDesk: true });
    const world = w;
    const paul = world.tgVolunteer(501, 'Paul');
    const alice = world.tgPerson(1001, 'Alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.choose('yes');
    const topic = world.tgTopic(1);
    const [card] = world.tgDeskMessages(topic.id);
    await paul.say('/name Paul', topic.id);
    await paul.press('claim', card!, topic.id);
    await alice.news();
    /** The person sends a file; the bot's messages to her once both platforms have handled everything. */
    const show = async (fields: Record<string, unknown>) => [...(await alice.user.sendNonText(fields)), ...(await alice.news())];
    const filesInTopic = () => world.tgDeskMessages(topic.id).filter((m) => m.file);

    // The person's screenshot: held for the question first.
    const { fields, file: shot } = world.tg.files.photo(Buffer.from('a phone screenshot'));
    const question = await show({ ...fields, caption: "le message d'erreur" });
    expect(tgVisible(question.at(-1)!.text)).toContain('une capture d’écran peut montrer plus que prévu');
    expect(alice.choices()).toEqual(['sendMedia', 'cancelMedia']);
    expect(filesInTopic()).toEqual([]);

    await alice.choose('sendMedia');
    const [posted] = filesInTopic();
    expect(posted!.file).toEqual({ type: 'photo', fileId: shot.id }); // the same file_id, re-sent
    expect(tgVisible(posted!.text)).toContain("La personne envoie une image :\nle message d'erreur");
    expect(world.tg.files.uploads).toEqual([]);
    expect(world.tg.files.downloads).toBe(0);
    expect(alice.texts().at(-1)).toContain('Envoyé à Paul');

    // The volunteer's photo, in the topic: to the person, with his name and words.
    const { fields: his, file: hisShot } = world.tg.files.photo(Buffer.from('the settings page'));
    const client = world.tg.server.getClient(TOKEN, { userId: 501, chatId: TG_DESK, type: 'supergroup' as never, firstName: 'Paul', chatTitle: 'Guichet' });
    const message = client.makeMessage(undefined as unknown as string, {
      from: { id: 501, is_bot: false, first_name: 'Paul' },
      message_thread_id: topic.id,
      is_topic_message: true,
      caption: 'Cliquez ici, en haut à droite',
      ...his,
    } as never);
    delete (message as { text?: string }).text;
    await client.sendMessage(message as never);
    const got = await alice.news();
    expect(got).toHaveLength(1);
    expect(got[0]!.file).toEqual({ type: 'photo', fileId: hisShot.id });
    expect(tgVisible(got[0]!.text)).toContain('Paul vous envoie une image :\nCliquez ici, en haut à droite');

    // A document over 10 MB: the person is told, nothing is posted, nothing fetched.
    const deskBefore = world.tgDeskMessages(topic.id).length;
    const { fields: big } = world.tg.files.other('document', Buffer.from('%PDF'), { size: MAX_MEDIA_BYTES + 1, mimeType: 'application/pdf', name: 'scan.pdf' });
    const told = await show(big);
    expect(tgVisible(told.at(-1)!.text)).toContain('trop lourd');
    expect(tgVisible(told.at(-1)!.text)).toContain('10 Mo');
    expect(world.tgDeskMessages(topic.id)).toHaveLength(deskBefore);
    expect(world.tg.bot.calls.filter((c) => c.method === 'getFile')).toEqual([]);

    // /oublier: the photo message in the topic is deleted.
    await alice.say('/oublier');
    await alice.choose('yes');
    expect(world.tg.bot.calls.filter((c) => c.method === 'deleteMessage').map((c) => c.payload.message_id)).toContain(posted!.messageId);
    expect(filesInTopic()).toEqual([]);
  });
});
