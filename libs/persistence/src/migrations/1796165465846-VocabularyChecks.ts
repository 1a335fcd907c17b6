import { MigrationInterface, QueryRunner } from 'typeorm';

// The vocabulary of libs/domain at the time of writing, as literals: a migration is a snapshot and
// must not follow later edits (test/e2e/vocabulary-schema.e2e-spec.ts compares the schema with
// the domain lists, so a later change of a list needs a migration of its own).
const REPORTED_CONTENT_TYPES = `'images', 'videos', 'text', 'livestream', 'other'`;
const VERDICTS = `'baseline', 'national', 'harmful_not_illegal', 'not_illegal', 'unassessable', 'out_of_remit'`;
const CASE_STATUSES = `'queued', 'in_assessment', 'pending_review', 'confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable',
  'out_of_remit', 'actioned', 'removed', 'closed', 'reappeared'`;

const CHECKS: { table: string; name: string; check: string }[] = [
  { table: 'report', name: 'report_content_type_ck', check: `content_type IN (${REPORTED_CONTENT_TYPES})` },
  { table: '"case"', name: 'case_content_type_ck', check: `content_type IN (${REPORTED_CONTENT_TYPES})` },
  { table: '"case"', name: 'case_verdict_ck', check: `verdict IN (${VERDICTS})` },
  // The events are the source of every statistic: a status no one can count must not get in.
  { table: 'case_event', name: 'case_event_from_status_ck', check: `from_status IN (${CASE_STATUSES})` },
  { table: 'case_event', name: 'case_event_to_status_ck', check: `to_status IN (${CASE_STATUSES})` },
];

/**
 * Columns that hold vocabulary but had no CHECK: the reported content type of reports and cases,
 * the verdict of a case, and the statuses of its events. Every other vocabulary column has had
 * one since it was made.
 *
 * Outside a transaction, so the big tables (reports, events) are checked without stopping intake
 * and triage: each constraint is added NOT VALID (enforced for new rows at once, a moment's
 * lock), then validated against the existing rows while writes go on. Dropping first makes a
 * run that stopped halfway safe to repeat.
 */
export class VocabularyChecks1796165465846 implements MigrationInterface {
  name = 'VocabularyChecks1796165465846';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    for (const { table, name, check } of CHECKS) {
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}`);
      await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (${check}) NOT VALID`);
      await db.query(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const { table, name } of [...CHECKS].reverse()) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}`);
  }
}
