/// <reference lib="dom" />
/**
 * Files in the web chat (issue 17), in Debian's Chromium driven by playwright-core against the real server, engine
 * and desk on a SQLite file: the person attaches a picture through the page (the engine gets it as media, the
 * desk's platform could fetch its bytes), too big or not a picture is refused by the page and again by the server
 * (asked directly, bypassing the page), /oublier drops the file; a volunteer's file from another platform is shown.
 *
 * What is FAKED: the other platform that holds a volunteer's file (a MediaSource holding a "telegram" file, as
 * tests/support/platform.ts's `extra.media` allows), and in the end-to-end test the desk's platform: the tests'
 * in-memory port (tests/support/fake-desk.ts) on the real desk core, which fetches the web file through
 * `mediaOf` as the composition root does. Nothing else.
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { createServer, request, type Server } from 'node:http';
import { freePort } from '../telegram/harness.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from './chromium.js';
import { startWorld, Tab, type WebWorld } from './harness.js';
import { chatIdOf } from '../../src/adapters/web/conversations.js';
import { MAX_MEDIA_BYTES, MediaGoneError, type MediaFile, type MediaRef, type MediaSource } from '../../src/engine/media.js';
import { UploadStore, cleanFilename, sniff } from '../../src/adapters/web/uploads.js';
import { mediaOf } from '../../src/adapters/media.js';
import { MEDIA_FETCHES_PER_MINUTE } from '../../src/adapters/web/files.js';
import { FakeDeskPort } from '../support/fake-desk.js';
import type { DeskInbound } from '../../src/desk/port.js';

const PHONE = { width: 360, height: 740 };
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** A real PNG of `width`×`height` in one colour, big enough to be seen on the screenshots. */
function pngOf(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let browser: Browser;
let world: WebWorld | undefined;
let context: BrowserContext | undefined;
const tabs: Tab[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  const errors = world?.logs.filter((l) => l.includes('"level":"error"')) ?? [];
  await world?.close();
  world = undefined;
  expect(errors).toEqual([]);
});

async function visitor() {
  context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (r) => void requests.push(`${r.method()} ${r.url()}`));
  const page = await context.newPage();
  page.on('pageerror', (error) => void problems.push(String(error)));
  page.on('console', (message) => {
    // (axe's own probes set inline styles, which the CSP refuses and the console reports: not the page's.)
    if (message.type() === 'error' && !message.text().includes('inline style')) problems.push(message.text());
  });
  return { page, requests, problems };
}

const status = (page: Page) => page.locator('.status');
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
async function axe(page: Page): Promise<Array<{ id: string; impact: string; nodes: number }>> {
  // Through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    return run.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
  });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
}
const secretOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.endsWith(':secret'))!)!) as string);

/** Opens the page and waits for the welcome. */
async function openChat(page: Page): Promise<void> {
  await page.goto(world!.url + '/');
  await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
}

/** Attaches a file the way a person does: the attach button, then the system's picker. */
async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /Joindre une image ou un PDF/ }).click()]);
  await chooser.setFiles(file);
}

function mediaInputs(w: WebWorld): Array<{ media: MediaRef; caption?: string }> {
  return w.inbounds.flatMap((i) => (i.input.kind === 'media' ? [{ media: i.input.media, ...(i.input.caption ? { caption: i.input.caption } : {}) }] : []));
}

/** A request the page would never make, to see what the server does on its own. */
function post(
  url: string,
  options: { headers: Record<string, string>; chunks: Buffer[]; end?: boolean },
): Promise<{ status: number; body: Record<string, unknown>; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url + '/upload', { method: 'POST', headers: options.headers }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body: JSON.parse(text || '{}'), sent });
        req.destroy();
      });
    });
    // Writing on after an early answer may fail (the server closed): the answer is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const next = (i: number) => {
      if (i >= options.chunks.length) {
        if (options.end !== false) req.end();
        return;
      }
      sent += options.chunks[i]!.length;
      // Written one after the other: an answer that comes early stops the rest (the socket closes).
      if (!req.destroyed) req.write(options.chunks[i], () => setTimeout(() => next(i + 1), 5));
    };
    next(0);
  });
}

describe('a picture from the person', () => {
  it('attached with the keyboard-reachable button and a caption: the engine gets it as web media, its bytes come back from fetchMedia; /oublier drops it', async () => {
    world = await startWorld();
    const { page, problems } = await visitor();
    await openChat(page);
    const button = page.getByRole('button', { name: 'Joindre une image ou un PDF (10 Mo au plus)' });
    expect(await button.getAttribute('type')).toBe('button');
    expect(await page.locator('input[type=file]').getAttribute('accept')).toBe('image/*,application/pdf');
    // Reached by Tab from the answer box's side, opened by Enter: the picker comes.
    // (locator.press focuses the button right before the key: a bot message arriving meanwhile cannot take it.)
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), button.press('Enter')]);
    await chooser.setFiles({ name: 'capture écran.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator('.chosen').textContent()).toContain('Pièce jointe : capture écran.png (1 Ko)');
    await page.screenshot({ path: `${ARTIFACTS}/phone-attached.png` });
    // At phone size the attach button, the box and Send share the row without anything overflowing sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    const row = await Promise.all(['.attach', 'textarea', '.send'].map((s) => page.locator(s).boundingBox()));
    for (const box of row) expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(row[0]!.height).toBeGreaterThanOrEqual(44); // a finger's target
    const violations = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.getByLabel('Votre réponse').fill('le message d’erreur');
    await page.keyboard.press('Enter');

    await expect.poll(() => mediaInputs(world!).length).toBe(1);
    const { media, caption } = mediaInputs(world)[0]!;
    expect(caption).toBe('le message d’erreur');
    expect(media).toMatchObject({ platform: 'web', kind: 'photo', mimeType: 'image/png', size: PNG.length, filename: 'capture écran.png' });
    expect(media.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const secret = await secretOf(page);
    expect(world.inbounds.at(-1)!.conversation).toEqual({ platform: 'web', chatId: chatIdOf(secret) });
    // The bytes, as the desk's platform would ask them through deps.media.
    const file = await world.web.fetchMedia(media);
    expect(file.data.equals(PNG)).toBe(true);
    expect(file).toMatchObject({ mimeType: 'image/png', filename: 'capture écran.png' });
    // The page shows it as sent, the attachment is cleared; the guide answered (the real guide: outside a ticket).
    await expect.poll(() => page.locator('.msg.me').last().textContent()).toBe('Vous : 📎 capture écran.png — le message d’erreur');
    await expect.poll(() => page.locator('.msg.me.pending').count()).toBe(0);
    expect(await page.locator('.chosen').isHidden()).toBe(true);
    // Nothing of the file in SQLite: not its bytes, not its name (the browser keeps its own words).
    const stored = JSON.stringify(world.db.prepare('SELECT * FROM adapter_state').all());
    expect(stored).not.toContain(PNG.toString('base64').slice(0, 24));
    expect(stored).not.toContain('capture');
    // After a reload, this browser still shows what it sent.
    await page.reload();
    await expect.poll(() => page.locator('.msg.me').last().textContent()).toBe('Vous : 📎 capture écran.png — le message d’erreur');

    await page.getByLabel('Votre réponse').fill('/oublier');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 3 && world.web.uploadsKept().count > 0; i++) {
      const confirm = page.locator('button.choice').first();
      if (await confirm.isVisible().catch(() => false)) await confirm.click().catch(() => {});
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.locator('.log').textContent()).toContain('Ce navigateur a oublié la conversation');
    expect(world.web.uploadsKept()).toEqual({ count: 0, bytes: 0 });
    await expect(world.web.fetchMedia(media)).rejects.toBeInstanceOf(MediaGoneError);
    expect(problems).toEqual([]);
    // A whole visit in a real browser (axe, a screenshot, a reload): under the full suite on 2 cores it outgrew 30 s.
  }, 90_000);

  it('too big: refused by the page before a byte leaves, and by the server when the page is bypassed (before the body is read)', async () => {
    world = await startWorld();
    const { page, requests } = await visitor();
    await openChat(page);
    await attach(page, { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MAX_MEDIA_BYTES + 1, 0x25) });
    await expect.poll(() => status(page).textContent()).toContain('Ce fichier est trop lourd : 10 Mo au plus');
    expect(await page.locator('.chosen').isHidden()).toBe(true);
    expect(requests.filter((r) => r.includes('/upload'))).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/phone-file-too-big.png` });

    const secret = await secretOf(page);
    const headers = { Origin: world.origin, Authorization: `Bearer ${secret}`, 'Content-Type': 'image/png' };
    // Said too big: answered 413 at once; only the first megabyte was ever written.
    const said = await post(world.url, { headers: { ...headers, 'Content-Length': String(MAX_MEDIA_BYTES + 1) }, chunks: [PNG, Buffer.alloc(1024 * 1024)], end: false });
    expect(said.status).toBe(413);
    expect(said.body).toMatchObject({ error: 'fileTooBig' });
    // Not said (chunked): counted as it comes, refused once past the cap.
    const chunks = Array.from({ length: 12 }, (_, i) => (i === 0 ? Buffer.concat([PNG, Buffer.alloc(1024 * 1024 - PNG.length)]) : Buffer.alloc(1024 * 1024)));
    const streamed = await post(world.url, { headers, chunks });
    expect(streamed.status).toBe(413);
    expect(world.web.uploadsKept().count).toBe(0);
    // Without the secret, or from a site not allowed: nothing read, nothing kept.
    expect((await post(world.url, { headers: { ...headers, Authorization: 'Bearer nope' }, chunks: [PNG] })).status).toBe(403);
    expect((await post(world.url, { headers: { ...headers, Origin: 'https://evil.example.net' }, chunks: [PNG] })).status).toBe(403);
    // The same small file, rightly sent, is taken.
    const taken = await post(world.url, { headers, chunks: [PNG] });
    expect(taken).toMatchObject({ status: 200, body: { kind: 'photo', mimeType: 'image/png', size: PNG.length } });
  });

  it('a text file renamed .png is refused by its bytes (in the page, and asked directly); a real PDF is taken as a document', async () => {
    world = await startWorld();
    const { page, problems } = await visitor();
    await openChat(page);
    const fake = Buffer.from('not a picture at all, only words\n');
    await attach(page, { name: 'photo.png', mimeType: 'image/png', buffer: fake });
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => status(page).textContent()).toContain("Je ne peux transmettre qu'une image");
    // Nothing lost, nothing sent: the file is still attached to change it, the engine got nothing.
    expect(await page.locator('.chosen').textContent()).toContain('photo.png');
    expect(mediaInputs(world)).toEqual([]);
    expect(await page.locator('.msg.me').count()).toBe(0);

    const secret = await secretOf(page);
    const direct = await post(world.url, { headers: { Origin: world.origin, Authorization: `Bearer ${secret}`, 'Content-Type': 'image/png', 'X-Filename': 'photo.png' }, chunks: [fake] });
    expect(direct).toMatchObject({ status: 415, body: { error: 'fileType' } });
    const declared = await post(world.url, { headers: { Origin: world.origin, Authorization: `Bearer ${secret}`, 'Content-Type': 'text/html' }, chunks: [PNG] });
    expect(declared.status).toBe(415);
    expect(world.web.uploadsKept().count).toBe(0);

    await page.getByRole('button', { name: 'Retirer la pièce jointe' }).click();
    await attach(page, { name: 'lettre du FAI.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => mediaInputs(world!).length).toBe(1);
    expect(mediaInputs(world)[0]!.media).toMatchObject({ platform: 'web', kind: 'document', mimeType: 'application/pdf', filename: 'lettre du FAI.pdf', size: PDF.length });
    expect(mediaInputs(world)[0]!.caption).toBeUndefined();
    // (The console notes the 415 the page was answered: the refusal itself, said above in words.)
    expect(problems.filter((p) => !p.includes('415'))).toEqual([]);
  });

  it('sent too fast: refused with the wait, and the file is attached again with its words', async () => {
    world = await startWorld({ env: { WEB_CHAT_MESSAGES_PER_MINUTE: '2' } });
    const { page } = await visitor();
    await openChat(page);
    for (const word of ['un', 'deux']) {
      await page.getByLabel('Votre réponse').fill(word);
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('.msg.me:not(.pending)').count()).toBe(2);
    await attach(page, { name: 'capture.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('Votre réponse').fill('regardez');
    await page.keyboard.press('Enter');
    await expect.poll(() => status(page).textContent()).toMatch(/trop de messages d'un coup\. Attendez \d+ secondes/);
    await expect.poll(() => page.locator('.chosen').textContent()).toContain('capture.png');
    expect(await page.getByLabel('Votre réponse').inputValue()).toBe('regardez');
    expect(mediaInputs(world)).toEqual([]);
    // The upload itself was kept (it was the message that came too fast): Send again goes.
    expect(world.web.uploadsKept().count).toBe(1);
  });

  it('a file frame naming an upload of another conversation, or none, opens nothing', async () => {
    world = await startWorld();
    const open = async () => {
      const tab = await Tab.open(world!);
      tabs.push(tab);
      tab.send({ t: 'hello', lastSeq: 0, lang: 'fr-FR' });
      await tab.waitFor((f) => f.t === 'ready');
      await tab.botMessage(1);
      return tab;
    };
    const [alice, bob] = [await open(), await open()];
    const taken = await post(world.url, { headers: { Origin: world.origin, Authorization: `Bearer ${alice.secret}`, 'Content-Type': 'image/png' }, chunks: [PNG] });
    expect(taken.status).toBe(200);
    bob.send({ t: 'file', id: 'f1', upload: taken.body.upload as string });
    expect(await bob.waitFor((f) => f.t === 'refused')).toMatchObject({ reason: 'uploadGone', id: 'f1' });
    alice.send({ t: 'file', id: 'f2', upload: 'made-up' });
    expect(await alice.waitFor((f) => f.t === 'refused')).toMatchObject({ reason: 'uploadGone', id: 'f2' });
    expect(mediaInputs(world)).toEqual([]);
    alice.send({ t: 'file', id: 'f3', upload: taken.body.upload as string, caption: 'voilà' });
    await alice.waitFor((f) => f.t === 'accepted' && f.id === 'f3');
    expect(mediaInputs(world)).toMatchObject([{ media: { id: taken.body.upload }, caption: 'voilà' }]);
  });
});

describe('the widget on an association site (another origin)', () => {
  it('uploads through CORS for an allowed site only', async () => {
    const sitePort = await freePort();
    world = await startWorld({ env: { WEB_CHAT_ORIGINS: `http://localhost:${sitePort}` } });
    const site: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Association</title></head><body><main><h1>Asso</h1></main><script src="${world!.url}/widget.js" data-open="true" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(sitePort, '127.0.0.1', resolve));
    try {
      const { page, problems } = await visitor();
      await page.goto(`http://localhost:${sitePort}/`);
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThanOrEqual(1);
      await attach(page, { name: 'capture.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await expect.poll(() => mediaInputs(world!).length).toBe(1);
      expect(problems).toEqual([]);
      // The preflight tells an allowed site yes, and any other site nothing.
      const ask = (origin: string) => fetch(world!.url + '/upload', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-filename' } });
      const allowed = await ask(`http://localhost:${sitePort}`);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(`http://localhost:${sitePort}`);
      const other = await ask('https://evil.example.net');
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

/** Another platform's files, as that running platform (Telegram, Matrix) would give them. */
class FakePlatformFiles implements MediaSource {
  readonly files = new Map<string, MediaFile>();
  readonly asked: string[] = [];
  constructor(private readonly platform: string) {}
  async fetch(ref: MediaRef): Promise<MediaFile> {
    this.asked.push(ref.id);
    const file = ref.platform === this.platform ? this.files.get(ref.id) : undefined;
    if (!file) throw new MediaGoneError(`no such ${this.platform} file`);
    return file;
  }
}

describe("a volunteer's file for a web person", () => {
  it('an image shows inline with its caption as alt text; a PDF is a link with its name and size; neither is stored; the URL needs the secret', async () => {
    const telegram = new FakePlatformFiles('telegram');
    const picture = pngOf(240, 120, [29, 78, 216]);
    telegram.files.set('AgACAgQAAxkBAAIB', { data: picture, mimeType: 'image/png', filename: 'photo.png' });
    telegram.files.set('BQACAgQAAxkBAAIC', { data: PDF, mimeType: 'application/pdf', filename: 'tuto-imap.pdf' });
    world = await startWorld({ media: telegram });
    const { page, problems } = await visitor();
    await openChat(page);
    const chatId = chatIdOf(await secretOf(page));
    await world.web.send(chatId, {
      text: 'Paul : regardez ce réglage',
      choices: [],
      promptSeq: 0,
      lang: 'fr',
      media: { platform: 'telegram', id: 'AgACAgQAAxkBAAIB', kind: 'photo', mimeType: 'image/png', size: picture.length },
    });
    const image = page.locator('.msg.bot figure.media img');
    await image.waitFor();
    expect(await image.getAttribute('alt')).toBe('Image envoyée par le bénévole : Paul : regardez ce réglage');
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(240);
    // Within the bubble on a phone.
    expect((await image.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await world.web.send(chatId, {
      text: 'Paul : le tutoriel',
      choices: [],
      promptSeq: 0,
      lang: 'fr',
      media: { platform: 'telegram', id: 'BQACAgQAAxkBAAIC', kind: 'document', mimeType: 'application/pdf', size: PDF.length, filename: 'tuto-imap.pdf' },
    });
    const link = page.getByRole('button', { name: 'Télécharger tuto-imap.pdf (1 Ko)' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('tuto-imap.pdf');
    expect(readFileSync(await download.path()).equals(PDF)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/phone-volunteer-media.png` });
    const violations = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // Only the references are kept (to redraw the page), never the bytes.
    const stored = JSON.stringify(world.db.prepare('SELECT * FROM adapter_state').all());
    expect(stored).toContain('AgACAgQAAxkBAAIB');
    expect(stored).not.toContain(PNG.toString('base64').slice(0, 24));
    expect(stored).not.toContain('%PDF');
    // A reload fetches the picture again from its platform.
    const before = telegram.asked.length;
    await page.reload();
    await page.locator('.msg.bot figure.media img').waitFor();
    expect(telegram.asked.length).toBeGreaterThan(before);
    // The page never gets the platform's id.
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain('AgACAgQAAxkBAAIB');

    // The URL, asked directly: the secret is needed; the headers keep the file what it is.
    const seqs = world.db.prepare("SELECT value FROM adapter_state WHERE adapter = 'web' AND key LIKE 'conv:%'").all().map((r) => JSON.parse((r as { value: string }).value) as { messages?: Array<{ seq: number; mediaRef?: MediaRef }> });
    const withMedia = seqs.flatMap((s) => s.messages ?? []).filter((m) => m.mediaRef);
    const [imageSeq, pdfSeq] = withMedia.map((m) => m.seq);
    expect((await fetch(`${world.url}/media/${imageSeq}`)).status).toBe(403);
    const auth = { Authorization: `Bearer ${await secretOf(page)}` };
    const served = await fetch(`${world.url}/media/${imageSeq}`, { headers: auth });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(served.headers.get('content-disposition')).toBeNull();
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
    const pdf = await fetch(`${world.url}/media/${pdfSeq}`, { headers: auth });
    expect(pdf.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''tuto-imap.pdf");
    // Gone from Telegram: 410, and the page says so in words.
    telegram.files.delete('AgACAgQAAxkBAAIB');
    expect((await fetch(`${world.url}/media/${imageSeq}`, { headers: auth })).status).toBe(410);
    await page.reload();
    await expect.poll(() => page.locator('.msg.bot figure.media').first().textContent()).toContain("Ce fichier n'est plus disponible");
    // The page's CSP let the blob image in (no refusal in the console); the only error is the 410 just asked.
    expect(problems.filter((p) => !p.includes('410'))).toEqual([]);
    const csp = (await fetch(world.url + '/')).headers.get('content-security-policy')!;
    expect(csp).toContain("img-src 'self' blob:");
    // Asked again and again (a leaked secret, a script): refused before the bot calls another platform each time.
    const fetchedBefore = telegram.asked.length;
    const statuses: number[] = [];
    for (let i = 0; i < MEDIA_FETCHES_PER_MINUTE + 1; i++) statuses.push((await fetch(`${world.url}/media/${pdfSeq}`, { headers: auth })).status);
    expect(statuses).toContain(429);
    expect(telegram.asked.length - fetchedBefore).toBeLessThan(MEDIA_FETCHES_PER_MINUTE + 1);
  });
});

/** Taps the first choice (a host's when hosts are offered) until the plan's first step shows. */
async function tapToPlan(page: Page): Promise<void> {
  for (let taps = 0; taps < 40; taps++) {
    if ((await page.locator('.log').textContent())!.includes('Étape 1 sur')) return;
    const buttons = page.locator('button.choice');
    await buttons.first().waitFor();
    const ids = await buttons.evaluateAll((all) => all.map((b) => b.getAttribute('data-choice') ?? ''));
    const index = Math.max(0, ids.findIndex((id) => id.startsWith('provider:')));
    const before = await page.locator('.msg.bot').count();
    await buttons.nth(index).click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(before);
  }
  throw new Error('never reached the plan');
}

describe('end to end through the desk', () => {
  it('a screenshot from the web chat → the consent question → Send → posted in the ticket with a web reference the desk fetches; the volunteer\'s picture back', async () => {
    const port = new FakeDeskPort('matrix');
    port.members.add('@marie:asso.org');
    const matrix = new FakePlatformFiles('matrix');
    const reply = pngOf(200, 100, [180, 83, 9]);
    matrix.files.set('mxc://asso.org/reglage', { data: reply, mimeType: 'image/png', filename: 'reglage.png' });
    // The web chat reads the volunteer's (Matrix) file from there; the desk reads the web file from the web chat.
    world = await startWorld({ before: async ({ desk }) => desk.register(port), media: matrix });
    const deskMedia = mediaOf(() => [world!.web]);
    const { page, problems } = await visitor();
    await openChat(page);
    await tapToPlan(page);
    await page.getByLabel('Votre réponse').fill('/humain');
    await page.keyboard.press('Enter');
    await page.locator('button.choice[data-choice="yes"]').click();
    await expect.poll(() => page.locator('.log').textContent()).toMatch(/demande n°1/);
    let n = 0;
    const marie = (input: DeskInbound['input']) =>
      world!.desk.receive({ desk: 'matrix', threadId: port.only().id, messageId: `d${++n}`, from: { id: '@marie:asso.org', name: 'Marie' }, input });
    await marie({ kind: 'text', text: '/name Marie' });
    await marie({ kind: 'text', text: '/claim' });

    await attach(page, { name: 'erreur.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('Votre réponse').fill("le message d'erreur");
    await page.getByRole('button', { name: 'Envoyer' }).click();
    // The guide asks first (what a screenshot can show); nothing is on the desk yet.
    const send = page.locator('button.choice[data-choice="sendMedia"]');
    await send.waitFor();
    expect(await page.locator('button.choice[data-choice="cancelMedia"]').count()).toBe(1);
    expect(port.only().posts.filter((p) => p.media)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/phone-media-consent.png` });
    await send.click();
    await expect.poll(() => port.only().posts.filter((p) => p.media).length).toBe(1);
    const posted = port.only().posts.find((p) => p.media)!;
    expect(posted.text).toContain("le message d'erreur");
    expect(posted.media).toMatchObject({ platform: 'web', kind: 'photo', mimeType: 'image/png', size: PNG.length, filename: 'erreur.png' });
    // What the desk's platform would upload: the very bytes, fetched from the web chat's memory.
    const bytes = await deskMedia.fetch(posted.media!);
    expect(bytes.data.equals(PNG)).toBe(true);
    await expect.poll(() => page.locator('.log').textContent()).toContain('Marie');

    // Marie answers with a picture from Matrix: it shows in the page, with her caption as its alt text.
    await marie({ kind: 'media', media: { platform: 'matrix', id: 'mxc://asso.org/reglage', kind: 'photo', mimeType: 'image/png', size: reply.length }, caption: 'Cliquez ici' });
    const image = page.locator('.msg.bot figure.media img');
    await image.waitFor();
    expect(await image.getAttribute('alt')).toContain('Cliquez ici');
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/phone-media-desk.png` });
    expect(problems).toEqual([]);
  });
});

describe('the store of uploads (memory only)', () => {
  const file = (size: number) => ({ data: Buffer.alloc(size), mimeType: 'image/png', kind: 'photo' as const, filename: 'a.png' });

  it('drops the oldest beyond the conversation cap and the total cap, and every file past its time', () => {
    const clock = { now: 0 };
    const dropped: string[] = [];
    const store = new UploadStore({ totalBytes: 250, conversationBytes: 150, ttlMs: 1000 }, () => clock.now, (reason) => void dropped.push(reason));
    const a1 = store.put('a', file(100));
    const a2 = store.put('a', file(100));
    expect(store.get(a1.id)).toBeUndefined();
    expect(dropped).toEqual(['conversationFull']);
    const b1 = store.put('b', file(100));
    store.put('c', file(100));
    expect(store.get(a2.id)).toBeUndefined();
    expect(dropped).toEqual(['conversationFull', 'full']);
    expect(store.bytes()).toBe(200);
    expect(store.get(b1.id, 'a')).toBeUndefined();
    expect(store.get(b1.id, 'b')).toBe(b1);
    // A conversation the retention erased takes its files.
    expect(store.sweep((chatId) => chatId !== 'c')).toBe(1);
    expect(store.count()).toBe(1);
    clock.now = 1000;
    expect(() => store.fetch(b1.id)).toThrow(MediaGoneError);
    expect(store.count()).toBe(0);
    expect(store.bytes()).toBe(0);
  });

  it('knows the five types by their bytes, and cleans the names shown to volunteers', () => {
    expect(sniff(PNG)?.mimeType).toBe('image/png');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mimeType).toBe('image/jpeg');
    expect(sniff(Buffer.from('GIF89a...'))?.mimeType).toBe('image/gif');
    expect(sniff(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.mimeType).toBe('image/webp');
    expect(sniff(PDF)).toMatchObject({ mimeType: 'application/pdf', kind: 'document' });
    expect(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(cleanFilename(encodeURIComponent('C:\\Users\\moi\\capture\u202e.png'), 'photo', 'png')).toBe('capture.png');
    expect(cleanFilename(encodeURIComponent('facture.exe'), 'document', 'pdf')).toBe('facture.pdf');
    expect(cleanFilename(undefined, 'photo', 'jpg')).toBe('image.jpg');
  });
});
