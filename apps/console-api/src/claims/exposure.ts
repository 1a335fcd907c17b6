/** One lease of an analyst, as case_lease records it. */
export interface HeldLease {
  claimedAt: Date;
  expiresAt: Date;
  /** null while the lease is open. */
  endedAt: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day `now` falls in: the exposure limit resets at 00:00 UTC for everyone. */
export function utcDay(now: Date): { date: string; start: Date; end: Date } {
  const start = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  return { date: start.toISOString().slice(0, 10), start, end: new Date(start.getTime() + DAY_MS) };
}

/**
 * Milliseconds an analyst held cases on the UTC day of `now`: each lease counts from its claim
 * to its end, or, while open, to now but never past its expiry (a lapsed lease that the sweeper
 * has not ended yet stops counting when it lapsed). Only the part inside the day counts, so a
 * lease held over midnight is split between the two days. It is wall-clock time holding at least
 * one case: leases that overlap count once, since an analyst views one thing at a time and the
 * limit (IWF: 5 h of viewing a day) is on time, not on the number of cases open.
 */
export function heldMsOn(leases: readonly HeldLease[], now: Date): number {
  const day = utcDay(now);
  const spans = leases
    .map((lease) => {
      const until = lease.endedAt ?? new Date(Math.min(now.getTime(), lease.expiresAt.getTime()));
      return [Math.max(lease.claimedAt.getTime(), day.start.getTime()), Math.min(until.getTime(), day.end.getTime())] as const;
    })
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let held = 0;
  let reached = -Infinity;
  for (const [from, to] of spans) {
    if (to <= reached) continue;
    held += to - Math.max(from, reached);
    reached = to;
  }
  return held;
}

/** What GET /me/exposure and the exposure_limit problem say, in whole seconds. */
export function exposureSeconds(heldMs: number, limitMs: number): { heldSeconds: number; limitSeconds: number; remainingSeconds: number } {
  const heldSeconds = Math.floor(heldMs / 1000);
  const limitSeconds = Math.floor(limitMs / 1000);
  return { heldSeconds, limitSeconds, remainingSeconds: Math.max(0, Math.ceil((limitMs - heldMs) / 1000)) };
}
