/** The variables this issue adds: METRICS_PORT / METRICS_HOST and TELEGRAM_PACING, and their plain errors. */
import { describe, expect, it } from 'vitest';
import { platformConfig, readConfig } from '../../src/config/config.js';
import { telegramPlatform } from '../../src/adapters/telegram/index.js';
import { configError } from '../support/config.js';

const TOKEN = '123456789:demailbot-test-token';

describe('operations configuration', () => {
  it('serves metrics only when METRICS_PORT is set, on loopback unless METRICS_HOST says otherwise', () => {
    expect(readConfig({}).metrics).toBeUndefined();
    expect(readConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(readConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(configError({ METRICS_PORT: 'nine' })).toContain('METRICS_PORT must be a whole number');
    expect(configError({ METRICS_PORT: '70000' })).toContain('METRICS_PORT must be a port number');
    expect(configError({ METRICS_HOST: '0.0.0.0' })).toContain('METRICS_HOST is set but METRICS_PORT is not');
  });

  it('paces Telegram unless TELEGRAM_PACING=off', () => {
    expect(platformConfig(readConfig({ TELEGRAM_BOT_TOKEN: TOKEN }), telegramPlatform)?.pacing).toBeUndefined();
    expect(platformConfig(readConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_PACING: 'off' }), telegramPlatform)?.pacing).toBe(false);
    expect(configError({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_PACING: 'fast' })).toBe('TELEGRAM_PACING must be on or off (got "fast")');
  });
});
