import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: the correlation id of the request (or job) that wrote an outbox row or an outgoing
 * exchange message, so one request can be followed through the relay, the jobs and the partner's
 * delivery (docs/adr/0017-correlation-ids.md). A random token, never personal data; null for rows
 * written before, or outside of any request or job.
 */
export class CorrelationIds1796270000000 implements MigrationInterface {
  name = 'CorrelationIds1796270000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE outbox ADD COLUMN correlation_id text
        CONSTRAINT outbox_correlation_id_ck CHECK (correlation_id ~ '^[A-Za-z0-9-]{8,64}$')`);
    await db.query(`
      ALTER TABLE exchange_message ADD COLUMN correlation_id text
        CONSTRAINT exchange_message_correlation_id_ck CHECK (correlation_id ~ '^[A-Za-z0-9-]{8,64}$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE exchange_message DROP COLUMN correlation_id`);
    await db.query(`ALTER TABLE outbox DROP COLUMN correlation_id`);
  }
}
