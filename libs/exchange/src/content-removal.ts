import { CaseStatus, removalSteps } from '@hotline/domain';
import { caseRepository, CaseRow, SqlRunner } from '@hotline/persistence';
import { originPartnersOf, storeOutgoingMessage } from './outgoing-messages';

/**
 * Confirmed content found gone, by whoever found it (staff, the removal monitor): the case walks
 * the one removal path (removalSteps: a case still only confirmed is actioned first, each step
 * its event), leaves its review queue, its removal clock stops at `removedAt`, and each partner
 * hotline that forwarded it to us is told `removed`. Runs in the caller's transaction, with the
 * case locked and read in `from`; null when removal does not apply to a case in `from`.
 */
export async function recordContentRemoved(
  db: SqlRunner,
  removal: { caseId: string; from: CaseStatus; removedAt: Date; detail: Record<string, unknown> },
): Promise<{ row: CaseRow; partnersTold: number } | null> {
  const steps = removalSteps(removal.from);
  if (!steps) return null;
  const at = removal.removedAt.toISOString();
  const row = await caseRepository.transitionPath(db, removal.caseId, removal.from, steps, removal.detail, {
    detail: { removedAt: at },
    set: { removed_at: removal.removedAt, queue: null },
  });
  const partners = await originPartnersOf(db, removal.caseId);
  for (const origin of partners) {
    await storeOutgoingMessage(db, {
      partnerId: origin.partnerId,
      caseId: removal.caseId,
      type: 'case.status',
      body: { reference: origin.reference, status: 'removed', at },
    });
  }
  return { row, partnersTold: partners.length };
}
