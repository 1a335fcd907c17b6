import type { Job } from 'bullmq';
import { JobName, JobPayloads, JOBS, QueueName } from './queue.constants';

/**
 * A job's processor. It throws on failure (BullMQ retries with backoff), and throws
 * `UnrecoverableError` when retrying cannot help (the job goes straight to the dead letters).
 * It never swallows an error.
 */
export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<void>;

export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Thrown at start-up when a job name has no handler, or a handler names no known job. */
export class JobHandlerError extends Error {}

/** The start-up check: every job name has exactly one handler, and every handler a job name. */
export function checkJobHandlers(handlers: Record<string, unknown>): void {
  const known = new Set<string>(Object.values(JobName));
  const missing = [...known].filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !known.has(name));
  if (missing.length || unknown.length) {
    throw new JobHandlerError(
      [missing.length ? `no handler for ${missing.join(', ')}` : '', unknown.length ? `handlers for unknown jobs ${unknown.join(', ')}` : ''].filter(Boolean).join('; '),
    );
  }
}

/** The job names a queue carries. */
export function jobsOf(queue: QueueName): JobName[] {
  return (Object.keys(JOBS) as JobName[]).filter((name) => JOBS[name].queue === queue);
}
