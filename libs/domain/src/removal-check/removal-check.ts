/**
 * Removal monitoring: whether confirmed content is still online, from the status line of one
 * request (never its body). This file holds the decisions; the worker makes the request
 * (apps/worker/src/removal/removal-checker.ts).
 *
 *   confirmed | actioned  + gone (404, 410, NXDOMAIN)                 -> mark removed (the one removal path)
 *   removed | closed      + a 2xx of the URL itself (no redirect),
 *                           last check gone, within 90 days            -> reappears, queued again
 *   anything else                                                     -> the outcome is only recorded
 */
import type { CaseStatus } from '../case/case-status';
import { REAPPEAR_FROM } from '../case/case-status';
import { REMOVABLE_STATUSES } from '../case/removal';

export const REMOVAL_CHECK_OUTCOMES = ['online', 'gone', 'refused', 'redirected', 'unreachable'] as const;

/**
 * - `online`: it answered (2xx, a same-host redirect to a 2xx, 401, 403, any other 4xx but 404/410);
 * - `gone`: 404 or 410, or the name does not exist (NXDOMAIN);
 * - `refused`: we do not ask (not http(s), a private, loopback or reserved address, an onion service);
 * - `redirected`: a redirect to another origin (scheme, host or port), or too many on the same one: not followed, not removed;
 * - `unreachable`: 5xx, timeout, connection refused or reset, TLS failure, no address: asked again next time.
 */
export type RemovalCheckOutcome = (typeof REMOVAL_CHECK_OUTCOMES)[number];

export interface RemovalCheckResult {
  outcome: RemovalCheckOutcome;
  /** The status code of the last response; null when there was none (DNS, refused, no connection). */
  httpStatus: number | null;
  /** Whether the answer came after following a same-host redirect (not from the URL itself). */
  redirectFollowed: boolean;
}

export type RemovalCheckAction = 'mark_removed' | 'reappear' | 'none';

/** Same-origin redirects followed before the answer counts as `redirected`. */
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
 * `removedAt` is when its content was found or recorded gone; `now` the time of the check;
 * `previousOutcome` the outcome of the case's check before this one (null: none).
 *
 * A reappearance sends the case back to analysts, so it takes more than any 2xx: the URL itself
 * answered (a host that sends removed files to its home page, or to a "removed" page, answers 200
 * after a redirect), and the monitor itself saw the content gone at the check before (a 200 for a
 * case an analyst recorded removed may be such a page from the start, never evidence of a return).
 */
export function removalCheckAction(
  status: CaseStatus,
  result: RemovalCheckResult,
  previousOutcome: RemovalCheckOutcome | null,
  removedAt: Date | null,
  now: Date,
): RemovalCheckAction {
  if (REMOVAL_WATCH_STATUSES.includes(status)) return result.outcome === 'gone' ? 'mark_removed' : 'none';
  if (!REAPPEARANCE_WATCH_STATUSES.includes(status)) return 'none';
  const servedAgain = result.outcome === 'online' && isSuccess(result.httpStatus) && !result.redirectFollowed;
  return servedAgain && previousOutcome === 'gone' && recentlyRemoved(removedAt, now) ? 'reappear' : 'none';
}

function recentlyRemoved(removedAt: Date | null, now: Date): boolean {
  return removedAt !== null && now.getTime() - removedAt.getTime() <= REAPPEARANCE_WATCH_MS;
}

/**
 * How often the worker looks for due cases: a thirtieth of the interval, so a check is at most
 * ~3% late, but never more often than every second nor less often than every five minutes.
 */
export function removalScanPeriodMs(intervalMs: number): number {
  return Math.min(300_000, Math.max(1_000, Math.floor(intervalMs / 30)));
}
