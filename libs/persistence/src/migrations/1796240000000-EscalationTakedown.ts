import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, everything after confirmation: the abuse-contact directory and notices to hosts with
 * their reminders, police referrals addressed to an agency (the liaison inbox) and police holds,
 * removal checks, the confirmed-URL list with its subscriber API keys, trusted-source bulk
 * batches with known content hashes, and reporter feedback mails. Also the outbox pins the
 * composition of each batch before it is published, so any relay retries exactly that batch.
 */
export class EscalationTakedown1796240000000 implements MigrationInterface {
  name = 'EscalationTakedown1796240000000';

  async up(db: QueryRunner): Promise<void> {
    // ---- abuse contacts of hosting providers (admins maintain them; CSV and RDAP-file imports) --
    // A contact answers for one registrable domain (a site's own abuse desk, e.g. an image host)
    // or for one autonomous system (the network's abuse desk, as RDAP gives it). A notice goes to
    // the domain's contact when there is one, else to the ASN's.
    await db.query(`
      CREATE TABLE abuse_contact (
        id uuid PRIMARY KEY,
        organisation text NOT NULL,
        email text NOT NULL,
        language text NOT NULL DEFAULT 'en',
        domain text,
        asn bigint,
        source text NOT NULL CHECK (source IN ('manual', 'csv', 'rdap')),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT abuse_contact_scope_ck CHECK ((domain IS NULL) <> (asn IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX abuse_contact_domain_uq ON abuse_contact (domain) WHERE domain IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX abuse_contact_asn_uq ON abuse_contact (asn) WHERE asn IS NOT NULL`);

    // ---- actions: reminders, agencies, delivery ----------------------------------------------
    await db.query(`ALTER TABLE action DROP CONSTRAINT action_kind_check`);
    await db.query(`ALTER TABLE action ADD CONSTRAINT action_kind_check CHECK (kind IN ('police_referral', 'notice', 'partner_forward', 'reminder'))`);
    await db.query(`
      ALTER TABLE action
        -- A reminder's notice; an escalation for an unanswered notice: that notice.
        ADD COLUMN parent_action_id uuid REFERENCES action (id),
        -- police_referral: the agency whose liaisons receive it (staff_user.agency).
        ADD COLUMN agency text,
        -- police_referral: why it was made (the case was confirmed; the host ignored its reminders).
        ADD COLUMN escalation text CHECK (escalation IN ('confirmed', 'notice_unanswered')),
        -- notice, reminder: the abuse desk it went to (a host's address, never a reporter's).
        ADD COLUMN abuse_contact_id uuid REFERENCES abuse_contact (id) ON DELETE SET NULL,
        ADD COLUMN recipient text,
        ADD COLUMN language text,
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN acknowledged_by uuid REFERENCES staff_user (id),
        -- notice: when its next reminder is due (null: none is, e.g. not sent yet or removed).
        ADD COLUMN next_reminder_at timestamptz,
        ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0`);
    await db.query(`CREATE INDEX action_reminder_due_idx ON action (next_reminder_at) WHERE kind = 'notice' AND next_reminder_at IS NOT NULL`);
    await db.query(`CREATE INDEX action_agency_inbox_idx ON action (agency, created_at) WHERE kind = 'police_referral'`);
    // What waits for a liaison: the inbox's first part and its count, without reading the agency's history.
    await db.query(`CREATE INDEX action_agency_unacknowledged_idx ON action (agency, created_at) WHERE kind = 'police_referral' AND acknowledged_at IS NULL`);
    await db.query(`CREATE INDEX action_parent_idx ON action (parent_action_id) WHERE parent_action_id IS NOT NULL`);

    // ---- police holds: police preserve evidence before the host is told -------------------------
    // While a hold is in force no notice or reminder goes to the host; the clocks keep running.
    await db.query(`
      CREATE TABLE notice_hold (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        agency text NOT NULL,
        reason text NOT NULL,
        placed_by uuid NOT NULL REFERENCES staff_user (id),
        placed_at timestamptz NOT NULL DEFAULT now(),
        lifted_by uuid REFERENCES staff_user (id),
        lifted_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX notice_hold_active_uq ON notice_hold (case_id) WHERE lifted_at IS NULL`);

    // ---- removal checks: the last outcome only (never what was seen beyond the status) ---------
    await db.query(`
      CREATE TABLE removal_check (
        case_id uuid PRIMARY KEY REFERENCES "case" (id),
        checked_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('online', 'gone', 'refused', 'redirected', 'unreachable')),
        http_status integer,
        checks integer NOT NULL DEFAULT 1,
        next_check_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX removal_check_due_idx ON removal_check (next_check_at)`);
    // The monitor's candidates among a million cases: the few confirmed, not yet removed ones, and
    // those removed lately (watched for reappearance); both small, so its scan is an index scan.
    await db.query(`CREATE INDEX case_removal_watch_idx ON "case" (id) WHERE status IN ('confirmed', 'actioned')`);
    await db.query(`CREATE INDEX case_reappearance_watch_idx ON "case" (removed_at) WHERE status IN ('removed', 'closed')`);

    // ---- API keys of organisations (URL-list subscribers, trusted bulk sources) ----------------
    // The key is shown once; only the SHA-256 of the whole key is kept (it has 256 random bits,
    // so a slow hash adds nothing). `prefix` is the key's public part, to find it and list it.
    await db.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash char(64) NOT NULL,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['url_list', 'url_list_hashes', 'bulk_reports']::text[]),
        daily_quota integer CHECK (daily_quota > 0),
        created_by uuid REFERENCES staff_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid REFERENCES staff_user (id),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX api_key_prefix_uq ON api_key (prefix)`);

    // ---- the confirmed-URL list, versioned for deltas ----------------------------------------
    // A case is listed while confirmed or actioned (illegal, not yet removed). The trigger below
    // notes each change with a null version; versions are handed out later under one lock, in
    // commit order, so a subscriber asking for changes since version v never misses one that
    // committed late (see UrlListRepository).
    await db.query(`CREATE SEQUENCE url_list_version_seq`);
    await db.query(`
      CREATE TABLE url_list_entry (
        case_id uuid PRIMARY KEY REFERENCES "case" (id),
        canonical_url text NOT NULL,
        url_sha256 char(64) NOT NULL,
        listed boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        version bigint
      )`);
    await db.query(`CREATE INDEX url_list_entry_version_idx ON url_list_entry (version)`);
    await db.query(`CREATE INDEX url_list_entry_unversioned_idx ON url_list_entry (case_id) WHERE version IS NULL`);
    // The full list walks only what is listed (entries of removed cases stay, unlisted, for deltas).
    await db.query(`CREATE INDEX url_list_entry_listed_idx ON url_list_entry (case_id) WHERE listed`);
    await db.query(`
      CREATE FUNCTION url_list_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        now_listed boolean := NEW.status IN ('confirmed', 'actioned');
      BEGIN
        INSERT INTO url_list_entry (case_id, canonical_url, url_sha256, listed, changed_at, version)
        VALUES (NEW.id, NEW.canonical_url, encode(sha256(convert_to(NEW.canonical_url, 'UTF8')), 'hex'), now_listed, now(), NULL)
        ON CONFLICT (case_id) DO UPDATE
          SET listed = EXCLUDED.listed, canonical_url = EXCLUDED.canonical_url, url_sha256 = EXCLUDED.url_sha256,
              changed_at = EXCLUDED.changed_at, version = NULL;
        RETURN NULL;
      END $$`);
    // Fires only when a case joins or leaves the list: triage's inserts and moves between other
    // statuses pay nothing.
    await db.query(`
      CREATE TRIGGER url_list_on_insert AFTER INSERT ON "case"
        FOR EACH ROW WHEN (NEW.status IN ('confirmed', 'actioned')) EXECUTE FUNCTION url_list_note_change()`);
    await db.query(`
      CREATE TRIGGER url_list_on_status AFTER UPDATE OF status ON "case"
        FOR EACH ROW WHEN ((OLD.status IN ('confirmed', 'actioned')) IS DISTINCT FROM (NEW.status IN ('confirmed', 'actioned')))
        EXECUTE FUNCTION url_list_note_change()`);
    // Cases already confirmed when this runs are on the list from the start.
    await db.query(`
      INSERT INTO url_list_entry (case_id, canonical_url, url_sha256, listed, changed_at, version)
      SELECT id, canonical_url, encode(sha256(convert_to(canonical_url, 'UTF8')), 'hex'), true, now(), NULL
        FROM "case" WHERE status IN ('confirmed', 'actioned')`);

    // ---- trusted-source bulk batches and known content hashes -------------------------------
    await db.query(`ALTER TABLE reported_url ADD COLUMN content_hashes text[]`);
    await db.query(`
      CREATE TABLE bulk_batch (
        api_key_id uuid NOT NULL REFERENCES api_key (id),
        batch_id text NOT NULL,
        report_id uuid NOT NULL REFERENCES report (id),
        url_count integer NOT NULL,
        known_hash_matches integer NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (api_key_id, batch_id)
      )`);
    await db.query(`
      CREATE TABLE bulk_usage (
        api_key_id uuid NOT NULL REFERENCES api_key (id),
        day date NOT NULL,
        urls integer NOT NULL,
        PRIMARY KEY (api_key_id, day)
      )`);
    // Content hashes confirmed before (a partner's hash list, our own confirmed items): a bulk URL
    // that comes with one of them joins the known-URL list, so its case is settled at triage.
    await db.query(`
      CREATE TABLE known_hash (
        algorithm text NOT NULL CHECK (algorithm IN ('sha256', 'sha1', 'md5')),
        value text NOT NULL CHECK (value ~ '^[0-9a-f]+$'),
        verdict text NOT NULL CHECK (verdict IN ('baseline', 'national')),
        list_name text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (algorithm, value)
      )`);

    // ---- reporter feedback: each public status a reporter is told, once ----------------------
    await db.query(`
      CREATE TABLE report_feedback (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
        public_status text NOT NULL CHECK (public_status IN ('in_review', 'action_taken', 'closed')),
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        UNIQUE (report_id, public_status)
      )`);
    // How far the feedback scan has read case_event (one row).
    await db.query(`CREATE TABLE feedback_cursor (id boolean PRIMARY KEY DEFAULT true CHECK (id), last_event_id bigint NOT NULL)`);
    await db.query(`INSERT INTO feedback_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM case_event`);

    // ---- outbox: a batch is published as the same set of rows, by whichever relay -------------
    // A relay pins the rows of a batch (their first row's id) and commits before it publishes, so
    // a publication retried after a lost reply, a crash or a failed commit forms the same batch,
    // with the same job id, which the queue recognises (ADR 0013).
    await db.query(`ALTER TABLE outbox ADD COLUMN batch_id bigint`);
    await db.query(`CREATE INDEX outbox_pinned_batch_idx ON outbox (batch_id) WHERE batch_id IS NOT NULL AND published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX outbox_pinned_batch_idx`);
    await db.query(`ALTER TABLE outbox DROP COLUMN batch_id`);
    await db.query(`DROP TABLE feedback_cursor`);
    await db.query(`DROP TABLE report_feedback`);
    await db.query(`DROP TABLE known_hash`);
    await db.query(`DROP TABLE bulk_usage`);
    await db.query(`DROP TABLE bulk_batch`);
    await db.query(`ALTER TABLE reported_url DROP COLUMN content_hashes`);
    await db.query(`DROP TRIGGER url_list_on_status ON "case"`);
    await db.query(`DROP TRIGGER url_list_on_insert ON "case"`);
    await db.query(`DROP FUNCTION url_list_note_change()`);
    await db.query(`DROP TABLE url_list_entry`);
    await db.query(`DROP SEQUENCE url_list_version_seq`);
    await db.query(`DROP TABLE api_key`);
    await db.query(`DROP TABLE removal_check`);
    await db.query(`DROP INDEX case_removal_watch_idx`);
    await db.query(`DROP INDEX case_reappearance_watch_idx`);
    await db.query(`DROP TABLE notice_hold`);
    await db.query(`DELETE FROM action WHERE kind = 'reminder'`);
    await db.query(`
      ALTER TABLE action
        DROP COLUMN parent_action_id, DROP COLUMN agency, DROP COLUMN escalation, DROP COLUMN abuse_contact_id, DROP COLUMN recipient,
        DROP COLUMN language, DROP COLUMN sent_at, DROP COLUMN acknowledged_at, DROP COLUMN acknowledged_by, DROP COLUMN next_reminder_at, DROP COLUMN reminders_sent`);
    await db.query(`ALTER TABLE action DROP CONSTRAINT action_kind_check`);
    await db.query(`ALTER TABLE action ADD CONSTRAINT action_kind_check CHECK (kind IN ('police_referral', 'notice', 'partner_forward'))`);
    await db.query(`DROP TABLE abuse_contact`);
  }
}
