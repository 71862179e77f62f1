/**
 * The terminal chat: the guide in a console, for a newcomer with no token and for scripts.
 *
 * Lines typed (or piped, one answer per line) become inbound text; replies are printed with their choices as a
 * numbered list. With piped input it exits after the last reply at end of input. Run again on the same database,
 * it continues the same conversation. It knows nothing of the conversation itself.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../engine/engine.js';
import type { ConversationRef, OutMessage, Sender } from '../engine/types.js';
import { parseMarkup } from '../render/markup.js';
import type { Texts } from '../render/i18n.js';
import { langFromHint, DEFAULT_LANG } from '../render/i18n.js';

export const TERMINAL_PLATFORM = 'terminal';

export interface TerminalOptions {
  engine: Engine;
  texts: Texts;
  input?: Readable;
  output?: Writable;
  /** Which local conversation this is (DEMAILBOT_TERMINAL_ID); one per machine user by default. */
  chatId?: string;
  /** Language hint, e.g. from $LANG. */
  langHint?: string;
  /** Bold with ANSI codes (when output is a terminal). */
  colours?: boolean;
}

/** Markup → terminal text: bold as ANSI bold when colours are on, code as-is. */
export function formatForTerminal(message: OutMessage, colours: boolean): string {
  const text = parseMarkup(message.text)
    .map((span) => (span.kind === 'bold' && colours ? `\x1b[1m${span.text}\x1b[22m` : span.text))
    .join('');
  const choices = message.choices.map((choice, i) => `  ${i + 1}. ${choice.label}`);
  // A terminal has no files to send: the document is printed, framed, after the message.
  const attachment = message.attachment
    ? ['', `----- ${message.attachment.filename} -----`, message.attachment.content, `----- ${message.attachment.filename} -----`]
    : [];
  return [text, ...attachment, ...(choices.length ? ['', ...choices] : [])].join('\n');
}

export class TerminalChat implements Sender {
  private readonly conversation: ConversationRef;
  private readonly output: Writable;
  private readonly colours: boolean;
  private lastLang = DEFAULT_LANG;

  constructor(private readonly options: TerminalOptions) {
    this.conversation = { platform: TERMINAL_PLATFORM, chatId: options.chatId ?? 'local' };
    this.output = options.output ?? process.stdout;
    this.colours = options.colours ?? false;
    this.lastLang = langFromHint(options.langHint) ?? DEFAULT_LANG;
    options.engine.register(TERMINAL_PLATFORM, this);
  }

  async send(_chatId: string, message: OutMessage): Promise<void> {
    this.lastLang = message.lang;
    this.write('\n' + formatForTerminal(message, this.colours) + '\n');
  }

  /** Runs the chat until end of input (Ctrl+D, or the end of a pipe). */
  async run(): Promise<void> {
    const input = this.options.input ?? process.stdin;
    const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
    const { engine, texts } = this.options;
    await engine.flushOutbox();
    await engine.receive({ conversation: this.conversation, langHint: this.options.langHint, input: { kind: 'start' } });
    this.write(texts.t(this.lastLang)('common:terminal.hint') + '\n');

    const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
    const prompt = () => interactive && this.write('> ');
    prompt();
    for await (const line of lines) {
      if (!interactive) this.write(`> ${line.length > 80 ? line.slice(0, 77) + '…' : line}\n`);
      await engine.receive({ conversation: this.conversation, input: { kind: 'text', text: line } });
      prompt();
    }
    await engine.idle();
    if (interactive) this.write('\n' + texts.t(this.lastLang)('common:terminal.bye') + '\n');
  }

  private write(text: string): void {
    this.output.write(text);
  }
}
