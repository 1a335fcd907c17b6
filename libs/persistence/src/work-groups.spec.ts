import { WorkGroups } from './work-groups';

describe('WorkGroups', () => {
  it('writes what waits together, at most maxInFlight groups at a time', async () => {
    const groups: number[][] = [];
    let active = 0;
    let most = 0;
    const work = new WorkGroups<number>(
      async (items) => {
        active++;
        most = Math.max(most, active);
        groups.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return new Map();
      },
      { maxGroup: 10, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 25 }, (_, i) => work.submit(i)));
    expect(groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(10);
    expect(groups.length).toBeLessThan(25);
    expect(most).toBe(2);
    await work.drained();
  });

  it('fails only the item the writer names', async () => {
    const work = new WorkGroups<string>(async (items) => new Map(items.filter((i) => i === 'bad').map((i) => [i, new Error(`no ${i}`)])), {
      maxGroup: 10,
      maxInFlight: 1,
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((i) => work.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('no bad');
  });

  it('retries a failed group item by item, so one poison item fails alone', async () => {
    const splits: number[] = [];
    const work = new WorkGroups<string>(
      async (items) => {
        if (items.includes('poison')) throw new Error('constraint violated');
        return new Map();
      },
      { maxGroup: 10, maxInFlight: 1, onSplit: (size) => splits.push(size) },
    );
    const first = work.submit('first'); // written alone at once
    const rest = ['a', 'poison', 'b'].map((i) => work.submit(i)); // wait, then go as one group
    const results = await Promise.allSettled([first, ...rest]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(splits).toEqual([3]);
  });

  it('fails the whole group at once when the connection is lost', async () => {
    let calls = 0;
    const work = new WorkGroups<number>(
      async () => {
        calls++;
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      { maxGroup: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => work.submit(i)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(2); // the first alone, then the two that waited; no item-by-item retries
  });
});
