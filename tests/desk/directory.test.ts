import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { desksFromSettings, parseDesks } from '../../src/desk/desks.js';
import {
  createDirectory,
  nextAlertAt,
  platformOfPort,
  portName,
  transferTarget,
  usualWaitOpenMinutes,
} from '../../src/desk/directory.js';

const HOSTS = new Set(loadCatalog().providers.map((p) => p.id));
const desks = parseDesks(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/desks.example.json'), 'utf8')), HOSTS);
const [arn, girofle, libretic] = desks as [typeof desks[0], typeof desks[0], typeof desks[0]];
const at = (iso: string) => Date.parse(iso);

describe('ports and desks', () => {
  it('the single desk keeps the platform names (stored tickets find their threads); file desks are platform/id', () => {
    const [main] = desksFromSettings({ telegramChatId: '-100', matrixRoomId: '!r:example.org', volunteers: [], lang: 'fr', timeZone: 'Europe/Paris' });
    expect(portName(main!, 'telegram')).toBe('telegram');
    expect(portName(arn, 'matrix')).toBe('matrix/arn');
    expect(platformOfPort('telegram/arn')).toBe('telegram');
    expect(platformOfPort('matrix')).toBe('matrix');
  });

  it('a ticket opens on the desk\'s port of the person\'s platform, else its other running one', () => {
    const directory = createDirectory(desks);
    const running = new Set(['telegram/arn', 'matrix/arn', 'matrix/girofle']);
    expect(directory.portFor(arn, 'matrix', running)).toBe('matrix/arn');
    expect(directory.portFor(arn, 'terminal', running)).toBe('telegram/arn');
    expect(directory.portFor(girofle, 'telegram', running)).toBe('matrix/girofle');
    expect(directory.portFor(libretic, 'telegram', running)).toBeUndefined();
    expect(directory.deskOfPort('matrix/girofle')?.id).toBe('girofle');
  });

  it('the allow-list is per desk: ARN\'s volunteer may act at ARN, not at Libretic\'s', () => {
    const directory = createDirectory(desks);
    expect(directory.mayAct('telegram/arn', '1000000001')).toBe(true);
    expect(directory.mayAct('telegram/libretic', '1000000001')).toBe(false);
    expect(directory.mayAct('telegram/libretic', '1000000003')).toBe(true);
    expect(directory.mayAct('matrix/girofle', '@anyone:example.org')).toBe('members');
    expect(directory.mayAct('telegram/nowhere', '1')).toBe(false);
  });
});

describe('hours in the desk core', () => {
  it('an unclaimed re-alert waits for the opening: 4 open hours from Friday 20:00 at ARN end Monday 21:00', () => {
    // ARN: weekdays 18–21 in Paris (UTC+1 in December): 1 open hour left on Friday, then Monday's 3.
    expect(nextAlertAt(arn, at('2026-12-04T19:00:00Z'), 240)).toBe(at('2026-12-07T20:00:00Z'));
    const always = desksFromSettings({ telegramChatId: '-100', volunteers: [], lang: 'fr', timeZone: 'Europe/Paris' })[0]!;
    expect(nextAlertAt(always, at('2026-12-04T19:00:00Z'), 240)).toBe(at('2026-12-04T23:00:00Z'));
  });

  it('the usual wait counts open minutes only: a weekend in the queue is not a 70-hour wait', () => {
    const waits = [
      { queuedAt: at('2026-12-04T19:30:00Z'), claimedAt: at('2026-12-07T17:30:00Z') }, // Fri 20:30 → Mon 18:30: 60 min
      { queuedAt: at('2026-12-02T17:00:00Z'), claimedAt: at('2026-12-02T17:20:00Z') }, // 20 min
      { queuedAt: at('2026-12-03T17:00:00Z'), claimedAt: at('2026-12-03T19:00:00Z') }, // 120 min
    ];
    expect(usualWaitOpenMinutes(arn, waits, 240)).toBe(60);
    expect(usualWaitOpenMinutes(arn, [], 240)).toBe(240);
  });
});

describe('/transfer NAME', () => {
  it('finds the desk by id or name; refuses an unknown one, the same desk, or no name, with the names to give', () => {
    expect(transferTarget(desks, arn, 'le cloud girofle')).toEqual({ ok: true, desk: girofle });
    expect(transferTarget(desks, arn, 'LIBRETIC')).toEqual({ ok: true, desk: libretic });
    expect(transferTarget(desks, arn, 'arn')).toMatchObject({ ok: false, refusal: 'sameDesk' });
    expect(transferTarget(desks, arn, 'framasoft')).toEqual({
      ok: false,
      refusal: 'unknownDesk',
      names: ['Le Cloud Girofle', 'Libretic', 'Démailnagement'],
    });
    expect(transferTarget(desks, arn, '  ')).toMatchObject({ ok: false, refusal: 'noName' });
  });
});

describe('the single desk of the variables', () => {
  it('owns every port registered, whatever its name, as before desks existed', () => {
    const directory = createDirectory(desksFromSettings({ telegramChatId: '-100', volunteers: ['telegram:7'], lang: 'fr', timeZone: 'Europe/Paris' }));
    expect(directory.deskOfPort('fake')?.id).toBe('main');
    expect(directory.portFor(directory.desks[0]!, 'matrix', new Set(['telegram', 'matrix']))).toBe('matrix');
    expect(directory.portFor(directory.desks[0]!, 'terminal', new Set(['fake']))).toBe('fake');
    expect(directory.mayAct('telegram', '7')).toBe(true);
    expect(directory.mayAct('telegram', '8')).toBe(false);
  });
});
