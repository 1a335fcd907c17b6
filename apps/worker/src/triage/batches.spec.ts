import { UnrecoverableError } from 'bullmq';
import { batchFailure, ConcurrencyLimit } from './batches';

describe('ConcurrencyLimit', () => {
  /** A task that resolves when told to, recording how many ran at once. */
  function gate() {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        active++;
        peak = Math.max(peak, active);
        started.push(n);
        releases.push(() => {
          active--;
          resolve(n);
        });
      });
    return { task, started, releases, peak: () => peak };
  }

  it('runs at most `limit` tasks at once, starting them in the order asked', async () => {
    const limit = new ConcurrencyLimit(2);
    const g = gate();
    const results = [1, 2, 3, 4, 5].map((n) => limit.run(g.task(n)));
    await new Promise(setImmediate);
    expect(g.started).toEqual([1, 2]);
    while (g.releases.length > 0) {
      g.releases.shift()!();
      await new Promise(setImmediate);
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(g.started).toEqual([1, 2, 3, 4, 5]);
    expect(g.peak()).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('lookup failed')))).rejects.toThrow('lookup failed');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});

describe('batchFailure', () => {
  it('is final only when every item failed for good', () => {
    const final = batchFailure([new UnrecoverableError('gone'), new UnrecoverableError('gone too')], 2, 'reported URLs');
    expect(final).toBeInstanceOf(UnrecoverableError);
    expect(final.message).toBe('none of the 2 reported URLs of the batch could be done: gone');
    const retried = batchFailure([new UnrecoverableError('gone'), new Error('connection reset')], 2, 'reported URLs');
    expect(retried).not.toBeInstanceOf(UnrecoverableError);
  });
});
