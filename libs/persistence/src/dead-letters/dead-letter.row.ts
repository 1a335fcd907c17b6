/** One row of dead_letter: a job that exhausted its attempts (or failed for good), until it is redriven. */
export interface DeadLetterRow {
  id: string; // bigint, as text
  queue: string;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
  error: string;
  attempts: number;
  failed_at: Date;
  redriven_at: Date | null;
}
