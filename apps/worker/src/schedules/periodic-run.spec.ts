import { PeriodicRun } from './periodic-run';

describe('PeriodicRun', () => {
  it('skips ticks while a run is going, goes on after a failure, and stop waits for the run under way', async () => {
    let started = 0;
    let finished = 0;
    const errors: string[] = [];
    let release: () => void = () => undefined;
    const run = new PeriodicRun(
      async () => {
        started++;
        if (started === 1) throw new Error('first fails');
        await new Promise<void>((resolve) => (release = resolve));
        finished++;
      },
      (error) => errors.push(error.message),
    );
    run.start(5);
    for (let waited = 0; started < 2 && waited < 5000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    // The first run failed, the second hangs: the ticks meanwhile are skipped.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ started, finished, errors }).toEqual({ started: 2, finished: 0, errors: ['first fails'] });
    const stopped = run.stop();
    release();
    await stopped;
    expect(finished).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toBe(2);
  });

  it('tells a run in batches that it is stopping, so shutdown waits for one batch, not the backlog', async () => {
    let batches = 0;
    let release: () => void = () => undefined;
    let holdingFirst = true;
    const run: PeriodicRun = new PeriodicRun(
      async () => {
        // A backlog of 1,000 batches: the run goes on until done or told to stop.
        while (batches < 1000 && !run.stopping) {
          batches++;
          if (holdingFirst) await new Promise<void>((resolve) => (release = resolve));
          holdingFirst = false;
        }
      },
      () => undefined,
    );
    expect(run.stopping).toBe(false);
    run.start(5);
    for (let waited = 0; batches < 1 && waited < 5000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = run.stop();
    expect(run.stopping).toBe(true);
    release();
    await stopped;
    expect(batches).toBe(1);
  });
});
