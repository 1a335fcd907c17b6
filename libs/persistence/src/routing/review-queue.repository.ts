import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ReviewQueueLoad, ReviewQueueRow, WaitingCountMismatch } from './review-queue.row';

/**
 * The queues overview: each queue's count of waiting cases from review_queue_waiting (kept by the
 * triggers on "case", the sum of the queue's slots), and its oldest waiting case, the first entry
 * of case_waiting_since_idx. A handful of rows and one index probe per queue, however many cases
 * wait (ADR 0012). Exported for bench:claims, which explains it.
 */
export const QUEUES_OVERVIEW_SQL = `SELECT q.name, q.description, coalesce(w.open, 0)::int AS open,
        extract(epoch FROM now() - oldest.queued_at)::float8 AS oldest_seconds
   FROM review_queue q
   LEFT JOIN (SELECT queue, sum(waiting) AS open FROM review_queue_waiting GROUP BY queue) w ON w.queue = q.name
   LEFT JOIN LATERAL (
     SELECT c.queued_at FROM "case" c WHERE c.queue = q.name AND c.status = 'queued' ORDER BY c.queued_at LIMIT 1
   ) oldest ON true
  ORDER BY q.name`;

/** The analyst review queues (rows, not BullMQ queues). */
@Injectable()
export class ReviewQueueRepository {
  /** Every queue's name, in order. */
  async names(db: SqlRunner): Promise<string[]> {
    const rows: Pick<ReviewQueueRow, 'name'>[] = await db.query(`SELECT name FROM review_queue ORDER BY name`);
    return rows.map((row) => row.name);
  }

  async exists(db: SqlRunner, name: string): Promise<boolean> {
    const [row] = await db.query(`SELECT 1 FROM review_queue WHERE name = $1`, [name]);
    return row !== undefined;
  }

  /** Every queue, in name order, with its waiting cases: how many, and the age of the oldest. */
  async listWithOpenCases(db: SqlRunner): Promise<ReviewQueueLoad[]> {
    return db.query(QUEUES_OVERVIEW_SQL);
  }

  /**
   * The kept counts against a real count of the waiting cases, in one statement (one snapshot, so
   * writers committing meanwhile cannot make it differ). Reads every waiting case: an operator's
   * check (queues:verify-counts), not a page's query. `queues` is how many queues were compared: every
   * review queue, and any other name a case or a count carries.
   */
  async verifyWaitingCounts(db: SqlRunner): Promise<{ queues: number; mismatches: WaitingCountMismatch[] }> {
    const rows: (WaitingCountMismatch & { matches: boolean })[] = await db.query(
      `WITH kept AS (SELECT queue, sum(waiting) AS n FROM review_queue_waiting GROUP BY queue),
            real AS (SELECT queue, count(*) AS n FROM "case" WHERE status = 'queued' AND queue IS NOT NULL GROUP BY queue),
            queues AS (SELECT name AS queue FROM review_queue UNION SELECT queue FROM kept UNION SELECT queue FROM real)
       SELECT q.queue, coalesce(k.n, 0)::int AS counted, coalesce(r.n, 0)::int AS waiting, coalesce(k.n, 0) = coalesce(r.n, 0) AS matches
         FROM queues q LEFT JOIN kept k ON k.queue = q.queue LEFT JOIN real r ON r.queue = q.queue
        ORDER BY q.queue`,
    );
    return { queues: rows.length, mismatches: rows.filter((row) => !row.matches).map(({ queue, counted, waiting }) => ({ queue, counted, waiting })) };
  }
}

export const reviewQueueRepository = new ReviewQueueRepository();
