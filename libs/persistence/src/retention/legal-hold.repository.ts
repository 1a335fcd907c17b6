import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { LegalHoldRow } from './legal-hold.row';

export interface NewLegalHold {
  id: string;
  caseId: string;
  reason: string;
  placedBy: string;
}

/**
 * Legal holds on cases: while one is in force the retention purge takes nothing of the case (its
 * raw URLs, the contact and description of its reports). Placing and lifting are not status
 * changes (no case event); the service audits them.
 */
@Injectable()
export class LegalHoldRepository {
  /** The hold in force on the case, if any (at most one: legal_hold_active_uq). */
  async active(db: SqlRunner, caseId: string): Promise<LegalHoldRow | null> {
    const [row]: LegalHoldRow[] = await db.query(`SELECT * FROM legal_hold WHERE case_id = $1 AND lifted_at IS NULL`, [caseId]);
    return row ?? null;
  }

  /** Every hold the case had, oldest first. */
  historyOf(db: SqlRunner, caseId: string): Promise<LegalHoldRow[]> {
    return db.query(`SELECT * FROM legal_hold WHERE case_id = $1 ORDER BY placed_at, id`, [caseId]);
  }

  /** Places a hold. The caller holds the case's lock and found none in force (a second one would break legal_hold_active_uq). */
  async place(db: SqlRunner, hold: NewLegalHold): Promise<LegalHoldRow> {
    const [row]: LegalHoldRow[] = await db.query(`INSERT INTO legal_hold (id, case_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, now()) RETURNING *`, [
      hold.id,
      hold.caseId,
      hold.reason,
      hold.placedBy,
    ]);
    return row;
  }

  /** Lifts the hold in force on the case; null when there was none. */
  async lift(db: SqlRunner, caseId: string, by: string, reason: string): Promise<LegalHoldRow | null> {
    const [row] = await updateReturning<LegalHoldRow>(
      db,
      `UPDATE legal_hold SET lifted_at = now(), lifted_by = $2, lifted_reason = $3 WHERE case_id = $1 AND lifted_at IS NULL RETURNING *`,
      [caseId, by, reason],
    );
    return row ?? null;
  }

  /** Whether the case was referred to police of `agency` (a liaison may hold only such cases). */
  async referredTo(db: SqlRunner, caseId: string, agency: string): Promise<boolean> {
    const rows: unknown[] = await db.query(`SELECT 1 FROM action WHERE case_id = $1 AND kind = 'police_referral' AND agency = $2 LIMIT 1`, [caseId, agency]);
    return rows.length > 0;
  }
}

export const legalHoldRepository = new LegalHoldRepository();
