import { AuditActor, AuditLog } from '@hotline/audit';
import { type StaffUserSummary, staffRepository, staffSessionRepository } from '@hotline/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FieldEncryption } from '../field-encryption';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { isStaffRole, StaffRole } from './staff-roles';
import { newTotpSecret } from './totp';

/** A refused change to the staff directory, in words an operator can act on. */
export class StaffDirectoryError extends Error {
  override readonly name = 'StaffDirectoryError';
}

export interface StaffUser {
  id: string;
  email: string;
  role: StaffRole;
  agency: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  /** False while the user has still to enrol their second factor by QR code. */
  totpEnrolled: boolean;
  /** True until the user replaces the first password an admin chose. */
  passwordChangeRequired: boolean;
}

/**
 * How a new secret reaches its user: `shown` to whoever made the change (the CLI prints it once),
 * or by `qr-code` on the user's own screen at their next sign-in, so no admin ever sees it.
 */
export type TotpDelivery = 'shown' | 'qr-code';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const AGENCY = /^\S(.{0,98}\S)?$/;
const TOTP_AD = (userId: string) => `staff_user.totp:${userId}`;

/**
 * Staff users: created, disabled, given a new role or a new TOTP secret. Every change is audited
 * in the same transaction and revokes the user's sessions at once (a disabled user, or one whose
 * role changed, is signed out everywhere).
 */
export class StaffDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditLog,
  ) {}

  async create(
    input: { email: string; role: string; agency?: string | null; password: string },
    actor: AuditActor,
    delivery: TotpDelivery = 'shown',
  ): Promise<StaffUser & { totpSecret: string }> {
    const email = input.email.trim();
    if (!EMAIL.test(email)) throw new StaffDirectoryError(`not an email address: ${input.email}`);
    const role = checkRole(input.role, input.agency ?? null);
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new StaffDirectoryError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    const id = randomUUID();
    const totpSecret = newTotpSecret();
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (tx) => {
      if (await staffRepository.emailTaken(tx, email)) throw new StaffDirectoryError(`a user with email ${email} exists`);
      const row = await staffRepository.insert(tx, {
        id,
        email,
        role,
        agency: input.agency ?? null,
        password_hash: passwordHash,
        totp_secret_encrypted: this.encryption.encrypt(totpSecret, TOTP_AD(id)),
        totpEnrolled: delivery === 'shown',
        // Enrolled by QR code (the console, `--totp qr`): the admin chose the password and handed
        // it over, so the user chooses their own at their first sign-in.
        passwordChangeRequired: delivery === 'qr-code',
      });
      // Another admin created this email between the check and the insert (the unique index said so):
      // the same refusal as the check's, not an error of the server.
      if (!row) throw new StaffDirectoryError(`a user with email ${email} exists`);
      await this.audit.append(
        {
          actor,
          action: 'user.created',
          target: { type: 'staff_user', id },
          detail: { role, agency: input.agency ?? null, totpDelivery: delivery, passwordChangeRequired: delivery === 'qr-code' },
        },
        tx,
      );
      return { ...toUser(row), totpSecret };
    });
  }

  async disable(idOrEmail: string, actor: AuditActor): Promise<StaffUser> {
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const row = await staffRepository.disable(tx, user.id);
      const revoked = await staffSessionRepository.revokeAllOf(tx, user.id, 'user disabled');
      await this.audit.append({ actor, action: 'user.disabled', target: { type: 'staff_user', id: user.id }, detail: { sessionsRevoked: revoked } }, tx);
      return toUser(row);
    });
  }

  async setRole(idOrEmail: string, role: string, agency: string | null, actor: AuditActor): Promise<StaffUser> {
    const checked = checkRole(role, agency);
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const row = await staffRepository.setRole(tx, user.id, checked, agency);
      const revoked = await staffSessionRepository.revokeAllOf(tx, user.id, 'role changed');
      await this.audit.append(
        { actor, action: 'user.role_changed', target: { type: 'staff_user', id: user.id }, detail: { from: user.role, to: checked, agency, sessionsRevoked: revoked } },
        tx,
      );
      return toUser(row);
    });
  }

  /** A new TOTP secret (a lost phone): the old one stops working and every session ends. */
  async resetTotp(idOrEmail: string, actor: AuditActor, delivery: TotpDelivery = 'shown'): Promise<StaffUser & { totpSecret: string }> {
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const totpSecret = newTotpSecret();
      const row = await staffRepository.setTotpSecret(tx, user.id, this.encryption.encrypt(totpSecret, TOTP_AD(user.id)), delivery === 'shown');
      const revoked = await staffSessionRepository.revokeAllOf(tx, user.id, 'second factor reset');
      await this.audit.append(
        { actor, action: 'user.totp_reset', target: { type: 'staff_user', id: user.id }, detail: { sessionsRevoked: revoked, totpDelivery: delivery } },
        tx,
      );
      return { ...toUser(row), totpSecret };
    });
  }

  async list(): Promise<StaffUser[]> {
    const rows = await staffRepository.list(this.dataSource);
    return rows.map(toUser);
  }

  /**
   * A fresh secret for a user whose enrolment is pending, stored in place of the one before (in
   * the caller's transaction, which holds the user's row): shown as a QR code at sign-in.
   */
  async newPendingSecret(tx: EntityManager, userId: string): Promise<{ secret: string; encrypted: Buffer }> {
    const secret = newTotpSecret();
    const encrypted = this.encryption.encrypt(secret, TOTP_AD(userId));
    await staffRepository.setTotpSecret(tx, userId, encrypted, false);
    return { secret, encrypted };
  }

  /** The decrypted TOTP secret of a user (login only). */
  totpSecret(userId: string, encrypted: Buffer): string {
    return this.encryption.decrypt(encrypted, TOTP_AD(userId));
  }

  private async lockUser(tx: EntityManager, idOrEmail: string): Promise<{ id: string; role: StaffRole }> {
    const user = await staffRepository.lockByIdOrEmail(tx, idOrEmail);
    if (!user) throw new StaffDirectoryError(`no staff user ${idOrEmail}`);
    return user;
  }
}

function checkRole(role: string, agency: string | null): StaffRole {
  if (!isStaffRole(role)) throw new StaffDirectoryError(`unknown role ${role}: one of analyst, senior_analyst, le_liaison, regulator, admin`);
  if (role === 'le_liaison' && (agency === null || !AGENCY.test(agency))) throw new StaffDirectoryError('an le_liaison needs --agency (the police agency they work for)');
  if (role !== 'le_liaison' && agency !== null) throw new StaffDirectoryError('only an le_liaison has an agency');
  return role;
}

function toUser(row: StaffUserSummary): StaffUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    agency: row.agency,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    totpEnrolled: row.totp_enrolled_at !== null,
    passwordChangeRequired: row.password_change_required,
  };
}
