import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { CaseLeaseRow } from './case.row';

/**
 * case_lease: every lease an analyst held. The case row carries the current lease
 * (lease_holder, lease_expires_at); these rows are what the exposure limit is computed from.
 */
@Injectable()
export class CaseLeaseRepository {
  /**
   * Locks the analyst's row so their claims queue one behind the other (two parallel claims cannot
   * both pass the limits). NO KEY UPDATE rather than UPDATE: rows that reference the analyst
   * (sessions, leases) can still be written meanwhile. The database's now(); null if no such analyst.
   */
  async lockHolder(db: SqlRunner, staffId: string): Promise<Date | null> {
    const [row]: { now: Date }[] = await db.query(`SELECT now() AS now FROM staff_user WHERE id = $1 FOR NO KEY UPDATE`, [staffId]);
    return row?.now ?? null;
  }

  /** The database's clock, which leases are measured by. */
  async now(db: SqlRunner): Promise<Date> {
    const [{ now }]: { now: Date }[] = await db.query(`SELECT now() AS now`);
    return now;
  }

  async open(db: SqlRunner, caseId: string, staffId: string, expiresAt: Date): Promise<void> {
    await db.query(`INSERT INTO case_lease (case_id, staff_user_id, claimed_at, expires_at) VALUES ($1, $2, now(), $3)`, [caseId, staffId, expiresAt]);
  }

  async renew(db: SqlRunner, caseId: string, expiresAt: Date): Promise<void> {
    await db.query(`UPDATE case_lease SET expires_at = $2 WHERE case_id = $1 AND ended_at IS NULL`, [caseId, expiresAt]);
  }

  /**
   * Ends the open lease of a case. Held time stops at the expiry if the lease lapsed before it
   * was ended (the sweeper had not come by yet).
   */
  async end(db: SqlRunner, caseId: string, reason: 'assessed' | 'released'): Promise<void> {
    const endedAt = reason === 'assessed' ? 'now()' : 'least(now(), expires_at)';
    await db.query(`UPDATE case_lease SET ended_at = ${endedAt}, end_reason = $2 WHERE case_id = $1 AND ended_at IS NULL`, [caseId, reason]);
  }

  /** Ends the open leases of cases whose lease lapsed, where they lapsed. */
  async endLapsed(db: SqlRunner, caseIds: string[]): Promise<void> {
    if (caseIds.length === 0) return;
    await db.query(`UPDATE case_lease SET ended_at = expires_at, end_reason = 'lapsed' WHERE case_id = ANY($1::uuid[]) AND ended_at IS NULL`, [caseIds]);
  }

  /** The analyst's leases that overlap [start, end). */
  overlapping(db: SqlRunner, staffId: string, start: Date, end: Date): Promise<Pick<CaseLeaseRow, 'claimed_at' | 'expires_at' | 'ended_at'>[]> {
    return db.query(
      `SELECT claimed_at, expires_at, ended_at FROM case_lease
        WHERE staff_user_id = $1 AND claimed_at < $3 AND coalesce(ended_at, expires_at) > $2`,
      [staffId, start.toISOString(), end.toISOString()],
    );
  }
}

export const caseLeaseRepository = new CaseLeaseRepository();
