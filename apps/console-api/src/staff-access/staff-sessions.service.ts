import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { acceptTotp, afterFailure, hashAccessToken, isLocked, newAccessToken, StaffDirectory, StaffRole, verifyPassword } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { StaffPrincipal } from './staff-principal';

interface LoginRow {
  id: string;
  email: string;
  role: StaffRole;
  password_hash: string;
  totp_secret_encrypted: Buffer;
  totp_last_step: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
}

// A session is extended on use at most this often, so reads do not each cost a write.
const EXTEND_EVERY_MS = 60_000;

/**
 * Staff sign-in and sessions. Any wrong part (email, password, code), a locked or a disabled
 * account all answer the same 401, after the same work. Access tokens are opaque and stored as
 * hashes; every request looks its session up, so a logout, a disabled user or a role change ends
 * access at once.
 */
@Injectable()
export class StaffSessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: StaffDirectory,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  async login(email: string, password: string, totp: string): Promise<{ accessToken: string; expiresAt: Date }> {
    const signedIn = await this.dataSource.transaction(async (tx) => {
      const now = new Date();
      // The account row stays locked while its password is checked: parallel attempts are counted
      // one after the other (no way round the lockout) and a TOTP code is accepted once.
      const [user]: LoginRow[] = await tx.query(`SELECT * FROM staff_user WHERE lower(email) = lower($1) FOR UPDATE`, [email]);
      const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
      if (!user) {
        // The typed email may be a password typed in the wrong field: keep only a keyed digest.
        await this.audit.append({ actor: null, action: 'auth.login_failed', detail: { emailDigest: this.digest(email), reason: 'unknown email' } }, tx);
        return null;
      }
      const state = { failedLogins: user.failed_logins, lockedUntil: user.locked_until };
      const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
      const step = passwordOk ? acceptTotp(this.directory.totpSecret(user.id, user.totp_secret_encrypted), totp, lastStep, now.getTime()) : null;
      const refusal = user.disabled_at ? 'disabled' : isLocked(state, now) ? 'locked' : !passwordOk ? 'wrong password' : step === null ? 'wrong or reused code' : null;
      if (refusal !== null) {
        // Attempts on a locked account do not extend the lock (that would let anyone keep it locked).
        const next = refusal === 'disabled' || refusal === 'locked' ? state : afterFailure(state, this.config.login, now);
        await tx.query(`UPDATE staff_user SET failed_logins = $2, locked_until = $3 WHERE id = $1`, [user.id, next.failedLogins, next.lockedUntil]);
        const lockedNow = !isLocked(state, now) && isLocked(next, now);
        // Not attributed to the account's owner (actor null): whoever tried is unknown.
        await this.audit.append({ actor: null, action: 'auth.login_failed', target: { type: 'staff_user', id: user.id }, detail: { reason: refusal, locked: lockedNow } }, tx);
        return null;
      }
      const { token, tokenHash } = newAccessToken();
      const maxExpiresAt = new Date(now.getTime() + this.config.staffSession.maxMs);
      const expiresAt = min(new Date(now.getTime() + this.config.staffSession.idleMs), maxExpiresAt);
      const sessionId = randomUUID();
      await tx.query(`UPDATE staff_user SET failed_logins = 0, locked_until = NULL, totp_last_step = $2 WHERE id = $1`, [user.id, step]);
      await tx.query(`INSERT INTO staff_session (id, staff_user_id, token_hash, expires_at, max_expires_at) VALUES ($1, $2, $3, $4, $5)`, [
        sessionId,
        user.id,
        tokenHash,
        expiresAt,
        maxExpiresAt,
      ]);
      await this.audit.append({ actor: { id: user.id, role: user.role }, action: 'auth.login', target: { type: 'staff_session', id: sessionId } }, tx);
      return { accessToken: token, expiresAt };
    });
    if (!signedIn) throw new ProblemException('login_failed');
    return signedIn;
  }

  private digest(email: string): string {
    return createHmac('sha256', this.config.tokenSigningKey).update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
  }

  /** The principal of a token, or null if it is unknown, expired, revoked or its user disabled. */
  async authenticate(token: string): Promise<StaffPrincipal | null> {
    const [row] = await this.dataSource.query(
      `SELECT s.id AS session_id, s.expires_at, s.max_expires_at, u.id, u.email, u.role, u.agency
         FROM staff_session s JOIN staff_user u ON u.id = s.staff_user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [hashAccessToken(token)],
    );
    if (!row) return null;
    let expiresAt: Date = row.expires_at;
    const extended = min(new Date(Date.now() + this.config.staffSession.idleMs), row.max_expires_at);
    if (extended.getTime() - expiresAt.getTime() > EXTEND_EVERY_MS) {
      await this.dataSource.query(`UPDATE staff_session SET expires_at = $2 WHERE id = $1`, [row.session_id, extended]);
      expiresAt = extended;
    }
    return { id: row.id, email: row.email, role: row.role, agency: row.agency, sessionId: row.session_id, sessionExpiresAt: expiresAt };
  }

  async logout(staff: StaffPrincipal): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE staff_session SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1 AND revoked_at IS NULL`, [staff.sessionId]);
      await this.audit.append({ actor: { id: staff.id, role: staff.role }, action: 'auth.logout', target: { type: 'staff_session', id: staff.sessionId } }, tx);
    });
  }
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
