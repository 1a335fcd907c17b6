import { REAPPEARANCE_WATCH_MS, REAPPEARANCE_WATCH_STATUSES, REMOVAL_WATCH_STATUSES, RemovalCheckOutcome } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import type { CaseRow } from '../cases/case.row';
import type { SqlRunner } from '../sql';

// Namespace of the advisory locks that keep one case's check with one worker (no other lock uses it).
const REMOVAL_CHECK_LOCK = 0x7e_30_7a_1c;

// The watched statuses as lockDue spells them, word for word the predicates of the partial indexes
// case_removal_watch_idx and case_reappearance_watch_idx (migration 1796240000000): a parameter or
// another spelling could leave the planner unable to prove a branch covered by its index.
const REMOVAL_WATCH_SQL = `status IN ('confirmed', 'actioned')`;
const REAPPEARANCE_WATCH_SQL = `status IN ('removed', 'closed')`;
if (
  REMOVAL_WATCH_SQL !== `status IN (${REMOVAL_WATCH_STATUSES.map((s) => `'${s}'`).join(', ')})` ||
  REAPPEARANCE_WATCH_SQL !== `status IN (${REAPPEARANCE_WATCH_STATUSES.map((s) => `'${s}'`).join(', ')})`
) {
  throw new Error('the watched statuses of libs/domain changed: change lockDue and the partial indexes with them');
}

/** The last removal check of a case: its outcome and status code only, never what was seen beyond them. */
export interface RemovalCheckRow {
  case_id: string;
  checked_at: Date;
  outcome: RemovalCheckOutcome;
  http_status: number | null;
  checks: number;
  next_check_at: Date;
}

/** A case due for a check, as the monitor needs it, with the outcome of its last check (null: never checked). */
export type DueCase = Pick<CaseRow, 'id' | 'canonical_url' | 'status' | 'removed_at'> & { last_outcome: RemovalCheckOutcome | null };

/** One outcome to write. */
export interface CheckOutcome {
  caseId: string;
  checkedAt: Date;
  outcome: RemovalCheckOutcome;
  httpStatus: number | null;
}

/**
 * removal_check: one row per case that was checked, the last outcome. The monitor takes due cases
 * under advisory locks (skipped when held: two workers never check the same case at once) and
 * writes the outcomes in the same transaction; status changes follow in transactions of their own.
 */
@Injectable()
export class RemovalCheckRepository {
  /**
   * Cases due at the database's now: confirmed content not yet removed, or content removed within
   * the watch period, never checked or whose next check has come; never-checked first, then the
   * longest waiting, each with the outcome of its last check. Each is held by an advisory lock of
   * the caller's transaction, skipping those another worker holds. Not a row lock: the checks take
   * seconds, and triage attaching a storm of reports of a confirmed URL, or an analyst, must not
   * wait for them. The two watched sets are read apart, each on its partial index (never a scan of
   * every case), and only they are joined to removal_check and ordered.
   */
  lockDue(db: SqlRunner, limit: number): Promise<DueCase[]> {
    return db.query(
      `SELECT due.id, due.canonical_url, due.status, due.removed_at, due.last_outcome FROM (
         SELECT w.id, w.canonical_url, w.status, w.removed_at, rc.outcome AS last_outcome FROM (
           SELECT id, canonical_url, status, removed_at FROM "case" WHERE ${REMOVAL_WATCH_SQL}
           UNION ALL
           SELECT id, canonical_url, status, removed_at FROM "case"
            WHERE ${REAPPEARANCE_WATCH_SQL} AND removed_at >= now() - $1 * interval '1 millisecond'
         ) w
           LEFT JOIN removal_check rc ON rc.case_id = w.id
          WHERE rc.next_check_at IS NULL OR rc.next_check_at <= now()
          ORDER BY rc.next_check_at NULLS FIRST, w.id
          LIMIT $2 * 4
       ) due
       -- Evaluated row by row over the candidates, in their order, until the limit: no sort above
       -- it, so no lock is taken beyond the cases returned and those another worker holds.
       WHERE pg_try_advisory_xact_lock($3::int, hashtext(due.id::text))
       LIMIT $2`,
      [REAPPEARANCE_WATCH_MS, limit, REMOVAL_CHECK_LOCK],
    );
  }

  /** Writes outcomes (one statement for the batch); each case is checked again `intervalMs` after its check. */
  async record(db: SqlRunner, outcomes: CheckOutcome[], intervalMs: number): Promise<void> {
    if (outcomes.length === 0) return;
    await db.query(
      `INSERT INTO removal_check (case_id, checked_at, outcome, http_status, checks, next_check_at)
       SELECT o.case_id, o.checked_at, o.outcome, o.http_status, 1, o.checked_at + $2 * interval '1 millisecond'
         FROM json_to_recordset($1::json) AS o(case_id uuid, checked_at timestamptz, outcome text, http_status int)
       ON CONFLICT (case_id) DO UPDATE
          SET checked_at = EXCLUDED.checked_at, outcome = EXCLUDED.outcome, http_status = EXCLUDED.http_status,
              checks = removal_check.checks + 1, next_check_at = EXCLUDED.next_check_at`,
      [JSON.stringify(outcomes.map((o) => ({ case_id: o.caseId, checked_at: o.checkedAt.toISOString(), outcome: o.outcome, http_status: o.httpStatus }))), intervalMs],
    );
  }

  /** The last check of a case (the case page shows it), or null when it was never checked. */
  async lastOf(db: SqlRunner, caseId: string): Promise<RemovalCheckRow | null> {
    const [row]: RemovalCheckRow[] = await db.query(`SELECT * FROM removal_check WHERE case_id = $1`, [caseId]);
    return row ?? null;
  }

  /**
   * Locks a case for a status change after its check, taking its dedup key's lock first as triage
   * does (key, then row): a report of the URL being placed at this moment and the monitor's
   * reappearance never both reopen it. The case as it is now, or null.
   */
  async lockCaseAndKey(
    db: SqlRunner,
    caseId: string,
  ): Promise<Pick<CaseRow, 'id' | 'status' | 'removed_at' | 'first_reported_at' | 'last_reported_at' | 'reappeared_count'> | null> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended(dedup_key, 0)) FROM "case" WHERE id = $1`, [caseId]);
    const [row] = await db.query(`SELECT id, status, removed_at, first_reported_at, last_reported_at, reappeared_count FROM "case" WHERE id = $1 FOR UPDATE`, [caseId]);
    return row ?? null;
  }
}

export const removalCheckRepository = new RemovalCheckRepository();
