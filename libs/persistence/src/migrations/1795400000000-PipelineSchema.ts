import { MigrationInterface, QueryRunner } from 'typeorm';

// The routing rules a new installation starts with (the same as DEFAULT_ROUTING_RULES in
// libs/domain at the time of writing; a migration is a snapshot and must not follow later edits).
const DEFAULT_RULES = [
  { name: 'urgent', match: { minPriority: 70 }, queue: 'urgent' },
  { name: 'reappeared', match: { reappeared: true }, queue: 'reappeared' },
  { name: 'partner', match: { sources: ['partner'] }, queue: 'partner-inbound' },
  { name: 'unresolved-hosting', match: { hosting: ['unresolved'] }, queue: 'unresolved-hosting' },
  { name: 'standard', match: {}, queue: 'standard' },
];

const DEFAULT_QUEUES: [string, string][] = [
  ['urgent', 'A child may be in danger now, livestreams, fast-rising reports'],
  ['standard', 'Everything else, by priority then age'],
  ['partner-inbound', 'Cases forwarded by partner hotlines'],
  ['reappeared', 'Content that came back after removal'],
  ['unresolved-hosting', 'Cases whose hosting could not be traced yet'],
];

/**
 * The triage pipeline: what a case learns after intake (hosting, priority and why, routing),
 * its event history, analyst review queues, routing rules as data, the known-URL list and the
 * dead-letter list.
 */
export class PipelineSchema1795400000000 implements MigrationInterface {
  name = 'PipelineSchema1795400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE "case"
        ADD COLUMN registrable_domain text,
        ADD COLUMN source text NOT NULL DEFAULT 'public' CHECK (source IN ('public', 'partner', 'bulk')),
        ADD COLUMN language text,
        ADD COLUMN content_type text,
        ADD COLUMN victim_identifiable boolean NOT NULL DEFAULT false,
        ADD COLUMN priority_factors jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN routed_by text,
        ADD COLUMN queued_at timestamptz,
        ADD COLUMN reappeared_count integer NOT NULL DEFAULT 0,
        ADD COLUMN hosting_status text NOT NULL DEFAULT 'pending'
          CHECK (hosting_status IN ('pending', 'resolved', 'unresolved', 'onion')),
        -- What routing sees: 'unknown' until a trace exists, 'unresolved' once a lookup failed.
        ADD COLUMN hosting_class text NOT NULL DEFAULT 'unknown'
          CHECK (hosting_class IN ('domestic', 'foreign', 'unknown', 'onion', 'unresolved')),
        ADD COLUMN hosting jsonb,
        ADD COLUMN hosting_error text,
        ADD COLUMN known_url_id uuid,
        ADD COLUMN settled_by text CHECK (settled_by IN ('known_url')),
        ADD COLUMN verdict text`);
    await db.query(`ALTER TABLE "case" ADD CONSTRAINT case_status_ck CHECK (status IN (
      'queued', 'in_assessment', 'pending_review', 'confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable',
      'out_of_remit', 'actioned', 'removed', 'closed', 'reappeared'))`);
    // "Next case" of a review queue: highest priority, then oldest. Partial, so it holds only what
    // waits, however many cases have ever existed.
    await db.query(`DROP INDEX case_queue_idx`);
    await db.query(`CREATE INDEX case_next_in_queue_idx ON "case" (queue, priority DESC, queued_at, id) WHERE status = 'queued'`);
    await db.query(`CREATE INDEX case_registrable_domain_idx ON "case" (registrable_domain, status)`);
    // Deduplication also looks up the latest closed case of a key (it reappears); the unique index
    // covers open cases only. Partial, so only closed cases pay for it.
    await db.query(`CREATE INDEX case_closed_dedup_key_idx ON "case" (dedup_key, created_at DESC) WHERE status = 'closed'`);
    // Room on each page lets updates that touch no indexed column (a hosting trace that leaves the
    // queue and priority as they were) stay on the page without new index entries.
    await db.query(`ALTER TABLE "case" SET (fillfactor = 80)`);
    // Reports of a case in the last hour (velocity) walk this instead of the whole case history.
    await db.query(`DROP INDEX reported_url_case_id_idx`);
    await db.query(`CREATE INDEX reported_url_case_id_idx ON reported_url (case_id, received_at) WHERE case_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE case_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        from_status text,
        to_status text,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX case_event_case_idx ON case_event (case_id, id)`);

    await db.query(`
      CREATE TABLE review_queue (
        name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [name, description] of DEFAULT_QUEUES) {
      await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, $2)`, [name, description]);
    }

    // The whole ordered list is one row: rules are read and replaced as a unit, validated on save.
    await db.query(`
      CREATE TABLE routing_rules (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        rules jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL DEFAULT 'migration'
      )`);
    await db.query(`INSERT INTO routing_rules (rules) VALUES ($1)`, [JSON.stringify(DEFAULT_RULES)]);

    await db.query(`
      CREATE TABLE known_url (
        id uuid PRIMARY KEY,
        dedup_key char(64) NOT NULL,
        canonical_url text NOT NULL,
        verdict text NOT NULL CHECK (verdict IN ('baseline', 'national', 'harmful_not_illegal', 'not_illegal')),
        list_name text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX known_url_dedup_key_uq ON known_url (dedup_key)`);
    await db.query(`ALTER TABLE "case" ADD CONSTRAINT case_known_url_fk FOREIGN KEY (known_url_id) REFERENCES known_url (id)`);

    await db.query(`
      CREATE TABLE dead_letter (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        redriven_at timestamptz
      )`);
    // One open dead letter per job: a job that fails again after a redrive opens a new one.
    await db.query(`CREATE UNIQUE INDEX dead_letter_open_job_uq ON dead_letter (queue, job_id) WHERE redriven_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_letter`);
    await db.query(`ALTER TABLE "case" DROP CONSTRAINT case_known_url_fk`);
    await db.query(`DROP TABLE known_url`);
    await db.query(`DROP TABLE routing_rules`);
    await db.query(`DROP TABLE review_queue`);
    await db.query(`DROP TABLE case_event`);
    await db.query(`DROP INDEX reported_url_case_id_idx`);
    await db.query(`CREATE INDEX reported_url_case_id_idx ON reported_url (case_id) WHERE case_id IS NOT NULL`);
    await db.query(`ALTER TABLE "case" RESET (fillfactor)`);
    await db.query(`DROP INDEX case_closed_dedup_key_idx`);
    await db.query(`DROP INDEX case_registrable_domain_idx`);
    await db.query(`DROP INDEX case_next_in_queue_idx`);
    await db.query(`CREATE INDEX case_queue_idx ON "case" (queue, priority, first_reported_at)`);
    await db.query(`ALTER TABLE "case" DROP CONSTRAINT case_status_ck`);
    await db.query(`
      ALTER TABLE "case"
        DROP COLUMN registrable_domain, DROP COLUMN source, DROP COLUMN language, DROP COLUMN content_type,
        DROP COLUMN victim_identifiable, DROP COLUMN priority_factors, DROP COLUMN routed_by, DROP COLUMN queued_at,
        DROP COLUMN reappeared_count, DROP COLUMN hosting_status, DROP COLUMN hosting_class, DROP COLUMN hosting,
        DROP COLUMN hosting_error, DROP COLUMN known_url_id, DROP COLUMN settled_by,
        DROP COLUMN verdict`);
  }
}
