/// <reference lib="dom" />
/**
 * The web chat end to end in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/test-tools.mjs before `npm test`) driven by playwright-core, against the real server, engine and desk on a
 * SQLite file. One browser for the file; each test its own context (its own localStorage, like a new visitor).
 * Screenshots go to test-artifacts/web/ (gitignored).
 *
 * What is EMULATED: Telegram (telegram-test-api with the harness's forum, tests/telegram/harness.ts) for the
 * volunteer who answers from the desk. Nothing else.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from './chromium.js';
import { startWorld, type WebWorld } from './harness.js';
import { freePort, Harness, TOKEN } from '../telegram/harness.js';
import { chatIdOf } from '../../src/adapters/web/conversations.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

let browser: Browser;
let world: WebWorld | undefined;
let context: BrowserContext | undefined;
let hostServers: Server[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  for (const server of hostServers) await new Promise((resolve) => server.close(resolve));
  hostServers = [];
  const errors = world?.logs.filter((l) => l.includes('"level":"error"')) ?? [];
  await world?.close();
  world = undefined;
  expect(errors).toEqual([]);
});

/** A visitor: a fresh context, every request and console error recorded. */
async function visitor(viewport: { width: number; height: number }) {
  context = await browser.newContext({ viewport, locale: 'fr-FR' });
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (request) => void requests.push(request.url()));
  const page = await context.newPage();
  const watch = (p: Page) => {
    p.on('pageerror', (error) => void problems.push(String(error)));
    p.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  };
  watch(page);
  context.on('page', watch);
  return { page, requests, problems };
}

const log = (page: Page) => page.locator('.log');
const choice = (page: Page, id: string) => page.locator(`button.choice[data-choice="${id}"]`);

async function botMessages(page: Page): Promise<number> {
  return page.locator('.msg.bot').count();
}

/** Taps the first choice (a host's when hosts are offered) until the plan's first step shows. */
async function tapToPlan(page: Page): Promise<number> {
  let taps = 0;
  for (; taps < 40; taps++) {
    if ((await log(page).textContent())!.includes('Étape 1 sur')) return taps;
    const buttons = page.locator('button.choice');
    await buttons.first().waitFor();
    const ids = await buttons.evaluateAll((all) => all.map((b) => b.getAttribute('data-choice') ?? ''));
    const index = Math.max(0, ids.findIndex((id) => id.startsWith('provider:')));
    const before = await botMessages(page);
    await buttons.nth(index).click();
    await expect.poll(() => botMessages(page)).toBeGreaterThan(before);
  }
  throw new Error('never reached the plan');
}

async function axe(page: Page): Promise<Array<{ id: string; impact: string; nodes: number }>> {
  // Evaluated through the DevTools protocol: the page's own CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    return run.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
  });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
}

describe('the page /, at phone size', () => {
  it('a whole conversation by taps to a plan step; privacy notice first; no cookie, nothing from elsewhere; axe finds nothing serious', async () => {
    world = await startWorld();
    const { page, requests, problems } = await visitor(PHONE);
    await page.goto(world.url + '/');
    await expect.poll(() => log(page).textContent()).toContain('Vos données');
    // The privacy notice comes before the first question's buttons are even answered.
    expect(await page.locator('.msg.bot').first().textContent()).toContain('/oublier');
    await page.screenshot({ path: `${ARTIFACTS}/phone-welcome.png` });
    const taps = await tapToPlan(page);
    expect(taps).toBeGreaterThan(3);
    await page.screenshot({ path: `${ARTIFACTS}/phone-plan.png` });
    // The panel takes the screen's width, and nothing overflows sideways.
    const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    expect(size).toEqual({ width: PHONE.width, height: PHONE.height });
    // The plan's step is on screen (the conversation scrolled to its end).
    await expect.poll(() => page.locator('.msg.bot').last().isVisible()).toBe(true);

    expect(await context!.cookies()).toEqual([]);
    const origin = new URL(world.url).origin;
    expect(requests.filter((url) => !url.startsWith(origin + '/') && !url.startsWith(origin.replace('http', 'ws') + '/'))).toEqual([]);
    expect(problems).toEqual([]);
    // (axe's own probes set inline styles, which the CSP refuses and the console reports: not the page's.)
    const violations = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    console.log('axe (web page, phone):', JSON.stringify(violations));
  });
});

describe('the page /, at desktop size', () => {
  it('typing answers; a reload and a closed tab resume exactly where it was, nothing repeated', async () => {
    world = await startWorld();
    const { page, problems } = await visitor(DESKTOP);
    await page.goto(world.url + '/');
    await expect.poll(() => botMessages(page)).toBe(1);
    await page.getByLabel('Votre réponse').fill('commencer');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => botMessages(page)).toBe(2);
    await expect.poll(() => page.locator('.msg.me').allTextContents()).toEqual(['Vous : commencer']);
    const before = await page.locator('.msg').allTextContents();

    await page.reload();
    await expect.poll(() => page.locator('.msg').allTextContents()).toEqual(before);
    await page.screenshot({ path: `${ARTIFACTS}/desktop-reloaded.png` });

    await page.close();
    const again = await context!.newPage();
    await again.goto(world.url + '/');
    await expect.poll(() => again.locator('.msg').allTextContents()).toEqual(before);
    // It goes on from there.
    await choice(again, (await again.locator('button.choice').first().getAttribute('data-choice'))!).click();
    await expect.poll(() => botMessages(again)).toBe(3);

    // /mesdonnees comes as a file to download.
    await again.getByLabel('Votre réponse').fill('/mesdonnees');
    await again.keyboard.press('Enter');
    const button = again.locator('button.download');
    await button.waitFor();
    const [download] = await Promise.all([again.waitForEvent('download'), button.click()]);
    const path = await download.path();
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toBeTypeOf('object');

    // The language is the browser's (fr-FR here), and switchable: the page and the guide change together.
    await again.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => again.getByLabel('Your answer').count()).toBe(1);
    const secret = await again.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.endsWith(':secret'))!)!) as string);
    await expect.poll(() => world!.engine.guideView(`web:${chatIdOf(secret)}`)?.context.lang).toBe('en');
    await expect.poll(() => again.locator('html').evaluate(() => document.querySelector('.demailbot-host')!.getAttribute('lang'))).toBe('en');

    // At 200 % zoom (half the CSS pixels) nothing overflows sideways and the answer box is still there.
    await again.setViewportSize({ width: DESKTOP.width / 2, height: DESKTOP.height / 2 });
    expect(await again.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width / 2);
    expect(await again.getByLabel('Your answer').isVisible()).toBe(true);
    await again.screenshot({ path: `${ARTIFACTS}/desktop-zoom-200.png` });
    expect(problems).toEqual([]);
  });

  it('keyboard only: Tab to the choices, Enter, the focus stays on the new choices; typing and Enter sends', async () => {
    world = await startWorld();
    const { page } = await visitor(DESKTOP);
    // Reduced motion asked: messages appear without animation.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(world.url + '/');
    await page.locator('button.choice').first().waitFor();
    // From the top of the page, Tab reaches a choice button.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.querySelector('.demailbot-host')?.shadowRoot?.activeElement?.classList.contains('choice'))) break;
    }
    const focused = () => page.evaluate(() => document.querySelector('.demailbot-host')?.shadowRoot?.activeElement?.className ?? '');
    expect(await focused()).toContain('choice');
    // The focus is visible (an outline of 3px).
    const outline = await page.evaluate(() => getComputedStyle(document.querySelector('.demailbot-host')!.shadowRoot!.activeElement!).outlineWidth);
    expect(outline).toBe('3px');
    for (let step = 2; step <= 4; step++) {
      await page.keyboard.press('Enter');
      await expect.poll(() => botMessages(page)).toBe(step);
      await expect.poll(focused).toContain('choice');
    }
    expect(await page.locator('.msg.bot').first().evaluate((e) => getComputedStyle(e).animationName)).toBe('none');
    await page.getByLabel('Votre réponse').focus();
    await page.keyboard.type('/ou');
    await page.keyboard.press('Enter');
    await expect.poll(() => botMessages(page)).toBe(5);
    await page.screenshot({ path: `${ARTIFACTS}/desktop-keyboard.png` });
  });

  it('hostile text from the person is shown as text; /oublier forgets the secret in the browser too', async () => {
    world = await startWorld();
    const { page, problems } = await visitor(DESKTOP);
    await page.goto(world.url + '/');
    await expect.poll(() => botMessages(page)).toBe(1);
    const hostile = '<img src=x onerror="window.__owned=1"><script>window.__owned=2</script>**gras** `code`';
    await page.getByLabel('Votre réponse').fill(hostile);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.me').first().textContent()).toBe('Vous : ' + hostile);
    expect(await page.locator('.msg img, .msg script, .msg.me strong').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
    // After a reload too (from this browser's memory: the server kept no typed words).
    await page.reload();
    await expect.poll(() => page.locator('.msg.me').first().textContent()).toBe('Vous : ' + hostile);
    expect(await page.locator('.msg img, .msg script, .msg.me strong').count()).toBe(0);
    expect(JSON.stringify(world.db.prepare('SELECT value FROM adapter_state').all())).not.toContain('__owned');

    const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.endsWith(':secret')));
    expect(key).toBeDefined();
    await page.getByLabel('Votre réponse').fill('/oublier');
    await page.keyboard.press('Enter');
    // The guide may ask to confirm: the first choice confirms.
    for (let i = 0; i < 3 && (await page.evaluate((k) => localStorage.getItem(k), key!)) !== null; i++) {
      const confirm = page.locator('button.choice').first();
      if (await confirm.isVisible().catch(() => false)) await confirm.click().catch(() => {});
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key!)).toBeNull();
    await expect.poll(() => log(page).textContent()).toContain('Ce navigateur a oublié la conversation');
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    await page.screenshot({ path: `${ARTIFACTS}/desktop-forgotten.png` });
    // Typing again starts afresh, as the "new conversation" button does: a new secret, the welcome, then its answer.
    await page.getByLabel('Votre réponse').fill('bonjour');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key!)).not.toBeNull();
    await expect.poll(() => botMessages(page)).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.msg.bot').first().textContent()).toContain('demailbot');
    await expect.poll(() => page.locator('.msg.me.pending').count()).toBe(0);
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 1 });
    expect(problems).toEqual([]);
  });
});

describe('another device', () => {
  it('the link shown on request opens the same conversation on a second browser, once', async () => {
    world = await startWorld();
    const { page } = await visitor(DESKTOP);
    await page.goto(world.url + '/');
    await expect.poll(() => botMessages(page)).toBe(1);
    await page.getByRole('button', { name: 'Continuer sur un autre appareil' }).click();
    const link = page.locator('.carry a');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/#carry=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const phone = await browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
    try {
      const other = await phone.newPage();
      await other.goto(href);
      await expect.poll(() => other.locator('.msg.bot').allTextContents()).toEqual(await page.locator('.msg.bot').allTextContents());
      expect(other.url()).not.toContain('#carry'); // the code leaves the address bar (and the history)
      const secrets = await Promise.all([page, other].map((p) => p.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.endsWith(':secret'))!))));
      expect(secrets[0]).toBe(secrets[1]);
      // Spent: a third browser (in English) with the same link gets the kind refusal and a conversation of its own.
      const third = await phone.browser()!.newContext();
      try {
        const late = await third.newPage();
        await late.goto(href);
        await expect.poll(() => late.locator('.status').textContent()).toContain('This code does not work'); // an English browser: its language
        await expect.poll(() => late.locator('.msg.bot').count()).toBe(1);
      } finally {
        await third.close();
      }
    } finally {
      await phone.close();
    }
  });
});

describe('limits, as the person sees them', () => {
  it('too long or too fast: a clear word in their language, and what they typed is back in the box', async () => {
    world = await startWorld({ env: { WEB_CHAT_MAX_MESSAGE_CHARS: '50', WEB_CHAT_MESSAGES_PER_MINUTE: '3' } });
    const { page, problems } = await visitor(PHONE);
    await page.goto(world.url + '/');
    await expect.poll(() => botMessages(page)).toBe(1);
    const long = 'Je voudrais savoir '.repeat(4);
    await page.getByLabel('Votre réponse').fill(long);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.status').textContent()).toContain('trop long (plus de 50 caractères)');
    expect(await page.getByLabel('Votre réponse').inputValue()).toBe(long.trim());
    expect(await page.locator('.msg.me').count()).toBe(0);

    await page.getByLabel('Votre réponse').fill('');
    for (const word of ['un', 'deux', 'trois', 'quatre']) {
      await page.getByLabel('Votre réponse').fill(word);
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/trop de messages d'un coup\. Attendez \d+ secondes/);
    expect(await page.getByLabel('Votre réponse').inputValue()).toBe('quatre');
    await page.screenshot({ path: `${ARTIFACTS}/phone-limit.png` });
    expect(problems).toEqual([]);
  });
});

/** A site of an association on another origin, embedding the widget with one tag. */
async function hostSite(botUrl: string, attributes: string): Promise<string> {
  const port = await freePort();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Association</title></head><body><main><h1>Démailnagement</h1><p>Notre campagne.</p></main><script src="${botUrl}/widget.js" ${attributes} async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  hostServers.push(server);
  return `http://localhost:${port}`;
}

describe('the widget on an association site', () => {
  it('one tag: a launcher opens the panel (the whole screen on a phone) with its colours and deep link; a foreign site is refused', async () => {
    const allowedPort = await freePort();
    world = await startWorld({ env: { WEB_CHAT_ORIGINS: `http://localhost:${allowedPort}` } });
    // The allowed site (its port chosen before the bot started, so that WEB_CHAT_ORIGINS can name it).
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Association</title></head><body><main><h1>Démailnagement</h1></main><script src="${world!.url}/widget.js" data-accent="#7c2d12" data-payload="gmail-asso" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(allowedPort, '127.0.0.1', resolve));
    hostServers.push(server);
    const { page, problems } = await visitor(PHONE);
    await page.goto(`http://localhost:${allowedPort}/`);
    const launcher = page.getByRole('button', { name: /ouvrir le guide/ });
    await launcher.click();
    await expect.poll(() => botMessages(page)).toBe(1);
    const box = await page.locator('.panel').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: PHONE.width });
    expect(await page.locator('.header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(124, 45, 18)');
    await page.screenshot({ path: `${ARTIFACTS}/widget-phone.png` });
    // The deep link (data-payload="gmail-asso") preselected the answers, as a t.me link's would.
    const key = (world.db.prepare("SELECT key FROM conversations WHERE platform = 'web'").get() as { key: string }).key;
    expect(world.engine.guideView(key)!.context.answers).toMatchObject({ oldProvider: 'gmail', forWhom: 'association' });
    // Escape closes it and gives the focus back to the launcher.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.panel').isHidden()).toBe(true);
    expect(problems).toEqual([]);

    const foreign = await hostSite(world.url, '');
    const other = await context!.newPage();
    await other.goto(foreign.replace('localhost', '127.0.0.1') + '/');
    await other.getByRole('button', { name: /ouvrir le guide/ }).click();
    await expect.poll(() => other.locator('.status').textContent()).toContain('Connexion perdue');
    expect(await other.locator('.msg').count()).toBe(0);
    expect(world.logs.some((l) => l.includes('web_origin_refused'))).toBe(true);
  });
});

describe('the desk: a volunteer on Telegram', () => {
  it("answers while the tab is closed; the reply is shown on return, hostile text as text", async () => {
    const DESK = -1001234567;
    const tg = await Harness.start();
    tg.forum.enableTopics(DESK);
    try {
      world = await startWorld({
        before: async ({ engine, db, desk, path }) => {
          await tg.startBot(path, { kind: 'polling' }, { shared: { engine, db }, desk: { chatId: String(DESK), registry: desk } });
        },
      });
      const { page } = await visitor(PHONE);
      await page.goto(world.url + '/');
      await tapToPlan(page);
      await page.getByLabel('Votre réponse').fill('/humain');
      await page.keyboard.press('Enter');
      await choice(page, 'yes').click();
      await expect.poll(() => log(page).textContent()).toMatch(/demande n°1/);
      await page.close();

      // Paul, in the desk supergroup, claims the ticket in its topic and answers.
      await tg.settle();
      const topic = [...tg.forum.topics.values()].find((t) => t.chat === String(DESK) && t.name.startsWith('#1 ·'))!;
      expect(topic.name).toBeDefined();
      const card = tg.messagesTo(DESK).find((m) => (m.raw.message as { message_thread_id?: number }).message_thread_id === topic.id)!;
      expect(card.text).toContain('chat du site web');
      tg.forum.setMember(DESK, 501, 'member');
      const paul = tg.server.getClient(TOKEN, { userId: 501, chatId: DESK, type: 'supergroup' as never, firstName: 'Paul', chatTitle: 'Guichet' });
      const from = { id: 501, is_bot: false, first_name: 'Paul' };
      const inTopic = { message_thread_id: topic.id, is_topic_message: true };
      await paul.sendCallback(paul.makeCallbackQuery('desk:claim', { from, message: { message_id: card.messageId, date: 1, chat: { id: DESK, type: 'supergroup', title: 'Guichet' }, ...inTopic } } as never) as never);
      await tg.settle();
      const hostile = 'Bonjour ! <img src=x onerror="window.__owned=1"> **regardez** ici';
      await paul.sendMessage(paul.makeMessage(hostile, { from, ...inTopic } as never));
      await tg.settle();
      await world.engine.idle();

      const back = await context!.newPage();
      await back.goto(world.url + '/');
      await expect.poll(() => log(back).textContent(), { timeout: 10_000 }).toContain('<img src=x onerror="window.__owned=1">');
      expect(await back.locator('.msg img').count()).toBe(0);
      expect(await back.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
      await back.screenshot({ path: `${ARTIFACTS}/phone-volunteer-reply.png` });
    } finally {
      await tg.bot?.stop().catch(() => {});
      await tg.stop();
    }
  });
});
