import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the staff console needs of a user: the language they chose for it, and whether their
 * second factor is enrolled. A user created in the console (or whose second factor an admin
 * reset there) enrols at their first sign-in by scanning a QR code, so no admin ever sees the
 * secret; until then `totp_enrolled_at` is null. Existing users were given their secret by the
 * CLI, so they count as enrolled.
 */
export class ConsoleStaff1796200000000 implements MigrationInterface {
  name = 'ConsoleStaff1796200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE staff_user ADD COLUMN language text, ADD COLUMN totp_enrolled_at timestamptz`);
    await db.query(`ALTER TABLE staff_user ADD CONSTRAINT staff_user_language_ck CHECK (language IN ('en', 'fr', 'ar'))`);
    await db.query(`UPDATE staff_user SET totp_enrolled_at = created_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE staff_user DROP COLUMN language, DROP COLUMN totp_enrolled_at`);
  }
}
