/** One row of review_queue: an analyst review queue (cases wait in it by "case".queue). */
export interface ReviewQueueRow {
  name: string;
  description: string;
  created_at: Date;
}

/** A review queue with the cases waiting in it (status `queued`). */
export type ReviewQueueLoad = Pick<ReviewQueueRow, 'name' | 'description'> & {
  open: number;
  /** Seconds since the oldest waiting case was queued; null when none waits. */
  oldest_seconds: number | null;
};
