/**
 * Files through the desk end to end, on Matrix both sides (issue 17's media relay): a person in a direct chat, the
 * volunteers in the desk room, the real desk core, engine and guide on a SQLite file, matrix-bot-sdk over HTTP with
 * the tests' homeserver — the world of the desk's end-to-end tests (tests/desk/world.ts). With a Telegram desk, the
 * file crosses platforms: downloaded from the homeserver by the Matrix platform, uploaded by the Telegram one (to
 * telegram-test-api, its file calls emulated by tests/telegram/files.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MatrixEvent } from '../support/homeserver.js';
import { World } from '../desk/world.js';

let w: World | undefined;
afterEach(async () => {
  // Nothing along the way was an error for the engine, the desk or the adapter.
  const errors = w ? [...w.logs, ...(w.mx.bot?.logs ?? [])].filter((l) => l.includes('"level":"error"')) : [];
  await w?.close();
  w = undefined;
  expect(errors).toEqual([]);
});

const inThread = (event: MatrixEvent, root: string) => (event.content['m.relates_to'] as { rel_type?: string; event_id?: string } | undefined)?.event_id === root;

describe('a Matrix person, a Matrix desk: files', () => {
  it('a screenshot asks once, then goes in the thread with the same mxc; the volunteer’s image reaches the person; /oublier redacts it', async () => {
    w = await World.start({ matrixDesk: true });
    const marie = await w.mxVolunteer('marie', 'Marie');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1'); // "yes"
    const root = w.mxRoot(1).event_id;
    await marie.say('/name Marie', root);
    await marie.say('/claim', root);
    await alice.news();

    // Alice's screenshot, as Element sends one: uploaded, then an m.image with its mxc URI and a caption.
    const png = Buffer.from('\x89PNG screenshot of an error');
    const url = await alice.user.user.upload(png, 'image/png', 'ecran.png');
    await alice.user.user.send(alice.user.room, 'm.room.message', {
      msgtype: 'm.image',
      body: 'le message d’erreur',
      filename: 'ecran.png',
      url,
      info: { mimetype: 'image/png', size: png.length },
    });
    const asked = (await alice.news()).join('\n');
    expect(asked).toContain('une capture d’écran peut montrer plus que prévu');
    expect(w.mxDeskEvents().some((e) => e.content.url === url)).toBe(false); // nothing before her yes

    const uploadsBefore = w.mx.hs.requests.filter((r) => r.path === '/_matrix/media/v3/upload').length;
    expect((await alice.say('1')).join('\n')).toContain('Envoyé à Marie'); // "Send"
    const posted = w.mxDeskEvents().filter((e) => e.content.url === url);
    expect(posted).toHaveLength(1);
    expect(inThread(posted[0]!, root)).toBe(true);
    expect(posted[0]!.content).toMatchObject({ msgtype: 'm.image', filename: 'ecran.png', info: { mimetype: 'image/png', size: png.length } });
    expect(String(posted[0]!.content.body)).toContain("La personne envoie une image :\nle message d’erreur");
    // The homeserver's own file, forwarded: nothing downloaded, nothing uploaded again.
    expect(w.mx.hs.requests.filter((r) => r.path === '/_matrix/media/v3/upload').length).toBe(uploadsBefore);

    // Marie's image in the thread reaches Alice with its caption, by the same mxc URI.
    const help = await marie.account.upload(Buffer.from('\x89PNG where to click'), 'image/png', 'ici.png');
    await marie.account.send(w.deskRoom, 'm.room.message', {
      msgtype: 'm.image',
      body: 'cliquez ici',
      filename: 'ici.png',
      url: help,
      info: { mimetype: 'image/png', size: 19 },
      'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
    });
    await w.settle();
    const received = alice.user.all().filter((m) => m.event.content.url === help);
    expect(received).toHaveLength(1);
    expect(received[0]!.event.content).toMatchObject({ msgtype: 'm.image', filename: 'ici.png', info: { mimetype: 'image/png' } });
    expect(received[0]!.body).toContain('Marie');
    expect(received[0]!.body).toContain('cliquez ici');

    // /oublier: the thread's event that carried her screenshot is redacted.
    await alice.say('/oublier');
    expect((await alice.say('1')).join('\n')).toContain("j'ai tout effacé");
    const gone = w.mx.hs.event(posted[0]!.event_id)!;
    expect(gone.content).toEqual({});
    expect(gone.unsigned?.redacted_because).toBeDefined();
    expect(w.mxThread(root).at(-1)!.text).toContain('La personne a effacé ses données');
  });
});

describe('a Matrix person, the Telegram desk: files', () => {
  it('the screenshot is downloaded from the homeserver and uploaded to the topic with the same bytes', async () => {
    w = await World.start({ telegramDesk: true });
    const paul = w.tgVolunteer(501, 'Paul');
    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('1'); // "yes"
    const topic = w.tgTopic(1);
    const [card] = w.tgDeskMessages(topic.id);
    await paul.say('/name Paul', topic.id);
    await paul.press('claim', card!, topic.id);
    await alice.news();

    const png = Buffer.from('\x89PNG the error Alice sees');
    const url = await alice.user.user.upload(png, 'image/png', 'erreur.png');
    await alice.user.user.send(alice.user.room, 'm.room.message', { msgtype: 'm.image', body: 'erreur.png', url, info: { mimetype: 'image/png', size: png.length } });
    expect((await alice.news()).join('\n')).toContain('une capture d’écran peut montrer plus que prévu');
    expect((await alice.say('1')).join('\n')).toContain('Envoyé à Paul');

    const files = w.tgDeskMessages(topic.id).filter((m) => m.file);
    expect(files.map((m) => m.file!.type)).toEqual(['photo']);
    expect(w.tg.files.uploads).toHaveLength(1);
    expect(w.tg.files.uploads[0]!.data).toEqual(png);
    // Fetched from the authenticated media endpoint, once.
    expect(w.mx.hs.requests.filter((r) => r.path.includes('/media/download/')).map((r) => r.path.split('/download/')[0])).toEqual(['/_matrix/client/v1/media']);

    // Paul's photo in the topic, back to Alice on Matrix: downloaded from Telegram, uploaded to her homeserver.
    const settings = Buffer.from('\xff\xd8 the settings page Paul shows');
    const { fields } = w.tg.files.photo(settings);
    await paul.show(fields, topic.id, 'Cliquez ici, en haut à droite');
    const said = await alice.news();
    expect(said.join('\n')).toContain('Paul vous envoie une image');
    const image = w.mx.hs.eventsFrom(w.mx.botId, alice.user.room).filter((e) => e.content.msgtype === 'm.image').at(-1)!;
    expect(w.mx.hs.download(image.content.url as string)?.data).toEqual(settings);
    expect(w.tg.files.downloads).toBe(1);
  });
});
