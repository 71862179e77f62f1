/**
 * The in-flight / stop part every platform has: messages being handled are tracked, a stop takes no new one and
 * gives those under way a grace period to finish (their replies are stored before they are sent, so one cut short
 * is re-sent at the next start), and `done` settles when the platform is finished — or rejects when it failed for
 * good, so that the process exits and says why.
 */
export class Lifecycle {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  private stopped?: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  /** Settles when the platform has stopped (resolves) or failed for good (rejects). */
  readonly done: Promise<void>;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // A failure nobody awaits yet must not crash the process as an unhandled rejection: whoever awaits `done` sees it.
    this.done.catch(() => undefined);
  }

  /** True once a stop began: a platform takes no new message then. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Tracks a message being handled until it settles; not run at all once stopping. */
  track<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    const running = task();
    this.inFlight.add(running);
    void running.then(
      () => this.inFlight.delete(running),
      () => this.inFlight.delete(running),
    );
    return running;
  }

  /** Resolves when nothing is being handled (including what started while waiting). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Stops once (a second call gets the same promise): `halt` stops the intake (polling, sync, a listening port),
   * then the turns in flight get `graceMs` to finish, then `afterGrace` may cut what is left (abort API calls) —
   * `done` resolves at the end.
   */
  stop(options: { halt?: () => Promise<void> | void; graceMs: number; afterGrace?: () => Promise<void> | void }): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      await options.halt?.();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs)));
      await Promise.race([this.idle(), grace]);
      clearTimeout(timer);
      await options.afterGrace?.();
      this.settle.resolve();
    })();
    return this.stopped;
  }

  /** The platform failed for good (Telegram's polling refused): `done` rejects with the reason. */
  fail(error: unknown): void {
    this.stopping = true;
    this.settle.reject(error);
  }
}
