/**
 * Telegram's side of the media relay (issue 17): reading a person's or a volunteer's file, sending a file to the
 * person or into a ticket's topic (by file_id, or uploaded from another platform's bytes), the 1024-character
 * caption rule, and fetchMedia.
 *
 * Real: the Telegram platform and its desk port, grammY, the pacing-free API path, the telegram-test-api emulator
 * on loopback for sendMessage, deleteMessage and getUpdates. EMULATED (the emulator has no files at all):
 * sendPhoto/sendDocument/sendVoice/sendAudio/sendVideo, getFile and the download route, in tests/telegram/files.ts;
 * topics in tests/telegram/forum.ts. The other platform's files come from a fake MediaSource (`extra.media`)
 * holding one "matrix" file: no Matrix platform runs in these tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message, Update } from 'grammy/types';
import { Harness, TOKEN, visible } from './harness.js';
import { tempDbPath } from '../support/engine.js';
import { inboundOf, mediaOf } from '../../src/adapters/telegram/read.js';
import { CAPTION_LIMIT } from '../../src/adapters/telegram/files.js';
import { MAX_MEDIA_BYTES, MediaGoneError, type MediaFile, type MediaRef, type MediaSource } from '../../src/engine/media.js';
import { RecipientGoneError } from '../../src/engine/types.js';
import { ThreadGoneError, type DeskInbound, type DeskPort, type DeskRegistry } from '../../src/desk/port.js';

const DESK = -1007777;
const PERSON = 4242;

const privateChat = { id: 42, type: 'private' as const, first_name: 'A' };
const from = { id: 42, is_bot: false, first_name: 'A' };
const update = (fields: Record<string, unknown>): Update => ({ update_id: 7, message: { message_id: 1, date: 1, chat: privateChat, from, ...fields } }) as unknown as Update;
const file = (id: string, extra: Record<string, unknown> = {}) => ({ file_id: id, file_unique_id: `u${id}`, ...extra });

class FakeRegistry implements DeskRegistry {
  readonly ports: DeskPort[] = [];
  readonly received: DeskInbound[] = [];
  register(port: DeskPort): void {
    this.ports.push(port);
  }
  async receive(inbound: DeskInbound): Promise<void> {
    this.received.push(inbound);
  }
}

/** Another platform's file: what a Matrix screenshot would be, its bytes held by the fake source. */
const matrixShot: MediaRef = { platform: 'matrix', id: 'mxc://example.org/shot', kind: 'photo', mimeType: 'image/png', size: 12, filename: 'capture.png' };
const matrixBytes = Buffer.from('\x89PNG-matrix!');
class FakeMatrixFiles implements MediaSource {
  readonly fetched: MediaRef[] = [];
  readonly files = new Map<string, MediaFile>([[matrixShot.id, { data: matrixBytes, mimeType: 'image/png', filename: 'capture.png' }]]);
  async fetch(ref: MediaRef): Promise<MediaFile> {
    this.fetched.push(ref);
    const file = this.files.get(ref.id);
    if (!file) throw new MediaGoneError('matrix: that file is not here any more');
    return file;
  }
}

describe('reading files', () => {
  it('reads each kind of file as media with its file_id, type, size, name and caption', () => {
    const read = (fields: Record<string, unknown>) => inboundOf(update(fields))?.input as { kind: string; media?: MediaRef; caption?: string } | undefined;
    // The largest size of a photo, wherever Telegram lists it.
    const photo = [file('big', { width: 1280, height: 960, file_size: 90_000 }), file('small', { width: 90, height: 68, file_size: 1_000 })];
    expect(read({ photo, caption: '  my error  ' })).toEqual({
      kind: 'media',
      media: { platform: 'telegram', id: 'big', kind: 'photo', mimeType: 'image/jpeg', size: 90_000 },
      caption: 'my error',
    });
    expect(read({ document: file('d', { mime_type: 'application/pdf', file_size: 5000, file_name: 'facture.pdf' }) })).toEqual({
      kind: 'media',
      media: { platform: 'telegram', id: 'd', kind: 'document', mimeType: 'application/pdf', size: 5000, filename: 'facture.pdf' },
    });
    expect(read({ voice: file('v', { mime_type: 'audio/ogg', duration: 3, file_size: 800 }) })).toEqual({
      kind: 'media',
      media: { platform: 'telegram', id: 'v', kind: 'voice', mimeType: 'audio/ogg', size: 800 },
    });
    expect(read({ audio: file('a', { mime_type: 'audio/mpeg', duration: 3, file_name: 'message.mp3' }) })?.media).toEqual(
      { platform: 'telegram', id: 'a', kind: 'audio', mimeType: 'audio/mpeg', filename: 'message.mp3' },
    );
    expect(read({ video: file('vi', { mime_type: 'video/mp4', duration: 3, width: 1, height: 1 }) })?.media).toEqual(
      { platform: 'telegram', id: 'vi', kind: 'video', mimeType: 'video/mp4' },
    );
    expect(read({ video_note: file('n', { length: 240, duration: 3 }) })?.media).toEqual({ platform: 'telegram', id: 'n', kind: 'video', mimeType: 'video/mp4' });
    // An animation comes with `document` too: it is the animation that is read.
    const gif = file('g', { mime_type: 'video/mp4', duration: 1, width: 1, height: 1 });
    expect(read({ animation: gif, document: gif })?.media).toMatchObject({ id: 'g', kind: 'video' });
  });

  it('leaves stickers, locations and polls unsupported, and an empty caption out', () => {
    expect(inboundOf(update({ sticker: file('s') }))?.input).toEqual({ kind: 'unsupported', what: 'sticker' });
    expect(inboundOf(update({ location: { latitude: 1, longitude: 2 } }))?.input).toEqual({ kind: 'unsupported', what: 'location' });
    expect(inboundOf(update({ poll: {} }))?.input).toEqual({ kind: 'unsupported', what: 'poll' });
    expect(mediaOf({ message_id: 1, date: 1, chat: privateChat, voice: file('v', { duration: 1 }), caption: '   ' } as unknown as Message)).toEqual({
      media: { platform: 'telegram', id: 'v', kind: 'voice' },
    });
    // An edited photo is an edit, as any edit.
    const edited = { update_id: 9, edited_message: { message_id: 1, date: 1, edit_date: 2, chat: privateChat, from, photo: [file('p', { width: 1, height: 1 })] } } as unknown as Update;
    expect(inboundOf(edited)?.input).toEqual({ kind: 'unsupported', what: 'edit' });
  });
});

describe('files on the Telegram platform', () => {
  let h: Harness;
  let tmp: ReturnType<typeof tempDbPath>;
  let registry: FakeRegistry;
  let matrix: FakeMatrixFiles;

  beforeEach(async () => {
    tmp = tempDbPath();
    h = await Harness.start();
    registry = new FakeRegistry();
    matrix = new FakeMatrixFiles();
  });
  afterEach(async () => {
    await h.bot?.stop();
    await h.stop();
    tmp.cleanup();
  });

  async function startDesk() {
    h.forum.enableTopics(DESK);
    const bot = await h.startBot(tmp.path, { kind: 'polling' }, { desk: { chatId: String(DESK), registry }, media: matrix });
    const desk = bot.adapter.desk!;
    const thread = await desk.openThread('#1 Alice', { text: 'card' });
    return { bot, desk, thread };
  }
  const inTopic = (threadId: string) => h.messagesTo(DESK).filter((m) => String((m.raw.message as { message_thread_id?: unknown }).message_thread_id) === threadId);
  const ref = (stored: { id: string; size: number }, kind: MediaRef['kind'], extra: Partial<MediaRef> = {}): MediaRef => ({ platform: 'telegram', id: stored.id, kind, size: stored.size, ...extra });

  it("posts a person's Telegram photo in the ticket's topic by its file_id, the caption in HTML, and deletes it", async () => {
    const { desk, thread } = await startDesk();
    const { file: shot } = h.files.photo(Buffer.from('a screenshot'));
    const id = await desk.post(thread.threadId, { text: '**Alice**: <the error>', media: ref(shot, 'photo', { mimeType: 'image/jpeg' }) });

    const [posted] = inTopic(thread.threadId).filter((m) => m.file);
    expect(posted).toMatchObject({ messageId: Number(id), file: { type: 'photo', fileId: shot.id }, parseMode: 'HTML' });
    expect(posted!.text).toBe('<b>Alice</b>: &lt;the error&gt;');
    expect(h.files.uploads).toEqual([]); // re-sent, not downloaded nor uploaded
    expect(h.files.downloads).toBe(0);

    expect(await desk.deleteMessage(thread.threadId, id)).toBe(true);
    expect(inTopic(thread.threadId).filter((m) => m.file)).toEqual([]);
  });

  it("uploads another platform's file from its bytes, under its name, with the caption", async () => {
    const { desk, thread } = await startDesk();
    const id = await desk.post(thread.threadId, { text: 'Alice: capture', media: matrixShot });

    expect(matrix.fetched).toEqual([matrixShot]);
    expect(h.files.uploads).toHaveLength(1);
    const [upload] = h.files.uploads;
    expect(upload).toMatchObject({ method: 'sendPhoto', filename: 'capture.png' });
    expect(upload!.data.equals(matrixBytes)).toBe(true);
    const [posted] = inTopic(thread.threadId).filter((m) => m.file);
    expect(posted).toMatchObject({ messageId: Number(id), text: 'Alice: capture', file: { type: 'photo', fileId: upload!.fileId } });
  });

  it('a picture Telegram does not show as a photo goes as a document; a gone file says so unchanged', async () => {
    const { desk, thread } = await startDesk();
    const gif: MediaRef = { ...matrixShot, id: 'mxc://example.org/gif', mimeType: 'image/gif', filename: 'anim.gif' };
    matrix.files.set(gif.id, { data: Buffer.from('GIF89a'), mimeType: 'image/gif', filename: 'anim.gif' });
    await desk.post(thread.threadId, { text: 'gif', media: gif });
    expect(h.files.uploads.map((u) => [u.method, u.filename])).toEqual([['sendDocument', 'anim.gif']]);

    // A picture Telegram will not show as a photo (a side too long): sent as a document rather than lost.
    h.bot.failNextWith('sendPhoto', { error_code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    await desk.post(thread.threadId, { text: 'long', media: matrixShot });
    expect(h.files.uploads.map((u) => [u.method, u.filename])).toEqual([['sendDocument', 'anim.gif'], ['sendDocument', 'capture.png']]);
    expect(h.files.uploads[1]!.data.equals(matrixBytes)).toBe(true);

    matrix.files.clear();
    const before = h.messagesTo(DESK).length;
    const error = await desk.post(thread.threadId, { text: 'x', media: matrixShot }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaGoneError);
    expect((error as Error).message).toBe('matrix: that file is not here any more');
    expect(h.messagesTo(DESK)).toHaveLength(before); // nothing posted
  });

  it('past 1024 characters: the words first as a message, then the file alone; the post deletes both', async () => {
    const { desk, thread } = await startDesk();
    const { file: pdf } = h.files.other('document', Buffer.from('%PDF-1.4'), { mimeType: 'application/pdf', name: 'lettre.pdf' });
    const long = `Alice: ${'mot '.repeat(300)}`;
    expect(long.length).toBeGreaterThan(CAPTION_LIMIT);
    const id = await desk.post(thread.threadId, { text: long, media: ref(pdf, 'document', { mimeType: 'application/pdf', filename: 'lettre.pdf' }) });

    const ids = id.split(',').map(Number);
    expect(ids).toHaveLength(2);
    const [words, posted] = ids.map((n) => inTopic(thread.threadId).find((m) => m.messageId === n)!);
    expect(words!.file).toBeUndefined();
    expect(words!.text).toBe(long);
    expect(posted!.file).toEqual({ type: 'document', fileId: pdf.id });
    expect((posted!.raw.message as { caption?: string }).caption).toBeUndefined();

    // Exactly at the limit, it is still a caption.
    const atLimit = 'x'.repeat(CAPTION_LIMIT);
    const one = await desk.post(thread.threadId, { text: atLimit, media: ref(pdf, 'document') });
    expect(one.split(',')).toHaveLength(1);
    expect(inTopic(thread.threadId).find((m) => m.messageId === Number(one))!.text).toBe(atLimit);

    expect(await desk.deleteMessage(thread.threadId, id)).toBe(true);
    expect(inTopic(thread.threadId).filter((m) => ids.includes(m.messageId))).toEqual([]);
  });

  it("sends a volunteer's file to the person: by file_id, or uploaded; a 403 is RecipientGoneError", async () => {
    const bot = await h.startBot(tmp.path, { kind: 'polling' }, { media: matrix });
    const { file: voice } = h.files.other('voice', Buffer.from('OggS'), { mimeType: 'audio/ogg' });
    await bot.adapter.send(String(PERSON), { text: '**Bob**: écoutez', choices: [], promptSeq: 1, lang: 'fr', media: ref(voice, 'voice') });
    await bot.adapter.send(String(PERSON), { text: 'Bob: capture', choices: [], promptSeq: 1, lang: 'fr', media: matrixShot });

    const [first, second] = h.messagesTo(PERSON);
    expect(first).toMatchObject({ text: '<b>Bob</b>: écoutez', parseMode: 'HTML', file: { type: 'voice', fileId: voice.id } });
    expect(second).toMatchObject({ text: 'Bob: capture', file: { type: 'photo', fileId: h.files.uploads[0]!.fileId } });
    expect(h.files.uploads[0]!.data.equals(matrixBytes)).toBe(true);

    h.blocked.add(String(PERSON));
    await expect(bot.adapter.send(String(PERSON), { text: 'x', choices: [], promptSeq: 1, lang: 'fr', media: ref(voice, 'voice') })).rejects.toBeInstanceOf(RecipientGoneError);
  });

  it('a file_id Telegram does not know is MediaGoneError; a video_note is uploaded again as a video', async () => {
    const bot = await h.startBot(tmp.path, { kind: 'polling' }, { media: matrix });
    const unknown: MediaRef = { platform: 'telegram', id: 'not-ours', kind: 'photo' };
    await expect(bot.adapter.send(String(PERSON), { text: 'x', choices: [], promptSeq: 1, lang: 'fr', media: unknown })).rejects.toBeInstanceOf(MediaGoneError);

    const { file: round } = h.files.other('video_note', Buffer.from('round video bytes'));
    await bot.adapter.send(String(PERSON), { text: 'Bob', choices: [], promptSeq: 1, lang: 'fr', media: ref(round, 'video', { mimeType: 'video/mp4' }) });
    expect(h.files.uploads).toHaveLength(1);
    expect(h.files.uploads[0]).toMatchObject({ method: 'sendVideo', filename: round.path.split('/').pop() });
    expect(h.files.uploads[0]!.data.equals(round.data)).toBe(true);
    expect(h.messagesTo(PERSON).at(-1)).toMatchObject({ text: 'Bob', file: { type: 'video' } });
  });

  it('in reply mode (no topics), a file replies to the card, and a volunteer replying to the file is in that thread', async () => {
    const bot = await h.startBot(tmp.path, { kind: 'polling' }, { desk: { chatId: String(DESK), registry }, media: matrix });
    const desk = bot.adapter.desk!;
    const thread = await desk.openThread('#2 Bob', { text: 'card' });
    expect(desk.threadMode).toBe('replies');
    const id = await desk.post(thread.threadId, { text: 'Bob: capture', media: matrixShot });
    const posted = h.messagesTo(DESK).find((m) => m.messageId === Number(id))!;
    expect(posted.file?.type).toBe('photo');
    expect((posted.raw.message as { reply_parameters?: { message_id: number } }).reply_parameters).toEqual({ message_id: Number(thread.threadId) });

    const client = h.server.getClient(TOKEN, { userId: 900, chatId: DESK, type: 'supergroup' as never, firstName: 'Bob', chatTitle: 'Desk' });
    await client.sendMessage(client.makeMessage('je regarde', {
      from: { id: 900, is_bot: false, first_name: 'Bob' },
      reply_to_message: { message_id: Number(id), date: 1, chat: { id: DESK, type: 'supergroup' } },
    } as never));
    await h.settle();
    expect(registry.received.map((r) => [r.threadId, r.input])).toEqual([[thread.threadId, { kind: 'text', text: 'je regarde' }]]);
  });

  it("a file into a deleted topic is ThreadGoneError, as a message is", async () => {
    const { desk, thread } = await startDesk();
    h.forum.deleteTopic(DESK, thread.threadId);
    await expect(desk.post(thread.threadId, { text: 'x', media: matrixShot })).rejects.toBeInstanceOf(ThreadGoneError);
  });

  it('fetchMedia downloads the bytes from the file route; refuses more than MAX_MEDIA_BYTES before downloading', async () => {
    const bot = await h.startBot(tmp.path, { kind: 'polling' }, { media: matrix });
    const { file: shot } = h.files.photo(Buffer.from('the screenshot bytes'));
    const got = await bot.adapter.fetchMedia(ref(shot, 'photo', { mimeType: 'image/jpeg' }));
    expect(got.data.equals(shot.data)).toBe(true);
    expect(got).toMatchObject({ mimeType: 'image/jpeg', filename: shot.path.split('/').pop() });
    const { file: pdf } = h.files.other('document', Buffer.from('%PDF'), { mimeType: 'application/pdf', name: 'lettre.pdf' });
    expect(await bot.adapter.fetchMedia(ref(pdf, 'document', { filename: 'lettre.pdf', mimeType: 'application/pdf' }))).toMatchObject({ filename: 'lettre.pdf', mimeType: 'application/pdf' });
    expect(h.files.downloads).toBe(2);

    // Too big by the reference's size: not even getFile.
    const getFiles = () => bot.calls.filter((c) => c.method === 'getFile').length;
    const before = getFiles();
    await expect(bot.adapter.fetchMedia({ platform: 'telegram', id: pdf.id, kind: 'document', size: MAX_MEDIA_BYTES + 1 })).rejects.toBeInstanceOf(MediaGoneError);
    expect(getFiles()).toBe(before);
    // Too big by getFile's file_size (the reference did not say): nothing downloaded.
    const { file: big } = h.files.other('document', Buffer.from('small here'), { size: 12 * 1024 * 1024, mimeType: 'application/pdf' });
    await expect(bot.adapter.fetchMedia({ platform: 'telegram', id: big.id, kind: 'document' })).rejects.toThrow(/over 10 MB/);
    // Over Telegram's own 20 MB: getFile answers "file is too big".
    const { file: huge } = h.files.other('video', Buffer.from('x'), { size: 25 * 1024 * 1024 });
    await expect(bot.adapter.fetchMedia({ platform: 'telegram', id: huge.id, kind: 'video' })).rejects.toBeInstanceOf(MediaGoneError);
    // A body longer than getFile said is cut at the limit.
    const { file: liar } = h.files.other('document', Buffer.alloc(MAX_MEDIA_BYTES + 10), { size: 100 });
    await expect(bot.adapter.fetchMedia({ platform: 'telegram', id: liar.id, kind: 'document' })).rejects.toBeInstanceOf(MediaGoneError);
    expect(h.files.downloads).toBe(3);
    // An unknown file_id.
    const gone = await bot.adapter.fetchMedia({ platform: 'telegram', id: 'nope', kind: 'photo' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MediaGoneError);
    // The token is in the download's URL: never in an error nor a log line.
    expect(String((gone as Error).message)).not.toContain(TOKEN);
    expect(bot.logs.join('\n')).not.toContain(TOKEN);
  });

  it("reads a volunteer's photo in a ticket's topic as DeskInbound media, with its caption", async () => {
    const { thread } = await startDesk();
    const { fields, file: shot } = h.files.photo(Buffer.from('volunteer screenshot'));
    const client = h.server.getClient(TOKEN, { userId: 900, chatId: DESK, type: 'supergroup' as never, firstName: 'Bob', chatTitle: 'Desk' });
    const message = client.makeMessage(undefined as unknown as string, {
      from: { id: 900, is_bot: false, first_name: 'Bob' },
      message_thread_id: Number(thread.threadId),
      is_topic_message: true,
      caption: 'Voici le réglage',
      ...fields,
    } as never);
    delete (message as { text?: string }).text;
    await client.sendMessage(message as never);
    await h.settle();

    expect(registry.received).toEqual([
      {
        desk: 'telegram',
        threadId: thread.threadId,
        messageId: expect.stringMatching(/^m\d+$/),
        from: { id: '900', name: 'Bob' },
        input: { kind: 'media', media: { platform: 'telegram', id: shot.id, kind: 'photo', mimeType: 'image/jpeg', size: shot.size }, caption: 'Voici le réglage' },
      },
    ]);
    expect(visible(h.messagesTo(DESK).map((m) => m.text).join('\n'))).not.toContain('Voici'); // nothing said back by the port
  });
});
