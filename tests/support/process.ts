/** Runs the real `src/main.ts` as a child process, as `npm start` does, and talks to it through its stdin/stdout. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  // No platform configured: the terminal chat runs.
  delete env.TELEGRAM_BOT_TOKEN;
  delete env.MATRIX_ACCESS_TOKEN;
  return env;
}

/** Pipes all of `input` in at once and resolves with everything printed once the process exits. */
export function runWithInput(input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript('src/main.ts', [], { env: botEnv(env), input });
}

/** Runs a TypeScript entry point of the project (as `tsx` would), feeding it `input`, until it exits. */
export function runScript(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A bot process we answer line by line, waiting for each reply. */
export class LiveBot {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  private waiters: Array<() => void> = [];

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: botEnv(env) });
    this.child.stdout.on('data', (d) => {
      this.output += d;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Waits until what was printed since `from` matches. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.output.slice(from);
      if (pattern.test(seen)) return seen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got:\n${seen}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Types a line and waits for the reply that ends with the choices of the next prompt. */
  async say(line: string, expect: RegExp): Promise<string> {
    const from = this.output.length;
    this.child.stdin.write(line + '\n');
    return this.waitFor(new RegExp(`${expect.source}[\\s\\S]*\\n  1\\. `), from);
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.once('close', (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}

/** The real bot process (`src/main.ts`), with its stderr collected and its exit awaited. */
export function startMain(env: NodeJS.ProcessEnv): {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, stderr: () => stderr, exited };
}

/** Waits until `what` gives a value (polling), or fails naming what it waited for. */
export async function until<T>(what: () => T | undefined, label: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
