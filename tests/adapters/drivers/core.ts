/**
 * What every driver runs its platform against, as the composition root builds it: one engine and the desk core
 * over one SQLite file, at a clock the test holds still (10:00 UTC on a weekday: no quiet hours), and the
 * volunteers' desk as the in-memory port of tests/support/fake-desk.ts (the contract is about the person's side; each
 * platform's own desk port has its own tests). Everything logged is kept, so the suite can check for errors.
 */
import { Desk } from '../../../src/desk/desk.js';
import type { DeskInbound } from '../../../src/desk/port.js';
import { Engine } from '../../../src/engine/engine.js';
import { createLog, type Log } from '../../../src/log.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { catalog, texts } from '../../support/engine.js';
import { FakeDeskPort } from '../../support/fake-desk.js';
import type { Volunteer } from '../driver.js';

export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const MARIE = { id: 'desk:marie', name: 'Marie' };

export interface Core {
  db: Db;
  engine: Engine;
  desk: Desk;
  port: FakeDeskPort;
  log: Log;
  /** The only conversation stored (each driver plays one person). */
  conversationKey(): string;
  /** Stops the turns in flight and closes the database (the platform is stopped first, by the driver). */
  close(): Promise<void>;
}

/** Log lines of every core and platform of one driver, across restarts. */
export function logLines(lines: string[]): Log {
  return createLog('debug', (line) => void lines.push(line));
}

export function makeCore(path: string, log: Log, port = new FakeDeskPort('fake')): Core {
  const db = openDatabase(path);
  const engine = new Engine({ db, catalog, texts, now: () => T0, log });
  const desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr', now: () => T0, log });
  port.members.add(MARIE.id);
  desk.register(port);
  return {
    db,
    engine,
    desk,
    port,
    log,
    conversationKey: () => {
      const rows = db.prepare('SELECT key FROM conversations').all() as Array<{ key: string }>;
      if (rows.length !== 1) throw new Error(`expected one conversation, found ${rows.length}`);
      return rows[0]!.key;
    },
    close: async () => {
      await engine.idle();
      db.close();
    },
  };
}

/** Marie on the desk of `core()` (the current one: a restart makes a new core). `settle` waits for the platform. */
export function volunteerOn(core: () => Core, settle: () => Promise<void>): Volunteer {
  let n = 0;
  const act = async (text: string) => {
    const { desk, port } = core();
    await desk.receive({ desk: port.name, threadId: port.only().id, messageId: `marie-${++n}`, from: MARIE, input: { kind: 'text', text } } as DeskInbound);
    await settle();
  };
  return {
    claim: () => act('/claim'),
    say: (text) => act(text),
    posts: () => core().port.only().posts.map((p) => p.text),
    requests: () => core().port.threads.size,
  };
}

export const errorsIn = (lines: readonly string[]): string[] => lines.filter((line) => line.includes('"level":"error"') || line.includes('"level":"fatal"'));
