/**
 * At-least-once with the runner: @grammyjs/runner confirms a batch to Telegram by fetching the next one, before
 * the batch is handled, so a crash would lose it. The adapter writes each fetched batch to the engine's inbox
 * (SQLite) first, removes an update once handled, and replays what is left at start; the engine's message ids
 * make the replay harmless for updates that were handled after all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, visible } from './harness.js';
import { tempDbPath, catalog, texts } from '../support/engine.js';
import { openDatabase } from '../../src/store/database.js';
import { Engine } from '../../src/engine/engine.js';

let h: Harness;
let tmp: ReturnType<typeof tempDbPath>;

beforeEach(async () => {
  tmp = tempDbPath();
  h = await Harness.start();
});
afterEach(async () => {
  await h.bot.stop();
  await h.stop();
  tmp.cleanup();
});

/** An update as Telegram sends it: a private message from user `id`. */
function textUpdate(updateId: number, id: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id, type: 'private', first_name: `User${id}` },
      from: { id, is_bot: false, first_name: `User${id}`, language_code: 'fr' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  };
}

describe('Telegram updates survive a crash between fetch and handling', () => {
  it('keeps each fetched update in the inbox while it is handled, and drops it once handled', async () => {
    await h.startBot(tmp.path);
    const inbox = h.bot.engine.adapterState('telegram').inbox();
    const seenDuringTurn: string[][] = [];
    const receive = h.bot.engine.receive.bind(h.bot.engine);
    h.bot.engine.receive = (inbound) => {
      seenDuringTurn.push(inbox.pending().map((item) => item.id));
      return receive(inbound);
    };
    const alice = h.user(3001, { languageCode: 'fr' });
    await alice.start();
    expect(seenDuringTurn).toHaveLength(1);
    expect(seenDuringTurn[0]).toHaveLength(1); // the update being handled is on disk
    expect(inbox.pending()).toEqual([]);
  });

  it('keeps no password and no name in the inbox: the text is masked, the names stripped', async () => {
    await h.startBot(tmp.path);
    const inbox = h.bot.engine.adapterState('telegram').inbox();
    const kept: string[] = [];
    const receive = h.bot.engine.receive.bind(h.bot.engine);
    h.bot.engine.receive = (inbound) => {
      kept.push(JSON.stringify(inbox.pending().map((item) => item.payload)));
      return receive(inbound);
    };
    const jeanne = h.user(3002, { languageCode: 'fr', firstName: 'Jeanne' });
    await jeanne.start();
    await jeanne.say("mon mot de passe c'est Soleil2024!");
    expect(kept.join('\n')).toContain('••••••');
    expect(kept.join('\n')).not.toContain('Soleil2024!');
    expect(kept.join('\n'), kept.join('\n')).not.toContain('Jeanne');
    expect(inbox.pending()).toEqual([]);
  });

  it('handles at start what a crashed run had fetched but not handled, and only once', async () => {
    // What a run that crashed after fetching would leave behind: one update handled, one not.
    {
      const db = openDatabase(tmp.path);
      const engine = new Engine({ db, catalog, texts });
      engine.register('telegram', { send: async () => {} }); // its reply did reach Telegram
      await engine.receive({ conversation: { platform: 'telegram', chatId: '4001' }, messageId: '500', input: { kind: 'start' } });
      engine.adapterState('telegram').inbox().add([
        { id: '500', payload: textUpdate(500, 4001, '/start') }, // handled, but the crash came before it was marked
        { id: '501', payload: textUpdate(501, 4001, 'commencer') }, // never handled
      ]);
      db.close();
    }
    await h.startBot(tmp.path);
    const sent = h.messagesTo(4001);
    expect(sent).toHaveLength(1); // the /start was not answered a second time
    expect(visible(sent[0]!.text)).toContain('Quelle boîte mail utilisez-vous');
    expect(h.bot.engine.adapterState('telegram').inbox().pending()).toEqual([]);
  });

  it('leaves for the next start an update that reaches the bot once its stop began, instead of dropping it', async () => {
    await h.startBot(tmp.path);
    const update = textUpdate(600, 4002, '/start');
    // Fetched (so in the inbox) just as the stop begins: the runner may still hand it out.
    h.bot.engine.adapterState('telegram').inbox().add([{ id: '600', payload: update }]);
    await h.bot.adapter.stop();
    // Refused (a webhook's request is answered 500 so: Telegram sends it again).
    await expect(h.bot.adapter.bot.handleUpdate(update as never)).rejects.toThrow('stopping');
    expect(h.messagesTo(4002)).toEqual([]);
    expect(h.bot.engine.adapterState('telegram').inbox().pending().map((item) => item.id)).toEqual(['600']);
    await h.bot.stop();
    await h.startBot(tmp.path);
    expect(visible(h.messagesTo(4002)[0]!.text)).toContain('demailbot');
    expect(h.bot.engine.adapterState('telegram').inbox().pending()).toEqual([]);
  });
});
