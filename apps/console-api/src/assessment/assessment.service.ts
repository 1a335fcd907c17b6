import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import {
  APPEALABLE_STATUSES,
  blindReviewDecision,
  canReview,
  checkClassification,
  Classification,
  ReviewDecision,
  reviewOutcome,
  statusAfterAssessment,
  Verdict,
} from '@hotline/domain';
import { FieldProblem, ProblemException } from '@hotline/http';
import { AssessmentRepository, CaseLeaseRepository, CaseRepository, dbNow, LockedCase, OutboxRepository, SqlRunner } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { allows, uuidv7 } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadCaseDetail } from '../cases/case-detail';
import { CaseDetailView } from '../cases/case-view';
import { tellOriginPartnersOfVerdict } from '../exchange/partner-status';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { AppealBody, AssessmentBody, RevealBody, RevealedUrlView, ReviewBody } from './assessment.dto';
import { loadParticipants } from './participants';

/**
 * Verdicts and what guards them: assessment by the lease holder, the four-eyes review of illegal
 * verdicts, appeals, and revealing a URL. Each action changes the case, records itself (an
 * assessment row, a case event, an audit event) and commits as one.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly leases: CaseLeaseRepository,
    private readonly assessments: AssessmentRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  assess(id: string, body: AssessmentBody, staff: StaffPrincipal): Promise<CaseDetailView> {
    const classification = this.classification(body.verdict, body.classification);
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (current.status !== 'in_assessment') throw new ProblemException('case_not_in_assessment', { params: { status: current.status } });
      if (current.lease_holder !== staff.id) throw new ProblemException('lease_held_by_other');
      if (!current.lease_live) throw new ProblemException('lease_expired');
      const status = statusAfterAssessment(body.verdict);
      // A new assessment starts a new round: any review belongs to an earlier one (before a reappearance).
      await this.cases.transition(tx, {
        caseId: id,
        from: current.status,
        to: status,
        // The content type is for the regulators' breakdown, which reads events only.
        detail: { step: 'assessment', verdict: body.verdict, ...(classification ? { contentType: classification.contentType } : {}) },
        set: {
          queue: null,
          verdict: body.verdict,
          classification,
          assessed_by: staff.id,
          assessed_at: dbNow(),
          reviewed_by: null,
          reviewed_at: null,
          lease_holder: null,
          lease_expires_at: null,
        },
      });
      await this.leases.end(tx, id, 'assessed');
      await this.assessments.insert(tx, {
        id: uuidv7(),
        caseId: id,
        kind: 'assessment',
        staffId: staff.id,
        verdict: body.verdict,
        decision: null,
        classification,
        notes: body.notes,
      });
      // A case a partner forwarded us: a final non-illegal verdict is told to that partner.
      await tellOriginPartnersOfVerdict(tx, id, status);
      await this.audit.append({ actor: actorOf(staff), action: 'case.assessed', target: { type: 'case', id }, detail: { verdict: body.verdict } }, tx);
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
  }

  async review(id: string, body: ReviewBody, staff: StaffPrincipal): Promise<CaseDetailView> {
    const blind = this.config.reviewBlind;
    const reviewerClassification = this.reviewClassification(body, blind);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (current.status !== 'pending_review') throw new ProblemException('case_not_pending_review', { params: { status: current.status } });
      if (!current.verdict) throw new ProblemException('no_verdict_to_review');
      const participants = await loadParticipants(tx, id);
      if (!participants) throw new ProblemException('no_assessment_to_review');
      // Refused, but not silently: the refusal is audited once this transaction is rolled back.
      if (!canReview(staff.id, participants)) return { refused: true as const };

      const kind = (await this.assessments.latestKind(tx, id)) === 'appeal' ? 'appeal_review' : 'review';
      // A blind reviewer never saw the verdict under review, so their "confirm" means nothing on
      // its own: the decision is whether their own verdict agrees with it.
      const decision: ReviewDecision = blind ? blindReviewDecision(current.verdict, body.verdict!) : body.decision;
      const { verdict, status } = reviewOutcome(decision, current.verdict, body.verdict);
      // A confirmation keeps the classification under review; an overturn takes the reviewer's. A
      // verdict settled without an assessment (known-URL list) has none: a blind reviewer's fills it.
      const classification = decision === 'confirm' ? (current.classification ?? reviewerClassification) : reviewerClassification;
      await this.cases.transition(tx, {
        caseId: id,
        from: current.status,
        to: status,
        detail: { step: kind, decision, verdict, ...(classification ? { contentType: classification.contentType } : {}) },
        set: { verdict, classification, reviewed_by: staff.id, reviewed_at: dbNow() },
      });
      // Confirmed: its actions are decided by the worker (ActOnCases), published with this commit.
      // Content that came back is acted on again: its key names the appearance, or the queue would
      // take it for the first confirmation's job (same key, same job id).
      if (status === 'confirmed') {
        const key = current.reappeared_count > 0 ? `${id}:appearance-${current.reappeared_count}` : id;
        await this.outbox.append(tx, OutboxTopic.CaseAct, key, { reason: 'confirmed' });
      }
      // The decision on the row is the quality measure: overturns / reviews is the disagreement
      // rate, and on appeal_review rows, appeals reversed / appeals decided. A blind reviewer's
      // row keeps their own judgement (verdict and classification), whatever the case keeps.
      await this.assessments.insert(tx, {
        id: uuidv7(),
        caseId: id,
        kind,
        staffId: staff.id,
        verdict: blind ? body.verdict! : verdict,
        decision,
        classification: blind ? reviewerClassification : classification,
        notes: body.notes,
      });
      await tellOriginPartnersOfVerdict(tx, id, status);
      await this.audit.append(
        { actor: actorOf(staff), action: 'case.reviewed', target: { type: 'case', id }, detail: { kind, decision, agreed: decision === 'confirm' } },
        tx,
      );
      return { refused: false as const, view: await loadCaseDetail(tx, id, staff.id, blind) };
    });
    if (outcome.refused) {
      await this.audit.append({
        actor: actorOf(staff),
        action: 'case.review_refused',
        target: { type: 'case', id },
        detail: { reason: 'took part in the verdict under review' },
      });
      throw new ProblemException('took_part');
    }
    return outcome.view;
  }

  appeal(id: string, body: AppealBody, staff: StaffPrincipal): Promise<CaseDetailView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, id);
      if (!APPEALABLE_STATUSES.includes(current.status)) {
        throw new ProblemException('case_not_appealable', { params: { status: current.status, appealable: APPEALABLE_STATUSES.join(', ') } });
      }
      await this.cases.transition(tx, { caseId: id, from: current.status, to: 'pending_review', detail: { step: 'appeal', verdict: current.verdict } });
      // The row carries the verdict under appeal, so an appeal review can be compared with it.
      await this.assessments.insert(tx, {
        id: uuidv7(),
        caseId: id,
        kind: 'appeal',
        staffId: staff.id,
        verdict: current.verdict,
        decision: null,
        classification: null,
        notes: body.reason,
      });
      await this.audit.append(
        { actor: actorOf(staff), action: 'case.appeal_opened', target: { type: 'case', id }, detail: { fromStatus: current.status, verdict: current.verdict } },
        tx,
      );
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
  }

  async reveal(id: string, body: RevealBody, staff: StaffPrincipal): Promise<RevealedUrlView> {
    const row = await this.cases.find(this.dataSource, id);
    if (!row) throw new ProblemException('resource_not_found');
    // Only who must judge the live page gets it: the analyst assessing the case under a live lease,
    // or a senior analyst who may decide its review.
    if (row.status === 'in_assessment') {
      if (row.lease_holder !== staff.id || !row.lease_live) throw new ProblemException('reveal_needs_live_lease');
    } else if (row.status === 'pending_review') {
      const participants = allows(staff.role, 'cases.review') ? await loadParticipants(this.dataSource, id) : null;
      if (!participants || !canReview(staff.id, participants)) throw new ProblemException('reveal_needs_eligible_reviewer');
    } else {
      throw new ProblemException('reveal_not_now', { params: { status: row.status } });
    }
    // Written (and committed) before the URL leaves: a reveal that cannot be audited does not happen.
    await this.audit.append({ actor: actorOf(staff), action: 'case.revealed', target: { type: 'case', id }, detail: { reason: body.reason } });
    return { url: row.canonical_url };
  }

  private async lock(tx: SqlRunner, id: string): Promise<LockedCase> {
    const row = await this.cases.lock(tx, id);
    if (!row) throw new ProblemException('resource_not_found');
    return row;
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
        ...(body.classification !== undefined
          ? [{ field: 'classification', detail: 'only with an overturn: a confirmation keeps the classification under review' }]
          : []),
      ];
      if (extra.length) throw invalid(extra);
      return null;
    }
    if (!body.verdict) throw invalid([{ field: 'verdict', detail: 'required to overturn: the reviewer’s own verdict' }]);
    return this.classification(body.verdict, body.classification);
  }
}

function invalid(problems: { field: string; detail: string }[]): ProblemException {
  const errors: FieldProblem[] = problems.map((problem) => ({ field: problem.field, message: 'field.rule', params: { detail: problem.detail } }));
  return new ProblemException('invalid_request', { errors });
}
