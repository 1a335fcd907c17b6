import { ReviewParticipants } from '@hotline/domain';
import { assessmentRepository, SqlRunner } from '@hotline/persistence';

/**
 * Who took part in the case's current verdict: the analyst of its latest assessment, then the
 * reviewers and appellants since. Read from the assessment rows (not the case columns) so every
 * earlier hand is known, however many appeals there were.
 *
 * A verdict settled without an assessment (a known-URL match) has no assessor: then every row
 * counts (the appeals and their reviews), so an appellant still cannot decide their own appeal.
 * Null when nothing at all is recorded for the case.
 */
export async function loadParticipants(db: SqlRunner, caseId: string): Promise<ReviewParticipants | null> {
  const rows = await assessmentRepository.currentRound(db, caseId);
  if (!rows.length) return null;
  const assessment = rows.find((row) => row.kind === 'assessment');
  return { assessorId: assessment?.staff_user_id ?? null, others: rows.filter((row) => row !== assessment).map((row) => row.staff_user_id) };
}
