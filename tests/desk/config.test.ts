/** The desk's settings: where the desks are, who may act, the durations — and plain errors when they are wrong. */
import { describe, expect, it } from 'vitest';
import { platformConfig, readConfig } from '../../src/config/config.js';
import { matrixPlatform } from '../../src/adapters/matrix/index.js';
import { telegramPlatform } from '../../src/adapters/telegram/index.js';
import { configError as wrong } from '../support/config.js';

const token = '123456:abc-DEF';
const matrix = { MATRIX_HOMESERVER_URL: 'https://matrix.example.org', MATRIX_ACCESS_TOKEN: 'syt_token' };

describe('desk configuration', () => {
  it('has defaults and no desk when nothing is set', () => {
    expect(readConfig({}).desk).toEqual({
      volunteers: [],
      lang: 'fr',
      timeZone: 'Europe/Paris',
      unclaimedAlertHours: 4,
      inactiveDays: 7,
      stillThereDays: 3,
      reopenHours: 72,
      defaultWaitMinutes: 240,
      ticketRetentionDays: 30,
    });
  });

  it('reads both desks, the allow-list and the durations', () => {
    const config = readConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_DESK_CHAT_ID: '-1001234567890',
      ...matrix,
      MATRIX_DESK_ROOM_ID: '!desk:example.org',
      DESK_VOLUNTEERS: 'telegram:42, matrix:@marie:asso.org',
      DESK_LANG: 'en',
      DESK_TIME_ZONE: 'America/Montreal',
      DESK_UNCLAIMED_ALERT_HOURS: '2',
      DESK_INACTIVE_DAYS: '5',
      DESK_STILL_THERE_DAYS: '1',
      DESK_REOPEN_HOURS: '24',
      DESK_DEFAULT_WAIT_MINUTES: '60',
      TICKET_RETENTION_DAYS: '10',
    });
    // Where each desk lives is its platform's setting; who may act and the durations are the desk's.
    expect(platformConfig(config, telegramPlatform)?.desk).toEqual({ chatId: '-1001234567890' });
    expect(platformConfig(config, matrixPlatform)?.desk).toEqual({ roomId: '!desk:example.org' });
    const desk = config.desk;
    expect(desk).toEqual({
      volunteers: ['telegram:42', 'matrix:@marie:asso.org'],
      lang: 'en',
      timeZone: 'America/Montreal',
      unclaimedAlertHours: 2,
      inactiveDays: 5,
      stillThereDays: 1,
      reopenHours: 24,
      defaultWaitMinutes: 60,
      ticketRetentionDays: 10,
    });
  });

  it('names the variable that is wrong and how to fix it', () => {
    expect(wrong({ TELEGRAM_DESK_CHAT_ID: '-100123' })).toMatch(/TELEGRAM_DESK_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not/);
    expect(wrong({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_DESK_CHAT_ID: '@mydesk' })).toMatch(/TELEGRAM_DESK_CHAT_ID must be a chat id/);
    expect(wrong({ MATRIX_DESK_ROOM_ID: '!desk:example.org' })).toMatch(/MATRIX_DESK_ROOM_ID is set but MATRIX_HOMESERVER_URL/);
    expect(wrong({ ...matrix, MATRIX_DESK_ROOM_ID: '#desk:example.org' })).toMatch(/MATRIX_DESK_ROOM_ID must be a room id/);
    expect(wrong({ DESK_VOLUNTEERS: 'marie' })).toMatch(/DESK_VOLUNTEERS must list "telegram:<user id>" or "matrix:@user:server".*"marie"/);
    expect(wrong({ DESK_LANG: 'de' })).toMatch(/DESK_LANG must be fr or en/);
    expect(wrong({ DESK_TIME_ZONE: 'Paris' })).toMatch(/DESK_TIME_ZONE must be a time zone name/);
    expect(wrong({ DESK_INACTIVE_DAYS: '0' })).toMatch(/DESK_INACTIVE_DAYS must be a whole number above 0/);
  });
});
