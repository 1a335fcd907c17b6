/**
 * The life of a case (one reported URL) as one table. Every status change in the system goes
 * through `assertTransition`, so this table is the single place that says what may follow what.
 *
 *   queued -> in_assessment -> (pending_review ->) verdict
 *   verdict = confirmed | not_illegal | harmful_not_illegal | unassessable | out_of_remit
 *   confirmed -> actioned -> removed -> closed
 *   removed | closed -> reappeared -> queued
 *   confirmed | not_illegal | harmful_not_illegal | out_of_remit -> pending_review (an appeal)
 *
 * Moving a case between queues (re-routing) is not a status change: it stays `queued`.
 */

export const CASE_STATUSES = [
  'queued',
  'in_assessment',
  'pending_review',
  'confirmed',
  'not_illegal',
  'harmful_not_illegal',
  'unassessable',
  'out_of_remit',
  'actioned',
  'removed',
  'closed',
  'reappeared',
] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The outcomes of an assessment (or of its review). */
export const VERDICT_STATUSES: readonly CaseStatus[] = Object.freeze(['confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit'] as const);

/** Which statuses may follow each status. Self-transitions are never listed. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = Object.freeze({
  // Waiting in a queue; an analyst (or the worker on their behalf) takes a lease to assess it.
  // Assessment always happens under a lease, so no verdict is reachable from here directly.
  queued: Object.freeze(['in_assessment'] as const),
  // Leased by an analyst. The lease lapsing or being released puts it back in the queue; a
  // verdict that needs a second pair of eyes goes to review, the others are final here.
  in_assessment: Object.freeze(['queued', 'pending_review', 'confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit'] as const),
  // Awaiting a reviewer, who either confirms or overturns to any other verdict.
  pending_review: Object.freeze(['confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit'] as const),
  // Illegal content: action must follow (police report, notice to the host, forward to a partner).
  // Until it does, a senior analyst may appeal the verdict, which sends it to review again.
  confirmed: Object.freeze(['actioned', 'pending_review'] as const),
  // Final verdicts: the URL was judged and nothing follows. New reports of it only add counts
  // (see ATTACH_ONLY_STATUSES). The one way out is an appeal by a senior analyst, decided by a
  // review like any illegal verdict (a verdict can be wrong either way).
  not_illegal: Object.freeze(['pending_review'] as const),
  harmful_not_illegal: Object.freeze(['pending_review'] as const),
  out_of_remit: Object.freeze(['pending_review'] as const),
  // The content could not be seen (gone, login wall, geo-blocked). An analyst may send it back
  // to the queue when there is reason to think it is reachable again.
  unassessable: Object.freeze(['queued'] as const),
  // Action taken; we wait for the content to disappear.
  actioned: Object.freeze(['removed'] as const),
  // Content verified gone. Closing ends the case; a new report in the meantime reopens it.
  removed: Object.freeze(['closed', 'reappeared'] as const),
  // Finished, but the same URL coming back must reopen this case (its history matters).
  closed: Object.freeze(['reappeared'] as const),
  // A short-lived marker status: the case is counted as a reappearance, then queued again.
  reappeared: Object.freeze(['queued'] as const),
});

/**
 * Statuses in which a case is finished for good unless its verdict is appealed: their only way
 * out is back to review.
 */
export const TERMINAL_STATUSES: readonly CaseStatus[] = Object.freeze(
  CASE_STATUSES.filter((status) => CASE_TRANSITIONS[status].every((next) => next === 'pending_review')),
);

/**
 * Statuses in which a new report of the URL attaches without new work (counts only).
 * Everything except REAPPEAR_FROM: while a case is open, its work is already planned, and a
 * final non-illegal verdict is not redone because someone else reported the same URL.
 */
export const ATTACH_ONLY_STATUSES: readonly CaseStatus[] = Object.freeze(CASE_STATUSES.filter((status) => status !== 'removed' && status !== 'closed'));

/**
 * Statuses of a case whose content was confirmed illegal, on its way to removal or after it:
 * what counts as a confirmed case of a domain (a priority factor).
 */
export const CONFIRMED_STATUSES: readonly CaseStatus[] = Object.freeze(['confirmed', 'actioned', 'removed', 'closed'] as const);

/** Statuses from which a new report makes the case reappear (removed, closed). */
export const REAPPEAR_FROM: readonly CaseStatus[] = Object.freeze(['removed', 'closed'] as const);

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  // Guard with hasOwn so a status read from storage that is not in the table is simply refused.
  return Object.hasOwn(CASE_TRANSITIONS, from) && CASE_TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  /** What the HTTP layer answers: the case is not where the request expected it (a 409, never a 500). */
  readonly problemKind = 'case_changed';

  constructor(
    readonly from: CaseStatus,
    readonly to: CaseStatus,
  ) {
    super(`a case cannot go from ${from} to ${to}`);
  }
}

/** Throws IllegalTransitionError unless the table allows `from -> to`. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}
