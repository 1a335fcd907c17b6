import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { OutboxRepository } from '@hotline/persistence';
import { OutboxRelay, QueueRegistry } from '@hotline/queue';
import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Runs the outbox relay for the life of the worker and exposes its progress as metrics. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, queues: QueueRegistry, config: HotlineConfig, metrics: MetricsRegistry, outbox: OutboxRepository) {
    const published = metrics.counter('hotline_outbox_published_total', 'Outbox rows published to the queues');
    const failures = metrics.counter('hotline_outbox_publish_failures_total', 'Failed attempts to publish an outbox batch');
    metrics.gauge('hotline_outbox_pending', 'Outbox rows not yet published', [], async function () {
      this.set(await outbox.countPending(dataSource));
    });
    metrics.gauge(
      'hotline_outbox_oldest_pending_age_seconds',
      'Age of the oldest outbox row not yet published (0 when none waits): the relay lag',
      [],
      async function () {
        this.set(await outbox.oldestPendingAgeSeconds(dataSource));
      },
    );
    this.relay = new OutboxRelay(
      dataSource,
      queues,
      { batchSize: config.outboxBatchSize, pollMs: config.outboxPollMs },
      { published: (n) => published.inc(n), failed: () => failures.inc() },
    );
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
