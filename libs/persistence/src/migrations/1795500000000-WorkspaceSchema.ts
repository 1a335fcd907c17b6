import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analyst workspace: staff users and their sessions, leases on cases (and the time they were
 * held, for the exposure limit), assessments and reviews (append-only), and the hash-chained
 * audit log, which the database itself refuses to change.
 */
export class WorkspaceSchema1795500000000 implements MigrationInterface {
  name = 'WorkspaceSchema1795500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('analyst', 'senior_analyst', 'le_liaison', 'regulator', 'admin')),
        agency text,
        password_hash text NOT NULL,
        -- The TOTP secret, encrypted like reporter contacts (it is as good as a password).
        totp_secret_encrypted bytea NOT NULL,
        -- The last TOTP time step accepted: a code is good once.
        totp_last_step bigint,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_user_agency_ck CHECK ((role = 'le_liaison') = (agency IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX staff_user_email_uq ON staff_user (lower(email))`);

    // Access tokens are random; only their SHA-256 is stored. Revoking is setting revoked_at.
    await db.query(`
      CREATE TABLE staff_session (
        id uuid PRIMARY KEY,
        staff_user_id uuid NOT NULL REFERENCES staff_user (id),
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        max_expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await db.query(`CREATE UNIQUE INDEX staff_session_token_uq ON staff_session (token_hash)`);
    await db.query(`CREATE INDEX staff_session_user_idx ON staff_session (staff_user_id) WHERE revoked_at IS NULL`);

    // The current lease and verdict of a case live on it; their history in case_lease and assessment.
    await db.query(`
      ALTER TABLE "case"
        ADD COLUMN lease_holder uuid REFERENCES staff_user (id),
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN classification jsonb,
        ADD COLUMN assessed_by uuid REFERENCES staff_user (id),
        ADD COLUMN assessed_at timestamptz,
        ADD COLUMN reviewed_by uuid REFERENCES staff_user (id),
        ADD COLUMN reviewed_at timestamptz,
        ADD CONSTRAINT case_lease_ck CHECK ((status = 'in_assessment') = (lease_holder IS NOT NULL AND lease_expires_at IS NOT NULL))`);
    await db.query(`CREATE INDEX case_lease_expiry_idx ON "case" (lease_expires_at) WHERE status = 'in_assessment'`);
    await db.query(`CREATE INDEX case_lease_holder_idx ON "case" (lease_holder) WHERE status = 'in_assessment'`);

    // Every lease, open or ended: what an analyst held and for how long (the exposure limit).
    await db.query(`
      CREATE TABLE case_lease (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        staff_user_id uuid NOT NULL REFERENCES staff_user (id),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('assessed', 'released', 'lapsed'))
      )`);
    await db.query(`CREATE INDEX case_lease_staff_idx ON case_lease (staff_user_id, claimed_at)`);
    await db.query(`CREATE UNIQUE INDEX case_lease_open_uq ON case_lease (case_id) WHERE ended_at IS NULL`);

    // Assessments, reviews and appeals as they happened; never updated.
    await db.query(`
      CREATE TABLE assessment (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        kind text NOT NULL CHECK (kind IN ('assessment', 'review', 'appeal', 'appeal_review')),
        staff_user_id uuid NOT NULL REFERENCES staff_user (id),
        verdict text CHECK (verdict IN ('baseline', 'national', 'harmful_not_illegal', 'not_illegal', 'unassessable', 'out_of_remit')),
        decision text CHECK (decision IN ('confirm', 'overturn')),
        classification jsonb,
        notes text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX assessment_case_idx ON assessment (case_id, created_at)`);

    await db.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        target_type text,
        target_id text,
        detail jsonb NOT NULL DEFAULT '{}',
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_event_at_idx ON audit_event (at)`);
    await db.query(`CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id)`);
    // Append-only: the database refuses to change or remove an event. (Someone with the power to
    // bypass triggers can still do it; the hash chain is what shows that they did.)
    await db.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_event`);
    await db.query(`DROP FUNCTION audit_event_append_only`);
    await db.query(`DROP TABLE assessment`);
    await db.query(`DROP TABLE case_lease`);
    await db.query(`DROP INDEX case_lease_holder_idx`);
    await db.query(`DROP INDEX case_lease_expiry_idx`);
    await db.query(`
      ALTER TABLE "case"
        DROP CONSTRAINT case_lease_ck,
        DROP COLUMN lease_holder, DROP COLUMN lease_expires_at, DROP COLUMN classification,
        DROP COLUMN assessed_by, DROP COLUMN assessed_at, DROP COLUMN reviewed_by, DROP COLUMN reviewed_at`);
    await db.query(`DROP TABLE staff_session`);
    await db.query(`DROP TABLE staff_user`);
  }
}
