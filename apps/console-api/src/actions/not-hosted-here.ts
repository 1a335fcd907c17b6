import { AuditLog } from '@hotline/audit';
import { recordCaseTransition } from '@hotline/persistence';
import { canTransition, CaseStatus } from '@hotline/domain';
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
  const [current]: { status: CaseStatus; lease_holder: string | null; lease_live: boolean }[] = await tx.query(
    `SELECT status, lease_holder, coalesce(lease_expires_at > now(), false) AS lease_live FROM "case" WHERE id = $1 FOR UPDATE`,
    [caseId],
  );
  if (!current) throw new ProblemException('resource_not_found');
  if ((await originPartnersOf(tx, caseId)).length === 0) {
    throw conflict('This case did not come from a partner hotline: there is no partner to tell that it is not hosted here.');
  }
  if (current.status === 'in_assessment' && current.lease_live && current.lease_holder !== staff.id) {
    throw conflict('Another analyst holds the lease on this case; only the lease holder can say it is not hosted here.');
  }

  const told = await tellOriginPartners(tx, caseId, 'not_hosted_here');
  if (told.length === 0) throw conflict('Every partner this case came from has already been told that it is not hosted here.');
  const names: string[] = (
    await tx.query(`SELECT name FROM partner WHERE id = ANY($1::uuid[]) ORDER BY name`, [[...new Set(told.map((origin) => origin.partnerId))]])
  ).map((row: { name: string }) => row.name);

  const outOfRemit = current.status !== 'pending_review' && canTransition(current.status, 'out_of_remit');
  let detail: string;
  if (outOfRemit) {
    await tx.query(
      `UPDATE "case" SET status = 'out_of_remit', verdict = 'out_of_remit', queue = NULL, lease_holder = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
      [caseId],
    );
    await tx.query(`UPDATE case_lease SET ended_at = least(now(), expires_at), end_reason = 'released' WHERE case_id = $1 AND ended_at IS NULL`, [caseId]);
    await recordCaseTransition(tx, caseId, current.status, 'out_of_remit', { step: 'not_hosted_here', by: staff.id });
    detail = `The case left the queue as out_of_remit (it was ${current.status}).`;
  } else if (current.status === 'queued') {
    detail = 'The case stays queued: a case leaves the queue as out_of_remit only while it is being assessed (claim it first).';
  } else if (current.status === 'pending_review') {
    detail = 'The case stays pending_review: its review decides its verdict.';
  } else {
    detail = `The case stays ${current.status}: it cannot become out_of_remit from there.`;
  }
  await tx.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'not_hosted_here', $2)`, [caseId, JSON.stringify({ partners: names, by: staff.id, outOfRemit })]);
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

function conflict(detail: string): ProblemException {
  return new ProblemException('conflict', { params: { detail } });
}
