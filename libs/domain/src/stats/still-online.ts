/** Confirmed cases still online now: how many, and the median, 90th percentile and oldest of their ages. */
export interface StillOnline {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  oldestSeconds: number | null;
}

/**
 * Metric 7's "age of those still online" from the counts per hour of confirmation (`since`, epoch
 * ms, newest first) at `now`: percentiles as percentile_disc takes them (the first age whose
 * cumulative share reaches p; the small tolerance keeps 0.9 x 30 = 27.000000000000004 at the 27th).
 */
export function stillOnlineOf(hours: readonly { since: number; n: number }[], now: number): StillOnline {
  const count = hours.reduce((sum, h) => sum + h.n, 0);
  if (count === 0) return { count: 0, medianSeconds: null, p90Seconds: null, oldestSeconds: null };
  const age = (since: number) => Math.max(0, (now - since) / 1000);
  const percentile = (p: number) => {
    let seen = 0;
    for (const h of hours) {
      seen += h.n;
      if (seen >= p * count - 1e-9) return age(h.since);
    }
    return age(hours[hours.length - 1].since);
  };
  return { count, medianSeconds: percentile(0.5), p90Seconds: percentile(0.9), oldestSeconds: age(hours[hours.length - 1].since) };
}
