import { Injectable } from '@nestjs/common';
import { eventScanCtes, type OtherTransactions, otherTransactions } from '../case-event-scan';
import { type SqlRunner, updateReturning } from '../sql';
import type { FeedbackCaseFacts, FeedbackMailRow, FeedbackPublicStatus, FeedbackScanBatch, ReportFeedbackRow } from './feedback.row';

// Reads the case events after the feedback cursor and, for the reports with a live contact whose
// URLs are in those cases, the facts of each of their cases. One statement; the cursor row is
// locked until the caller's transaction ends (SKIP LOCKED: a second worker scanning at the same
// moment reads nothing and leaves the batch to the first, instead of reading it twice).
//
// Ids of case_event are handed out when a row is inserted, not when it commits: a transaction may
// still hold id 100 when 101 is visible. Passing 101 then would lose 100 for ever. So the scan
// reads the events in id order and stops at the first gap (an id not visible yet) after $2: the
// caller passes the gaps up to $2 only once it knows no transaction can hold them any more
// (libs/persistence/src/case-event-scan/event-gaps.ts). It learns of the gap from blocked_at, last_read
// and seen_at (clock_timestamp(): read during the statement, so after its snapshot).
//
// Indexes: case_event by primary key (the range after the cursor), reported_url_case_id_idx (the
// reports of those cases), report by primary key, reported_url_report_id_idx (a report's cases),
// case_event_case_idx and action_case_idx (the facts). Most reports have no contact: they drop
// out at the join with report, before any of their facts are read.
const SCAN = `
WITH ${eventScanCtes('SELECT last_event_id FROM feedback_cursor FOR UPDATE SKIP LOCKED')}, touched AS (
  SELECT r.id, r.received_at FROM report r
   WHERE r.id IN (SELECT ru.report_id FROM reported_url ru WHERE ru.case_id IN (SELECT case_id FROM passed))
     AND r.contact_encrypted IS NOT NULL AND r.contact_delete_after > now()
), facts AS (
  SELECT t.id AS report_id, c.status, c.settled_by IS NOT NULL AS settled_without_human,
         EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.to_status = 'in_assessment' AND e.at >= t.received_at) AS claimed_since_report,
         EXISTS (SELECT 1 FROM action a WHERE a.case_id = c.id) AS has_actions
    FROM touched t JOIN "case" c ON c.id IN (SELECT ru.case_id FROM reported_url ru WHERE ru.report_id = t.id)
)
SELECT (SELECT count(*) FROM cursor)::int AS locked,
       (SELECT count(*) FROM read)::int AS read,
       (SELECT max(id) FROM passed)::text AS through,
       (SELECT id FROM blocked)::text AS blocked_at,
       (SELECT max(id) FROM read)::text AS last_read,
       (SELECT count(*) FROM passed WHERE step > 1)::int AS gaps_passed,
       clock_timestamp() AS seen_at,
       coalesce((SELECT json_agg(id) FROM touched), '[]') AS report_ids,
       coalesce((SELECT json_agg(f) FROM facts f), '[]') AS cases`;

// Records the statuses to tell (each once: the unique key (report_id, public_status) drops the
// ones told before), queues one mail per new row in the outbox, and moves the cursor on: one
// statement, in the scan's transaction. The outbox carries the feedback id only.
const RECORD = `
WITH told AS (
  INSERT INTO report_feedback (id, report_id, public_status)
  SELECT id, report_id, public_status FROM json_to_recordset($1::json) AS f(id uuid, report_id uuid, public_status text)
  ON CONFLICT (report_id, public_status) DO NOTHING
  RETURNING id, report_id, public_status
), queued AS (
  INSERT INTO outbox (topic, message_key, payload) SELECT $2::text, 'feedback:' || id, jsonb_build_object('feedbackId', id) FROM told
), moved AS (
  UPDATE feedback_cursor SET last_event_id = $3::bigint WHERE last_event_id < $3::bigint
)
SELECT id, report_id, public_status FROM told`;

/** Reporter feedback (report_feedback, feedback_cursor): which public status each reporter was told, and how far the scan has read. */
@Injectable()
export class FeedbackRepository {
  /**
   * The next batch of case events past the cursor and the reports they touch, with the cursor row
   * locked for the caller's transaction. It stops at the first gap in the ids after
   * `passGapsThrough` (none passed when null). Null when another scan holds the cursor.
   */
  async scanBatch(db: SqlRunner, options: { limit: number; passGapsThrough: string | null }): Promise<FeedbackScanBatch | null> {
    const [row]: {
      locked: number;
      read: number;
      through: string | null;
      blocked_at: string | null;
      last_read: string | null;
      gaps_passed: number;
      seen_at: Date;
      report_ids: string[];
      cases: FeedbackCaseFacts[];
    }[] = await db.query(SCAN, [options.limit, options.passGapsThrough]);
    if (row.locked === 0) return null;
    return {
      through: row.through,
      read: row.read,
      blockedAt: row.blocked_at,
      lastRead: row.last_read,
      gapsPassed: row.gaps_passed,
      seenAt: new Date(row.seen_at),
      reportIds: row.report_ids,
      cases: row.cases,
    };
  }

  /** The other transactions on the database (case-event-scan/other-transactions.ts); first thing in the scan's transaction. */
  otherTransactions(db: SqlRunner): Promise<OtherTransactions> {
    return otherTransactions(db);
  }

  /**
   * Records the public statuses to tell, queues a mail (`mailTopic`, key `feedback:<id>`) for each
   * one not told before, and moves the cursor to `through`. Returns the rows that are new.
   */
  async recordAndAdvance(
    db: SqlRunner,
    through: string,
    feedback: readonly { id: string; reportId: string; status: FeedbackPublicStatus }[],
    mailTopic: string,
  ): Promise<Pick<ReportFeedbackRow, 'id' | 'report_id' | 'public_status'>[]> {
    const rows = feedback.map((f) => ({ id: f.id, report_id: f.reportId, public_status: f.status }));
    return db.query(RECORD, [JSON.stringify(rows), mailTopic, through]);
  }

  /** Where the scan has read to. */
  async cursor(db: SqlRunner): Promise<string> {
    const [row]: { last_event_id: string }[] = await db.query(`SELECT last_event_id::text AS last_event_id FROM feedback_cursor`);
    return row.last_event_id;
  }

  /** A feedback row and its report, locked for the caller's transaction (one sender at a time). */
  async findForMail(db: SqlRunner, id: string): Promise<FeedbackMailRow | undefined> {
    const [row]: FeedbackMailRow[] = await db.query(
      `SELECT f.id, f.public_status, f.state, r.id AS report_id, r.reference, r.language, r.contact_encrypted, r.contact_delete_after
         FROM report_feedback f JOIN report r ON r.id = f.report_id
        WHERE f.id = $1
        FOR UPDATE OF f`,
      [id],
    );
    return row;
  }

  async findByReport(db: SqlRunner, reportId: string): Promise<ReportFeedbackRow[]> {
    return db.query(`SELECT * FROM report_feedback WHERE report_id = $1 ORDER BY created_at, public_status`, [reportId]);
  }

  // Each mark returns the public status of the row it changed (for metrics), or null when none changed.

  async markSent(db: SqlRunner, id: string, attempts: number): Promise<FeedbackPublicStatus | null> {
    return this.mark(db, `UPDATE report_feedback SET state = 'sent', sent_at = now(), attempts = $2, last_error = NULL WHERE id = $1 RETURNING public_status`, [
      id,
      attempts,
    ]);
  }

  /** One attempt failed; the mail is tried again (the row stays pending). */
  async markAttemptFailed(db: SqlRunner, id: string, code: string, attempts: number): Promise<FeedbackPublicStatus | null> {
    return this.mark(db, `UPDATE report_feedback SET attempts = $2, last_error = $3 WHERE id = $1 AND state IN ('pending', 'failed') RETURNING public_status`, [
      id,
      attempts,
      code,
    ]);
  }

  /** The mail could not be delivered for good (it is a dead letter now; a redrive tries again). */
  async markFailed(db: SqlRunner, id: string, code: string, attempts: number): Promise<FeedbackPublicStatus | null> {
    return this.mark(db, `UPDATE report_feedback SET state = 'failed', attempts = $2, last_error = $3 WHERE id = $1 AND state <> 'sent' RETURNING public_status`, [
      id,
      attempts,
      code,
    ]);
  }

  /** Nothing to send any more (the contact was erased meanwhile): `reason` is an allowlisted code. */
  async markSkipped(db: SqlRunner, id: string, reason: string): Promise<FeedbackPublicStatus | null> {
    return this.mark(db, `UPDATE report_feedback SET state = 'skipped', last_error = $2 WHERE id = $1 AND state IN ('pending', 'failed') RETURNING public_status`, [
      id,
      reason,
    ]);
  }

  private async mark(db: SqlRunner, sql: string, params: unknown[]): Promise<FeedbackPublicStatus | null> {
    const rows = await updateReturning<Pick<ReportFeedbackRow, 'public_status'>>(db, sql, params);
    return rows[0]?.public_status ?? null;
  }
}

export const feedbackRepository = new FeedbackRepository();
