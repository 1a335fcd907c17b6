import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The senior analysts' review list and its quality figures, at any number of cases: the cases
 * waiting for a second review (partial: only those are in it), and the second reviews and appeal
 * decisions by time (partial: assessments themselves are most of the table).
 */
export class ReviewListIndexes1796220000000 implements MigrationInterface {
  name = 'ReviewListIndexes1796220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX case_pending_review_idx ON "case" (priority DESC, id) WHERE status = 'pending_review'`);
    await db.query(`CREATE INDEX assessment_review_idx ON assessment (kind, created_at) WHERE kind IN ('review', 'appeal_review')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX assessment_review_idx`);
    await db.query(`DROP INDEX case_pending_review_idx`);
  }
}
