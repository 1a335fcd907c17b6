import { cachedRead, MetricsRegistry } from './metrics';

describe('cachedRead', () => {
  it('shares one read between the scrapes within its time, then reads again', async () => {
    let clock = 0;
    let reads = 0;
    const read = cachedRead(
      5000,
      async () => ++reads,
      () => clock,
    );
    expect(await read()).toBe(1);
    clock = 4999;
    expect(await read()).toBe(1);
    clock = 5000;
    expect(await read()).toBe(2);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const read = cachedRead(60_000, async () => {
      if (fail) throw new Error('redis down');
      return 'ok';
    });
    await expect(read()).rejects.toThrow('redis down');
    fail = false;
    await expect(read()).resolves.toBe('ok');
  });
});

describe('MetricsRegistry', () => {
  it('labels every series with its app and hands out one metric per name', async () => {
    const metrics = new MetricsRegistry('intake-api');
    const counter = metrics.counter('hotline_test_things_total', 'Things', ['outcome']);
    expect(metrics.counter('hotline_test_things_total', 'Things', ['outcome'])).toBe(counter);
    counter.inc({ outcome: 'ok' });
    expect(await metrics.registry.metrics()).toContain('hotline_test_things_total{outcome="ok",app="intake-api"} 1');
  });
});
