import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { StaffRepository, StaffSessionRepository } from '@hotline/persistence';
import { acceptTotp, afterFailure, hashAccessToken, isLocked, newAccessToken, StaffDirectory, verifyPassword } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { StaffPrincipal } from './staff-principal';

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
    private readonly staff: StaffRepository,
    private readonly sessions: StaffSessionRepository,
    private readonly directory: StaffDirectory,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  async login(email: string, password: string, totp: string): Promise<{ accessToken: string; expiresAt: Date }> {
    const signedIn = await this.dataSource.transaction(async (tx) => {
      const now = new Date();
      // The account row stays locked while its password is checked: parallel attempts are counted
      // one after the other (no way round the lockout) and a TOTP code is accepted once.
      const user = await this.staff.findByEmailForUpdate(tx, email);
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
        await this.staff.setLoginFailures(tx, user.id, next.failedLogins, next.lockedUntil);
        const lockedNow = !isLocked(state, now) && isLocked(next, now);
        // Not attributed to the account's owner (actor null): whoever tried is unknown.
        await this.audit.append(
          { actor: null, action: 'auth.login_failed', target: { type: 'staff_user', id: user.id }, detail: { reason: refusal, locked: lockedNow } },
          tx,
        );
        return null;
      }
      const { token, tokenHash } = newAccessToken();
      const maxExpiresAt = new Date(now.getTime() + this.config.staffSession.maxMs);
      const expiresAt = min(new Date(now.getTime() + this.config.staffSession.idleMs), maxExpiresAt);
      const sessionId = randomUUID();
      await this.staff.recordLogin(tx, user.id, step);
      await this.sessions.insert(tx, { id: sessionId, staff_user_id: user.id, token_hash: tokenHash, expires_at: expiresAt, max_expires_at: maxExpiresAt });
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
    const row = await this.sessions.findLive(this.dataSource, hashAccessToken(token));
    if (!row) return null;
    let expiresAt: Date = row.expires_at;
    const extended = min(new Date(Date.now() + this.config.staffSession.idleMs), row.max_expires_at);
    if (extended.getTime() - expiresAt.getTime() > EXTEND_EVERY_MS) {
      await this.sessions.extend(this.dataSource, row.session_id, extended);
      expiresAt = extended;
    }
    return { id: row.id, email: row.email, role: row.role, agency: row.agency, sessionId: row.session_id, sessionExpiresAt: expiresAt };
  }

  async logout(staff: StaffPrincipal): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.sessions.revoke(tx, staff.sessionId, 'logout');
      await this.audit.append({ actor: { id: staff.id, role: staff.role }, action: 'auth.logout', target: { type: 'staff_session', id: staff.sessionId } }, tx);
    });
  }
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
