/**
 * Durations are kept as bucketed histograms (the log buckets of DDSketch, with a fixed relative
 * accuracy), so percentiles over any period are sums of stored buckets, never a re-read of the
 * events. A duration of s seconds (s >= 1) falls in bucket k = 1 + ceil(log_γ s) and is read back
 * as the bucket's representative 2γ^(k-1)/(γ+1): within DURATION_RELATIVE_ERROR of the true
 * value. Durations under a second fall in bucket 0 and read back as 0.
 *
 * With α = 2.5%, γ = 1.0513 and a year (3.2e7 s) needs 346 buckets.
 */
export const DURATION_RELATIVE_ERROR = 0.025;
const GAMMA = (1 + DURATION_RELATIVE_ERROR) / (1 - DURATION_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket of a duration in seconds (negative durations, clock skew, count as 0). */
export function durationBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  // The epsilon keeps exact powers of γ in their own bucket despite floating point.
  return 1 + Math.max(0, Math.ceil(Math.log(seconds) / LOG_GAMMA - 1e-9));
}

/** The value a bucket reads back as, in seconds. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return (2 * Math.pow(GAMMA, bucket - 1)) / (GAMMA + 1);
}

/**
 * The q-quantile (0 < q <= 1) by nearest rank: the representative of the bucket holding the
 * ceil(q·n)-th smallest duration. `counts[k]` is the number of durations in bucket k. Null when
 * there are none.
 */
export function quantile(counts: readonly number[], q: number): number | null {
  let total = 0;
  for (const c of counts) total += c || 0;
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let k = 0; k < counts.length; k++) {
    seen += counts[k] || 0;
    if (seen >= rank) return bucketValue(k);
  }
  return bucketValue(counts.length - 1);
}

/** Adds `b` into `a` bucket by bucket (either may be shorter). */
export function addCounts(a: number[], b: readonly number[], sign = 1): number[] {
  for (let k = 0; k < b.length; k++) a[k] = (a[k] || 0) + sign * (b[k] || 0);
  return a;
}
