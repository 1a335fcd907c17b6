import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { PartnerRepository } from '@hotline/persistence';
import { createRedis, DeadLetters, DELIVER_EXCHANGE_MESSAGE, partnerDeliveryQueue, QueueRegistry } from '@hotline/queue';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ExchangeDeliveryService } from './exchange-delivery.service';

/** How often the set of active partners is read again (new, disabled, rate changed). */
const REFRESH_MS = 5000;
/** Jobs taken from a disabled partner's queue per read. */
const DRAIN_PAGE = 500;
/** The states of a job that no worker of a disabled partner will ever take. */
const WAITING_STATES = ['waiting', 'delayed', 'prioritized', 'waiting-children'] as const;
/** Deliveries in flight per partner queue; the partner's rate limit bounds them per minute. */
const CONCURRENCY = 2;

interface PartnerWorker {
  rate: number;
  worker: Worker;
  connection: Redis;
}

/**
 * One BullMQ Worker per active partner's delivery queue (`exchange-out-<partner id>`), limited to
 * the partner's rate (rate_limit_per_minute per 60 s), so one partner being slow or down holds up
 * no other. The set follows the partner table: read at start, every five seconds and whenever a
 * message is dispatched. A disabled partner's worker is closed, and the jobs still waiting in its
 * queue are drained at each refresh: their messages fail visibly ("partner <name> is disabled", on
 * the case, in the metrics) and their cases are routed again (ExchangeDeliveryService.failForDisabledPartner).
 * A delivery that fails for good marks its message and case (ExchangeDeliveryService.failed) and
 * becomes a dead letter, which `dlq:redrive` retries in the same queue.
 */
@Injectable()
export class PartnerDeliveryWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(PartnerDeliveryWorkers.name);
  private readonly workers = new Map<string, PartnerWorker>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;
  private readonly failures;

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: ExchangeDeliveryService,
    private readonly deadLetters: DeadLetters,
    private readonly queues: QueueRegistry,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
    private readonly partners: PartnerRepository,
  ) {
    this.failures = metrics.counter('hotline_job_failures_total', 'Failed job attempts; final=true when it became a dead letter', ['queue', 'final']);
  }

  onApplicationBootstrap(): void {
    void this.refresh().catch((error) => this.log.warn(`partner delivery workers: ${(error as Error).message}`));
    this.timer = setInterval(() => void this.refresh().catch((error) => this.log.warn(`partner delivery workers: ${(error as Error).message}`)), REFRESH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(all.map(({ worker }) => worker.close()));
    for (const { connection } of all) connection.disconnect();
  }

  /** The partner ids with a running delivery worker. */
  running(): string[] {
    return [...this.workers.keys()];
  }

  /** Starts workers for new active partners, and stops those of disabled or removed ones. */
  refresh(): Promise<void> {
    // One refresh at a time: a call during one runs after it.
    const run = (this.refreshing ?? Promise.resolve()).catch(() => undefined).then(() => this.sync());
    this.refreshing = run;
    void run
      .finally(() => {
        if (this.refreshing === run) this.refreshing = null;
      })
      .catch(() => undefined);
    return run;
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const partners = await this.partners.listForDelivery(this.dataSource);
    const active = new Map(partners.filter((p) => p.status === 'active').map((p) => [p.id, p.rate_limit_per_minute]));
    for (const [id, running] of [...this.workers]) {
      if (active.get(id) === running.rate) continue;
      this.workers.delete(id);
      await running.worker.close();
      running.connection.disconnect();
    }
    for (const [id, rate] of active) {
      if (this.stopped || this.workers.has(id)) continue;
      this.workers.set(id, this.start(id, rate));
    }
    for (const partner of partners) {
      if (this.stopped || partner.status === 'active') continue;
      try {
        await this.drain(partner);
      } catch (error) {
        this.log.warn(`could not drain the queue of disabled partner ${partner.name}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The jobs waiting in a disabled partner's queue: their messages fail first (idempotent), then
   * the jobs go, so a crash in between leaves nothing silent. Returns how many jobs were drained.
   */
  async drain(partner: { id: string; name: string }): Promise<number> {
    const queue = this.queues.get(partnerDeliveryQueue(partner.id));
    const counts = await queue.getJobCounts(...WAITING_STATES);
    if (Object.values(counts).every((n) => n === 0)) return 0;
    let drained = 0;
    for (;;) {
      const jobs = (await queue.getJobs([...WAITING_STATES], 0, DRAIN_PAGE - 1)).filter((job): job is Job => Boolean(job));
      if (jobs.length === 0) return drained;
      const ids = jobs.filter((job) => job.name === DELIVER_EXCHANGE_MESSAGE).map((job) => (job.data as { messageRowId: string }).messageRowId);
      if (ids.length > 0) await this.delivery.failForDisabledPartner(partner, ids);
      for (const job of jobs) await job.remove();
      drained += jobs.length;
    }
  }

  private start(partnerId: string, rate: number): PartnerWorker {
    const queue = partnerDeliveryQueue(partnerId);
    const connection = createRedis(this.config.redisUrl, 'worker');
    const worker = new Worker(queue, (job) => this.process(job), {
      connection,
      prefix: this.config.redisPrefix,
      concurrency: CONCURRENCY,
      limiter: { max: rate, duration: 60_000 },
      lockDuration: this.config.jobLockMs,
      stalledInterval: this.config.jobLockMs,
    });
    worker.on('failed', (job, error) => job && void this.onFailed(queue, job, error));
    worker.on('error', (error) => this.log.warn(`worker ${queue}: ${error.message}`));
    return { rate, worker, connection };
  }

  private async process(job: Job): Promise<void> {
    if (job.name !== DELIVER_EXCHANGE_MESSAGE) throw new UnrecoverableError(`no handler for job ${job.name}`);
    const { messageRowId } = job.data as { messageRowId: string };
    await this.delivery.deliver(messageRowId);
  }

  private async onFailed(queue: string, job: Job, error: Error): Promise<void> {
    const final = typeof job.finishedOn === 'number';
    this.failures.inc({ queue: 'exchange-out', final: String(final) });
    if (!final) return;
    try {
      await this.delivery.failed((job.data as { messageRowId: string }).messageRowId, error);
    } catch (markError) {
      this.log.error(`could not mark exchange message of job ${job.id} failed: ${(markError as Error).message}`);
    }
    try {
      await this.deadLetters.record(queue, job, error);
    } catch (recordError) {
      this.log.error(`could not record dead letter for job ${job.id}: ${(recordError as Error).message}`);
    }
  }
}
