import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, retention and legal hold. A legal hold on a case suspends the purge of everything
 * the purge would take from it (its raw URLs, the contact and description of its reports) until
 * it is lifted; one hold at a time per case, the history kept. The purge takes raw URLs by
 * nulling them (the canonical form and dedup key stay: deduplication and statistics need them),
 * so `reported_url.raw_url` may now be null. The indexes let each purge find what is due
 * without reading every report: partial, so intake pays only for rows that carry such data.
 */
export class LegalHold1796260000000 implements MigrationInterface {
  name = 'LegalHold1796260000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE legal_hold (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES "case" (id),
        reason text NOT NULL,
        placed_by uuid NOT NULL REFERENCES staff_user (id),
        placed_at timestamptz NOT NULL DEFAULT now(),
        lifted_by uuid REFERENCES staff_user (id),
        lifted_reason text,
        lifted_at timestamptz,
        CONSTRAINT legal_hold_lifted_ck CHECK ((lifted_at IS NULL) = (lifted_by IS NULL) AND (lifted_at IS NULL) = (lifted_reason IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX legal_hold_active_uq ON legal_hold (case_id) WHERE lifted_at IS NULL`);
    await db.query(`CREATE INDEX legal_hold_case_idx ON legal_hold (case_id, placed_at)`);

    await db.query(`ALTER TABLE reported_url ALTER COLUMN raw_url DROP NOT NULL`);
    // Reports still holding a contact or a description, by age (the contact's own erasure date has report_contact_delete_after_idx).
    await db.query(`CREATE INDEX report_contact_received_idx ON report (received_at) WHERE contact_encrypted IS NOT NULL`);
    await db.query(`CREATE INDEX report_description_received_idx ON report (received_at) WHERE description_encrypted IS NOT NULL`);
    // The cases whose raw URLs the purge takes once settled long enough: those settled not illegal.
    await db.query(`CREATE INDEX case_settled_not_illegal_idx ON "case" (id) WHERE status IN ('not_illegal', 'harmful_not_illegal', 'out_of_remit', 'unassessable')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX case_settled_not_illegal_idx`);
    await db.query(`DROP INDEX report_description_received_idx`);
    await db.query(`DROP INDEX report_contact_received_idx`);
    // A purged raw URL is gone; its canonical form is the closest thing left to put back.
    await db.query(`UPDATE reported_url SET raw_url = canonical_url WHERE raw_url IS NULL`);
    await db.query(`ALTER TABLE reported_url ALTER COLUMN raw_url SET NOT NULL`);
    await db.query(`DROP TABLE legal_hold`);
  }
}
