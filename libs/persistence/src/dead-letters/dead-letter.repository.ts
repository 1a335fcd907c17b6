import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { DeadLetterRow } from './dead-letter.row';

/** Dead letters: at most one open (not redriven) per queue and job id. */
@Injectable()
export class DeadLetterRepository {
  /** Opens the job's dead letter, or updates the open one (a job that fails again before its redrive). */
  async record(db: SqlRunner, letter: Pick<DeadLetterRow, 'queue' | 'job_name' | 'job_id' | 'payload' | 'error' | 'attempts'>): Promise<void> {
    await db.query(
      `INSERT INTO dead_letter (queue, job_name, job_id, payload, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (queue, job_id) WHERE redriven_at IS NULL
       DO UPDATE SET error = excluded.error, attempts = excluded.attempts, failed_at = now()`,
      [letter.queue, letter.job_name, letter.job_id, JSON.stringify(letter.payload), letter.error, letter.attempts],
    );
  }

  /** Oldest first; the open ones only unless `all`. */
  async list(db: SqlRunner, options: { all: boolean; limit: number }): Promise<DeadLetterRow[]> {
    return db.query(`SELECT * FROM dead_letter WHERE $1 OR redriven_at IS NULL ORDER BY id LIMIT $2`, [options.all, options.limit]);
  }

  async countOpen(db: SqlRunner): Promise<number> {
    const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM dead_letter WHERE redriven_at IS NULL`);
    return row.n;
  }

  /** Open dead letters per queue (only queues that have some). */
  async countOpenByQueue(db: SqlRunner): Promise<{ queue: string; n: number }[]> {
    return db.query(`SELECT queue, count(*)::int AS n FROM dead_letter WHERE redriven_at IS NULL GROUP BY queue ORDER BY queue`);
  }

  /** The dead letter `id` if it is open. */
  async findOpen(db: SqlRunner, id: string): Promise<DeadLetterRow | undefined> {
    const [row]: DeadLetterRow[] = await db.query(`SELECT * FROM dead_letter WHERE id = $1 AND redriven_at IS NULL`, [id]);
    return row;
  }

  /** Every open dead letter, oldest first. */
  async listOpen(db: SqlRunner): Promise<DeadLetterRow[]> {
    return db.query(`SELECT * FROM dead_letter WHERE redriven_at IS NULL ORDER BY id`);
  }

  async markRedriven(db: SqlRunner, id: string): Promise<void> {
    await db.query(`UPDATE dead_letter SET redriven_at = now() WHERE id = $1`, [id]);
  }
}

export const deadLetterRepository = new DeadLetterRepository();
