import { assertTransition, CaseStatus } from '@hotline/domain';
import type { EntityManager } from 'typeorm';

/**
 * Records a status change of a case as its `transition` event, after checking the state machine
 * allows it (libs/domain). Call it in the transaction that changes the status: the events are the
 * source of every statistic, so a change without one must not commit.
 */
export async function recordCaseTransition(
  tx: Pick<EntityManager, 'query'>,
  caseId: string,
  from: CaseStatus,
  to: CaseStatus,
  detail: Record<string, unknown> = {},
): Promise<void> {
  assertTransition(from, to);
  await tx.query(`INSERT INTO case_event (case_id, kind, from_status, to_status, detail) VALUES ($1, 'transition', $2, $3, $4)`, [
    caseId,
    from,
    to,
    JSON.stringify(detail),
  ]);
}
