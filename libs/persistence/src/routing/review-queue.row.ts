/** One row of review_queue: an analyst review queue (cases wait in it by "case".queue). */
export interface ReviewQueueRow {
  name: string;
  description: string;
  created_at: Date;
}

/**
 * One row of review_queue_waiting: a share ("slot") of the count of cases waiting (status
 * `queued`) in a queue. The count is the sum of the queue's slots; one slot may be negative.
 * Written only by the triggers on "case" (migration ReviewQueueWaiting, ADR 0012).
 */
export interface ReviewQueueWaitingRow {
  queue: string;
  slot: string;
  waiting: string;
}

/** A review queue with the cases waiting in it (status `queued`). */
export type ReviewQueueLoad = Pick<ReviewQueueRow, 'name' | 'description'> & {
  open: number;
  /** Seconds since the oldest waiting case was queued; null when none waits. */
  oldest_seconds: number | null;
};

/** A queue whose kept count of waiting cases is not the number of cases that wait in it. */
export interface WaitingCountMismatch {
  queue: string;
  counted: number;
  waiting: number;
}
