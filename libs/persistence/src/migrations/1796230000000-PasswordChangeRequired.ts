import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a user must choose their own password before anything else. An admin who creates a
 * user in the console (or with `user:create --totp qr`) chooses the initial password and hands it
 * over, so they would know it for ever: such a user is sent to change it at their first sign-in.
 * Existing users chose theirs with whoever created them, as before: false.
 */
export class PasswordChangeRequired1796230000000 implements MigrationInterface {
  name = 'PasswordChangeRequired1796230000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE staff_user ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE staff_user DROP COLUMN password_change_required`);
  }
}
