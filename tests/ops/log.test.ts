/** The log (pino underneath): JSON lines with the event name, LOG_LEVEL's threshold, and the redaction guard. */
import { describe, expect, it } from 'vitest';
import { createLog, isLogLevel } from '../../src/log.js';

function capture(level: Parameters<typeof createLog>[0]) {
  const lines: string[] = [];
  return { log: createLog(level, (line) => void lines.push(line)), lines };
}

describe('log', () => {
  it('writes one JSON line per event: level as a word, ISO time, the event name and its details', () => {
    const { log, lines } = capture('info');
    log('telegram_api_error', { method: 'sendMessage', code: 429 }, 'warn');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]).toContain('"event":"telegram_api_error"');
    const line = JSON.parse(lines[0]!);
    expect(line).toEqual({ level: 'warn', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), event: 'telegram_api_error', method: 'sendMessage', code: 429 });
  });

  it('keeps the threshold of LOG_LEVEL, and silent writes nothing', () => {
    const info = capture('info');
    info.log('debug_only', {}, 'debug');
    info.log('shown', {}, 'info');
    expect(info.lines.map((l) => JSON.parse(l).event)).toEqual(['shown']);
    const silent = capture('silent');
    silent.log('anything', {}, 'error');
    expect(silent.lines).toEqual([]);
    expect(['debug', 'info', 'warn', 'error', 'silent'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
  });

  it('blanks a text, a token or a chat id that a caller would pass by mistake, at the top level or one down', () => {
    const { log, lines } = capture('debug');
    log('oops', { text: 'Je quitte Gmail', token: '123:ABC', chatId: 987654321, details: { chat_id: 987654321, roomId: '!r:x' }, count: 3 });
    // Without the time stamp, whose digits could hold any short number ("21:56:17.142Z" holds 42).
    const raw = lines.map((line) => JSON.stringify({ ...JSON.parse(line), time: undefined })).join('');
    for (const secret of ['Je quitte Gmail', '123:ABC', '987654321', '!r:x']) expect(raw).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'oops', count: 3, text: '[redacted]' });
  });
});
