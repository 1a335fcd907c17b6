import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ReviewQueueLoad, ReviewQueueRow } from './review-queue.row';

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
    return db.query(
      `SELECT q.name, q.description, count(c.id)::int AS open,
              extract(epoch FROM now() - min(c.queued_at))::float8 AS oldest_seconds
         FROM review_queue q LEFT JOIN "case" c ON c.queue = q.name AND c.status = 'queued'
        GROUP BY q.name, q.description ORDER BY q.name`,
    );
  }
}

export const reviewQueueRepository = new ReviewQueueRepository();
