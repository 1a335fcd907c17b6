import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner exchange: the partner directory with both sides' signing keys, every exchange message
 * in and out (idempotent by message id), the nonces seen (replay protection), the actions taken
 * on confirmed cases, and what a case and a report know about a partner.
 */
export class ExchangeSchema1795600000000 implements MigrationInterface {
  name = 'ExchangeSchema1795600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partner (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        -- ISO 3166-1 alpha-2 codes of the countries whose hosting this partner handles.
        countries text[] NOT NULL CHECK (cardinality(countries) > 0),
        base_url text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        -- Their Ed25519 public key verifies what they send; ours signs what we send them.
        their_key_id text NOT NULL,
        their_public_key text NOT NULL,
        our_key_id text NOT NULL,
        our_public_key text NOT NULL,
        our_private_key_encrypted bytea NOT NULL,
        -- Gapless rotation: our next key pair, made by partner:rotate-key and given to the partner
        -- while we still sign with the current one; partner:rotate-key --activate makes it current.
        our_next_key_id text,
        our_next_public_key text,
        our_next_private_key_encrypted bytea,
        -- Their key before the last partner:set-key, still accepted until previous_their_key_until
        -- (so messages they signed before switching are not refused).
        previous_their_key_id text,
        previous_their_public_key text,
        previous_their_key_until timestamptz,
        rate_limit_per_minute integer NOT NULL DEFAULT 60 CHECK (rate_limit_per_minute > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX partner_name_uq ON partner (name)`);
    await db.query(`CREATE UNIQUE INDEX partner_their_key_uq ON partner (their_key_id)`);
    await db.query(`CREATE INDEX partner_previous_their_key_idx ON partner (previous_their_key_id) WHERE previous_their_key_id IS NOT NULL`);
    await db.query(`CREATE INDEX partner_countries_idx ON partner USING gin (countries) WHERE status = 'active'`);

    await db.query(`
      CREATE TABLE exchange_message (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partner (id),
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        -- The protocol's message id: ours when out, the partner's when in.
        message_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('case.forward', 'case.ack', 'case.status')),
        case_id uuid REFERENCES "case" (id),
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'received')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX exchange_message_uq ON exchange_message (partner_id, direction, message_id)`);
    await db.query(`CREATE INDEX exchange_message_case_idx ON exchange_message (case_id, created_at)`);

    await db.query(`
      CREATE TABLE exchange_nonce (
        partner_id uuid NOT NULL REFERENCES partner (id),
        nonce text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, nonce)
      )`);
    await db.query(`CREATE INDEX exchange_nonce_seen_idx ON exchange_nonce (seen_at)`);

    await db.query(`
      CREATE TABLE action (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        kind text NOT NULL CHECK (kind IN ('police_referral', 'notice', 'partner_forward')),
        -- national_police | interpol | hosting_provider | the partner's name
        channel text NOT NULL,
        partner_id uuid REFERENCES partner (id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'acknowledged', 'failed', 'rejected')),
        -- Why this action: the routing decision in words.
        reason text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        external_ref text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX action_case_idx ON action (case_id, created_at)`);
    await db.query(`CREATE INDEX action_open_idx ON action (kind, status) WHERE status IN ('pending', 'failed')`);

    // A case forwarded to us keeps who sent it and their reference; any case keeps when its
    // content was removed (the statistics' removal clock).
    await db.query(`
      ALTER TABLE "case"
        ADD COLUMN partner_id uuid REFERENCES partner (id),
        ADD COLUMN partner_reference text,
        ADD COLUMN removed_at timestamptz`);
    await db.query(`ALTER TABLE report ADD COLUMN partner_id uuid REFERENCES partner (id), ADD COLUMN partner_reference text`);
    await db.query(`CREATE UNIQUE INDEX report_partner_reference_uq ON report (partner_id, partner_reference) WHERE partner_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX report_partner_reference_uq`);
    await db.query(`ALTER TABLE report DROP COLUMN partner_id, DROP COLUMN partner_reference`);
    await db.query(`ALTER TABLE "case" DROP COLUMN partner_id, DROP COLUMN partner_reference, DROP COLUMN removed_at`);
    await db.query(`DROP TABLE action`);
    await db.query(`DROP TABLE exchange_nonce`);
    await db.query(`DROP TABLE exchange_message`);
    await db.query(`DROP TABLE partner`);
  }
}
