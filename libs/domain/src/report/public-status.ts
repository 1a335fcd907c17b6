import type { CaseStatus } from '../case/case-status';
import type { PublicReportStatus } from './report-status';

/** What the public status of a report is computed from, for each of its cases. */
export interface ReportCaseFacts {
  status: CaseStatus;
  /** An analyst claimed the case after the report was received (its lease may have lapsed since). */
  claimedSinceReport: boolean;
  /** Actions were decided for it (police, notice, partner forward). */
  hasActions: boolean;
  /** Settled by a list (known URL), not by anyone viewing it. */
  settledWithoutHuman: boolean;
}

// Finished with, from the reporter's point of view: judged not illegal (or not ours), or closed.
const SETTLED: readonly CaseStatus[] = ['not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit', 'closed'];
// Illegal content acted on: the hotline did something about it.
const ACTED: readonly CaseStatus[] = ['actioned', 'removed'];
// An analyst has it, or had it, or reviews it.
const IN_REVIEW: readonly CaseStatus[] = ['in_assessment', 'pending_review', 'confirmed'];

/**
 * A report's public status, derived from its cases (ARCHITECTURE.md, public status) so that it can
 * never lag behind them: `received` until an analyst takes one of its cases, `in_review` while any
 * is assessed or reviewed, `action_taken` once any is confirmed and acted on, `closed` when all
 * are settled. Never a verdict: a reporter is not told what the content was judged to be.
 */
export function publicReportStatus(cases: readonly ReportCaseFacts[]): PublicReportStatus {
  // A report whose URLs are not placed yet (triage is seconds behind intake) is received.
  if (cases.length === 0) return 'received';
  if (cases.every((c) => SETTLED.includes(c.status))) return 'closed';
  if (cases.some((c) => ACTED.includes(c.status) || (c.status === 'confirmed' && c.hasActions))) return 'action_taken';
  const taken = (c: ReportCaseFacts) => IN_REVIEW.includes(c.status) || c.claimedSinceReport || (SETTLED.includes(c.status) && !c.settledWithoutHuman);
  return cases.some(taken) ? 'in_review' : 'received';
}
