import { parseDurationMs, validateEnvironment } from '@hotline/config';
import { deadLetterRepository, type DeadLetterRow } from '@hotline/persistence';
import { Job, JobsOptions } from 'bullmq';
import type { DataSource } from 'typeorm';
import { DELIVER_EXCHANGE_MESSAGE, JOB_OPTIONS, JobName, JOBS, partnerDeliveryQueue, QueueName } from './queue.constants';

/** Attempts and first backoff of an exchange delivery (HotlineConfig.exchange: EXCHANGE_ATTEMPTS, EXCHANGE_BACKOFF). */
export interface ExchangeDeliverySettings {
  attempts: number;
  backoffMs: number;
}

/** The options of a delivery job in a partner's queue: the exchange's attempts, exponential backoff. */
export function exchangeDeliveryOptions(exchange: ExchangeDeliverySettings): JobsOptions {
  return { ...JOB_OPTIONS.standard, attempts: exchange.attempts, backoff: { type: 'exponential', delay: exchange.backoffMs, jitter: 0.2 } };
}

const PARTNER_QUEUE_PREFIX = partnerDeliveryQueue('');

/** The exchange settings of this process's environment (as loadConfig reads them), when none were given. */
function exchangeSettingsFromEnvironment(): ExchangeDeliverySettings {
  try {
    const vars = validateEnvironment(process.env);
    return { attempts: vars.EXCHANGE_ATTEMPTS, backoffMs: parseDurationMs(vars.EXCHANGE_BACKOFF)! };
  } catch {
    return { attempts: 8, backoffMs: 2000 };
  }
}
import { QueueRegistry } from './queue-registry';

export interface DeadLetter {
  id: string;
  queue: string;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
  error: string;
  attempts: number;
  failedAt: string;
  redrivenAt: string | null;
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  id: String(row.id),
  queue: row.queue,
  jobName: row.job_name,
  jobId: row.job_id,
  payload: row.payload,
  error: row.error,
  attempts: row.attempts,
  failedAt: row.failed_at.toISOString(),
  redrivenAt: row.redriven_at?.toISOString() ?? null,
});

/**
 * Jobs that exhausted their attempts (or failed for good), kept in PostgreSQL with their error so
 * an operator sees them, a metric counts them and `dlq:redrive` sends them again. The BullMQ job
 * itself stays in its queue's failed set (removeOnFail: false); a redrive retries that job, or
 * adds it again under the same id if it was cleaned away.
 */
export class DeadLetters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    /** The exchange's delivery settings (config.exchange), for re-adding a partner queue's job; read from the environment when not given. */
    private readonly exchange?: ExchangeDeliverySettings,
  ) {}

  async record(queue: QueueName | string, job: Job, error: Error): Promise<void> {
    await deadLetterRepository.record(this.dataSource, {
      queue,
      job_name: job.name,
      job_id: job.id!,
      payload: job.data ?? {},
      error: `${error.name}: ${error.message}`.slice(0, 2000),
      attempts: job.attemptsMade,
    });
  }

  async list(options: { all?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
    const rows = await deadLetterRepository.list(this.dataSource, { all: options.all ?? false, limit: options.limit ?? 1000 });
    return rows.map(toDeadLetter);
  }

  async countOpen(): Promise<number> {
    return deadLetterRepository.countOpen(this.dataSource);
  }

  async countOpenByQueue(): Promise<{ queue: string; n: number }[]> {
    return deadLetterRepository.countOpenByQueue(this.dataSource);
  }

  /** Sends open dead letters back to their queues; returns the ids redriven and those not open. */
  async redrive(target: { id: string } | { all: true }): Promise<{ redriven: string[]; notOpen: string[] }> {
    let rows: DeadLetterRow[];
    if ('id' in target) {
      const row = await deadLetterRepository.findOpen(this.dataSource, target.id);
      if (!row) return { redriven: [], notOpen: [target.id] };
      rows = [row];
    } else {
      rows = await deadLetterRepository.listOpen(this.dataSource);
    }
    const redriven: string[] = [];
    for (const row of rows) {
      await this.sendBack(row);
      await deadLetterRepository.markRedriven(this.dataSource, row.id);
      redriven.push(String(row.id));
    }
    return { redriven, notOpen: [] };
  }

  private async sendBack(row: DeadLetterRow): Promise<void> {
    const queue = this.queues.get(row.queue);
    const job = await Job.fromId(queue, row.job_id);
    if (!job) {
      await queue.add(row.job_name, row.payload, { ...this.optionsOf(row), jobId: row.job_id });
    } else if (await job.isFailed()) {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
    // Otherwise the job is already back in the queue (waiting, active, delayed) or done.
  }

  /** The options a job gets when it is added again: its kind's (JOBS), or a partner queue's delivery options. */
  private optionsOf(row: DeadLetterRow): JobsOptions {
    if (row.queue.startsWith(PARTNER_QUEUE_PREFIX) && row.job_name === DELIVER_EXCHANGE_MESSAGE) {
      return exchangeDeliveryOptions(this.exchange ?? exchangeSettingsFromEnvironment());
    }
    const name = row.job_name as JobName;
    return Object.hasOwn(JOBS, name) ? JOBS[name].options() : JOB_OPTIONS.standard;
  }
}
