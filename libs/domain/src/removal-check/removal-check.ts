/**
 * Removal monitoring: whether confirmed content is still online, from the status line of one
 * request (never its body). This file holds the decisions; the worker makes the request
 * (apps/worker/src/removal/removal-checker.ts).
 *
 *   confirmed | actioned  + gone (404, 410, NXDOMAIN)        -> mark removed (the one removal path)
 *   removed | closed      + online with a 2xx, within 90 days -> reappears, queued again
 *   anything else                                            -> the outcome is only recorded
 */
import type { CaseStatus } from '../case/case-status';
import { REAPPEAR_FROM } from '../case/case-status';
import { REMOVABLE_STATUSES } from '../case/removal';

export const REMOVAL_CHECK_OUTCOMES = ['online', 'gone', 'refused', 'redirected', 'unreachable'] as const;

/**
 * - `online`: it answered (2xx, a same-host redirect to a 2xx, 401, 403, any other 4xx but 404/410);
 * - `gone`: 404 or 410, or the name does not exist (NXDOMAIN);
 * - `refused`: we do not ask (not http(s), a private, loopback or reserved address, an onion service);
 * - `redirected`: a redirect to another host (or too many on the same one): not followed, not removed;
 * - `unreachable`: 5xx, timeout, connection refused or reset, TLS failure, no address: asked again next time.
 */
export type RemovalCheckOutcome = (typeof REMOVAL_CHECK_OUTCOMES)[number];

export interface RemovalCheckResult {
  outcome: RemovalCheckOutcome;
  /** The status code of the last response; null when there was none (DNS, refused, no connection). */
  httpStatus: number | null;
}

export type RemovalCheckAction = 'mark_removed' | 'reappear' | 'none';

/** Same-host redirects followed before the answer counts as `redirected`. */
export const MAX_SAME_HOST_REDIRECTS = 3;

/** A removal is watched this long for the content coming back (DOMAIN.md metric 9: reappearance within 90 days). */
export const REAPPEARANCE_WATCH_MS = 90 * 24 * 3600 * 1000;

/** Statuses of confirmed content not yet removed: checked every interval until it is gone. */
export const REMOVAL_WATCH_STATUSES: readonly CaseStatus[] = REMOVABLE_STATUSES;

/** Statuses of removed content: checked for its return while the removal is recent. */
export const REAPPEARANCE_WATCH_STATUSES: readonly CaseStatus[] = REAPPEAR_FROM;

/** The outcome of a final answer (after same-host redirects were followed). Redirects are the checker's. */
export function outcomeOfStatus(httpStatus: number): RemovalCheckOutcome {
  if (httpStatus === 404 || httpStatus === 410) return 'gone';
  if (httpStatus >= 500) return 'unreachable';
  // 2xx, 401/403 (a login wall: still there), other 4xx (429, 451, ...): not evidence of removal.
  return 'online';
}

/** A status code that means content is served again (a login wall or an error page does not). */
function isSuccess(httpStatus: number | null): boolean {
  return httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
}

/**
 * What a check's result means for a case in `status` (read again under its lock just before).
 * `removedAt` is when its content was found or recorded gone; `now` the time of the check.
 */
export function removalCheckAction(status: CaseStatus, result: RemovalCheckResult, removedAt: Date | null, now: Date): RemovalCheckAction {
  if (REMOVAL_WATCH_STATUSES.includes(status)) return result.outcome === 'gone' ? 'mark_removed' : 'none';
  if (REAPPEARANCE_WATCH_STATUSES.includes(status) && result.outcome === 'online' && isSuccess(result.httpStatus) && recentlyRemoved(removedAt, now)) return 'reappear';
  return 'none';
}

function recentlyRemoved(removedAt: Date | null, now: Date): boolean {
  return removedAt !== null && now.getTime() - removedAt.getTime() <= REAPPEARANCE_WATCH_MS;
}

/**
 * Whether a case is due for a check at `now`: confirmed content not yet removed, or content
 * removed within the watch period, whose next check (none yet: at once) has come. The
 * repository's query says the same in SQL (RemovalCheckRepository.lockDue).
 */
export function isRemovalCheckDue(c: { status: CaseStatus; removedAt: Date | null }, nextCheckAt: Date | null, now: Date): boolean {
  const watched = REMOVAL_WATCH_STATUSES.includes(c.status) || (REAPPEARANCE_WATCH_STATUSES.includes(c.status) && recentlyRemoved(c.removedAt, now));
  return watched && (nextCheckAt === null || nextCheckAt.getTime() <= now.getTime());
}

/** When a case checked at `checkedAt` is checked again: one interval later, whatever the outcome (unreachable too). */
export function nextRemovalCheckAt(checkedAt: Date, intervalMs: number): Date {
  return new Date(checkedAt.getTime() + intervalMs);
}

/**
 * How often the worker looks for due cases: a thirtieth of the interval, so a check is at most
 * ~3% late, but never more often than every second nor less often than every five minutes.
 */
export function removalScanPeriodMs(intervalMs: number): number {
  return Math.min(300_000, Math.max(1_000, Math.floor(intervalMs / 30)));
}
