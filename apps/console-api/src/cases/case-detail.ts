import { Classification, defangUrl, isBlindTo } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import { EntityManager } from 'typeorm';
import { loadParticipants } from '../assessment/participants';
import { AssessmentView, CASE_RECORD_COLUMNS, CaseActionView, CaseDetailView, CaseExchangeMessageView, CaseRecord, CaseReportView, DomainHistoryView, toCaseView } from './case-view';

type Db = Pick<EntityManager, 'query'>;

const REPORTS_SHOWN = 100;
const DOMAIN_CASES_SHOWN = 10;

/**
 * The case as `viewerId` may see it. While it waits for review, the verdict under review is
 * hidden from everyone who took no part in it when review is blind (HOTLINE REVIEW_BLIND), so
 * the reviewer forms their own judgement.
 */
export async function loadCaseDetail(db: Db, id: string, viewerId: string, reviewBlind: boolean): Promise<CaseDetailView> {
  const [row]: (CaseRecord & { verdict: string | null; classification: Classification | null })[] = await db.query(
    `SELECT ${CASE_RECORD_COLUMNS}, verdict, classification FROM "case" WHERE id = $1`,
    [id],
  );
  if (!row) throw new ProblemException('resource_not_found');
  const participants = await loadParticipants(db, id);
  const blind = isBlindTo(viewerId, { reviewBlind, pendingReview: row.status === 'pending_review', participants });
  return {
    ...toCaseView(row),
    verdict: blind ? null : row.verdict,
    classification: blind ? null : row.classification,
    blindReview: blind,
    reports: await loadReports(db, id),
    domainHistory: row.registrable_domain ? await loadDomainHistory(db, id, row.registrable_domain) : null,
    assessments: await loadAssessments(db, id, blind),
    actions: await loadActions(db, id),
    exchange: await loadExchange(db, id),
  };
}

async function loadActions(db: Db, caseId: string): Promise<CaseActionView[]> {
  const rows: { kind: string; channel: string; status: string; reason: string; last_error: string | null; updated_at: Date }[] = await db.query(
    `SELECT kind, channel, status, reason, last_error, updated_at FROM action WHERE case_id = $1 ORDER BY created_at, id`,
    [caseId],
  );
  return rows.map((row) => ({ kind: row.kind, channel: row.channel, status: row.status, reason: row.reason, lastError: row.last_error, updatedAt: row.updated_at.toISOString() }));
}

async function loadExchange(db: Db, caseId: string): Promise<CaseExchangeMessageView[]> {
  const rows: { direction: string; type: string; status: string; last_error: string | null; created_at: Date; delivered_at: Date | null }[] = await db.query(
    `SELECT direction, type, status, last_error, created_at, delivered_at FROM exchange_message WHERE case_id = $1 ORDER BY created_at, id`,
    [caseId],
  );
  return rows.map((row) => ({
    direction: row.direction,
    type: row.type,
    status: row.status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  }));
}

async function loadReports(db: Db, caseId: string): Promise<CaseReportView[]> {
  // Reference, contact and description stay out: they identify or describe, the analyst needs neither.
  const rows: { received_at: Date; source: string; language: string; content_type: string | null; victim_identifiable: boolean; raw_url: string }[] = await db.query(
    `SELECT ru.received_at, r.source, r.language, r.content_type, r.victim_identifiable, ru.raw_url
       FROM reported_url ru JOIN report r ON r.id = ru.report_id
      WHERE ru.case_id = $1 ORDER BY ru.received_at DESC, ru.id LIMIT $2`,
    [caseId, REPORTS_SHOWN],
  );
  return rows.map((row) => ({
    receivedAt: row.received_at.toISOString(),
    source: row.source,
    language: row.language,
    contentType: row.content_type,
    victimIdentifiable: row.victim_identifiable,
    url: defangUrl(row.raw_url),
  }));
}

async function loadDomainHistory(db: Db, caseId: string, domain: string): Promise<DomainHistoryView> {
  // Only settled verdicts: one still waiting for review would tell a blind reviewer too much.
  const settled = `registrable_domain = $1 AND id <> $2 AND verdict IS NOT NULL AND status NOT IN ('pending_review', 'in_assessment')`;
  const counts: { verdict: string; n: number }[] = await db.query(`SELECT verdict, count(*)::int AS n FROM "case" WHERE ${settled} GROUP BY verdict ORDER BY verdict`, [domain, caseId]);
  const latest: { id: string; verdict: string; assessed_at: Date | null }[] = await db.query(
    `SELECT id, verdict, assessed_at FROM "case" WHERE ${settled} ORDER BY assessed_at DESC NULLS LAST, id LIMIT $3`,
    [domain, caseId, DOMAIN_CASES_SHOWN],
  );
  return {
    counts: Object.fromEntries(counts.map((row) => [row.verdict, row.n])),
    latest: latest.map((row) => ({ caseId: row.id, verdict: row.verdict, assessedAt: row.assessed_at?.toISOString() ?? null })),
  };
}

async function loadAssessments(db: Db, caseId: string, blind: boolean): Promise<AssessmentView[]> {
  const rows: { id: string; kind: string; staff_user_id: string; verdict: string | null; decision: string | null; classification: Classification | null; notes: string | null; created_at: Date }[] =
    await db.query(`SELECT id, kind, staff_user_id, verdict, decision, classification, notes, created_at FROM assessment WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  // A blind reviewer sees that the case was assessed (and appealed), never what was concluded.
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    staffUserId: row.staff_user_id,
    verdict: blind ? null : row.verdict,
    decision: blind ? null : row.decision,
    classification: blind ? null : row.classification,
    notes: blind ? null : row.notes,
    createdAt: row.created_at.toISOString(),
  }));
}
