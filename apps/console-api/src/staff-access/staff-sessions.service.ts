import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { StaffRepository, StaffSessionRepository } from '@hotline/persistence';
import {
  acceptTotp,
  afterFailure,
  enrolmentTicket,
  hashAccessToken,
  hashPassword,
  isLocked,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newAccessToken,
  otpauthUri,
  StaffDirectory,
  ticketUserId,
  verifyEnrolmentTicket,
  verifyPassword,
} from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, StaffPrincipal } from './staff-principal';

export interface SignedIn {
  accessToken: string;
  expiresAt: Date;
}

/** A right password whose user must first enrol their second factor (console sign-in only). */
export interface EnrolmentRequired {
  enrolment: { ticket: string; otpauthUri: string; secret: string; email: string };
}

/** What came of a change of one's own password. */
export type PasswordChange = { changed: true; sessionsRevoked: number } | { changed: false; reason: 'wrong password' | 'locked' };

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

  /**
   * `options.enrol`: the console's sign-in page, which can show a user without an enrolled second
   * factor its QR code once the password is right. The JSON API cannot: such a user gets the 401.
   */
  async login(email: string, password: string, totp: string): Promise<SignedIn>;
  async login(email: string, password: string, totp: string, options: { enrol: true }): Promise<SignedIn | EnrolmentRequired>;
  async login(email: string, password: string, totp: string, options: { enrol?: boolean } = {}): Promise<SignedIn | EnrolmentRequired> {
    const signedIn = await this.dataSource.transaction(async (tx): Promise<SignedIn | EnrolmentRequired | null> => {
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
      const enrolling = user.totp_enrolled_at === null;
      if (enrolling && options.enrol && passwordOk && !user.disabled_at && !isLocked(state, now)) {
        // A new secret each time the QR code is shown: whoever saw an earlier one (someone else who
        // knows the initial password) holds nothing once the user scans theirs, and earlier tickets
        // are void (they are bound to the secret they showed).
        const { secret, encrypted } = await this.directory.newPendingSecret(tx, user.id);
        const ticket = enrolmentTicket(this.config.tokenSigningKey, user.id, encrypted, now.getTime());
        await this.audit.append({ actor: null, action: 'auth.enrolment_shown', target: { type: 'staff_user', id: user.id } }, tx);
        return { enrolment: { ticket, otpauthUri: otpauthUri(secret, user.email), secret, email: user.email } };
      }
      const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
      const step = passwordOk && !enrolling ? acceptTotp(this.directory.totpSecret(user.id, user.totp_secret_encrypted), totp, lastStep, now.getTime()) : null;
      const refusal = user.disabled_at
        ? 'disabled'
        : isLocked(state, now)
          ? 'locked'
          : !passwordOk
            ? 'wrong password'
            : enrolling
              ? 'second factor not enrolled'
              : step === null
                ? 'wrong or reused code'
                : null;
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
      return this.startSession(tx, user, step, now);
    });
    if (!signedIn) throw new ProblemException('login_failed');
    return signedIn;
  }

  /**
   * The second step of a first sign-in: the code the user's authenticator app shows after scanning
   * the QR code. A wrong code counts as a failed login (and can lock the account); a ticket that is
   * expired, forged or of a secret since reset is the same 401 as any wrong login.
   */
  async completeEnrolment(ticket: string, code: string): Promise<SignedIn | { wrongCode: true }> {
    const userId = ticketUserId(ticket);
    const outcome = await this.dataSource.transaction(async (tx): Promise<SignedIn | { wrongCode: true } | null> => {
      const now = new Date();
      const user = userId && /^[0-9a-f-]{36}$/i.test(userId) ? await this.staff.findByIdForUpdate(tx, userId) : undefined;
      if (!user || !verifyEnrolmentTicket(this.config.tokenSigningKey, ticket, user.totp_secret_encrypted, now.getTime())) return null;
      const state = { failedLogins: user.failed_logins, lockedUntil: user.locked_until };
      if (user.disabled_at || isLocked(state, now) || user.totp_enrolled_at !== null) return null;
      const step = acceptTotp(this.directory.totpSecret(user.id, user.totp_secret_encrypted), code, null, now.getTime());
      if (step === null) {
        const next = afterFailure(state, this.config.login, now);
        await this.staff.setLoginFailures(tx, user.id, next.failedLogins, next.lockedUntil);
        await this.audit.append(
          {
            actor: null,
            action: 'auth.login_failed',
            target: { type: 'staff_user', id: user.id },
            detail: { reason: 'wrong enrolment code', locked: isLocked(next, now) },
          },
          tx,
        );
        return isLocked(next, now) ? null : { wrongCode: true };
      }
      await this.staff.markTotpEnrolled(tx, user.id);
      await this.audit.append({ actor: { id: user.id, role: user.role }, action: 'auth.totp_enrolled', target: { type: 'staff_user', id: user.id } }, tx);
      return this.startSession(tx, user, step, now);
    });
    if (!outcome) throw new ProblemException('login_failed');
    return outcome;
  }

  /** The QR code page again (after a wrong code) for a ticket that is still good; else null. */
  async enrolmentOf(ticket: string): Promise<EnrolmentRequired['enrolment'] | null> {
    const userId = ticketUserId(ticket);
    const user = userId && /^[0-9a-f-]{36}$/i.test(userId) ? await this.staff.findById(this.dataSource, userId) : undefined;
    if (!user || user.totp_enrolled_at !== null || !verifyEnrolmentTicket(this.config.tokenSigningKey, ticket, user.totp_secret_encrypted)) return null;
    const secret = this.directory.totpSecret(user.id, user.totp_secret_encrypted);
    return { ticket, otpauthUri: otpauthUri(secret, user.email), secret, email: user.email };
  }

  private async startSession(tx: EntityManager, user: { id: string; role: StaffPrincipal['role'] }, step: number | null, now: Date): Promise<SignedIn> {
    const { token, tokenHash } = newAccessToken();
    const maxExpiresAt = new Date(now.getTime() + this.config.staffSession.maxMs);
    const expiresAt = min(new Date(now.getTime() + this.config.staffSession.idleMs), maxExpiresAt);
    const sessionId = randomUUID();
    await this.staff.recordLogin(tx, user.id, step);
    await this.sessions.insert(tx, { id: sessionId, staff_user_id: user.id, token_hash: tokenHash, expires_at: expiresAt, max_expires_at: maxExpiresAt });
    await this.audit.append({ actor: { id: user.id, role: user.role }, action: 'auth.login', target: { type: 'staff_session', id: sessionId } }, tx);
    return { accessToken: token, expiresAt };
  }

  private digest(email: string): string {
    return createHmac('sha256', this.config.tokenSigningKey).update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
  }

  /**
   * The principal of a token, or null if it is unknown, expired, revoked or its user disabled. Use
   * extends the session's idle lapse, unless `extend` is false (a page asking in the background).
   */
  async authenticate(token: string, options: { extend?: boolean } = {}): Promise<StaffPrincipal | null> {
    const row = await this.sessions.findLive(this.dataSource, hashAccessToken(token));
    if (!row) return null;
    let expiresAt: Date = row.expires_at;
    const extended = min(new Date(Date.now() + this.config.staffSession.idleMs), row.max_expires_at);
    if (options.extend !== false && extended.getTime() - expiresAt.getTime() > EXTEND_EVERY_MS) {
      await this.sessions.extend(this.dataSource, row.session_id, extended);
      expiresAt = extended;
    }
    return {
      id: row.id,
      email: row.email,
      role: row.role,
      agency: row.agency,
      language: row.language,
      sessionId: row.session_id,
      sessionExpiresAt: expiresAt,
      passwordChangeRequired: row.password_change_required,
    };
  }

  /**
   * The signed-in user's own new password, in place of `current` (which must be right). A wrong
   * current password counts as a failed login (LOGIN_MAX_FAILURES in a row lock the account for
   * LOGIN_LOCKOUT, and while it is locked nothing is checked), so a session left open cannot be
   * used to guess it. Once changed, the admin's initial password (if it was one) is void, the
   * user's other sessions end (whoever knew the old password and signed in with it is out) and
   * this one goes on; audited in the same transaction. The form checks the new password's rules
   * first (pages/account-form.ts); they are checked here again.
   */
  async changePassword(staff: StaffPrincipal, current: string, next: string): Promise<PasswordChange> {
    if (next.length < MIN_PASSWORD_LENGTH || next.length > MAX_PASSWORD_LENGTH || next === current) throw new ProblemException('bad_request');
    const nextHash = await hashPassword(next);
    return this.dataSource.transaction(async (tx): Promise<PasswordChange> => {
      const now = new Date();
      const actor = { id: staff.id, role: staff.role };
      // Locked like a login's row: parallel guesses are counted one after the other.
      const user = await this.staff.findByIdForUpdate(tx, staff.id);
      if (!user || user.disabled_at) throw new ProblemException('unauthorized');
      const state = { failedLogins: user.failed_logins, lockedUntil: user.locked_until };
      if (isLocked(state, now)) {
        // As at a login: attempts on a locked account are not checked and do not extend the lock.
        await this.audit.append(
          { actor, action: 'user.password_change_failed', target: { type: 'staff_user', id: staff.id }, detail: { reason: 'locked', locked: false } },
          tx,
        );
        return { changed: false, reason: 'locked' };
      }
      if (!(await verifyPassword(user.password_hash, current))) {
        const after = afterFailure(state, this.config.login, now);
        await this.staff.setLoginFailures(tx, user.id, after.failedLogins, after.lockedUntil);
        const lockedNow = isLocked(after, now);
        await this.audit.append(
          { actor, action: 'user.password_change_failed', target: { type: 'staff_user', id: staff.id }, detail: { reason: 'wrong password', locked: lockedNow } },
          tx,
        );
        return { changed: false, reason: lockedNow ? 'locked' : 'wrong password' };
      }
      await this.staff.setPassword(tx, user.id, nextHash);
      const revoked = await this.sessions.revokeAllOfExcept(tx, user.id, staff.sessionId, 'password changed');
      await this.audit.append(
        {
          actor,
          action: 'user.password_changed',
          target: { type: 'staff_user', id: staff.id },
          detail: { wasRequired: user.password_change_required, sessionsRevoked: revoked },
        },
        tx,
      );
      return { changed: true, sessionsRevoked: revoked };
    });
  }

  /**
   * Ends the session of a token a browser still carries when it signs in again (the new session's
   * cookie replaces it, so nothing would ever use or end it). Audited as that session's logout.
   */
  async revokeToken(token: string, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const session = await this.sessions.revokeByTokenHash(tx, hashAccessToken(token), reason);
      if (!session) return false;
      await this.audit.append(
        {
          actor: { id: session.staff_user_id, role: session.role },
          action: 'auth.logout',
          target: { type: 'staff_session', id: session.id },
          detail: { reason },
        },
        tx,
      );
      return true;
    });
  }

  /** Every session of this user ends, on every device. */
  async logoutEverywhere(staff: StaffPrincipal): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const revoked = await this.sessions.revokeAllOf(tx, staff.id, 'logout everywhere');
      await this.audit.append(
        {
          actor: actorOf(staff),
          action: 'auth.logout_everywhere',
          target: { type: 'staff_user', id: staff.id },
          detail: { sessionsRevoked: revoked },
        },
        tx,
      );
      return revoked;
    });
  }

  async setLanguage(staff: StaffPrincipal, language: 'en' | 'fr' | 'ar' | null): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.staff.setLanguage(tx, staff.id, language);
      await this.audit.append({ actor: actorOf(staff), action: 'user.language_set', target: { type: 'staff_user', id: staff.id }, detail: { language } }, tx);
    });
  }

  async logout(staff: StaffPrincipal): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.sessions.revoke(tx, staff.sessionId, 'logout');
      await this.audit.append({ actor: actorOf(staff), action: 'auth.logout', target: { type: 'staff_session', id: staff.sessionId } }, tx);
    });
  }
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
