/**
 * Screenshots, photos, documents and voice between the person and the volunteer holding their ticket (issue 17),
 * through the desk core on a real SQLite file, with the real engine and guide and an in-memory desk port
 * (tests/support/fake-desk.ts). The platforms' own sending and reading of files are tested on their servers
 * (tests/telegram/media.test.ts, tests/matrix/media.test.ts, tests/web/media.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import type { DeskInbound } from '../../src/desk/port.js';
import { MAX_MEDIA_BYTES, mediaRefusal, type MediaRef } from '../../src/engine/media.js';
import { plainText } from '../../src/render/markup.js';
import { catalog, makeEngine, tempDbPath, texts } from '../support/engine.js';
import { FakeDeskPort } from '../support/fake-desk.js';

const screenshot = (id = 'file-1', extra: Partial<MediaRef> = {}): MediaRef => ({
  platform: 'test',
  id,
  kind: 'photo',
  mimeType: 'image/png',
  size: 120_000,
  ...extra,
});

function world() {
  const tmp = tempDbPath();
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  const made = makeEngine(tmp.path, { now: () => now });
  const desk = new Desk({ db: made.db, host: made.engine, texts, catalog, now: () => now, lang: 'fr' });
  const port = new FakeDeskPort('matrix');
  port.members.add('@marie:asso.org');
  desk.register(port);
  let n = 0;
  const marie = (input: DeskInbound['input']) =>
    desk.receive({ desk: 'matrix', threadId: port.only().id, messageId: `d${++n}`, from: { id: '@marie:asso.org', name: 'Marie' }, input });
  return {
    ...made,
    desk,
    port,
    tmp,
    marie,
    advance: (ms: number) => (now += ms),
    marieSays: (text: string) => marie({ kind: 'text', text }),
    /** The thread's posts that carry a file. */
    files: () => port.only().posts.filter((p) => p.media),
    lastText: () => plainText(made.sender.last.text),
  };
}

type World = ReturnType<typeof world>;

async function escalate(w: World, lang?: string) {
  const c = w.chat('alice');
  await c.start(undefined, lang);
  await c.press('begin');
  for (let i = 0; i < 20 && !w.sender.last.choices.some((ch) => ch.id.startsWith('provider:')); i++) {
    await c.press(w.sender.last.choices[0]!.id);
  }
  await c.press(w.sender.last.choices.find((ch) => ch.id.startsWith('provider:'))!.id);
  await c.press('human');
  await c.press('yes');
  return c;
}

async function withMarie(w: World, lang?: string) {
  const c = await escalate(w, lang);
  await w.marieSays('/name Marie');
  await w.marieSays('/claim');
  return c;
}

let w: World;
afterEach(() => {
  w?.close();
  w?.tmp.cleanup();
});

describe('the person shows the volunteer a screenshot', () => {
  it('the first file is held until the person has read what a screenshot can show; then it goes, and the next ones go straight', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('file-1'), caption: "le message d'erreur" });
    expect(w.files()).toHaveLength(0);
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['sendMedia', 'cancelMedia']);
    expect(w.lastText()).toContain('une capture d’écran peut montrer plus que prévu');
    expect(w.lastText()).toContain('/oublier');

    await c.press('sendMedia');
    expect(w.files()).toHaveLength(1);
    expect(w.files()[0]!.media).toEqual(screenshot('file-1'));
    expect(w.files()[0]!.text).toContain("La personne envoie une image :\nle message d'erreur");
    expect(w.lastText()).toContain('Envoyé à Marie');

    const before = w.sender.sent.length;
    await c.send({ kind: 'media', media: screenshot('file-2') });
    expect(w.files().map((p) => p.media!.id)).toEqual(['file-1', 'file-2']);
    expect(w.files()[1]!.text).toBe('👤 La personne envoie une image.');
    // The bot stays quiet, as for words to the volunteer.
    expect(w.sender.sent.length).toBe(before);
  });

  it('an album sent at once waits together; "non" typed sends none of it, and says so', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('a') });
    await c.send({ kind: 'media', media: screenshot('b') });
    expect(w.lastText()).toContain('ces 2 fichiers');
    // /mesdonnees says what waits (not the files: they stay on the platform), and the question stays.
    await c.say('/mesdonnees');
    expect(w.lastText()).toContain('2 fichiers attendent votre « oui »');
    expect(JSON.parse(w.sender.last.attachment!.content).filesAwaitingYes).toEqual([{ kind: 'photo', name: null }, { kind: 'photo', name: null }]);
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['sendMedia', 'cancelMedia']);
    await c.say('non');
    expect(w.files()).toHaveLength(0);
    expect(w.lastText()).toContain('rien n’a été envoyé');
    // Nothing of the files stays in the conversation once declined.
    const row = w.db.prepare('SELECT snapshot FROM conversations').get() as { snapshot: string };
    expect(row.snapshot).not.toContain('"a"');
    // Asked again next time: the person did not agree.
    await c.send({ kind: 'media', media: screenshot('c') });
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['sendMedia', 'cancelMedia']);
  });

  it('words typed while the question waits go to the volunteer; "oui" sends every file waiting', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('a') });
    await c.say("c'est l'écran que je vois quand je me connecte");
    expect(w.port.only().posts.some((p) => p.text.includes("c'est l'écran que je vois"))).toBe(true);
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['sendMedia', 'cancelMedia']);
    await c.send({ kind: 'media', media: screenshot('b') });
    await c.say('oui');
    expect(w.files().map((p) => p.media!.id)).toEqual(['a', 'b']);
    expect(w.lastText()).toContain('2 fichiers envoyés à Marie');
  });

  it('in English too', async () => {
    w = world();
    const c = await withMarie(w, 'en-GB');
    await c.send({ kind: 'media', media: screenshot('a') });
    expect(w.lastText()).toContain('a screenshot can show more than you meant');
    await c.say('yes');
    expect(w.files()).toHaveLength(1);
    expect(w.lastText()).toContain('Sent to Marie');
  });

  it('a password in the words sent with a screenshot is masked before the desk sees them', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('a'), caption: 'mot de passe : Soleil2024!' });
    await c.press('sendMedia');
    expect(w.files()[0]!.text).not.toContain('Soleil2024');
  });

  it('a file too big, or of a kind a volunteer should not open, is refused in words: nothing held, nothing posted', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('big', { kind: 'document', mimeType: 'application/pdf', size: MAX_MEDIA_BYTES + 1, filename: 'facture.pdf' }) });
    expect(w.lastText()).toContain('trop lourd');
    expect(w.lastText()).toContain('10 Mo');
    await c.send({ kind: 'media', media: screenshot('zip', { kind: 'document', mimeType: 'application/zip', filename: 'archive.zip' }) });
    expect(w.lastText()).toContain('ce type de fichier');
    expect(w.files()).toHaveLength(0);
    expect(w.sender.last.choices.map((ch) => ch.id)).toEqual(['bot', 'closeTicket']);
  });

  it('a file whose platform gave it up reaches the desk as words, with a notice, rather than retrying forever', async () => {
    w = world();
    const c = await withMarie(w);
    w.port.mediaGone = true;
    await c.send({ kind: 'media', media: screenshot('a'), caption: 'voilà' });
    await c.press('sendMedia');
    const last = w.port.only().posts.at(-1)!;
    expect(last.text).toContain('voilà');
    expect(last.text).toContain('n’a pas pu être transmis');
  });
});

describe('the volunteer shows the person a file', () => {
  it("the holder's screenshot reaches the person with their name and words; a file too big is refused on the desk", async () => {
    w = world();
    await withMarie(w);
    const media: MediaRef = { platform: 'matrix', id: 'mxc://asso.org/abc', kind: 'photo', mimeType: 'image/png', size: 50_000 };
    await w.marie({ kind: 'media', media, caption: 'Cliquez ici, en haut à droite' });
    const sent = w.sender.last;
    expect(sent.media).toEqual(media);
    expect(sent.choices).toEqual([]);
    expect(plainText(sent.text)).toContain('Marie vous envoie une image :\nCliquez ici, en haut à droite');

    const count = w.sender.sent.length;
    await w.marie({ kind: 'media', media: { ...media, id: 'mxc://asso.org/huge', kind: 'video', mimeType: 'video/mp4', size: MAX_MEDIA_BYTES * 3 } });
    expect(w.sender.sent.length).toBe(count);
    expect(w.port.only().posts.at(-1)!.text).toContain('trop lourd');
  });
});

describe('erasure', () => {
  it('/oublier deletes the files the person showed from the desk, like their words', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('a') });
    await c.press('sendMedia');
    const posted = w.files()[0]!;
    await c.say('/oublier');
    await c.press('yes');
    expect(w.port.deleted).toContain(posted.id);
    expect(w.port.only().posts.some((p) => p.media)).toBe(false);
    for (const table of ['tickets', 'desk_relays', 'desk_outbox', 'conversations']) {
      expect(w.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });


  it('the retention purge deletes them from the desk too', async () => {
    w = world();
    const c = await withMarie(w);
    await c.send({ kind: 'media', media: screenshot('a') });
    await c.press('sendMedia');
    const posted = w.files()[0]!;
    await w.marieSays('/close réglé');
    w.advance(31 * 24 * 3600_000);
    expect(w.desk.purge()).toBe(1);
    await w.desk.drainAll();
    expect(w.port.deleted).toContain(posted.id);
    expect(w.port.only().posts.some((p) => p.media)).toBe(false);
  });
});

describe('outside a ticket', () => {
  it('a photo is answered as the guide answers what it cannot read, and a volunteer is offered when there is a desk', async () => {
    w = world();
    const c = w.chat('bob');
    await c.start();
    await c.press('begin');
    await c.send({ kind: 'media', media: screenshot('x') });
    expect(w.lastText()).toContain('Je ne peux pas regarder les images');
    expect(w.lastText()).toContain('Un·e bénévole peut en revanche regarder ça avec vous');
    expect(w.sender.last.choices.map((ch) => ch.id)).toContain('human');
    expect(w.port.threads.size).toBe(0);
  });

  it('while waiting in the queue: keep it for the volunteer', async () => {
    w = world();
    const c = await escalate(w);
    await c.send({ kind: 'media', media: screenshot('x') });
    expect(w.lastText()).toContain('dès qu’un·e bénévole vous répond');
    expect(w.files()).toHaveLength(0);
  });
});

describe('what may be relayed', () => {
  it('pictures, PDFs, sound and video go; archives, programs and untyped documents do not', () => {
    const ok = (mimeType: string | undefined, kind: MediaRef['kind'] = 'document') =>
      mediaRefusal({ platform: 'x', id: '1', kind, ...(mimeType ? { mimeType } : {}) });
    expect(ok('image/jpeg', 'photo')).toBeUndefined();
    expect(ok('application/pdf')).toBeUndefined();
    expect(ok('audio/ogg; codecs=opus', 'voice')).toBeUndefined();
    expect(ok(undefined, 'voice')).toBeUndefined();
    expect(ok('application/zip')).toBe('type');
    expect(ok('application/x-msdownload')).toBe('type');
    expect(ok(undefined)).toBe('type');
    expect(mediaRefusal({ platform: 'x', id: '1', kind: 'photo', size: MAX_MEDIA_BYTES + 1 })).toBe('tooBig');
  });
});
