import { Injectable } from '@nestjs/common';
import { type SqlRunner, updateReturning } from '../sql';
import type { LiveStaffSession, StaffSessionRow } from './staff-session.row';
import type { StaffUserRow } from './staff-user.row';

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
      `SELECT s.id AS session_id, s.expires_at, s.max_expires_at, u.id, u.email, u.role, u.agency, u.language, u.password_change_required
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

  /**
   * Ends the open session of this token hash (a browser that signs in again over an old cookie);
   * returns it with its user, or undefined if there was none open.
   */
  async revokeByTokenHash(db: SqlRunner, tokenHash: Buffer, reason: string): Promise<{ id: string; staff_user_id: string; role: StaffUserRow['role'] } | undefined> {
    const [row] = await updateReturning<{ id: string; staff_user_id: string; role: StaffUserRow['role'] }>(
      db,
      `UPDATE staff_session s SET revoked_at = now(), revoked_reason = $2 FROM staff_user u
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.id = s.staff_user_id
        RETURNING s.id, s.staff_user_id, u.role`,
      [tokenHash, reason],
    );
    return row;
  }

  /** Ends every open session of a user but one (the one that asked); returns how many. */
  async revokeAllOfExcept(db: SqlRunner, staffUserId: string, keepSessionId: string, reason: string): Promise<number> {
    const rows = await updateReturning<Pick<StaffSessionRow, 'id'>>(
      db,
      `UPDATE staff_session SET revoked_at = now(), revoked_reason = $3 WHERE staff_user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id`,
      [staffUserId, keepSessionId, reason],
    );
    return rows.length;
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
