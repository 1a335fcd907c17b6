import { AuditActor, AuditLog } from '@hotline/audit';
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
}

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

  async create(input: { email: string; role: string; agency?: string | null; password: string }, actor: AuditActor): Promise<StaffUser & { totpSecret: string }> {
    const email = input.email.trim();
    if (!EMAIL.test(email)) throw new StaffDirectoryError(`not an email address: ${input.email}`);
    const role = checkRole(input.role, input.agency ?? null);
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new StaffDirectoryError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    const id = randomUUID();
    const totpSecret = newTotpSecret();
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (tx) => {
      const [taken] = await tx.query(`SELECT 1 FROM staff_user WHERE lower(email) = lower($1)`, [email]);
      if (taken) throw new StaffDirectoryError(`a user with email ${email} exists`);
      const [row] = await tx.query(
        `INSERT INTO staff_user (id, email, role, agency, password_hash, totp_secret_encrypted) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, email, role, agency, disabled_at, created_at`,
        [id, email, role, input.agency ?? null, passwordHash, this.encryption.encrypt(totpSecret, TOTP_AD(id))],
      );
      await this.audit.append({ actor, action: 'user.created', target: { type: 'staff_user', id }, detail: { role, agency: input.agency ?? null } }, tx);
      return { ...toUser(row), totpSecret };
    });
  }

  async disable(idOrEmail: string, actor: AuditActor): Promise<StaffUser> {
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const [row] = await tx.query(`UPDATE staff_user SET disabled_at = coalesce(disabled_at, now()), updated_at = now() WHERE id = $1 RETURNING *`, [user.id]);
      const revoked = await revokeSessions(tx, user.id, 'user disabled');
      await this.audit.append({ actor, action: 'user.disabled', target: { type: 'staff_user', id: user.id }, detail: { sessionsRevoked: revoked } }, tx);
      return toUser(row);
    });
  }

  async setRole(idOrEmail: string, role: string, agency: string | null, actor: AuditActor): Promise<StaffUser> {
    const checked = checkRole(role, agency);
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const [row] = await tx.query(`UPDATE staff_user SET role = $2, agency = $3, updated_at = now() WHERE id = $1 RETURNING *`, [user.id, checked, agency]);
      const revoked = await revokeSessions(tx, user.id, 'role changed');
      await this.audit.append(
        { actor, action: 'user.role_changed', target: { type: 'staff_user', id: user.id }, detail: { from: user.role, to: checked, agency, sessionsRevoked: revoked } },
        tx,
      );
      return toUser(row);
    });
  }

  /** A new TOTP secret (a lost phone): the old one stops working and every session ends. */
  async resetTotp(idOrEmail: string, actor: AuditActor): Promise<StaffUser & { totpSecret: string }> {
    return this.dataSource.transaction(async (tx) => {
      const user = await this.lockUser(tx, idOrEmail);
      const totpSecret = newTotpSecret();
      const [row] = await tx.query(
        `UPDATE staff_user SET totp_secret_encrypted = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1 RETURNING *`,
        [user.id, this.encryption.encrypt(totpSecret, TOTP_AD(user.id))],
      );
      const revoked = await revokeSessions(tx, user.id, 'second factor reset');
      await this.audit.append({ actor, action: 'user.totp_reset', target: { type: 'staff_user', id: user.id }, detail: { sessionsRevoked: revoked } }, tx);
      return { ...toUser(row), totpSecret };
    });
  }

  async list(): Promise<StaffUser[]> {
    const rows = await this.dataSource.query(`SELECT * FROM staff_user ORDER BY lower(email)`);
    return rows.map(toUser);
  }

  /** The decrypted TOTP secret of a user (login only). */
  totpSecret(userId: string, encrypted: Buffer): string {
    return this.encryption.decrypt(encrypted, TOTP_AD(userId));
  }

  private async lockUser(tx: EntityManager, idOrEmail: string): Promise<{ id: string; role: StaffRole }> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrEmail);
    const [user] = await tx.query(`SELECT id, role FROM staff_user WHERE ${byId ? 'id = $1::uuid' : 'lower(email) = lower($1)'} FOR UPDATE`, [idOrEmail]);
    if (!user) throw new StaffDirectoryError(`no staff user ${idOrEmail}`);
    return user;
  }
}

/** Ends every open session of a user; returns how many. */
export async function revokeSessions(tx: EntityManager, userId: string, reason: string): Promise<number> {
  const rows = await tx.query(
    `UPDATE staff_session SET revoked_at = now(), revoked_reason = $2 WHERE staff_user_id = $1 AND revoked_at IS NULL RETURNING id`,
    [userId, reason],
  );
  // TypeORM returns [rows, count] for UPDATE ... RETURNING.
  return Array.isArray(rows[0]) ? rows[0].length : rows.length;
}

function checkRole(role: string, agency: string | null): StaffRole {
  if (!isStaffRole(role)) throw new StaffDirectoryError(`unknown role ${role}: one of analyst, senior_analyst, le_liaison, regulator, admin`);
  if (role === 'le_liaison' && (agency === null || !AGENCY.test(agency))) throw new StaffDirectoryError('an le_liaison needs --agency (the police agency they work for)');
  if (role !== 'le_liaison' && agency !== null) throw new StaffDirectoryError('only an le_liaison has an agency');
  return role;
}

function toUser(row: { id: string; email: string; role: StaffRole; agency: string | null; disabled_at: Date | null; created_at: Date }): StaffUser {
  return { id: row.id, email: row.email, role: row.role, agency: row.agency, disabledAt: row.disabled_at, createdAt: row.created_at };
}
