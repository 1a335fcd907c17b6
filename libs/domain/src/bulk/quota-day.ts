/**
 * The window of a trusted source's daily quota: the UTC calendar day. A fixed day (not a rolling
 * 24 hours) is what a sender can plan for and what one row per key and day can count.
 */
const DAY_MS = 86_400_000;

/** The UTC day `at` falls in, as PostgreSQL's `date` reads it: `YYYY-MM-DD`. */
export function quotaDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole seconds from `at` until the next UTC midnight, when the quota starts afresh (at least 1). */
export function secondsUntilQuotaResets(at: Date): number {
  const next = Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}
