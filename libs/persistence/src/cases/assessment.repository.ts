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
}

export const assessmentRepository = new AssessmentRepository();
