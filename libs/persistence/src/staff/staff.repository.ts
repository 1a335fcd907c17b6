import { Injectable } from '@nestjs/common';
import { type SqlRunner, updateReturning } from '../sql';
import type { StaffUserRow } from './staff-user.row';

export type NewStaffUser = Pick<StaffUserRow, 'id' | 'email' | 'role' | 'agency' | 'password_hash' | 'totp_secret_encrypted'> & {
  /** False when the user enrols by QR code at their first sign-in. */
  totpEnrolled: boolean;
  /** True when an admin chose the password: the user must choose their own at their first sign-in. */
  passwordChangeRequired: boolean;
};
export type StaffUserSummary = Pick<StaffUserRow, 'id' | 'email' | 'role' | 'agency' | 'disabled_at' | 'created_at' | 'totp_enrolled_at' | 'password_change_required'>;

const SUMMARY = 'id, email, role, agency, disabled_at, created_at, totp_enrolled_at, password_change_required';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Staff users (staff_user). Emails are unique and compared case-insensitively (staff_user_email_uq on lower(email)). */
@Injectable()
export class StaffRepository {
  async emailTaken(db: SqlRunner, email: string): Promise<boolean> {
    const [taken] = await db.query(`SELECT 1 FROM staff_user WHERE lower(email) = lower($1)`, [email]);
    return taken !== undefined;
  }

  /**
   * The new user, or undefined when another user has this email: one created by a transaction
   * that committed after `emailTaken` looked (two admins creating the same user at once). The
   * unique index decides (ON CONFLICT on staff_user_email_uq, waiting for the other transaction),
   * without an error: a failed statement would be logged with its parameters, the password hash
   * and the encrypted TOTP secret among them.
   */
  async insert(db: SqlRunner, user: NewStaffUser): Promise<StaffUserSummary | undefined> {
    const [row]: StaffUserSummary[] = await db.query(
      `INSERT INTO staff_user (id, email, role, agency, password_hash, totp_secret_encrypted, totp_enrolled_at, password_change_required)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::boolean THEN now() END, $8)
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING ${SUMMARY}`,
      [user.id, user.email, user.role, user.agency, user.password_hash, user.totp_secret_encrypted, user.totpEnrolled, user.passwordChangeRequired],
    );
    return row;
  }

  /**
   * The user's own new password: the admin's initial one (if it was) no longer needs changing,
   * and the failed attempts are forgotten (the current password was right, as at a login).
   */
  async setPassword(db: SqlRunner, id: string, passwordHash: string): Promise<void> {
    await db.query(
      `UPDATE staff_user SET password_hash = $2, password_change_required = false, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
      [id, passwordHash],
    );
  }

  /**
   * The user with this id (a UUID) or email, its row locked until the transaction ends, so changes
   * to one account happen one after the other.
   */
  async lockByIdOrEmail(db: SqlRunner, idOrEmail: string): Promise<Pick<StaffUserRow, 'id' | 'role'> | undefined> {
    const [user] = await db.query(`SELECT id, role FROM staff_user WHERE ${UUID.test(idOrEmail) ? 'id = $1::uuid' : 'lower(email) = lower($1)'} FOR UPDATE`, [idOrEmail]);
    return user;
  }

  /**
   * The whole row of the user signing in, locked until the transaction ends: parallel attempts on
   * one account are counted one after the other (no way round the lockout), and a TOTP code is
   * accepted once.
   */
  async findByEmailForUpdate(db: SqlRunner, email: string): Promise<StaffUserRow | undefined> {
    const [user]: StaffUserRow[] = await db.query(`SELECT * FROM staff_user WHERE lower(email) = lower($1) FOR UPDATE`, [email]);
    return user;
  }

  async list(db: SqlRunner): Promise<StaffUserRow[]> {
    return db.query(`SELECT * FROM staff_user ORDER BY lower(email)`);
  }

  /** Disabled from now on (or still from when it was disabled before). */
  async disable(db: SqlRunner, id: string): Promise<StaffUserRow> {
    const [row] = await updateReturning<StaffUserRow>(
      db,
      `UPDATE staff_user SET disabled_at = coalesce(disabled_at, now()), updated_at = now() WHERE id = $1 RETURNING *`,
      [id],
    );
    return row;
  }

  async setRole(db: SqlRunner, id: string, role: StaffUserRow['role'], agency: string | null): Promise<StaffUserRow> {
    const [row] = await updateReturning<StaffUserRow>(db, `UPDATE staff_user SET role = $2, agency = $3, updated_at = now() WHERE id = $1 RETURNING *`, [
      id,
      role,
      agency,
    ]);
    return row;
  }

  /** A new TOTP secret; no code of it has been used yet. Not enrolled: the user enrols it by QR code at their next sign-in. */
  async setTotpSecret(db: SqlRunner, id: string, totpSecretEncrypted: Buffer, enrolled: boolean): Promise<StaffUserRow> {
    const [row] = await updateReturning<StaffUserRow>(
      db,
      `UPDATE staff_user SET totp_secret_encrypted = $2, totp_last_step = NULL, totp_enrolled_at = CASE WHEN $3::boolean THEN now() END, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, totpSecretEncrypted, enrolled],
    );
    return row;
  }

  /** The user read the secret from the QR code and proved it with a code of it. */
  async markTotpEnrolled(db: SqlRunner, id: string): Promise<void> {
    await db.query(`UPDATE staff_user SET totp_enrolled_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  /** The console language the user chose; null: their browser's. */
  async setLanguage(db: SqlRunner, id: string, language: StaffUserRow['language']): Promise<void> {
    await db.query(`UPDATE staff_user SET language = $2, updated_at = now() WHERE id = $1`, [id, language]);
  }

  async findById(db: SqlRunner, id: string): Promise<StaffUserRow | undefined> {
    const [user]: StaffUserRow[] = await db.query(`SELECT * FROM staff_user WHERE id = $1`, [id]);
    return user;
  }

  /** The locked row of one user by id (enrolment), or undefined. */
  async findByIdForUpdate(db: SqlRunner, id: string): Promise<StaffUserRow | undefined> {
    const [user]: StaffUserRow[] = await db.query(`SELECT * FROM staff_user WHERE id = $1 FOR UPDATE`, [id]);
    return user;
  }

  /** The failed-login count and lock after a refused login. */
  async setLoginFailures(db: SqlRunner, id: string, failedLogins: number, lockedUntil: Date | null): Promise<void> {
    await db.query(`UPDATE staff_user SET failed_logins = $2, locked_until = $3 WHERE id = $1`, [id, failedLogins, lockedUntil]);
  }

  /** A successful login: the failures are forgotten and the TOTP step used is remembered (a code is good once). */
  async recordLogin(db: SqlRunner, id: string, totpStep: number | null): Promise<void> {
    await db.query(`UPDATE staff_user SET failed_logins = 0, locked_until = NULL, totp_last_step = $2 WHERE id = $1`, [id, totpStep]);
  }
}

export const staffRepository = new StaffRepository();
