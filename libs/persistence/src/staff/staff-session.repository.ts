import { Injectable } from '@nestjs/common';
import { type SqlRunner, updateReturning } from '../sql';
import type { LiveStaffSession, StaffSessionRow } from './staff-session.row';

/** Staff sessions (staff_session). Revoking is setting revoked_at; rows are kept. */
@Injectable()
export class StaffSessionRepository {
  async insert(db: SqlRunner, session: Pick<StaffSessionRow, 'id' | 'staff_user_id' | 'token_hash' | 'expires_at' | 'max_expires_at'>): Promise<void> {
    await db.query(`INSERT INTO staff_session (id, staff_user_id, token_hash, expires_at, max_expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      session.id,
      session.staff_user_id,
      session.token_hash,
      session.expires_at,
      session.max_expires_at,
    ]);
  }

  /** The session of this token hash with its user, if it is not revoked, not expired and its user not disabled. */
  async findLive(db: SqlRunner, tokenHash: Buffer): Promise<LiveStaffSession | undefined> {
    const [row]: LiveStaffSession[] = await db.query(
      `SELECT s.id AS session_id, s.expires_at, s.max_expires_at, u.id, u.email, u.role, u.agency, u.language
         FROM staff_session s JOIN staff_user u ON u.id = s.staff_user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [tokenHash],
    );
    return row;
  }

  async extend(db: SqlRunner, id: string, expiresAt: Date): Promise<void> {
    await db.query(`UPDATE staff_session SET expires_at = $2 WHERE id = $1`, [id, expiresAt]);
  }

  /** Ends one session (if it is still open). */
  async revoke(db: SqlRunner, id: string, reason: string): Promise<void> {
    await db.query(`UPDATE staff_session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, reason]);
  }

  /** Ends every open session of a user; returns how many. */
  async revokeAllOf(db: SqlRunner, staffUserId: string, reason: string): Promise<number> {
    const rows = await updateReturning<Pick<StaffSessionRow, 'id'>>(
      db,
      `UPDATE staff_session SET revoked_at = now(), revoked_reason = $2 WHERE staff_user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [staffUserId, reason],
    );
    return rows.length;
  }
}

export const staffSessionRepository = new StaffSessionRepository();
