/**
 * Files on Matrix (issue 17's media relay; src/adapters/matrix/media.ts, read.ts, desk/): what a person's or a
 * volunteer's file event reads as, a file posted in a desk thread or sent to a person — by its mxc URI when Matrix
 * holds it, uploaded from another platform's bytes otherwise — and fetchMedia. The real adapter and matrix-bot-sdk
 * over HTTP with the tests' homeserver; the only stand-in is the other platform's MediaSource (a "telegram" file
 * held in memory: no Telegram runs in these tests), and the desk core (./harness.ts RecordingDesk).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultFilename } from '../../src/adapters/matrix/media.js';
import { readDeskEvent } from '../../src/adapters/matrix/desk/read.js';
import { readEvent, type RawEvent } from '../../src/adapters/matrix/read.js';
import { matrixChatId } from '../../src/adapters/matrix/rooms.js';
import { ThreadGoneError, type DeskPort } from '../../src/desk/port.js';
import { MAX_MEDIA_BYTES, MediaGoneError, type MediaFile, type MediaRef, type MediaSource } from '../../src/engine/media.js';
import type { Inbound } from '../../src/engine/types.js';
import { tempDbPath } from '../support/engine.js';
import { SERVER_NAME, type TestUser } from '../support/homeserver.js';
import { MatrixHarness, RecordingDesk } from './harness.js';

const event = (content: Record<string, unknown>, type = 'm.room.message'): RawEvent => ({ type, event_id: '$e', sender: '@marie:x', content });
const mxc = `mxc://${SERVER_NAME}/abc`;

describe('reading file events', () => {
  it('reads each kind by its mxc URI, with its type, size and name; the body is a caption only when filename differs', () => {
    const image = event({ msgtype: 'm.image', body: 'Screenshot.png', url: mxc, info: { mimetype: 'image/png', size: 1234, w: 10, h: 10 } });
    expect(readEvent(image)).toEqual({
      kind: 'input',
      input: { kind: 'media', media: { platform: 'matrix', id: mxc, kind: 'photo', mimeType: 'image/png', size: 1234, filename: 'Screenshot.png' } },
    });
    const captioned = event({ msgtype: 'm.file', body: 'la lettre de mon FAI', filename: 'lettre.pdf', url: mxc, info: { mimetype: 'application/pdf', size: 99 } });
    expect(readEvent(captioned)).toEqual({
      kind: 'input',
      input: { kind: 'media', media: { platform: 'matrix', id: mxc, kind: 'document', mimeType: 'application/pdf', size: 99, filename: 'lettre.pdf' }, caption: 'la lettre de mon FAI' },
    });
    const sameName = event({ msgtype: 'm.file', body: 'lettre.pdf', filename: 'lettre.pdf', url: mxc });
    expect(readEvent(sameName)).toEqual({ kind: 'input', input: { kind: 'media', media: { platform: 'matrix', id: mxc, kind: 'document', filename: 'lettre.pdf' } } });
    const voice = event({ msgtype: 'm.audio', body: 'Voice message.ogg', url: mxc, info: { mimetype: 'audio/ogg', duration: 3000 }, 'org.matrix.msc3245.voice': {} });
    expect(readEvent(voice)).toMatchObject({ input: { kind: 'media', media: { kind: 'voice', mimeType: 'audio/ogg' } } });
    const audio = event({ msgtype: 'm.audio', body: 'song.mp3', url: mxc, info: { mimetype: 'audio/mpeg' } });
    expect(readEvent(audio)).toMatchObject({ input: { kind: 'media', media: { kind: 'audio' } } });
    const video = event({ msgtype: 'm.video', body: 'clip.mp4', url: mxc, info: { mimetype: 'video/mp4', size: 5 } });
    expect(readEvent(video)).toMatchObject({ input: { kind: 'media', media: { kind: 'video', size: 5 } } });
  });

  it('leaves an encrypted file (no crypto here), a file without URL and a sticker unsupported', () => {
    const encrypted = { msgtype: 'm.image', body: 'secret.jpg', file: { url: mxc, key: {}, iv: 'x', hashes: {}, v: 'v2' }, info: { mimetype: 'image/jpeg' } };
    expect(readEvent(event(encrypted))).toEqual({ kind: 'input', input: { kind: 'unsupported', what: 'photo' } });
    expect(readEvent(event({ msgtype: 'm.file', body: 'a.pdf', url: 'https://example.org/a.pdf' }))).toEqual({ kind: 'input', input: { kind: 'unsupported', what: 'document' } });
    expect(readEvent(event({ body: 'cat', url: mxc }, 'm.sticker'))).toEqual({ kind: 'input', input: { kind: 'unsupported', what: 'sticker' } });
    expect(readDeskEvent(event(encrypted))).toEqual({ kind: 'unsupported' });
  });

  it('reads a volunteer’s file on the desk as media, with its caption', () => {
    const file = event({ msgtype: 'm.image', body: 'voilà où cliquer', filename: 'aide.png', url: mxc, info: { mimetype: 'image/png' } });
    expect(readDeskEvent(file)).toEqual({ kind: 'media', media: { platform: 'matrix', id: mxc, kind: 'photo', mimeType: 'image/png', filename: 'aide.png' }, caption: 'voilà où cliquer' });
  });

  it('names files that came without a name after their type', () => {
    expect(defaultFilename('photo', 'image/jpeg')).toBe('photo.jpg');
    expect(defaultFilename('voice', 'audio/ogg; codecs=opus')).toBe('voice.ogg');
    expect(defaultFilename('document', undefined)).toBe('document');
  });
});

describe('files over the homeserver', () => {
  let h: MatrixHarness;
  let tmp: ReturnType<typeof tempDbPath>;
  let vera: TestUser;
  let deskRoom: string;
  let desk: RecordingDesk;
  /** What the "telegram" platform holds, and what it was asked for. */
  const telegramFiles = new Map<string, MediaFile>();
  const asked: MediaRef[] = [];
  const telegram: MediaSource = {
    async fetch(ref) {
      asked.push(ref);
      const file = ref.platform === 'telegram' ? telegramFiles.get(ref.id) : undefined;
      if (!file) throw new MediaGoneError('no such telegram file');
      return file;
    },
  };
  const port = (): DeskPort => desk.port!;
  const uploads = () => h.hs.requests.filter((r) => r.method === 'POST' && r.path === '/_matrix/media/v3/upload').length;
  const content = (eventId: string) => h.hs.event(eventId)!.content as Record<string, unknown>;

  beforeEach(async () => {
    tmp = tempDbPath();
    h = await MatrixHarness.start();
    vera = h.hs.user('vera');
    deskRoom = await vera.createRoom([h.botId], 'Desk');
    desk = new RecordingDesk();
    telegramFiles.clear();
    asked.length = 0;
    await h.startBot(tmp.path, { desk: { roomId: deskRoom, registry: desk }, media: telegram });
  });

  afterEach(async () => {
    await h.stop();
    tmp.cleanup();
  });

  it('hands the engine a person’s file as media, with its caption', async () => {
    const marie = h.user('marie');
    await marie.openDm();
    const receive = vi.spyOn(h.bot!.engine, 'receive');
    const url = await marie.user.upload(Buffer.from('png bytes'), 'image/png', 'ecran.png');
    const sent = await marie.act((u, room) =>
      u.send(room, 'm.room.message', { msgtype: 'm.image', body: 'mon erreur', filename: 'ecran.png', url, info: { mimetype: 'image/png', size: 9 } }),
    );
    const inbound = receive.mock.calls.map(([call]) => call as Inbound).find((call) => call.input.kind === 'media');
    expect(inbound?.input).toEqual({ kind: 'media', media: { platform: 'matrix', id: url, kind: 'photo', mimeType: 'image/png', size: 9, filename: 'ecran.png' }, caption: 'mon erreur' });
    expect(inbound?.conversation).toEqual({ platform: 'matrix', chatId: matrixChatId(marie.room, marie.id) });
    expect(sent.length).toBeGreaterThan(0); // outside a ticket: answered as what the guide cannot read
  });

  it('posts a Matrix file in a ticket’s thread by its mxc URI, the text as its caption: nothing uploaded', async () => {
    const marie = h.hs.user('marie');
    const url = await marie.upload(Buffer.from('the screenshot'), 'image/png', 'ecran.png');
    const thread = await port().openThread('#3', { text: 'card' });
    const before = uploads();
    const media: MediaRef = { platform: 'matrix', id: url, kind: 'photo', mimeType: 'image/png', size: 14, filename: 'ecran.png' };
    const id = await port().post(thread.threadId, { text: 'Marie : **mon** écran', media });
    expect(uploads()).toBe(before);
    expect(asked).toEqual([]);
    expect(content(id)).toEqual({
      msgtype: 'm.image',
      url,
      filename: 'ecran.png',
      info: { mimetype: 'image/png', size: 14 },
      body: 'Marie : mon écran',
      format: 'org.matrix.custom.html',
      formatted_body: 'Marie : <strong>mon</strong> écran',
      'm.relates_to': { rel_type: 'm.thread', event_id: thread.threadId, is_falling_back: true, 'm.in_reply_to': { event_id: thread.threadId } },
    });
    // Deleted like a text post (/oublier, the retention purge).
    expect(await port().deleteMessage(thread.threadId, id)).toBe(true);
    expect(h.hs.event(id)!.unsigned).toHaveProperty('redacted_because');
  });

  it('uploads another platform’s file from its bytes, in a thread and to a person', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    telegramFiles.set('AgACAgQ', { data: bytes, mimeType: 'image/jpeg', filename: 'photo.jpg' });
    const media: MediaRef = { platform: 'telegram', id: 'AgACAgQ', kind: 'photo', mimeType: 'image/jpeg', size: bytes.length };
    const thread = await port().openThread('#4', { text: 'card' });
    const id = await port().post(thread.threadId, { text: 'Marie : la photo', media });
    const posted = content(id);
    expect(posted).toMatchObject({ msgtype: 'm.image', filename: 'photo.jpg', body: 'Marie : la photo', info: { mimetype: 'image/jpeg', size: bytes.length } });
    expect(posted.url).toMatch(/^mxc:\/\/localhost\//);
    expect(h.hs.download(posted.url as string)).toEqual({ type: 'image/jpeg', data: bytes, filename: 'photo.jpg' });

    // To a person: a volunteer's voice message from Telegram, the volunteer's name as its caption.
    const marie = h.user('marie');
    await marie.openDm();
    const voice = Buffer.from('OggS voice');
    telegramFiles.set('AwACAgQ', { data: voice, mimeType: 'audio/ogg', filename: 'voice.ogg' });
    await h.bot!.adapter.send(matrixChatId(marie.room, marie.id), {
      text: 'Vera : écoutez',
      choices: [],
      promptSeq: 1,
      lang: 'fr',
      media: { platform: 'telegram', id: 'AwACAgQ', kind: 'voice', mimeType: 'audio/ogg' },
    });
    const [sent] = await marie.replies();
    expect(sent!.event.content).toMatchObject({ msgtype: 'm.audio', body: 'Vera : écoutez', filename: 'voice.ogg', 'org.matrix.msc3245.voice': {}, info: { mimetype: 'audio/ogg' } });
    expect(h.hs.download(sent!.event.content.url as string)?.data).toEqual(voice);
    expect(h.hs.unknown).toEqual([]);
  });

  it('sends a Matrix file to a person by its mxc URI, its name as body when there is no text', async () => {
    const marie = h.user('marie');
    await marie.openDm();
    const url = await vera.upload(Buffer.from('%PDF-1.7'), 'application/pdf', 'guide.pdf');
    const before = uploads();
    await h.bot!.adapter.send(matrixChatId(marie.room, marie.id), {
      text: '',
      choices: [],
      promptSeq: 1,
      lang: 'fr',
      media: { platform: 'matrix', id: url, kind: 'document', mimeType: 'application/pdf', filename: 'guide.pdf' },
    });
    const [sent] = await marie.replies();
    expect(sent!.event.content).toEqual({ msgtype: 'm.file', url, filename: 'guide.pdf', body: 'guide.pdf', info: { mimetype: 'application/pdf' } });
    expect(uploads()).toBe(before);
  });

  it('puts a caption too long for the file’s event after it, as notices in the thread, deleted together', async () => {
    const url = await vera.upload(Buffer.from('png'), 'image/png', 'long.png');
    const thread = await port().openThread('#7', { text: 'card' });
    const caption = Array.from({ length: 400 }, (_, i) => `Ligne ${i} : ${'é'.repeat(100)}`).join('\n');
    const id = await port().post(thread.threadId, { text: caption, media: { platform: 'matrix', id: url, kind: 'photo', mimeType: 'image/png' } });
    const events = h.hs.eventsFrom(h.botId, deskRoom).filter((e) => (e.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id === thread.threadId || e.event_id === id);
    expect(events[0]!.event_id).toBe(id);
    expect(events[0]!.content).toMatchObject({ msgtype: 'm.image', url, body: 'photo.png', filename: 'photo.png' }); // no name in the reference: one after its type
    expect(events.length).toBeGreaterThan(2);
    expect(events.slice(1).every((e) => e.content.msgtype === 'm.notice')).toBe(true);
    expect(events.slice(1).map((e) => String(e.content.body)).join('\n')).toContain('Ligne 399');
    expect(await port().deleteMessage(thread.threadId, id)).toBe(true);
    for (const e of events) expect(h.hs.event(e.event_id)!.unsigned).toHaveProperty('redacted_because');
  });

  it('fails a post plainly when the homeserver takes no uploads or not this size, by its code when it fails for a while, and lets a gone file say so', async () => {
    telegramFiles.set('big', { data: Buffer.alloc(64, 1), mimeType: 'application/pdf', filename: 'facture.pdf' });
    const media: MediaRef = { platform: 'telegram', id: 'big', kind: 'document', mimeType: 'application/pdf', filename: 'facture.pdf' };
    const thread = await port().openThread('#5', { text: 'card' });
    const before = h.hs.position;

    h.hs.mediaUpload = false;
    const noRepository = await port().post(thread.threadId, { text: 'x', media }).catch((error: unknown) => error);
    expect(noRepository).not.toBeInstanceOf(ThreadGoneError);
    expect(String(noRepository)).toMatch(/takes no uploads \(M_UNRECOGNIZED\)/);

    h.hs.mediaUpload = true;
    h.hs.maxUploadBytes = 10;
    await expect(port().post(thread.threadId, { text: 'x', media })).rejects.toThrow(/refuses a file this big \(M_TOO_LARGE, 64 bytes\): raise its upload limit/);

    h.hs.maxUploadBytes = Infinity;
    h.hs.failUploads(1, { status: 502, errcode: 'M_UNKNOWN' }); // a proxy failing for a while: the core retries
    const failing = await port().post(thread.threadId, { text: 'x', media }).catch((error: unknown) => error);
    expect(String(failing)).toBe('Error: the Matrix homeserver did not take the upload ({"errcode":"M_UNKNOWN","status":502})');
    const retried = await port().post(thread.threadId, { text: 'x', media });
    expect(content(retried)).toMatchObject({ msgtype: 'm.file', filename: 'facture.pdf' });
    const after = h.hs.position;

    const gone = await port().post(thread.threadId, { text: 'x', media: { ...media, id: 'deleted' } }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(MediaGoneError);
    expect((gone as Error).message).toBe('no such telegram file');
    expect(h.hs.position).toBe(after); // nothing half-posted
    expect(after).toBe(before + 1); // the retried post only
    expect(await port().post(thread.threadId, { text: 'the thread is fine' })).toMatch(/^\$/);
  });

  it('fetchMedia downloads a Matrix file’s bytes; a missing one is gone; a too big one is refused', async () => {
    const platform = h.bot!.adapter;
    const data = Buffer.from('%PDF-1.7 a letter');
    const url = await vera.upload(data, 'application/pdf', 'lettre.pdf');
    expect(await platform.fetchMedia({ platform: 'matrix', id: url, kind: 'document', mimeType: 'application/pdf', filename: 'lettre.pdf' })).toEqual({
      data,
      mimeType: 'application/pdf',
      filename: 'lettre.pdf',
    });
    // No type nor name in the reference: the homeserver's type, a name after it.
    expect(await platform.fetchMedia({ platform: 'matrix', id: url, kind: 'document' })).toEqual({ data, mimeType: 'application/pdf', filename: 'document.pdf' });

    await expect(platform.fetchMedia({ platform: 'matrix', id: `mxc://${SERVER_NAME}/never-uploaded`, kind: 'photo' })).rejects.toThrow(MediaGoneError);
    await expect(platform.fetchMedia({ platform: 'matrix', id: `mxc://${SERVER_NAME}/never-uploaded`, kind: 'photo' })).rejects.toThrow(/no longer has this file \(404\)/);

    const downloads = () => h.hs.requests.filter((r) => r.path.includes('/media/download/') || r.path.startsWith('/_matrix/media/v3/download/')).length;
    const before = downloads();
    await expect(platform.fetchMedia({ platform: 'matrix', id: url, kind: 'document', size: MAX_MEDIA_BYTES + 1 })).rejects.toThrow(/too big to relay/);
    expect(downloads()).toBe(before); // refused on its stated size, without downloading it

    const huge = await vera.upload(Buffer.alloc(MAX_MEDIA_BYTES + 1), 'image/png', 'huge.png');
    const refusal = await platform.fetchMedia({ platform: 'matrix', id: huge, kind: 'photo' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MediaGoneError);
    expect(String(refusal)).toMatch(/too big to relay \(10485761 bytes/);

    await expect(platform.fetchMedia({ platform: 'telegram', id: 'AgAC', kind: 'photo' })).rejects.toThrow(MediaGoneError);
  });

  it('fetchMedia asks the authenticated media endpoint (Synapse 1.120+ serves new files only there), the older one on an older server', async () => {
    const platform = h.bot!.adapter;
    const data = Buffer.from('\x89PNG');
    const url = await vera.upload(data, 'image/png', 'a.png');
    const ref: MediaRef = { platform: 'matrix', id: url, kind: 'photo', mimeType: 'image/png' };
    const paths = () => h.hs.requests.filter((r) => r.path.includes('download')).map((r) => r.path.replace(/download\/.*/, 'download'));

    h.hs.legacyMedia = false; // a current Synapse
    expect((await platform.fetchMedia(ref)).data).toEqual(data);
    expect(paths()).toEqual(['/_matrix/client/v1/media/download']);

    h.hs.legacyMedia = true;
    h.hs.authenticatedMedia = false; // a server older than Matrix 1.11
    expect((await platform.fetchMedia(ref)).data).toEqual(data);
    expect(paths()).toEqual(['/_matrix/client/v1/media/download', '/_matrix/client/v1/media/download', '/_matrix/media/v3/download']);
    await expect(platform.fetchMedia({ ...ref, id: `mxc://${SERVER_NAME}/gone` })).rejects.toThrow(MediaGoneError);
  });

  it('hands the desk a volunteer’s image in a ticket’s thread as media', async () => {
    const thread = await port().openThread('#6', { text: 'card' });
    const url = await vera.upload(Buffer.from('png'), 'image/png', 'ici.png');
    const sent = await vera.send(deskRoom, 'm.room.message', {
      msgtype: 'm.image',
      body: 'cliquez ici',
      filename: 'ici.png',
      url,
      info: { mimetype: 'image/png', size: 3 },
      'm.relates_to': { rel_type: 'm.thread', event_id: thread.threadId, is_falling_back: true, 'm.in_reply_to': { event_id: thread.threadId } },
    });
    await h.settle();
    expect(desk.received).toEqual([
      {
        desk: 'matrix',
        threadId: thread.threadId,
        messageId: sent,
        from: { id: vera.id, name: 'vera' },
        input: { kind: 'media', media: { platform: 'matrix', id: url, kind: 'photo', mimeType: 'image/png', size: 3, filename: 'ici.png' }, caption: 'cliquez ici' },
      },
    ]);
  });
});
