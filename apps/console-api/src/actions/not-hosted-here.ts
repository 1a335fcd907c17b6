import { AuditLog } from '@hotline/audit';
import { caseLeaseRepository, caseRepository, partnerRepository } from '@hotline/persistence';
import { canTransition } from '@hotline/domain';
import { originPartnersOf } from '@hotline/exchange';
import { ProblemException } from '@hotline/http';
import { ApiProperty } from '@nestjs/swagger';
import { EntityManager } from 'typeorm';
import { loadCaseDetail } from '../cases/case-detail';
import { CaseDetailView } from '../cases/case-view';
import { tellOriginPartners } from '../exchange/partner-status';
import { StaffPrincipal } from '../staff-access/staff-principal';

export class NotHostedHereView {
  @ApiProperty({ type: CaseDetailView, description: 'The case as it is now' })
  case: CaseDetailView;

  @ApiProperty({ type: [String], description: 'The partner hotlines told `not_hosted_here` (by name)' })
  partnersTold: string[];

  @ApiProperty({ description: 'True when the case left our queue as out_of_remit; false when its status could not change and was left as it was' })
  outOfRemit: boolean;

  @ApiProperty({ description: 'What became of the case status, in words' })
  detail: string;
}

/**
 * The staff side of `not_hosted_here` (docs/exchange-protocol.md): a case a partner forwarded to
 * us is not hosted in our country. Every partner it came from is told (`case.status`, delivered
 * by the worker), so it traces the hosting again and routes the case elsewhere; here the case
 * leaves the queue as out_of_remit when the status table allows it from where it is (a case
 * being assessed). A queued case must be claimed first; a case waiting for review keeps its
 * status, so no analyst settles an illegal verdict without the four-eyes review.
 * All in the caller's transaction.
 */
export async function markNotHostedHere(tx: EntityManager, audit: AuditLog, caseId: string, staff: StaffPrincipal, reviewBlind: boolean): Promise<NotHostedHereView> {
  const current = await caseRepository.lock(tx, caseId);
  if (!current) throw new ProblemException('resource_not_found');
  if ((await originPartnersOf(tx, caseId)).length === 0) {
    throw new ProblemException('case_not_from_partner');
  }
  if (current.status === 'in_assessment' && current.lease_live && current.lease_holder !== staff.id) {
    throw new ProblemException('lease_held_by_other');
  }

  const told = await tellOriginPartners(tx, caseId, 'not_hosted_here');
  if (told.length === 0) throw new ProblemException('partners_already_told');
  const names = await partnerRepository.namesOf(tx, [...new Set(told.map((origin) => origin.partnerId))]);

  const outOfRemit = current.status !== 'pending_review' && canTransition(current.status, 'out_of_remit');
  let detail: string;
  if (outOfRemit) {
    await caseRepository.transition(tx, {
      caseId,
      from: current.status,
      to: 'out_of_remit',
      detail: { step: 'not_hosted_here', by: staff.id },
      set: { verdict: 'out_of_remit', queue: null, lease_holder: null, lease_expires_at: null },
    });
    await caseLeaseRepository.end(tx, caseId, 'released');
    detail = `The case left the queue as out_of_remit (it was ${current.status}).`;
  } else if (current.status === 'queued') {
    detail = 'The case stays queued: a case leaves the queue as out_of_remit only while it is being assessed (claim it first).';
  } else if (current.status === 'pending_review') {
    detail = 'The case stays pending_review: its review decides its verdict.';
  } else {
    detail = `The case stays ${current.status}: it cannot become out_of_remit from there.`;
  }
  await caseRepository.recordEvent(tx, caseId, 'not_hosted_here', { partners: names, by: staff.id, outOfRemit });
  await audit.append(
    {
      actor: { id: staff.id, role: staff.role },
      action: 'case.not_hosted_here',
      target: { type: 'case', id: caseId },
      detail: { partnersTold: names, fromStatus: current.status, toStatus: outOfRemit ? 'out_of_remit' : current.status },
    },
    tx,
  );
  return { case: await loadCaseDetail(tx, caseId, staff.id, reviewBlind), partnersTold: names, outOfRemit, detail };
}
