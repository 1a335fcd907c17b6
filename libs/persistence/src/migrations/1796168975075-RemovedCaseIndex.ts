import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case closer looks for removed cases quiet since their removal (CASE_CLOSE_AFTER). Partial,
 * so only removed cases are in it, however many cases have ever existed.
 */
export class RemovedCaseIndex1796168975075 implements MigrationInterface {
  name = 'RemovedCaseIndex1796168975075';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX case_removed_since_idx ON "case" ((coalesce(removed_at, updated_at)), id) WHERE status = 'removed'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX case_removed_since_idx`);
  }
}
