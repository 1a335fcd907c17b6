import { UnrecoverableError } from 'bullmq';

/**
 * The error of a batch job none of whose items could be done, so the job fails and retries as a
 * whole: final (no retry) only if every item's error is.
 */
export function batchFailure(errors: readonly Error[], size: number, items: string): Error {
  const message = `none of the ${size} ${items} of the batch could be done: ${errors[0].message}`;
  return errors.every((error) => error instanceof UnrecoverableError) ? new UnrecoverableError(message) : new Error(message);
}

/**
 * At most `limit` tasks at a time across every caller (e.g. DNS lookups of all the batches a
 * worker process runs at once), started in the order they were asked for.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
