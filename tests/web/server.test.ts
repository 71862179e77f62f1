/**
 * The web chat's server through real WebSockets (no browser): origins, limits answered with a clear word, numbered
 * messages that a reconnect neither loses nor repeats, what arrives while no tab is open, /oublier, the retention,
 * codes to carry a conversation to another device, and the configuration's errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWorld, Tab, textOf, type WebWorld, type WorldOptions } from './harness.js';
import { readWebConfig } from '../../src/adapters/web/config.js';
import { chatIdOf } from '../../src/adapters/web/conversations.js';
import { ConfigError } from '../../src/config.js';

let world: WebWorld | undefined;
const tabs: Tab[] = [];
afterEach(async () => {
  await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  const errors = world?.logs.filter((l) => l.includes('"level":"error"')) ?? [];
  await world?.close();
  world = undefined;
  expect(errors).toEqual([]);
});

async function start(options: WorldOptions = {}): Promise<WebWorld> {
  world = await startWorld(options);
  return world;
}
async function tab(w: WebWorld, origin?: string): Promise<Tab> {
  const t = await Tab.open(w, origin);
  tabs.push(t);
  return t;
}
/** A new conversation: hello, then the welcome. */
async function newPerson(w: WebWorld, hello: Record<string, unknown> = {}): Promise<Tab> {
  const t = await tab(w);
  t.send({ t: 'hello', lastSeq: 0, lang: 'fr-FR', ...hello });
  await t.waitFor((f) => f.t === 'ready');
  await t.botMessage(1);
  return t;
}
function rows(w: WebWorld): Array<{ key: string; value: string }> {
  return w.db.prepare("SELECT key, value FROM adapter_state WHERE adapter = 'web'").all() as never;
}

describe('who may open the chat', () => {
  it('refuses an origin not in WEB_CHAT_ORIGINS, and a client without Origin, at the upgrade (403)', async () => {
    const w = await start({ env: { WEB_CHAT_ORIGINS: 'https://asso.example.org' } });
    await expect(Tab.open(w, 'https://evil.example.net')).rejects.toThrow('HTTP 403');
    const bare = new WebSocket(w.url.replace('http', 'ws') + '/ws');
    const status = await new Promise<number>((resolve) => bare.once('unexpected-response', (_q, res) => resolve(res.statusCode!)));
    expect(status).toBe(403);
    // The listed site and the chat's own page may.
    await (await tab(w, 'https://asso.example.org')).close();
    await (await tab(w)).close();
    expect(w.logs.filter((l) => l.includes('web_origin_refused'))).toHaveLength(2);
  });

  it('serves the page with a strict CSP (frame-ancestors = the allowed sites), no cookie, and the widget', async () => {
    const w = await start({ env: { WEB_CHAT_ORIGINS: 'https://asso.example.org' } });
    const page = await fetch(w.url + '/', { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-ancestors ${w.origin} https://asso.example.org`);
    expect(page.headers.get('set-cookie')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Move my e-mail');
    const widget = await fetch(w.url + '/widget.js');
    expect(widget.headers.get('content-type')).toContain('javascript');
    expect(await widget.text()).toContain('"Déménager mes e-mails"');
    expect((await fetch(w.url + '/nothing')).status).toBe(404);
    expect((await fetch(w.url + '/', { method: 'POST' })).status).toBe(405);
  });
});

describe('a conversation', () => {
  it('opens with the privacy notice, keyed by a hash of the secret: the database never holds the secret', async () => {
    const w = await start();
    const t = await newPerson(w, { payload: 'gmail-asso' });
    expect(t.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const welcome = await t.botMessage(1);
    expect(welcome.seq).toBe(1);
    expect(textOf(welcome)).toContain('Vos données');
    expect(w.engine.knows(`web:${chatIdOf(t.secret!)}`)).toBe(true);
    const dump = JSON.stringify(w.db.prepare('SELECT * FROM conversations').all()) + JSON.stringify(rows(w));
    expect(dump).not.toContain(t.secret);
  });

  it('a reconnect neither loses nor repeats a message; a reload (lastSeq 0) redraws the conversation', async () => {
    const w = await start();
    const first = await newPerson(w);
    const welcome = await first.botMessage(1);
    first.send({ t: 'choose', id: 'c1', choice: welcome.choices[0]!.id, promptSeq: welcome.promptSeq, label: welcome.choices[0]!.label });
    await first.waitFor((f) => f.t === 'accepted' && f.id === 'c1');
    const second = await first.botMessage(2);
    first.send({ t: 'ack', seq: second.seq });
    await first.close();

    // The same id sent again after the reconnect (the page did not see "accepted"): not written, not answered twice.
    const again = await tab(w);
    again.send({ t: 'hello', secret: first.secret, lastSeq: second.seq });
    await again.waitFor((f) => f.t === 'ready' && f.fresh === false);
    again.send({ t: 'choose', id: 'c1', choice: welcome.choices[0]!.id, promptSeq: welcome.promptSeq, label: welcome.choices[0]!.label });
    await again.waitFor((f) => f.t === 'accepted' && f.id === 'c1');
    again.send({ t: 'say', id: 's1', text: 'bonjour' });
    const reply = await again.waitFor((f) => f.t === 'msg' && (f.m as { from: string }).from === 'bot');
    const seqs = again.messages().map((m) => m.seq);
    expect(seqs[0]).toBe(second.seq + 1); // nothing before what it had, nothing repeated
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(again.messages().filter((m) => m.from === 'me').map(textOf)).toEqual(['bonjour']);
    expect(reply).toBeDefined();
    await again.close();

    const reload = await tab(w);
    reload.send({ t: 'hello', secret: first.secret, lastSeq: 0 });
    await reload.waitFor((f) => f.t === 'msg' && (f.m as { seq: number }).seq === again.lastSeq());
    expect(reload.messages().map((m) => m.seq)).toEqual(Array.from({ length: again.lastSeq() }, (_, i) => i + 1));
    // A button's label comes back; typed words are numbered but not kept on the server (the browser keeps them).
    expect(reload.messages().filter((m) => m.from === 'me').map((m) => [textOf(m), m.typed ?? false])).toEqual([
      [welcome.choices[0]!.label, false],
      ['', true],
    ]);
    expect(JSON.stringify(rows(w))).not.toContain('bonjour');
  });

  it("what is sent while no tab is open (a volunteer's words) is kept and shown on return, then no longer owed", async () => {
    const w = await start();
    const t = await newPerson(w);
    t.send({ t: 'ack', seq: t.lastSeq() });
    const chatId = chatIdOf(t.secret!);
    await t.close();
    expect(await w.engine.sendWords(`web:${chatId}`, 'Marie : <b>bonjour</b> **vous**')).toBe(true);
    expect(w.web.owed(chatId)).toBe(1);
    const back = await tab(w);
    back.send({ t: 'hello', secret: t.secret, lastSeq: 1 });
    const m = (await back.waitFor((f) => f.t === 'msg')).m as { seq: number; lines: unknown };
    expect(m.seq).toBe(2);
    expect(JSON.stringify(m.lines)).toContain('<b>bonjour</b>'); // text, for the page to show as text
    back.send({ t: 'ack', seq: 2 });
    await expect.poll(() => w.web.owed(chatId)).toBe(0);
  });

  it('a check-in due while no tab is open is kept and shown on return', async () => {
    const w = await start();
    w.clock.now = Date.UTC(2026, 10, 25, 10); // a weekday morning: no quiet hours in the way
    const t = await newPerson(w);
    for (const [i, text] of ['commencer', '/rappels', 'oui'].entries()) {
      const from = t.messages().length;
      t.send({ t: 'say', id: `r${i}`, text });
      await t.waitFor(() => t.messages().slice(from).some((m) => m.from === 'bot'));
    }
    expect(textOf(t.messages().at(-1)!)).toContain('je reviens vers vous dans 7 jours');
    const seen = t.lastSeq();
    t.send({ t: 'ack', seq: seen });
    await t.close();
    w.clock.now += 7 * 24 * 3600_000;
    expect(await w.engine.fireDue()).toBe(1);
    const back = await tab(w);
    back.send({ t: 'hello', secret: t.secret, lastSeq: seen });
    const checkin = (await back.waitFor((f) => f.t === 'msg')).m as { seq: number };
    expect(checkin.seq).toBe(seen + 1);
    expect(textOf(checkin as never)).toContain('cela fait 7 jours');
  });

  it('/oublier: the last reply says erased, nothing stays in adapter_state, and the secret opens nothing after', async () => {
    const w = await start();
    const t = await newPerson(w);
    t.send({ t: 'say', id: 'f1', text: '/oublier' });
    let erased = await t.waitFor((f) => f.t === 'msg' && (f.m as { from: string }).from === 'bot' && (f.m as { seq: number }).seq > 2);
    // The guide may ask to confirm first.
    const confirm = (erased.m as { choices: Array<{ id: string; label: string }>; promptSeq: number; erased?: true });
    if (!confirm.erased) {
      const yes = confirm.choices[0]!;
      const from = t.frames.length;
      t.send({ t: 'choose', id: 'f2', choice: yes.id, promptSeq: confirm.promptSeq, label: yes.label });
      erased = await t.waitFor((f) => f.t === 'msg' && (f.m as { erased?: true }).erased === true, from);
    }
    expect((erased.m as { erased?: true }).erased).toBe(true);
    expect(rows(w).filter((r) => r.key.startsWith('conv:'))).toEqual([]);
    const back = await tab(w);
    back.send({ t: 'hello', secret: t.secret, lastSeq: 0 });
    await back.waitFor((f) => f.t === 'forgotten');
  });

  it('the retention: a conversation the engine erased for idleness loses what the web chat kept', async () => {
    const w = await start();
    const t = await newPerson(w);
    await t.close();
    w.clock.now += 200 * 24 * 3600_000;
    expect(w.engine.purgeIdle()).toBe(1);
    await w.stop();
    // At the next start (or its next sweep), what was kept for it goes too.
    const again = await startWorld({ path: w.path });
    try {
      expect((again.db.prepare("SELECT COUNT(*) AS n FROM adapter_state WHERE adapter = 'web'").get() as { n: number }).n).toBe(0);
    } finally {
      await again.stop();
    }
  });

  it('a code carries the conversation to another device, once', async () => {
    const w = await start();
    const t = await newPerson(w);
    t.send({ t: 'carry' });
    const carry = await t.waitFor((f) => f.t === 'carry');
    expect(carry.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(carry.link).toBe(`${w.url}/#carry=${carry.code}`);
    expect(JSON.stringify(rows(w))).not.toContain(t.secret);
    const other = await tab(w);
    other.send({ t: 'hello', carry: String(carry.code).toLowerCase(), lastSeq: 0 });
    const ready = await other.waitFor((f) => f.t === 'ready');
    expect(ready.secret).toBe(t.secret);
    await other.waitFor((f) => f.t === 'msg');
    const third = await tab(w);
    third.send({ t: 'hello', carry: carry.code, lastSeq: 0 });
    await third.waitFor((f) => f.t === 'refused' && f.reason === 'badCode');
  });
});

describe('limits, each answered with a clear word', () => {
  it('a message too long: refused with the maximum, the conversation goes on', async () => {
    const w = await start({ env: { WEB_CHAT_MAX_MESSAGE_CHARS: '100' } });
    const t = await newPerson(w);
    t.send({ t: 'say', id: 'long', text: 'x'.repeat(101) });
    const refused = await t.waitFor((f) => f.t === 'refused');
    expect(refused).toMatchObject({ reason: 'tooLong', id: 'long', max: 100 });
    t.send({ t: 'say', id: 'ok', text: 'bonjour' });
    await t.waitFor((f) => f.t === 'accepted' && f.id === 'ok');
  });

  it('too many messages in a minute: refused with how long to wait', async () => {
    const w = await start({ env: { WEB_CHAT_MESSAGES_PER_MINUTE: '3' } });
    const t = await newPerson(w);
    for (let i = 1; i <= 4; i++) t.send({ t: 'say', id: `m${i}`, text: `message ${i}` });
    const refused = await t.waitFor((f) => f.t === 'refused');
    expect(refused).toMatchObject({ reason: 'tooFast', id: 'm4' });
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(60_000);
  });

  it('too many new conversations from one address in an hour', async () => {
    const w = await start({ env: { WEB_CHAT_NEW_CONVERSATIONS_PER_HOUR: '2' } });
    await newPerson(w);
    await newPerson(w);
    const t = await tab(w);
    t.send({ t: 'hello', lastSeq: 0 });
    expect(await t.waitFor((f) => f.t === 'refused')).toMatchObject({ reason: 'tooManyConversations' });
  });

  it('the server full: "busy", then the connection closes (1013, try again later)', async () => {
    const w = await start({ env: { WEB_CHAT_MAX_CONNECTIONS: '2' } });
    await tab(w);
    await tab(w);
    const third = await tab(w);
    expect(await third.waitFor((f) => f.t === 'refused')).toMatchObject({ reason: 'busy' });
    const code = await new Promise<number>((resolve) => (third.ws.readyState === WebSocket.CLOSED ? resolve(1013) : third.ws.once('close', (c) => resolve(c))));
    expect(code).toBe(1013);
  });

  it('a frame that is not one, or a message before hello: badFrame, nothing else happens', async () => {
    const w = await start();
    const t = await tab(w);
    t.ws.send('not json');
    t.send({ t: 'say', id: 'x', text: 'avant hello' });
    await t.waitFor(() => t.frames.filter((f) => f.t === 'refused' && f.reason === 'badFrame').length === 2);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 0 });
  });
});

describe('configuration', () => {
  it('is off without WEB_CHAT_PORT, and teaches the fix for each mistake', () => {
    expect(readWebConfig({})).toBeUndefined();
    const config = readWebConfig({ WEB_CHAT_PORT: '8080', WEB_CHAT_PUBLIC_URL: 'https://bot.example.org/', WEB_CHAT_ORIGINS: 'https://asso.example.org, https://www.asso.example.org' })!;
    expect(config.publicUrl).toBe('https://bot.example.org');
    expect(config.origins).toEqual(['https://bot.example.org', 'https://asso.example.org', 'https://www.asso.example.org']);
    const error = (env: Record<string, string>) => {
      try {
        readWebConfig({ WEB_CHAT_PORT: '8080', ...env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(error({ WEB_CHAT_PORT: 'http' })).toMatch(/WEB_CHAT_PORT must be a whole number from 1 to 65535/);
    expect(error({ WEB_CHAT_ORIGINS: '*' })).toMatch(/cannot be "\*"/);
    expect(error({ WEB_CHAT_ORIGINS: 'https://asso.example.org/chat' })).toMatch(/write "https:\/\/asso.example.org" instead/);
    expect(error({ WEB_CHAT_ORIGINS: 'asso.example.org' })).toMatch(/not a web address; write it in full/);
    expect(error({ WEB_CHAT_MESSAGES_PER_MINUTE: '0' })).toMatch(/WEB_CHAT_MESSAGES_PER_MINUTE must be a whole number/);
    expect(error({ WEB_CHAT_TRUST_PROXY: 'yes' })).toMatch(/WEB_CHAT_TRUST_PROXY must be 1/);
  });
});
