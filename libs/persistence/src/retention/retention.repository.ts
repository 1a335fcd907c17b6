import { PurgeCounts, RAW_URL_PURGE_STATUSES, RetentionClass, RetentionCutoffs } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';

// The one purge at a time, across workers and the CLI (a session lock: a run spans several transactions).
const RETENTION_PURGE_LOCK = 0x52_45_54_4e; // "RETN"

// The statuses as the raw-URL purge spells them, word for word the predicate of the partial index
// case_settled_not_illegal_idx (migration 1796260000000): a parameter would leave the planner
// unable to prove the index covers the query.
const SETTLED_NOT_ILLEGAL_SQL = `c.status IN ('not_illegal', 'harmful_not_illegal', 'out_of_remit', 'unassessable')`;
if (SETTLED_NOT_ILLEGAL_SQL !== `c.status IN (${RAW_URL_PURGE_STATUSES.map((s) => `'${s}'`).join(', ')})`) {
  throw new Error('RAW_URL_PURGE_STATUSES of libs/domain changed: change the raw-URL purge and case_settled_not_illegal_idx with it');
}

// A report is held when any case of its URLs is on legal hold.
const REPORT_NOT_HELD = `NOT EXISTS (SELECT 1 FROM reported_url ru JOIN legal_hold h ON h.case_id = ru.case_id AND h.lifted_at IS NULL WHERE ru.report_id = r.id)`;

/**
 * What is due in each class, as one SELECT of the ids to take, with its parameters: the same text
 * counts them (a dry run) and takes them (in batches, oldest first, skipping rows another
 * transaction holds). The rules are those of libs/domain/src/retention, in SQL; each requires the
 * data to be there still, so a second run finds nothing (idempotent).
 */
function dueOf(kind: RetentionClass, cutoffs: RetentionCutoffs): { from: string; order: string; lock: string; params: unknown[] } {
  switch (kind) {
    case 'reporter_contact':
      return {
        from: `SELECT r.id FROM report r WHERE r.contact_encrypted IS NOT NULL AND (r.contact_delete_after <= $1 OR r.received_at <= $2) AND ${REPORT_NOT_HELD}`,
        order: 'r.received_at, r.id',
        lock: 'r',
        params: [cutoffs.now, cutoffs.contactReceivedBy],
      };
    case 'report_description':
      return {
        from: `SELECT r.id FROM report r WHERE r.description_encrypted IS NOT NULL AND r.received_at <= $1 AND ${REPORT_NOT_HELD}`,
        order: 'r.received_at, r.id',
        lock: 'r',
        params: [cutoffs.descriptionReceivedBy],
      };
    case 'raw_url':
      // When the case entered its status: its latest status-bearing event (case_event_case_idx, backwards).
      return {
        from: `SELECT ru.id FROM "case" c
                 CROSS JOIN LATERAL (SELECT e.at FROM case_event e WHERE e.case_id = c.id AND e.to_status IS NOT NULL ORDER BY e.id DESC LIMIT 1) settled
                 JOIN reported_url ru ON ru.case_id = c.id AND ru.received_at <= $1 AND ru.raw_url IS NOT NULL
                WHERE ${SETTLED_NOT_ILLEGAL_SQL} AND settled.at <= $1
                  AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.case_id = c.id AND h.lifted_at IS NULL)
                  -- Evidence: a case confirmed in any appearance (removed, reappeared, then not illegal) keeps every raw URL.
                  AND NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.to_status = 'confirmed')`,
        order: 'ru.received_at, ru.id',
        lock: 'ru',
        params: [cutoffs.rawUrlSettledBy],
      };
    case 'staff_session':
      return {
        from: `SELECT s.id FROM staff_session s WHERE least(s.expires_at, s.max_expires_at, coalesce(s.revoked_at, 'infinity')) <= $1`,
        order: 's.id',
        lock: 's',
        params: [cutoffs.sessionEndedBy],
      };
  }
}

// What taking one class's due rows means: personal data nulled, the record kept; sessions deleted.
const TAKE: Record<RetentionClass, (ids: string) => string> = {
  reporter_contact: (ids) => `UPDATE report SET contact_encrypted = NULL, contact_delete_after = NULL WHERE id IN (${ids}) AND contact_encrypted IS NOT NULL`,
  report_description: (ids) => `UPDATE report SET description_encrypted = NULL WHERE id IN (${ids}) AND description_encrypted IS NOT NULL`,
  raw_url: (ids) => `UPDATE reported_url SET raw_url = NULL WHERE id IN (${ids}) AND raw_url IS NOT NULL`,
  staff_session: (ids) => `DELETE FROM staff_session WHERE id IN (${ids})`,
};

/**
 * The retention purge's SQL (see libs/domain/src/retention): set-based, batched, and serialised by
 * a session advisory lock so two workers (or a worker and the CLI) never run it at once. The
 * audit log is never touched: it refuses updates and deletes anyway.
 */
@Injectable()
export class RetentionRepository {
  /** Takes the purge lock on this connection (a QueryRunner's: it must be the same one that unlocks); false when another run holds it. */
  async tryLockPurge(db: SqlRunner): Promise<boolean> {
    const [row]: { locked: boolean }[] = await db.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RETENTION_PURGE_LOCK]);
    return row.locked;
  }

  async unlockPurge(db: SqlRunner): Promise<void> {
    await db.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_PURGE_LOCK]);
  }

  /** How many rows of the class are due now (what a run would take, legal holds respected). */
  async countDue(db: SqlRunner, kind: RetentionClass, cutoffs: RetentionCutoffs): Promise<number> {
    const due = dueOf(kind, cutoffs);
    const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM (${due.from}) due`, due.params);
    return row.n;
  }

  /** Takes at most `limit` due rows of the class, oldest first, skipping rows another transaction holds; how many it took. */
  async purgeBatch(db: SqlRunner, kind: RetentionClass, cutoffs: RetentionCutoffs, limit: number): Promise<number> {
    const due = dueOf(kind, cutoffs);
    const limitParam = `$${due.params.length + 1}`;
    const ids = `${due.from} ORDER BY ${due.order} LIMIT ${limitParam} FOR UPDATE OF ${due.lock} SKIP LOCKED`;
    // TypeORM answers UPDATE and DELETE on PostgreSQL with [rows, affectedCount].
    const [, count]: [unknown, number] = await db.query(TAKE[kind](ids), [...due.params, limit]);
    return count;
  }

  /** Every class's due count (a dry run). */
  async countAllDue(db: SqlRunner, kinds: readonly RetentionClass[], cutoffs: RetentionCutoffs): Promise<PurgeCounts> {
    const counts = {} as PurgeCounts;
    for (const kind of kinds) counts[kind] = await this.countDue(db, kind, cutoffs);
    return counts;
  }
}

export const retentionRepository = new RetentionRepository();
