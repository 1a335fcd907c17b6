import { CaseStatus } from '@hotline/domain';
import { originPartnersOf, PartnerCaseStatus, storeOutgoingMessage } from '@hotline/exchange';
import { exchangeMessageRepository, SqlRunner } from '@hotline/persistence';

/**
 * What a final verdict tells the partners a case came from (docs/exchange-protocol.md,
 * `case.status`). Illegal verdicts are not here: the worker sends `assessed` when it acts on them.
 */
export const PARTNER_STATUS_OF_VERDICT: Readonly<Partial<Record<CaseStatus, PartnerCaseStatus>>> = Object.freeze({
  not_illegal: 'not_illegal',
  harmful_not_illegal: 'not_illegal',
  out_of_remit: 'not_illegal',
  unassessable: 'not_found',
});

/**
 * Queues `case.status <status>` to every partner the case came from, in the caller's transaction,
 * unless the last status we sent that partner about the case was the same (a verdict confirmed
 * again on appeal says nothing new). Returns the partners told.
 */
export async function tellOriginPartners(
  db: SqlRunner,
  caseId: string,
  status: PartnerCaseStatus,
  at: Date = new Date(),
): Promise<{ partnerId: string; reference: string }[]> {
  const told: { partnerId: string; reference: string }[] = [];
  for (const origin of await originPartnersOf(db, caseId)) {
    if ((await exchangeMessageRepository.lastStatusSent(db, origin.partnerId, origin.reference, caseId)) === status) continue;
    await storeOutgoingMessage(db, { partnerId: origin.partnerId, caseId, type: 'case.status', body: { reference: origin.reference, status, at: at.toISOString() } });
    told.push(origin);
  }
  return told;
}

/** After a verdict: a final non-illegal one is told to the partners the case came from. */
export async function tellOriginPartnersOfVerdict(db: SqlRunner, caseId: string, status: CaseStatus): Promise<void> {
  const partnerStatus = PARTNER_STATUS_OF_VERDICT[status];
  if (partnerStatus) await tellOriginPartners(db, caseId, partnerStatus);
}
