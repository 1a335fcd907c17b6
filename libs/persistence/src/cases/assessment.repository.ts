import { Classification, Verdict } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { AssessmentKind, AssessmentRow } from './case.row';

export interface NewAssessment {
  /** A UUIDv7 (libs/security), made by the caller. */
  id: string;
  caseId: string;
  kind: AssessmentKind;
  staffId: string;
  verdict: Verdict | null;
  decision: 'confirm' | 'overturn' | null;
  classification: Classification | null;
  notes?: string | null;
}

/** assessment: verdicts, reviews and appeals of a case, append-only. */
@Injectable()
export class AssessmentRepository {
  async insert(db: SqlRunner, row: NewAssessment): Promise<void> {
    await db.query(`INSERT INTO assessment (id, case_id, kind, staff_user_id, verdict, decision, classification, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      row.id,
      row.caseId,
      row.kind,
      row.staffId,
      row.verdict,
      row.decision,
      row.classification === null ? null : JSON.stringify(row.classification),
      row.notes ?? null,
    ]);
  }

  async latestKind(db: SqlRunner, caseId: string): Promise<AssessmentKind | null> {
    const [row]: Pick<AssessmentRow, 'kind'>[] = await db.query(`SELECT kind FROM assessment WHERE case_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [caseId]);
    return row?.kind ?? null;
  }

  /** The rows of the case's current verdict: its latest assessment and everything since (or every row, if it was never assessed). */
  currentRound(db: SqlRunner, caseId: string): Promise<Pick<AssessmentRow, 'kind' | 'staff_user_id'>[]> {
    return db.query(
      `SELECT kind, staff_user_id FROM assessment
        WHERE case_id = $1
          AND created_at >= coalesce((SELECT max(created_at) FROM assessment WHERE case_id = $1 AND kind = 'assessment'), '-infinity')
        ORDER BY created_at, id`,
      [caseId],
    );
  }

  listForCase(db: SqlRunner, caseId: string): Promise<AssessmentRow[]> {
    return db.query(`SELECT * FROM assessment WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  }

  /**
   * Cases waiting for a second review (`appeals: false`) or under appeal (`appeals: true`: the
   * latest row is an appeal), most urgent first: highest priority, then longest waiting since the
   * case entered pending_review (its transition event). `took_part`: the viewer is in the current
   * round (as currentRound reads it), so four eyes bars them from deciding it. The verdict under
   * review is selected only when `withVerdict` (review not blind); `total` counts every match.
   */
  pendingReviews(db: SqlRunner, query: { viewerId: string; appeals: boolean; withVerdict: boolean; limit: number }): Promise<PendingReviewRow[]> {
    return db.query(
      `WITH pending AS (
         SELECT c.id, c.canonical_url, c.priority, c.verdict, c.assessed_at, c.report_count, c.updated_at, latest.kind AS latest_kind, latest.created_at AS latest_at
           FROM "case" c
           LEFT JOIN LATERAL (SELECT a.kind, a.created_at FROM assessment a WHERE a.case_id = c.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1) latest ON true
          WHERE c.status = 'pending_review'
       ),
       matching AS (
         SELECT p.*,
                coalesce((SELECT max(e.at) FROM case_event e WHERE e.case_id = p.id AND e.to_status = 'pending_review'), p.latest_at, p.updated_at) AS waiting_since
           FROM pending p
          WHERE coalesce(p.latest_kind = 'appeal', false) = $2
       )
       SELECT m.id, m.canonical_url, m.priority, CASE WHEN $3::boolean THEN m.verdict END AS verdict, m.assessed_at, m.report_count, m.waiting_since,
              EXISTS (
                SELECT 1 FROM assessment t
                 WHERE t.case_id = m.id AND t.staff_user_id = $1
                   AND t.created_at >= coalesce((SELECT max(r.created_at) FROM assessment r WHERE r.case_id = m.id AND r.kind = 'assessment'), '-infinity')
              ) AS took_part,
              count(*) OVER ()::int AS total
         FROM matching m
        ORDER BY m.priority DESC, m.waiting_since, m.id
        LIMIT $4`,
      [query.viewerId, query.appeals, query.withVerdict, query.limit],
    );
  }

  /**
   * The quality measure of DOMAIN.md (10): second reviews and how many overturned the verdict,
   * appeals decided and how many reversed it, over rows written in [since, until) (null: unbounded).
   */
  async reviewQuality(db: SqlRunner, window: { since: Date | null; until: Date | null }): Promise<ReviewQualityCounts> {
    const [row]: ReviewQualityCounts[] = await db.query(
      `SELECT count(*) FILTER (WHERE kind = 'review')::int AS "reviews",
              count(*) FILTER (WHERE kind = 'review' AND decision = 'overturn')::int AS "overturned",
              count(*) FILTER (WHERE kind = 'appeal_review')::int AS "appealsDecided",
              count(*) FILTER (WHERE kind = 'appeal_review' AND decision = 'overturn')::int AS "appealsReversed"
         FROM assessment
        WHERE kind IN ('review', 'appeal_review')
          AND ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::timestamptz IS NULL OR created_at < $2)`,
      [window.since, window.until],
    );
    return row;
  }
}

export const assessmentRepository = new AssessmentRepository();

/** A case waiting for review as the review list shows it (pendingReviews). */
export interface PendingReviewRow {
  id: string;
  canonical_url: string;
  priority: number;
  /** Null unless asked for (review not blind). */
  verdict: Verdict | null;
  assessed_at: Date | null;
  report_count: number;
  waiting_since: Date;
  took_part: boolean;
  /** How many cases match in all, whatever the limit. */
  total: number;
}

/** Second reviews and appeal reviews of a period, and how many changed the verdict. */
export interface ReviewQualityCounts {
  reviews: number;
  overturned: number;
  appealsDecided: number;
  appealsReversed: number;
}
