/**
 * Runs `work` every `intervalMs` until stopped. A run still going when the next tick comes is not
 * overlapped: that tick is skipped. A failed run is reported to `onError` and the schedule goes on.
 * `stop()` waits for the run under way, so nothing touches the database after it closes; a run
 * that works through a backlog in batches checks `stopping` between them, so shutdown waits for
 * one batch, not the whole backlog.
 */
export class PeriodicRun {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.running = this.work()
        .catch((error: Error) => this.onError(error))
        .finally(() => (this.busy = false));
    }, intervalMs);
    this.timer.unref();
  }

  /** True once stop() was called: a run in batches ends after the batch in hand. */
  get stopping(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
