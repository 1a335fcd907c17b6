import { cachedRead, MetricsRegistry } from '@hotline/observability';
import { ReviewQueueRepository } from '@hotline/persistence';
import { DeadLetters, partnerDeliveryQueue, QueueName, QueueRegistry } from '@hotline/queue';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PartnerDeliveryWorkers } from '../exchange/partner-delivery-workers.service';

/** Scrapes within this time share one read of Redis and of the dead letters: a scrape stays cheap however often it comes. */
const SCRAPE_CACHE_MS = 5000;

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Gauges read when /metrics is scraped: BullMQ job counts per queue (the partners' delivery
 * queues included), analyst review queues (open cases, age of the oldest) and open dead letters
 * per queue.
 */
@Injectable()
export class PipelineMetricsService {
  constructor(
    dataSource: DataSource,
    reviewQueues: ReviewQueueRepository,
    queues: QueueRegistry,
    deadLetters: DeadLetters,
    partnerWorkers: PartnerDeliveryWorkers,
    metrics: MetricsRegistry,
  ) {
    const queueNames = () => [...Object.values(QueueName), ...partnerWorkers.running().map(partnerDeliveryQueue)];
    const jobCounts = cachedRead(SCRAPE_CACHE_MS, () =>
      Promise.all(queueNames().map(async (queue) => ({ queue, counts: await queues.get(queue).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed') }))),
    );
    metrics.gauge('hotline_jobs', 'BullMQ jobs per queue and state', ['queue', 'state'], async function () {
      const all = await jobCounts();
      // A partner's queue that is gone (the partner disabled) leaves the series.
      this.reset();
      for (const { queue, counts } of all) {
        this.set({ queue, state: 'waiting' }, (counts.waiting ?? 0) + (counts.prioritized ?? 0));
        for (const state of JOB_STATES.slice(1)) this.set({ queue, state }, counts[state] ?? 0);
      }
    });
    const oldest = metrics.gauge('hotline_review_queue_oldest_case_age_seconds', 'Age of the oldest case waiting in each review queue', ['queue']);
    metrics.gauge('hotline_review_queue_open_cases', 'Cases waiting in each analyst review queue', ['queue'], async function () {
      for (const row of await reviewQueues.listWithOpenCases(dataSource)) {
        this.set({ queue: row.name }, row.open);
        oldest.set({ queue: row.name }, row.oldest_seconds ?? 0);
      }
    });
    const openDeadLetters = cachedRead(SCRAPE_CACHE_MS, () => deadLetters.countOpenByQueue());
    metrics.gauge('hotline_dead_letters', 'Jobs that failed for good and wait for a redrive, per queue', ['queue'], async function () {
      const open = await openDeadLetters();
      this.reset();
      // Every queue says 0 when it has none, so a sum over queues is 0 rather than empty.
      for (const queue of Object.values(QueueName)) this.set({ queue }, 0);
      for (const { queue, n } of open) this.set({ queue }, n);
    });
  }
}
