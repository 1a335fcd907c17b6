import fc from 'fast-check';
import { addCounts, bucketValue, DURATION_RELATIVE_ERROR, durationBucket, quantile } from './histogram';

const TEN_YEARS = 10 * 366 * 86_400;
const duration = fc.double({ min: 1, max: TEN_YEARS, noNaN: true });

describe('durationBucket and bucketValue', () => {
  it('read any duration from 1 s to 10 years back within the stated relative error', () => {
    fc.assert(
      fc.property(duration, (s) => {
        expect(Math.abs(bucketValue(durationBucket(s)) - s)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * s * (1 + 1e-9));
      }),
      { numRuns: 5000 },
    );
  });

  it('hold the usual clocks and the exact bucket edges (powers of γ) within the error', () => {
    const gamma = (1 + DURATION_RELATIVE_ERROR) / (1 - DURATION_RELATIVE_ERROR);
    const edges = Array.from({ length: 450 }, (_, k) => Math.pow(gamma, k));
    for (const s of [1, 2, 59, 60, 3600, 86_400, 259_200, 2_592_000, 31_536_000, ...edges]) {
      expect(Math.abs(bucketValue(durationBucket(s)) - s)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * s * (1 + 1e-9));
    }
  });

  it('never put a longer duration in a lower bucket', () => {
    fc.assert(
      fc.property(duration, duration, (a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(durationBucket(short)).toBeLessThanOrEqual(durationBucket(long));
      }),
      { numRuns: 2000 },
    );
    // And the representatives rise with the buckets.
    for (let k = 1; k < 700; k++) expect(bucketValue(k + 1)).toBeGreaterThan(bucketValue(k));
  });

  it('keep a year within a few hundred buckets', () => {
    expect(durationBucket(366 * 86_400)).toBeLessThan(400);
    expect(durationBucket(TEN_YEARS)).toBeLessThan(450);
  });

  it('count durations under a second, negative ones (clock skew) and NaN as 0', () => {
    for (const s of [0, 0.4, 0.999, -5, Number.NaN]) expect(durationBucket(s)).toBe(0);
    expect(bucketValue(0)).toBe(0);
    expect(bucketValue(-1)).toBe(0);
    expect(durationBucket(1)).toBe(1);
  });
});

describe('quantile', () => {
  const close = (got: number | null, want: number) => expect(Math.abs(got! - want)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * want);
  const histOf = (durations: number[]) => {
    const counts: number[] = [];
    for (const s of durations) {
      const k = durationBucket(s);
      for (let i = counts.length; i <= k; i++) counts.push(0);
      counts[k]++;
    }
    return counts;
  };

  it('takes the nearest rank: the ceil(q·n)-th smallest duration', () => {
    // 10, 100, 1000, 10000: median is the 2nd (100), p90 the 4th (ceil 3.6).
    const counts = histOf([10_000, 10, 1000, 100]);
    close(quantile(counts, 0.5), 100);
    close(quantile(counts, 0.9), 10_000);
    close(quantile(counts, 0.25), 10);
    close(quantile(counts, 0.26), 100);
    close(quantile(counts, 1), 10_000);
    // Five: median the 3rd.
    close(quantile(histOf([60, 120, 180, 240, 300]), 0.5), 180);
    // One duration is every quantile.
    close(quantile(histOf([7200]), 0.5), 7200);
    close(quantile(histOf([7200]), 0.9), 7200);
  });

  it('counts zero-second clocks in bucket 0', () => {
    expect(quantile(histOf([0, 0, 0, 500]), 0.5)).toBe(0);
    close(quantile(histOf([0, 0, 0, 500]), 0.9), 500);
  });

  it('is null when there is nothing to rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([0, 0, 0], 0.9)).toBeNull();
  });

  it('agrees with the exact nearest rank within the error, for any durations', () => {
    fc.assert(
      fc.property(fc.array(duration, { minLength: 1, maxLength: 60 }), fc.constantFrom(0.5, 0.9), (durations, q) => {
        const exact = [...durations].sort((a, b) => a - b)[Math.ceil(q * durations.length) - 1];
        expect(Math.abs(quantile(histOf(durations), q)! - exact)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * exact * (1 + 1e-9));
      }),
      { numRuns: 500 },
    );
  });
});

describe('addCounts', () => {
  it('adds bucket by bucket, whichever is shorter', () => {
    expect(addCounts([1, 2], [0, 1, 0, 4])).toEqual([1, 3, 0, 4]);
    expect(addCounts([1, 2, 3], [1])).toEqual([2, 2, 3]);
    expect(addCounts([], [])).toEqual([]);
  });

  it('takes away with sign -1, back to what it was', () => {
    const a = [3, 0, 2];
    addCounts(a, [1, 5, 2, 7]);
    expect(addCounts(a, [1, 5, 2, 7], -1)).toEqual([3, 0, 2, 0]);
  });

  it('fills holes of a sparse array as zeros, and returns the array it added into', () => {
    const a: number[] = [];
    a[3] = 1;
    const b = [2, 0, 0, 1];
    const out = addCounts(a, b);
    expect(out).toBe(a);
    expect(out).toEqual([2, 0, 0, 2]);
  });
});
