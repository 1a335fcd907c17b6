import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report's public status is derived from its cases when it is asked for (publicReportStatus in
 * libs/domain): the stored copy was written once, at intake, and never followed the cases, so it
 * said `received` for ever. The columns go, so nothing can read the stale value again.
 */
export class DerivedReportStatus1796165588165 implements MigrationInterface {
  name = 'DerivedReportStatus1796165588165';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE report DROP COLUMN status, DROP COLUMN status_updated_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE report
      ADD COLUMN status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_review', 'action_taken', 'closed')),
      ADD COLUMN status_updated_at timestamptz NOT NULL DEFAULT now()`);
  }
}
