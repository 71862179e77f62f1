/**
 * The terminal chat: the guide in a console, for a newcomer with no token and for scripts.
 *
 * Lines typed (or piped, one answer per line) become inbound text; replies are printed with their choices as a
 * numbered list. With piped input it exits after the last reply at end of input. Run again on the same database,
 * it continues the same conversation. It knows nothing of the conversation itself.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConversationRef, OutMessage } from '../../engine/types.js';
import { parseMarkup } from '../../render/markup.js';
import type { Texts } from '../../render/i18n.js';
import { langFromHint, DEFAULT_LANG } from '../../render/i18n.js';
import { Lifecycle } from '../kit/lifecycle.js';
import type { Platform, PlatformEngine } from '../platform.js';

export const TERMINAL_PLATFORM = 'terminal';

export interface TerminalOptions {
  engine: PlatformEngine;
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

export class TerminalChat implements Platform {
  readonly name = TERMINAL_PLATFORM;
  private readonly conversation: ConversationRef;
  private readonly output: Writable;
  private readonly colours: boolean;
  private readonly life = new Lifecycle();
  private lines?: ReturnType<typeof createInterface>;
  private lastLang = DEFAULT_LANG;

  constructor(private readonly options: TerminalOptions) {
    this.conversation = { platform: TERMINAL_PLATFORM, chatId: options.chatId ?? 'local' };
    this.output = options.output ?? process.stdout;
    this.colours = options.colours ?? false;
    this.lastLang = langFromHint(options.langHint) ?? DEFAULT_LANG;
  }

  /** Settles when the input ended (Ctrl+D, the end of a pipe) or the chat was stopped. */
  get done(): Promise<void> {
    return this.life.done;
  }

  async send(_chatId: string, message: OutMessage): Promise<void> {
    this.lastLang = message.lang;
    this.write('\n' + formatForTerminal(message, this.colours) + '\n');
  }

  /** Nothing to connect to: the terminal is there. */
  async start(): Promise<void> {}

  /** Opens the conversation and reads lines until end of input; `done` resolves then. Does not wait for that. */
  async listen(): Promise<void> {
    void this.run().then(
      () => this.stop(),
      (error: unknown) => this.life.fail(error),
    );
  }

  /** Stops reading; the turn under way finishes. */
  stop(): Promise<void> {
    return this.life.stop({ halt: () => this.lines?.close(), graceMs: 10_000 });
  }

  private async run(): Promise<void> {
    const input = this.options.input ?? process.stdin;
    const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
    const { engine, texts } = this.options;
    await this.life.track(() => engine.receive({ conversation: this.conversation, langHint: this.options.langHint, input: { kind: 'start' } }));
    this.write(texts.t(this.lastLang)('common:terminal.hint') + '\n');

    this.lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
    const prompt = () => interactive && this.write('> ');
    prompt();
    for await (const line of this.lines) {
      if (this.life.isStopping) break;
      if (!interactive) this.write(`> ${line.length > 80 ? line.slice(0, 77) + '…' : line}\n`);
      await this.life.track(() => engine.receive({ conversation: this.conversation, input: { kind: 'text', text: line } }));
      prompt();
    }
    await engine.idle();
    if (interactive && !this.life.isStopping) this.write('\n' + texts.t(this.lastLang)('common:terminal.bye') + '\n');
  }

  private write(text: string): void {
    this.output.write(text);
  }
}
