import { publicReportStatus, type ReportCaseFacts } from '@hotline/domain';
import type { FeedbackStatus } from '@hotline/mail';
import type { FeedbackCaseFacts } from '@hotline/persistence';

/**
 * The public status to tell each report's reporter, from the facts of its cases: the status
 * publicReportStatus gives (the same as the status page shows), except `received`, which they were
 * told when they submitted. Whether it was told before is the database's to say (report_feedback
 * keeps each status of a report once).
 */
export function statusesToTell(reportIds: readonly string[], cases: readonly FeedbackCaseFacts[]): { reportId: string; status: FeedbackStatus }[] {
  const byReport = new Map<string, ReportCaseFacts[]>(reportIds.map((id) => [id, []]));
  for (const c of cases) {
    byReport.get(c.report_id)?.push({
      status: c.status,
      claimedSinceReport: c.claimed_since_report,
      hasActions: c.has_actions,
      settledWithoutHuman: c.settled_without_human,
    });
  }
  const told: { reportId: string; status: FeedbackStatus }[] = [];
  for (const [reportId, facts] of byReport) {
    const status = publicReportStatus(facts);
    if (status !== 'received') told.push({ reportId, status });
  }
  return told;
}
