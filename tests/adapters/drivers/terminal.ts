/**
 * The terminal chat under the contract: the real TerminalChat in this process, its input and output as streams
 * (a person typing lines, one answer per line, as `npm start` with piped input), its engine on a real SQLite file.
 *
 * How replies are read: the chat writes each reply in one write, starting with a blank line, the echo of each line
 * read as "> line", and its hint once after the welcome; the driver keeps the writes in order and reads back the
 * replies (text, the numbered list of choices, a document framed by "----- name -----" lines).
 */
import { PassThrough } from 'node:stream';
import { TerminalChat } from '../../../src/adapters/terminal.js';
import { texts, tempDbPath } from '../../support/engine.js';
import type { OutChoice } from '../../../src/engine/types.js';
import { lastWithChoices, numberOf, type PlatformDriver, type Reply } from '../driver.js';
import { errorsIn, logLines, makeCore, volunteerOn, type Core } from './core.js';

/** The one place the terminal platform is created (the registry's module replaces it at the merge). */
function makePlatform(core: Core, input: PassThrough, output: PassThrough): TerminalChat {
  return new TerminalChat({ engine: core.engine, texts, input, output, chatId: 'contract', langHint: 'fr_FR.UTF-8', colours: false });
}

const CHOICE_LINE = /^ {2}(\d+)\. (.*)$/;

/** One reply as printed (see formatForTerminal): text, then a framed document, then a blank line and the choices. */
function parseReply(chunk: string): Reply {
  const lines = chunk.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  const choices: string[] = [];
  while (lines.length && CHOICE_LINE.test(lines.at(-1)!)) choices.unshift(CHOICE_LINE.exec(lines.pop()!)![2]!);
  if (choices.length && lines.at(-1) === '') lines.pop();
  let document: Reply['document'];
  const frame = lines.findIndex((l) => /^----- .+ -----$/.test(l));
  if (frame >= 0) {
    const end = lines.lastIndexOf(lines[frame]!);
    document = { filename: lines[frame]!.slice(6, -6), content: lines.slice(frame + 1, end).join('\n') };
    lines.splice(frame - 1 >= 0 && lines[frame - 1] === '' ? frame - 1 : frame);
  }
  return { text: lines.join('\n'), choices, size: chunk.length, ...(document ? { document } : {}) };
}

export async function terminalDriver(): Promise<PlatformDriver> {
  const tmp = tempDbPath();
  const logs: string[] = [];
  const log = logLines(logs);
  let core = makeCore(tmp.path, log);
  let input: PassThrough;
  let running: Promise<void>;
  let platform: TerminalChat;
  let writes: string[] = [];
  const all: Reply[] = [];
  let read = 0;

  /** Replies written since the last look. */
  const fresh = (): Reply[] => {
    const replies = writes.slice(read).filter((w) => w.startsWith('\n')).map(parseReply);
    read = writes.length;
    all.push(...replies);
    return replies;
  };

  const waitFor = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`the terminal chat never ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setImmediate(resolve));
    await core.engine.idle();
  };

  const launch = async () => {
    input = new PassThrough();
    const output = new PassThrough();
    writes = [];
    read = 0;
    output.on('data', (chunk: Buffer) => void writes.push(chunk.toString('utf8')));
    platform = makePlatform(core, input, output);
    running = platform.run();
    const hint = texts.t('fr')('common:terminal.hint');
    await waitFor(() => writes.some((w) => w.startsWith(hint)), 'showed its hint');
    return fresh();
  };

  const say = async (text: string): Promise<Reply[]> => {
    const from = writes.length;
    input.write(`${text}\n`);
    const echo = `> ${text.length > 80 ? text.slice(0, 77) + '…' : text}\n`;
    await waitFor(() => writes.slice(from).includes(echo), `echoed "${text.slice(0, 20)}"`);
    return fresh();
  };

  const stop = async () => {
    input.end();
    await running;
  };

  return {
    name: 'terminal',
    choicesAs: 'numbers',
    open: launch,
    say,
    press: (label, on = lastWithChoices(all)) => say(numberOf(on, label)),
    restart: async () => {
      await stop();
      await core.close();
      core = makeCore(tmp.path, log);
      return launch();
    },
    deliver: async (message: { text: string; choices: OutChoice[] }) => {
      // As the engine does: through the platform's Sender, for its own chat id.
      await platform.send('contract', { ...message, promptSeq: 0, lang: 'fr' });
      return fresh();
    },
    news: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await core.engine.idle();
      return fresh();
    },
    replies: () => [...all],
    volunteer: volunteerOn(() => core, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await core.engine.idle();
    }),
    errors: () => errorsIn(logs),
    close: async () => {
      await stop().catch(() => {});
      await core.close().catch(() => {});
      tmp.cleanup();
    },
  };
}
