import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from './queue.constants';

/**
 * One Queue per name on a shared producer connection, all under the hash-tagged prefix. Besides
 * the fixed queues it serves the per-partner delivery queues (`partnerDeliveryQueue(id)`), so a
 * dead letter of one can be redriven like any other.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get(name: QueueName | string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // A Redis outage surfaces on the calls; the emitter must not crash the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return Object.values(QueueName).map((name) => this.get(name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
