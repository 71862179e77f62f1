/**
 * The real bot, as `npm start` runs it with a token: `node --import tsx src/main.ts` in a child process, polling a
 * Bot API server given by TELEGRAM_API_ROOT, on the SQLite file DEMAILBOT_DB. Its JSON log lines (stderr) tell when
 * it has started (`started`: configuration read, database opened, engine and scheduler up) and when it takes
 * updates (`telegram_started`: after re-sending undelivered replies and replaying the inbox).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ROOT } from '../support/process.js';

export interface LogLine {
  event: string;
  level: string;
  [key: string]: unknown;
}

export class BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: LogLine[] = [];
  /** Everything written to stderr that was not a JSON log line (a stack trace, a runner complaint). */
  other = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();
  private buffer = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(env: { token: string; apiRoot: string; dbPath: string }) {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TELEGRAM_BOT_TOKEN: env.token,
      TELEGRAM_API_ROOT: env.apiRoot,
      DEMAILBOT_DB: env.dbPath,
      LOG_LEVEL: 'info',
      // Not about Telegram's rates (tests/ops/rush.test.ts is): one message a second per chat would stretch eight
      // whole conversations past the test's time.
      TELEGRAM_PACING: 'off',
    };
    delete childEnv.TELEGRAM_WEBHOOK_URL;
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv });
    this.child.stdout.resume();
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.other += line + '\n';
        }
      }
      for (const wake of [...this.waiters]) wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        for (const wake of [...this.waiters]) wake();
        resolve(this.exit);
      }),
    );
  }

  /** Resolves when the bot has logged `event`; rejects if it exits first. */
  until(event: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.lines.some((line) => line.event === event)) finish();
        else if (this.exit) finish(new Error(`the bot exited (${JSON.stringify(this.exit)}) before "${event}":\n${this.other}`));
      };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => finish(new Error(`no "${event}" from the bot within ${timeoutMs} ms:\n${this.other}`)), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** SIGKILL: no handler runs, nothing is flushed, the database is left as the last commit left it. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, as a service manager stops it: resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.alive) this.child.kill('SIGTERM');
    return (await this.exited).code;
  }
}
