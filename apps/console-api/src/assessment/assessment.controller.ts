import { recordCaseTransition } from '@hotline/persistence';
import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import {
  APPEALABLE_STATUSES,
  assertTransition,
  blindReviewDecision,
  canReview,
  CaseStatus,
  checkClassification,
  Classification,
  ReviewDecision,
  reviewOutcome,
  statusAfterAssessment,
  Verdict,
} from '@hotline/domain';
import { FieldProblem, ProblemException } from '@hotline/http';
import { OutboxTopic } from '@hotline/queue';
import { allows, uuidv7 } from '@hotline/security';
import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataSource, EntityManager } from 'typeorm';
import { loadCaseDetail } from '../cases/case-detail';
import { CaseDetailView } from '../cases/case-view';
import { tellOriginPartnersOfVerdict } from '../exchange/partner-status';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { AppealBody, AssessmentBody, RevealBody, RevealedUrlView, ReviewBody } from './assessment.dto';
import { loadParticipants } from './participants';

interface LockedCase {
  status: CaseStatus;
  verdict: Verdict | null;
  classification: Classification | null;
  lease_holder: string | null;
  lease_live: boolean;
}

/**
 * Verdicts and what guards them: assessment by the lease holder, the four-eyes review of illegal
 * verdicts, appeals, and revealing a URL. Each action changes the case, records itself (an
 * assessment row, a case event, an audit event) and commits as one.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class AssessmentController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  @Post(':id/assessment')
  @HttpCode(200)
  @Requires('cases.assess')
  @ApiOkResponse({ type: CaseDetailView })
  async assess(@Param('id', CASE_ID) id: string, @Body() body: AssessmentBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<CaseDetailView> {
    const classification = this.classification(body.verdict, body.classification);
    const view = await this.dataSource.transaction(async (tx) => {
      const current = await lockCase(tx, id);
      if (current.status !== 'in_assessment') throw conflict(`This case is ${current.status}, not in assessment: claim it before assessing it.`);
      if (current.lease_holder !== staff.id) throw conflict('Another analyst holds the lease on this case; only the lease holder can assess it.');
      if (!current.lease_live) throw conflict('Your lease on this case has expired; claim it again to assess it.');
      const status = statusAfterAssessment(body.verdict);
      assertTransition(current.status, status);
      // A new assessment starts a new round: any review belongs to an earlier one (before a reappearance).
      await tx.query(
        `UPDATE "case" SET status = $2, queue = NULL, verdict = $3, classification = $4, assessed_by = $5, assessed_at = now(),
                reviewed_by = NULL, reviewed_at = NULL, lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
          WHERE id = $1`,
        [id, status, body.verdict, json(classification), staff.id],
      );
      await tx.query(`UPDATE case_lease SET ended_at = now(), end_reason = 'assessed' WHERE case_id = $1 AND ended_at IS NULL`, [id]);
      await recordAssessment(tx, { caseId: id, kind: 'assessment', staffId: staff.id, verdict: body.verdict, decision: null, classification, notes: body.notes });
      await recordCaseTransition(tx, id, current.status, status, { step: 'assessment', verdict: body.verdict });
      // A case a partner forwarded us: a final non-illegal verdict is told to that partner.
      await tellOriginPartnersOfVerdict(tx, id, status);
      await this.audit.append({ actor: actorOf(staff), action: 'case.assessed', target: { type: 'case', id }, detail: { verdict: body.verdict } }, tx);
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
    request.audited = true;
    return view;
  }

  @Post(':id/review')
  @HttpCode(200)
  @Requires('cases.review')
  @ApiOkResponse({ type: CaseDetailView })
  async review(@Param('id', CASE_ID) id: string, @Body() body: ReviewBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<CaseDetailView> {
    const blind = this.config.reviewBlind;
    const reviewerClassification = this.reviewClassification(body, blind);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const current = await lockCase(tx, id);
      if (current.status !== 'pending_review') throw conflict(`This case is ${current.status}; only a case waiting for review can be reviewed.`);
      if (!current.verdict) throw conflict('This case has no verdict to review.');
      const participants = await loadParticipants(tx, id);
      if (!participants) throw conflict('This case has no recorded assessment or appeal to review.');
      // Refused, but not silently: the refusal is audited once this transaction is rolled back.
      if (!canReview(staff.id, participants)) return { refused: true as const };

      const [latest]: { kind: string }[] = await tx.query(`SELECT kind FROM assessment WHERE case_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [id]);
      const kind = latest?.kind === 'appeal' ? 'appeal_review' : 'review';
      // A blind reviewer never saw the verdict under review, so their "confirm" means nothing on
      // its own: the decision is whether their own verdict agrees with it.
      const decision: ReviewDecision = blind ? blindReviewDecision(current.verdict, body.verdict!) : body.decision;
      const { verdict, status } = reviewOutcome(decision, current.verdict, body.verdict);
      // A confirmation keeps the classification under review; an overturn takes the reviewer's. A
      // verdict settled without an assessment (known-URL list) has none: a blind reviewer's fills it.
      const classification = decision === 'confirm' ? (current.classification ?? reviewerClassification) : reviewerClassification;
      assertTransition(current.status, status);
      await tx.query(
        `UPDATE "case" SET status = $2, verdict = $3, classification = $4, reviewed_by = $5, reviewed_at = now(), updated_at = now() WHERE id = $1`,
        [id, status, verdict, json(classification), staff.id],
      );
      // Confirmed: its actions are decided by the worker (ActOnCases), published with this commit.
      if (status === 'confirmed') await tx.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)`, [OutboxTopic.CaseAct, id, JSON.stringify({ reason: 'confirmed' })]);
      // The decision on the row is the quality measure: overturns / reviews is the disagreement
      // rate, and on appeal_review rows, appeals reversed / appeals decided. A blind reviewer's
      // row keeps their own judgement (verdict and classification), whatever the case keeps.
      await recordAssessment(tx, {
        caseId: id,
        kind,
        staffId: staff.id,
        verdict: blind ? body.verdict! : verdict,
        decision,
        classification: blind ? reviewerClassification : classification,
        notes: body.notes,
      });
      await recordCaseTransition(tx, id, current.status, status, { step: kind, decision, verdict });
      await tellOriginPartnersOfVerdict(tx, id, status);
      await this.audit.append(
        { actor: actorOf(staff), action: 'case.reviewed', target: { type: 'case', id }, detail: { kind, decision, agreed: decision === 'confirm' } },
        tx,
      );
      return { refused: false as const, view: await loadCaseDetail(tx, id, staff.id, blind) };
    });
    if (outcome.refused) {
      await this.audit.append({ actor: actorOf(staff), action: 'case.review_refused', target: { type: 'case', id }, detail: { reason: 'took part in the verdict under review' } });
      throw new ProblemException('took_part');
    }
    request.audited = true;
    return outcome.view;
  }

  @Post(':id/appeal')
  @HttpCode(200)
  @Requires('cases.appeal')
  @ApiOkResponse({ type: CaseDetailView })
  async appeal(@Param('id', CASE_ID) id: string, @Body() body: AppealBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<CaseDetailView> {
    const view = await this.dataSource.transaction(async (tx) => {
      const current = await lockCase(tx, id);
      if (!APPEALABLE_STATUSES.includes(current.status)) {
        throw conflict(`Only a final verdict (${APPEALABLE_STATUSES.join(', ')}) can be appealed; this case is ${current.status}.`);
      }
      assertTransition(current.status, 'pending_review');
      await tx.query(`UPDATE "case" SET status = 'pending_review', updated_at = now() WHERE id = $1`, [id]);
      // The row carries the verdict under appeal, so an appeal review can be compared with it.
      await recordAssessment(tx, { caseId: id, kind: 'appeal', staffId: staff.id, verdict: current.verdict, decision: null, classification: null, notes: body.reason });
      await recordCaseTransition(tx, id, current.status, 'pending_review', { step: 'appeal', verdict: current.verdict });
      await this.audit.append(
        { actor: actorOf(staff), action: 'case.appeal_opened', target: { type: 'case', id }, detail: { fromStatus: current.status, verdict: current.verdict } },
        tx,
      );
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
    request.audited = true;
    return view;
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Requires('cases.reveal')
  @ApiOkResponse({ type: RevealedUrlView })
  async reveal(@Param('id', CASE_ID) id: string, @Body() body: RevealBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<RevealedUrlView> {
    const [row]: { canonical_url: string; status: CaseStatus; lease_holder: string | null; lease_live: boolean }[] = await this.dataSource.query(
      `SELECT canonical_url, status, lease_holder, coalesce(lease_expires_at > now(), false) AS lease_live FROM "case" WHERE id = $1`,
      [id],
    );
    if (!row) throw new ProblemException('resource_not_found');
    // Only who must judge the live page gets it: the analyst assessing the case under a live lease,
    // or a senior analyst who may decide its review.
    if (row.status === 'in_assessment') {
      if (row.lease_holder !== staff.id || !row.lease_live) throw conflict('Only the analyst holding a live lease on this case can reveal its URL; claim the case first.');
    } else if (row.status === 'pending_review') {
      const participants = allows(staff.role, 'cases.review') ? await loadParticipants(this.dataSource, id) : null;
      if (!participants || !canReview(staff.id, participants)) {
        throw conflict('Only a senior analyst who may decide the review of this case can reveal its URL while it waits for review.');
      }
    } else {
      throw conflict(`This case is ${row.status}: a URL is revealed only to assess a case (under its lease) or to review it.`);
    }
    // Written (and committed) before the URL leaves: a reveal that cannot be audited does not happen.
    await this.audit.append({ actor: actorOf(staff), action: 'case.revealed', target: { type: 'case', id }, detail: { reason: body.reason } });
    request.audited = true;
    return { url: row.canonical_url };
  }

  private classification(verdict: Verdict, value: unknown): Classification | null {
    const checked = checkClassification(verdict, value, this.config.legalCategories);
    if (!checked.ok) throw invalid(checked.problems.map((problem) => ({ field: problem.field, detail: problem.detail })));
    return checked.classification;
  }

  private reviewClassification(body: ReviewBody, blind: boolean): Classification | null {
    if (blind) {
      // Whatever the decision: the server compares this verdict with the one under review. The
      // message must not hint at the verdict the reviewer cannot see.
      if (!body.verdict) throw invalid([{ field: 'verdict', detail: 'required with blind review: your own verdict on the URL, whichever decision you give' }]);
      return this.classification(body.verdict, body.classification);
    }
    if (body.decision === 'confirm') {
      const extra = [
        ...(body.verdict !== undefined ? [{ field: 'verdict', detail: 'only with an overturn: a confirmation keeps the verdict under review' }] : []),
        ...(body.classification !== undefined ? [{ field: 'classification', detail: 'only with an overturn: a confirmation keeps the classification under review' }] : []),
      ];
      if (extra.length) throw invalid(extra);
      return null;
    }
    if (!body.verdict) throw invalid([{ field: 'verdict', detail: 'required to overturn: the reviewer’s own verdict' }]);
    return this.classification(body.verdict, body.classification);
  }
}

async function lockCase(tx: EntityManager, id: string): Promise<LockedCase> {
  const [row]: LockedCase[] = await tx.query(
    `SELECT status, verdict, classification, lease_holder, coalesce(lease_expires_at > now(), false) AS lease_live FROM "case" WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw new ProblemException('resource_not_found');
  return row;
}

async function recordAssessment(
  tx: EntityManager,
  row: { caseId: string; kind: string; staffId: string; verdict: Verdict | null; decision: string | null; classification: Classification | null; notes?: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO assessment (id, case_id, kind, staff_user_id, verdict, decision, classification, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [uuidv7(), row.caseId, row.kind, row.staffId, row.verdict, row.decision, json(row.classification), row.notes ?? null],
  );
}


function actorOf(staff: StaffPrincipal) {
  return { id: staff.id, role: staff.role };
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function conflict(detail: string): ProblemException {
  return new ProblemException('conflict', { params: { detail } });
}

function invalid(problems: { field: string; detail: string }[]): ProblemException {
  const errors: FieldProblem[] = problems.map((problem) => ({ field: problem.field, message: 'field.rule', params: { detail: problem.detail } }));
  return new ProblemException('invalid_request', { errors });
}
