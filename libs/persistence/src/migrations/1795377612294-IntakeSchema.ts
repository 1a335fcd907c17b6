import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reports, their URLs, the minimal case table and the outbox: what intake needs. */
export class IntakeSchema1795377612294 implements MigrationInterface {
  name = 'IntakeSchema1795377612294';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report (
        id uuid PRIMARY KEY,
        reference text NOT NULL,
        status_token_hash bytea NOT NULL,
        source text NOT NULL CHECK (source IN ('public_api', 'public_web', 'partner', 'bulk')),
        status text NOT NULL CHECK (status IN ('received', 'in_review', 'action_taken', 'closed')),
        received_at timestamptz NOT NULL,
        status_updated_at timestamptz NOT NULL,
        language text NOT NULL,
        reporter_country char(2),
        content_type text,
        victim_identifiable boolean NOT NULL,
        url_count smallint NOT NULL CHECK (url_count BETWEEN 1 AND 1000),
        contact_encrypted bytea,
        description_encrypted bytea,
        contact_delete_after timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX report_reference_uq ON report (reference)`);
    await db.query(`CREATE INDEX report_contact_delete_after_idx ON report (contact_delete_after) WHERE contact_encrypted IS NOT NULL`);

    await db.query(`
      CREATE TABLE "case" (
        id uuid PRIMARY KEY,
        dedup_key char(64) NOT NULL,
        canonical_url text NOT NULL,
        host text NOT NULL,
        status text NOT NULL,
        queue text,
        priority smallint NOT NULL DEFAULT 0,
        report_count integer NOT NULL DEFAULT 0,
        first_reported_at timestamptz NOT NULL,
        last_reported_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX case_open_dedup_key_uq ON "case" (dedup_key) WHERE status <> 'closed'`);
    await db.query(`CREATE INDEX case_queue_idx ON "case" (queue, priority, first_reported_at)`);

    await db.query(`
      CREATE TABLE reported_url (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
        position smallint NOT NULL,
        raw_url text NOT NULL,
        canonical_url text NOT NULL,
        dedup_key char(64) NOT NULL,
        host text NOT NULL,
        received_at timestamptz NOT NULL,
        case_id uuid REFERENCES "case" (id)
      )`);
    await db.query(`CREATE INDEX reported_url_report_id_idx ON reported_url (report_id)`);
    // Partial: URLs join their case after intake, so intake's inserts do not touch this index.
    // (No index on dedup_key: deduplication looks up the case table, not reported URLs.)
    await db.query(`CREATE INDEX reported_url_case_id_idx ON reported_url (case_id) WHERE case_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await db.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
    await db.query(`CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE reported_url`);
    await db.query(`DROP TABLE "case"`);
    await db.query(`DROP TABLE report`);
  }
}
