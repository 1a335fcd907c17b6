import { withCorrelationId } from '@hotline/observability';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DeadLetters } from './dead-letters';
import { checkJobHandlers, JobHandlers } from './job-handlers';
import { Correlated, JobName, QueueName } from './queue.constants';

export interface QueueWorkersOptions {
  prefix: string;
  /** A new worker-role connection (one per Worker: BullMQ blocks on it). */
  connect: () => Redis;
  concurrency: Record<QueueName, number>;
  /** BullMQ lockDuration and stalledInterval. */
  lockMs: number;
}

export interface QueueWorkersHooks {
  completed?(queue: QueueName, job: Job): void;
  failed?(queue: QueueName, job: Job, error: Error, final: boolean): void;
}

/**
 * One BullMQ Worker per queue, dispatching each job to its handler by name. Checks at
 * construction that every job name has exactly one handler. A job that fails for good (attempts
 * exhausted, or UnrecoverableError) is recorded as a dead letter. stop() stops taking jobs, lets
 * active ones finish, then closes the connections.
 */
export class QueueWorkers {
  private readonly log = new Logger(QueueWorkers.name);
  private readonly workers: { queue: QueueName; worker: Worker; connection: Redis }[] = [];

  constructor(
    private readonly handlers: JobHandlers,
    private readonly options: QueueWorkersOptions,
    private readonly deadLetters: DeadLetters,
    private readonly hooks: QueueWorkersHooks = {},
  ) {
    checkJobHandlers(handlers as unknown as Record<string, unknown>);
  }

  start(): void {
    for (const queue of Object.values(QueueName)) {
      const connection = this.options.connect();
      const worker = new Worker(queue, (job) => this.process(job), {
        connection,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency[queue],
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
      });
      worker.on('completed', (job) => {
        this.log.debug({ msg: 'job completed', job: { id: job.id, name: job.name, queue }, correlationIds: correlationIdsOf(job) });
        this.hooks.completed?.(queue, job);
      });
      worker.on('failed', (job, error) => job && void this.onFailed(queue, job, error));
      // Connection trouble is reported by the health check and metrics; keep the log to one line.
      worker.on('error', (error) => this.log.warn(`worker ${queue}: ${error.message}`));
      this.workers.push({ queue, worker, connection });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.close()));
    for (const { connection } of this.workers) connection.disconnect();
    this.workers.length = 0;
  }

  private async process(job: Job): Promise<void> {
    const handler = this.handlers[job.name as JobName] as ((payload: unknown, job: Job) => Promise<void>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    // A job for one request's rows works under its correlation id (its log lines, the outbox rows
    // and exchange messages it writes); one batching several requests names them all in its log lines.
    const correlationIds = correlationIdsOf(job);
    await withCorrelationId(correlationIds.length === 1 ? correlationIds[0] : null, () => handler(job.data, job));
  }

  private async onFailed(queue: QueueName, job: Job, error: Error): Promise<void> {
    // BullMQ sets finishedOn only when the job moved to the failed set for good.
    const final = typeof job.finishedOn === 'number';
    this.hooks.failed?.(queue, job, error, final);
    if (!final) return;
    this.log.error({
      msg: `job ${job.id} (${job.name}) failed for good after ${job.attemptsMade} attempts: ${error.message}`,
      job: { id: job.id, name: job.name, queue },
      correlationIds: correlationIdsOf(job),
    });
    try {
      await this.deadLetters.record(queue, job, error);
    } catch (recordError) {
      // The job itself stays in the failed set, so nothing is lost; say so loudly.
      this.log.error(`could not record dead letter for job ${job.id}: ${(recordError as Error).message}`);
    }
  }
}

/** The correlation ids a job carries (Correlated), or none. */
export function correlationIdsOf(job: Pick<Job, 'data'>): string[] {
  const ids = (job.data as Correlated | undefined)?.correlationIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
