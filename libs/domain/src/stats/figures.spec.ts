import { figureOf } from './figures';
import { bucketValue, durationBucket } from './histogram';

/** A histogram holding the durations given (seconds). */
function hist(...durations: number[]): number[] {
  const counts: number[] = [];
  for (const s of durations) {
    const k = durationBucket(s);
    for (let i = counts.length; i <= k; i++) counts.push(0);
    counts[k]++;
  }
  return counts;
}

describe('figureOf', () => {
  it('gives count, hits, rate and the clock percentiles of a big enough cell', () => {
    const durations = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600];
    const figure = figureOf('time_to_assessment', { n: 10, hits: 7, measured: 10, hist: hist(...durations) }, 5);
    expect(figure).toEqual({
      metric: 'time_to_assessment',
      count: 10,
      hits: 7,
      rate: 0.7,
      measured: 10,
      // Nearest rank: the 5th (300 s) and the 9th (540 s), read back as their buckets' values.
      median: bucketValue(durationBucket(300)),
      p90: bucketValue(durationBucket(540)),
      suppressed: false,
    });
  });

  it('suppresses everything of a cell under the minimum, percentiles included', () => {
    expect(figureOf('police_notification', { n: 4, hits: 4, measured: 4, hist: hist(1, 2, 3, 4) }, 5)).toEqual({
      metric: 'police_notification',
      count: null,
      hits: null,
      rate: null,
      measured: null,
      median: null,
      p90: null,
      suppressed: true,
    });
    // At the minimum it shows.
    expect(figureOf('police_notification', { n: 5, hits: 4, measured: 5, hist: hist(1, 2, 3, 4, 5) }, 5).suppressed).toBe(false);
  });

  it('shows an empty cell: nothing to disclose', () => {
    expect(figureOf('recurrence', { n: 0, hits: 0, measured: 0, hist: [] }, 5)).toEqual({
      metric: 'recurrence',
      count: 0,
      hits: 0,
      rate: null,
      measured: 0,
      median: null,
      p90: null,
      suppressed: false,
    });
  });

  it('withholds the percentiles of fewer durations than the minimum, and keeps the counts', () => {
    const figure = figureOf('cross_border', { n: 8, hits: 3, measured: 3, hist: hist(100, 200, 300) }, 5);
    expect(figure).toMatchObject({ count: 8, hits: 3, rate: 3 / 8, measured: 3, median: null, p90: null, suppressed: false });
  });

  it('shows every non-empty cell with a minimum of 1', () => {
    expect(figureOf('cross_border', { n: 1, hits: 1, measured: 1, hist: hist(86_400) }, 1)).toMatchObject({
      count: 1,
      rate: 1,
      median: bucketValue(durationBucket(86_400)),
      suppressed: false,
    });
  });
});
