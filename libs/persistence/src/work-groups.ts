/**
 * Group commit: items submitted while a group is being written wait and are
 * written together by the next one, at most `maxInFlight` groups at a time, `maxGroup` items each.
 * Under light load an item is written alone at once; under load one transaction carries many.
 * A group that fails for another reason than a lost connection is retried item by item, so one
 * bad item fails only its own job.
 */
export class WorkGroups<T> {
  private readonly waiting: { item: T; resolve: () => void; reject: (error: Error) => void }[] = [];
  private inFlight = 0;
  private idle: (() => void) | null = null;

  constructor(
    /** Writes a group; returns, per item, nothing (done) or the error that item alone fails with. */
    private readonly write: (items: T[]) => Promise<Map<T, Error>>,
    private readonly options: { maxGroup: number; maxInFlight: number; onGroup?: (size: number) => void; onSplit?: (size: number, error: Error) => void },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when nothing waits and nothing is being written. */
  async drained(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.maxGroup);
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.pump();
        else if (this.inFlight === 0) this.idle?.();
      });
    }
  }

  private async flush(group: { item: T; resolve: () => void; reject: (error: Error) => void }[]): Promise<void> {
    let failed: Map<T, Error>;
    try {
      failed = await this.write(group.map((entry) => entry.item));
    } catch (error) {
      if (group.length > 1 && !isConnectionLoss(error)) {
        this.options.onSplit?.(group.length, error as Error);
        await Promise.all(group.map((entry) => this.flush([entry])));
        return;
      }
      for (const entry of group) entry.reject(error as Error);
      return;
    }
    this.options.onGroup?.(group.length);
    for (const entry of group) {
      const error = failed.get(entry.item);
      if (error) entry.reject(error);
      else entry.resolve();
    }
  }
}

const CONNECTION_ERRORS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection/i;

/** The database is unreachable: retrying item by item would only fail again, slower. */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return CONNECTION_ERRORS.test(`${code ?? ''} ${message ?? ''}`) || code === '57P01';
}
