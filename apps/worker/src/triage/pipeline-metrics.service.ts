import { MetricsRegistry } from '@hotline/observability';
import { ReviewQueueRepository } from '@hotline/persistence';
import { DeadLetters, QueueName, QueueRegistry } from '@hotline/queue';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Gauges read when /metrics is scraped: BullMQ job counts per queue, analyst review queues
 * (open cases, age of the oldest) and open dead letters.
 */
@Injectable()
export class PipelineMetricsService {
  constructor(dataSource: DataSource, reviewQueues: ReviewQueueRepository, queues: QueueRegistry, deadLetters: DeadLetters, metrics: MetricsRegistry) {
    metrics.gauge('hotline_jobs', 'BullMQ jobs per queue and state', ['queue', 'state'], async function () {
      for (const name of Object.values(QueueName)) {
        const counts = await queues.get(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        this.set({ queue: name, state: 'waiting' }, (counts.waiting ?? 0) + (counts.prioritized ?? 0));
        for (const state of ['active', 'delayed', 'failed'] as const) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    });
    const oldest = metrics.gauge('hotline_review_queue_oldest_case_age_seconds', 'Age of the oldest case waiting in each review queue', ['queue']);
    metrics.gauge('hotline_review_queue_open_cases', 'Cases waiting in each analyst review queue', ['queue'], async function () {
      for (const row of await reviewQueues.listWithOpenCases(dataSource)) {
        this.set({ queue: row.name }, row.open);
        oldest.set({ queue: row.name }, row.oldest_seconds ?? 0);
      }
    });
    metrics.gauge('hotline_dead_letters', 'Jobs that failed for good and wait for a redrive', [], async function () {
      this.set(await deadLetters.countOpen());
    });
  }
}
