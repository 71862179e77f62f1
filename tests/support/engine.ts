/** A real engine on a real SQLite file in a temporary folder, with a Sender that records what it delivers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/load.js';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import type { Inbound, InboundInput, OutMessage, Sender } from '../../src/engine/types.js';
import { createTexts } from '../../src/render/i18n.js';
import { plainText } from '../../src/render/markup.js';
import { openDatabase, type Db } from '../../src/store/database.js';

export const catalog = loadCatalog();
export const texts = createTexts();

export class RecordingSender implements Sender {
  readonly sent: Array<{ chatId: string; message: OutMessage }> = [];
  failNext = 0;
  async send(chatId: string, message: OutMessage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform unavailable');
    }
    this.sent.push({ chatId, message });
  }
  get last(): OutMessage {
    return this.sent[this.sent.length - 1]!.message;
  }
  lastText(): string {
    return plainText(this.last.text);
  }
}

export function tempDbPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-test-'));
  return { path: join(dir, 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeEngine(path: string, options: Partial<EngineOptions> = {}) {
  const db: Db = openDatabase(path);
  const engine = new Engine({ db, catalog, texts, ...options });
  const sender = new RecordingSender();
  engine.register('test', sender);
  const chat = (chatId = 'alice') => {
    let counter = 0;
    const send = (input: InboundInput, extra: Partial<Inbound> = {}) =>
      engine.receive({ conversation: { platform: 'test', chatId }, messageId: `${chatId}-${++counter}-${Math.random()}`, input, ...extra });
    return {
      start: (payload?: string, langHint?: string) => send({ kind: 'start', ...(payload ? { payload } : {}) }, langHint ? { langHint } : {}),
      say: (text: string) => send({ kind: 'text', text }),
      press: (choice: string, promptSeq = sender.last.promptSeq) => send({ kind: 'choice', choice, promptSeq }),
      send,
    };
  };
  return { db, engine, sender, chat, close: () => db.close() };
}
