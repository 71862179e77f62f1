/** The Telegram adapter's pure parts: reading updates, HTML, splitting, buttons, the command menus, the config. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message, Update } from 'grammy/types';
import { CALLBACK_DATA_LIMIT, decodeChoice, encodeChoice, inboundOf } from '../../src/adapters/telegram/read.js';
import { MESSAGE_LIMIT, botCommands, keyboardOf, splitMessage, toHtml } from '../../src/adapters/telegram/format.js';
import { telegramPlatform } from '../../src/adapters/telegram/index.js';
import { ConfigError } from '../../src/config/env.js';
import { createInterpreter } from '../../src/engine/interpret.js';
import { PROVIDER_CHOICE, QUESTION_CHOICE } from '../../src/flows/guide/context.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { LOCALES_DIR, type Lang } from '../../src/render/i18n.js';
import { catalog, texts } from '../support/engine.js';

const privateChat = { id: 42, type: 'private' as const, first_name: 'A' };
const from = { id: 42, is_bot: false, first_name: 'A', language_code: 'fr-FR' };
const message = (fields: Partial<Message> & Record<string, unknown>, chat: object = privateChat): Update =>
  ({ update_id: 7, message: { message_id: 1, date: 1, chat, from, ...fields } }) as unknown as Update;
const conversation = { platform: 'telegram', chatId: '42' };

describe('reading Telegram updates', () => {
  it('turns text, /start with its deep link and button presses into inbound messages', () => {
    expect(inboundOf(message({ text: 'gmail' }))).toEqual({ conversation, messageId: '7', langHint: 'fr-FR', displayName: 'A', input: { kind: 'text', text: 'gmail' } });
    expect(inboundOf(message({ text: '/start' }))?.input).toEqual({ kind: 'start' });
    expect(inboundOf(message({ text: '/start gmail-asso' }))?.input).toEqual({ kind: 'start', payload: 'gmail-asso' });
    expect(inboundOf(message({ text: '/start@demailbot_bot asso' }))?.input).toEqual({ kind: 'start', payload: 'asso' });
    expect(inboundOf(message({ text: '/starting' }))?.input).toEqual({ kind: 'text', text: '/starting' });
    expect(inboundOf(message({ text: '/aide' }))?.input).toEqual({ kind: 'text', text: '/aide' });
    const press = { update_id: 8, callback_query: { id: 'q', from, chat_instance: 'c', data: '12:provider:posteo', message: { message_id: 3, date: 1, chat: privateChat } } } as unknown as Update;
    expect(inboundOf(press)).toEqual({ conversation, messageId: '8', langHint: 'fr-FR', displayName: 'A', input: { kind: 'choice', choice: 'provider:posteo', promptSeq: 12 } });
  });

  // Photos, documents, voice, audio and videos are files the guide relays: tests/telegram/media.test.ts.
  it('names what it cannot read, and ignores service messages', () => {
    const kinds: Array<[Record<string, unknown>, string]> = [
      [{ sticker: {} }, 'sticker'],
      [{ location: {} }, 'location'],
      [{ venue: {}, location: {} }, 'location'],
      [{ contact: {} }, 'contact'],
      [{ poll: {} }, 'poll'],
      [{ dice: {} }, 'other'],
    ];
    for (const [fields, what] of kinds) expect(inboundOf(message(fields))?.input, what).toEqual({ kind: 'unsupported', what });
    expect(inboundOf(message({ pinned_message: {} } as never))).toBeNull();
    const edited = { update_id: 9, edited_message: { message_id: 1, date: 1, edit_date: 2, chat: privateChat, from, text: 'gmail' } } as unknown as Update;
    expect(inboundOf(edited)?.input).toEqual({ kind: 'unsupported', what: 'edit' });
  });

  it('ignores groups, supergroups and channels', () => {
    expect(inboundOf(message({ text: '/start' }, { id: -5, type: 'group', title: 'G' }))).toBeNull();
    expect(inboundOf(message({ text: 'aide' }, { id: -1005, type: 'supergroup', title: 'G' }))).toBeNull();
    expect(inboundOf({ update_id: 1, channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel', title: 'C' }, text: 'x' } } as Update)).toBeNull();
    const groupPress = { update_id: 8, callback_query: { id: 'q', from, chat_instance: 'c', data: '1:begin', message: { message_id: 3, date: 1, chat: { id: -5, type: 'group', title: 'G' } } } } as unknown as Update;
    expect(inboundOf(groupPress)).toBeNull();
  });

  it('puts the prompt number and the choice in 64 bytes at most, and reads back only its own data', () => {
    const choices = [
      ...Object.values(QUESTIONS).flat(),
      ...catalog.providers.map((p) => PROVIDER_CHOICE + p.id),
      ...Object.keys(QUESTIONS).map((q) => QUESTION_CHOICE + q),
      'begin', 'lang:en', 'lang:fr', 'back', 'more', 'whyNot', 'change', 'restart', 'done', 'help', 'later', 'skip', 'resume', 'otherProvider', 'yes', 'no',
    ];
    for (const choice of choices) {
      const data = encodeChoice(9_999_999_999, choice);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
      expect(decodeChoice(data)).toEqual({ promptSeq: 9_999_999_999, choice });
    }
    expect(() => encodeChoice(1, 'x'.repeat(70))).toThrow();
    for (const foreign of [undefined, '', 'begin', 'abc:begin', '12:', '-1:begin']) expect(decodeChoice(foreign)).toEqual({ promptSeq: -1, choice: '' });
  });
});

describe('writing Telegram messages', () => {
  it('renders the markup as HTML with every span escaped', () => {
    expect(toHtml('**Bold & <b>** then `a<b>&c` & 5 > 3')).toBe('<b>Bold &amp; &lt;b&gt;</b> then <code>a&lt;b&gt;&amp;c</code> &amp; 5 &gt; 3');
    expect(toHtml('an \\*\\*escaped\\*\\* star')).toBe('an **escaped** star');
    expect(toHtml('**unbalanced <i>')).toBe('**unbalanced &lt;i&gt;');
  });

  it('keeps a short message whole', () => {
    expect(splitMessage('Hello\n\n**world**')).toEqual(['Hello\n\n<b>world</b>']);
  });

  const balanced = (html: string) => {
    const stack: string[] = [];
    for (const [, close, name] of html.matchAll(/<(\/?)(b|code)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
  };

  it('cuts between paragraphs, then lines, then words, then inside a word; tags never straddle parts', () => {
    const limit = 100;
    const paragraphs = ['**Title** of the first paragraph', 'line one\nline two', 'x'.repeat(60)];
    const parts = splitMessage(paragraphs.join('\n\n'), limit);
    expect(parts).toEqual(['<b>Title</b> of the first paragraph\n\nline one\nline two', 'x'.repeat(60)]);

    const longLine = `**${'bold words & more '.repeat(20)}** and \`${'c'.repeat(150)}\``;
    const pieces = splitMessage(`intro\n\n${longLine}\n\nend`, limit);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(limit);
      balanced(piece);
    }
    expect(pieces[0]).toBe('intro');
    expect(pieces[pieces.length - 1]).toMatch(/end$/);
    const words = pieces.join(' ').replace(/<\/?(b|code)>/g, '');
    expect(words.match(/bold words/g)).toHaveLength(20);
    expect(words.replace(/\s/g, '')).toContain('c'.repeat(150).slice(0, 80));
  });

  it('never cuts an emoji in half, and measures escaped text', () => {
    const parts = splitMessage('🙂'.repeat(80), 50);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(50);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(parts.join('')).toBe('🙂'.repeat(80));
    const amps = splitMessage('&'.repeat(30), 50);
    expect(amps.every((p) => p.length <= 50)).toBe(true);
    expect(amps.join('')).toBe('&amp;'.repeat(30));
  });

  it('splits at Telegram’s limit by default', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(60)}`).join('\n\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= MESSAGE_LIMIT)).toBe(true);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('lays buttons two per row while labels are short, one per row otherwise, in order', () => {
    const choice = (id: string, label: string) => ({ id, label });
    const rows = keyboardOf(
      [choice('gmail', 'Gmail'), choice('outlook', 'Outlook / Hotmail / Live'), choice('yahoo', 'Yahoo'), choice('icloud', 'iCloud'), choice('back', '⬅ Retour')],
      3,
    );
    expect(rows.map((r) => r.map((b) => b.text))).toEqual([['Gmail'], ['Outlook / Hotmail / Live'], ['Yahoo', 'iCloud'], ['⬅ Retour']]);
    expect(rows[0]![0]).toEqual({ text: 'Gmail', callback_data: '3:gmail' });
    expect(keyboardOf([], 1)).toEqual([]);
  });
});

describe('the command menus', () => {
  const interpreter = createInterpreter(texts);
  const ctx = (lang: Lang) => ({
    prompt: { kind: 'welcome' as const, choices: ['begin', 'lang:en'] },
    promptSeq: 1,
    lang,
    label: (l: Lang, c: string) => texts.t(l)(`guide:choices.${c}`),
  });
  /** The menu's order, and the event each command must produce. */
  const expected: Array<[string, string]> = [['start', 'START'], ['help', 'HELP'], ['human', 'HUMAN'], ['where', 'WHERE'], ['back', 'BACK'], ['lang', 'SET_LANG'], ['restart', 'RESTART'], ['forget', 'FORGET']];

  it('lists, in each language, lowercase latin commands that the guide understands', () => {
    for (const lang of ['fr', 'en'] as const) {
      const commands = botCommands(texts, lang);
      expect(commands).toHaveLength(expected.length);
      commands.forEach((command, i) => {
        expect(command.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(command.description.length).toBeGreaterThanOrEqual(3);
        expect(command.description.length).toBeLessThanOrEqual(256);
        const event = interpreter.interpret({ kind: 'text', text: `/${command.command}` }, ctx(lang));
        expect(event.type, `${lang} /${command.command}`).toBe(expected[i]![1]);
      });
    }
  });

  it('has the same keys in French and English', () => {
    const read = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'common.json'), 'utf8')).telegram.commands;
    const shape = (tree: Record<string, Record<string, string>>) => Object.entries(tree).map(([k, v]) => `${k}:${Object.keys(v).sort().join(',')}`).sort();
    expect(shape(read('en'))).toEqual(shape(read('fr')));
    expect(Object.keys(read('fr')).sort()).toEqual(expected.map(([key]) => key).sort());
  });
});

describe('the Telegram configuration', () => {
  const token = '123456:ABC-def_ghi';

  it('runs the terminal without a token, Telegram with one, by webhook when a URL is set', () => {
    const fromEnv = telegramPlatform.fromEnv;
    expect(fromEnv({})).toBeUndefined();
    expect(fromEnv({ TELEGRAM_BOT_TOKEN: token })).toEqual({ token });
    expect(fromEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' })).toEqual({ token, apiRoot: 'http://127.0.0.1:8081' });
    expect(fromEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' })?.webhook).toEqual({ url: 'https://bot.example.org/tg', port: 8080 });
    expect(
      fromEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg', TELEGRAM_WEBHOOK_PORT: '3000', TELEGRAM_WEBHOOK_SECRET: 's3cr-et_' })?.webhook,
    ).toEqual({ url: 'https://bot.example.org/tg', port: 3000, secret: 's3cr-et_' });
    expect(fromEnv({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_DESK_CHAT_ID: ' -1001234567890 ' })?.desk).toEqual({ chatId: '-1001234567890' });
  });

  it('says plainly what is wrong, without repeating a token or a secret', () => {
    const wrong = (env: NodeJS.ProcessEnv): string => {
      try {
        telegramPlatform.fromEnv(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(wrong({ TELEGRAM_BOT_TOKEN: 'not a token at all' })).not.toContain('not a token');
    expect(wrong({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' })).toContain('TELEGRAM_BOT_TOKEN');
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'ftp://x' })).toContain('TELEGRAM_API_ROOT');
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://x.org/', TELEGRAM_WEBHOOK_PORT: '70000' })).toContain('TELEGRAM_WEBHOOK_PORT');
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://x.org/', TELEGRAM_WEBHOOK_SECRET: 'has space' })).not.toContain('has space');
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_DESK_CHAT_ID: '@asso_desk' })).toContain('a number like -1001234567890');
    expect(wrong({ TELEGRAM_DESK_CHAT_ID: '-1001234567890' })).toBe('TELEGRAM_DESK_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not');
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_PACING: 'slow' })).toContain('TELEGRAM_PACING must be on or off');
  });
});
