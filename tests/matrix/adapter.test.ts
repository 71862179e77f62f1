/** The Matrix adapter's pure parts: reading events, HTML and plain notices, long replies, files, storage, config. */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/adapters/kit/html.js';
import { StateStorageProvider } from '../../src/adapters/matrix/client.js';
import { describeError } from '../../src/adapters/matrix/errors.js';
import { CONTENT_LIMIT, fileAsNotices, noticeContents } from '../../src/adapters/matrix/format.js';
import { matrixPlatform } from '../../src/adapters/matrix/index.js';
import { readEvent, stripReplyFallback, type RawEvent } from '../../src/adapters/matrix/read.js';
import { ConfigError } from '../../src/config.js';
import { adapterStates } from '../../src/store/adapter-state.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { LateWrites } from '../../src/store/late-writes.js';
import { tempDbPath } from '../support/engine.js';

const event = (type: string, content: Record<string, unknown>, extra: Partial<RawEvent> = {}): RawEvent => ({
  type,
  event_id: '$e',
  sender: '@alice:example.org',
  content,
  ...extra,
});
const input = (e: RawEvent) => {
  const reading = readEvent(e);
  return reading?.kind === 'input' ? reading.input : reading;
};

describe('reading Matrix events', () => {
  it('turns text into text, and answers of a reply without the quoted message', () => {
    expect(input(event('m.room.message', { msgtype: 'm.text', body: 'gmail' }))).toEqual({ kind: 'text', text: 'gmail' });
    expect(input(event('m.room.message', { msgtype: 'm.emote', body: 'réfléchit' }))).toEqual({ kind: 'text', text: 'réfléchit' });
    const reply = event('m.room.message', {
      msgtype: 'm.text',
      body: '> <@demailbot:example.org> Quelle boîte mail ?\n> 1. Gmail\n\n2',
      'm.relates_to': { 'm.in_reply_to': { event_id: '$q' } },
    });
    expect(input(reply)).toEqual({ kind: 'text', text: '2' });
    expect(stripReplyFallback('no quote')).toBe('no quote');
    expect(stripReplyFallback('> quote only')).toBe('');
  });

  it('names what it cannot read: images, videos, voice, files, places, stickers, reactions, polls, edits', () => {
    const cases: Array<[RawEvent, string]> = [
      [event('m.room.message', { msgtype: 'm.image', body: 'a.jpg' }), 'photo'],
      [event('m.room.message', { msgtype: 'm.video', body: 'a.mp4' }), 'video'],
      [event('m.room.message', { msgtype: 'm.audio', body: 'a.ogg' }), 'voice'],
      [event('m.room.message', { msgtype: 'm.file', body: 'a.pdf' }), 'document'],
      [event('m.room.message', { msgtype: 'm.location', body: 'geo', geo_uri: 'geo:0,0' }), 'location'],
      [event('m.room.message', { msgtype: 'm.key.verification.request', body: '' }), 'other'],
      [event('m.sticker', { body: 'cat', url: 'mxc://x/y' }), 'sticker'],
      [event('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$x', key: '👍' } }), 'reaction'],
      [event('m.poll.start', {}), 'poll'],
      [event('org.matrix.msc3381.poll.start', {}), 'poll'],
      [event('m.room.message', { msgtype: 'm.text', body: '* gmail', 'm.new_content': { msgtype: 'm.text', body: 'gmail' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } }), 'edit'],
    ];
    for (const [e, what] of cases) expect(input(e), what).toEqual({ kind: 'unsupported', what });
  });

  it('ignores notices (what bots send), state, redactions and unknown events; flags encrypted ones', () => {
    expect(readEvent(event('m.room.message', { msgtype: 'm.notice', body: 'bip' }))).toBeNull();
    expect(readEvent(event('m.room.member', { membership: 'join' }, { state_key: '@alice:example.org' }))).toBeNull();
    expect(readEvent(event('m.room.redaction', {}))).toBeNull();
    expect(readEvent(event('m.typing', {}))).toBeNull();
    expect(readEvent(event('m.room.message', { msgtype: 'm.text' }))).toBeNull();
    expect(readEvent(event('m.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'x' }))).toEqual({ kind: 'encrypted' });
  });
});

describe('writing notices', () => {
  const message = (text: string, labels: string[] = []) => ({ text, choices: labels.map((label, i) => ({ id: `c${i}`, label })) });

  it('renders bold, code and line breaks as HTML, the choices as a numbered list, and the same as plain text', () => {
    const [content] = noticeContents(message('**Étape 1** sur 9\nTapez `imap.gmail.com`.\n\nOK ?', ['✓ Fait', 'Plus tard']));
    expect(content).toEqual({
      msgtype: 'm.notice',
      format: 'org.matrix.custom.html',
      formatted_body: '<strong>Étape 1</strong> sur 9<br>Tapez <code>imap.gmail.com</code>.<br><br>OK ?<ol><li>✓ Fait</li><li>Plus tard</li></ol>',
      body: 'Étape 1 sur 9\nTapez imap.gmail.com.\n\nOK ?\n\n1. ✓ Fait\n2. Plus tard',
    });
    const [block] = noticeContents(message('Copiez :\n`Bonjour,\nj\'ai changé d\'adresse.`'));
    expect(block!.formatted_body).toBe('Copiez :<br><pre><code>Bonjour,\nj&#39;ai changé d&#39;adresse.</code></pre>');
  });

  it('escapes every value: text, bold, code and labels', () => {
    const [content] = noticeContents(message('<script>x</script> & **<b>&amp;</b>** `a<b>"\'`', ['<i>Posteo</i> & "co"']));
    expect(content!.formatted_body).toBe(
      '&lt;script&gt;x&lt;/script&gt; &amp; <strong>&lt;b&gt;&amp;amp;&lt;/b&gt;</strong> <code>a&lt;b&gt;&quot;&#39;</code><ol><li>&lt;i&gt;Posteo&lt;/i&gt; &amp; &quot;co&quot;</li></ol>',
    );
    expect(content!.body).toBe('<script>x</script> & <b>&amp;</b> a<b>"\'\n\n1. <i>Posteo</i> & "co"');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('cuts a very long reply into notices under the limit, between paragraphs, the choices at the end', () => {
    const paragraph = (i: number) => `**Paragraphe ${i}** ` + 'é<&'.repeat(400);
    const text = Array.from({ length: 120 }, (_, i) => paragraph(i)).join('\n\n');
    const parts = noticeContents(message(text, ['Oui', 'Non']));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(parts.slice(0, -1).every((p) => !p.formatted_body.includes('<ol>'))).toBe(true);
    expect(parts[parts.length - 1]!.formatted_body).toMatch(/<ol><li>Oui<\/li><li>Non<\/li><\/ol>$/);
    // Nothing lost, nothing cut inside a paragraph, every part starting with one.
    const all = parts.map((p) => p.body.replace(/\n\n1\. Oui\n2\. Non$/, '')).join('\n\n');
    expect(all).toBe(Array.from({ length: 120 }, (_, i) => `Paragraphe ${i} ` + 'é<&'.repeat(400)).join('\n\n'));
    for (const part of parts) expect(part.formatted_body).toMatch(/^<strong>Paragraphe \d+<\/strong>/);
  });

  it('cuts even a single line longer than the limit', () => {
    const parts = noticeContents(message('x'.repeat(200_000)));
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(parts.map((p) => p.body).join('')).toBe('x'.repeat(200_000));
  });

  it('shows a document as its name and its content in code blocks when it cannot be uploaded', () => {
    const file = { filename: 'mes-données.json', mimeType: 'application/json', content: '{\n  "a": "<b>"\n}' };
    expect(fileAsNotices(file)).toEqual([
      {
        msgtype: 'm.notice',
        format: 'org.matrix.custom.html',
        body: 'mes-données.json\n\n{\n  "a": "<b>"\n}',
        formatted_body: '<p><strong>mes-données.json</strong></p><pre><code>{\n  &quot;a&quot;: &quot;&lt;b&gt;&quot;\n}</code></pre>',
      },
    ]);
    const big = fileAsNotices({ ...file, content: Array.from({ length: 3000 }, (_, i) => `"line ${i}"`).join('\n') }, 10_000);
    expect(big.length).toBeGreaterThan(2);
    expect(big.map((n, i) => (i === 0 ? n.body.slice(n.body.indexOf('\n\n') + 2) : n.body)).join('\n')).toBe(
      Array.from({ length: 3000 }, (_, i) => `"line ${i}"`).join('\n'),
    );
  });

  it('describes errors by Matrix error code or kind, never by their text', () => {
    expect(describeError({ errcode: 'M_FORBIDDEN', error: 'User @a:b not in room !c:d', statusCode: 403 })).toEqual({ errcode: 'M_FORBIDDEN', status: 403 });
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8008'), { code: 'ECONNREFUSED' }))).toEqual({ error: 'ECONNREFUSED' });
    expect(describeError(new TypeError('secret'))).toEqual({ error: 'TypeError' });
  });
});

/** The SDK's storage over a namespace of adapter_state, as the platform makes it from `deps.state(namespace)`. */
const storageIn = (db: Db, namespace = 'matrix') => new StateStorageProvider(adapterStates(db, new LateWrites(db))(namespace));

describe("the SDK's storage in SQLite", () => {
  it('keeps the sync token, the filter and values in adapter_state, across a reopen', () => {
    const tmp = tempDbPath();
    try {
      const db = openDatabase(tmp.path);
      const storage = storageIn(db);
      expect(storage.getSyncToken()).toBeNull();
      expect(storage.getFilter()).toBeUndefined();
      storage.setSyncToken('s42');
      storage.setFilter({ id: 3, filter: { room: {} } });
      storage.storeValue('k', 'v');
      storage.setSyncToken('s43');
      storageIn(db, 'other').setSyncToken('s1');
      db.close();

      const again = openDatabase(tmp.path);
      const reopened = storageIn(again);
      expect(reopened.getSyncToken()).toBe('s43');
      expect(reopened.getFilter()).toEqual({ id: 3, filter: { room: {} } });
      expect(reopened.readValue('k')).toBe('v');
      expect(reopened.readValue('missing')).toBeUndefined();
      reopened.setSyncToken(null);
      expect(reopened.getSyncToken()).toBeNull();
      expect(again.prepare('SELECT adapter, key, value FROM adapter_state ORDER BY adapter, key').all()).toEqual([
        { adapter: 'matrix', key: 'filter', value: '{"id":3,"filter":{"room":{}}}' },
        { adapter: 'matrix', key: 'kv:k', value: 'v' },
        { adapter: 'other', key: 'sync_token', value: 's1' },
      ]);
      again.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('Matrix configuration', () => {
  const fromEnv = (env: NodeJS.ProcessEnv) => matrixPlatform.fromEnv(env);

  it('runs Matrix when both variables are set, and says which one is missing otherwise', () => {
    const config = fromEnv({ MATRIX_HOMESERVER_URL: 'https://matrix.example.org/', MATRIX_ACCESS_TOKEN: ' syt_abc ', DEMAILBOT_DB: '/srv/demailbot/demailbot.db' });
    expect(config).toEqual({ homeserverUrl: 'https://matrix.example.org', accessToken: 'syt_abc', cryptoDir: '/srv/demailbot/matrix-crypto' });
    expect(fromEnv({})).toBeUndefined();
    expect(fromEnv({ TELEGRAM_BOT_TOKEN: '1:a', MATRIX_HOMESERVER_URL: 'http://localhost:8008', MATRIX_ACCESS_TOKEN: 't' })).toMatchObject({
      homeserverUrl: 'http://localhost:8008',
    });
    expect(() => fromEnv({ MATRIX_ACCESS_TOKEN: 'syt_secret' })).toThrow(/MATRIX_HOMESERVER_URL is not/);
    expect(() => fromEnv({ MATRIX_HOMESERVER_URL: 'https://m.org' })).toThrow(/MATRIX_ACCESS_TOKEN is not/);
    expect(() => fromEnv({ MATRIX_HOMESERVER_URL: 'matrix.org', MATRIX_ACCESS_TOKEN: 't' })).toThrow(ConfigError);
    try {
      fromEnv({ MATRIX_HOMESERVER_URL: 'https://m.org', MATRIX_ACCESS_TOKEN: 'syt secret' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('reads the desk room from MATRIX_DESK_ROOM_ID, which needs the Matrix variables and a room id', () => {
    const matrix = { MATRIX_HOMESERVER_URL: 'https://m.org', MATRIX_ACCESS_TOKEN: 't' };
    expect(fromEnv({ ...matrix, MATRIX_DESK_ROOM_ID: ' !desk:example.org ' })).toMatchObject({ desk: { roomId: '!desk:example.org' } });
    expect(fromEnv({ ...matrix, MATRIX_DESK_ROOM_ID: '' })).not.toHaveProperty('desk');
    expect(() => fromEnv({ MATRIX_DESK_ROOM_ID: '!desk:example.org' })).toThrow(/MATRIX_DESK_ROOM_ID is set but MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN are not/);
    expect(() => fromEnv({ ...matrix, MATRIX_DESK_ROOM_ID: '#desk:example.org' })).toThrow(/MATRIX_DESK_ROOM_ID must be a room id like !abcdef:example.org \(got "#desk:example.org"\)/);
  });
});

describe('the Matrix platform module', () => {
  it("recognises Matrix user ids, says its operator errors plainly, describes itself and names its secret", async () => {
    expect(matrixPlatform.name).toBe('matrix');
    expect(['@marie:asso.org', '@m:localhost:8448'].map(matrixPlatform.isUserId)).toEqual([true, true]);
    expect(['marie:asso.org', '@marie', '@ma rie:asso.org', '!room:asso.org', '42'].map(matrixPlatform.isUserId)).toEqual([false, false, false, false, false]);
    expect(matrixPlatform.isUserId(matrixPlatform.userIdExample)).toBe(true);
    const { MatrixStartError } = await import('../../src/adapters/matrix/errors.js');
    expect(matrixPlatform.operatorError(new MatrixStartError('the Matrix homeserver refused the access token (M_UNKNOWN_TOKEN): check MATRIX_ACCESS_TOKEN'))).toBe(
      'the Matrix homeserver refused the access token (M_UNKNOWN_TOKEN): check MATRIX_ACCESS_TOKEN',
    );
    expect(matrixPlatform.operatorError(new Error('boom'))).toBeUndefined();
    const config = { homeserverUrl: 'https://m.org', accessToken: 'syt_secret' };
    expect(matrixPlatform.describe(config)).toEqual({ mode: 'Matrix' });
    expect(matrixPlatform.describe({ ...config, desk: { roomId: '!d:m.org' } })).toEqual({ mode: 'Matrix', desk: 'Matrix room' });
    expect(matrixPlatform.secrets!(config)).toEqual(['syt_secret']);
  });
});
