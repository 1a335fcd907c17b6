import { quantile } from './histogram';
import type { StatMetric } from './metrics';

/** A cell's sums over a period (any number of stored cells added up). */
export interface CellSums {
  n: number;
  hits: number;
  measured: number;
  hist: readonly number[];
}

/** What the regulator sees of one metric in one cell: counts, the rate of hits and the clock's median and 90th percentile (seconds). */
export interface Figure {
  metric: StatMetric;
  count: number | null;
  hits: number | null;
  /** hits / count, 0..1. */
  rate: number | null;
  /** Observations whose clock stopped (the durations behind median and p90). */
  measured: number | null;
  median: number | null;
  p90: number | null;
  /** Fewer than STATS_MIN_CELL cases: nothing of the cell is shown. */
  suppressed: boolean;
}

/**
 * The figure of a cell, suppressed when it holds fewer than `minCell` cases (but not none: an empty
 * cell discloses nothing): a small cell can point at a single case. The percentiles of fewer than
 * `minCell` durations are withheld the same way, the counts stay.
 */
export function figureOf(metric: StatMetric, sums: CellSums, minCell: number): Figure {
  if (sums.n > 0 && sums.n < minCell) {
    return { metric, count: null, hits: null, rate: null, measured: null, median: null, p90: null, suppressed: true };
  }
  const timed = sums.measured >= minCell;
  return {
    metric,
    count: sums.n,
    hits: sums.hits,
    rate: sums.n > 0 ? sums.hits / sums.n : null,
    measured: sums.measured,
    median: timed ? quantile(sums.hist, 0.5) : null,
    p90: timed ? quantile(sums.hist, 0.9) : null,
    suppressed: false,
  };
}
