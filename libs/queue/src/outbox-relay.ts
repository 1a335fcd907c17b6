import { outboxRepository, type UnpublishedOutboxRow } from '@hotline/persistence';
import { Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { JOBS, OutboxTopic, PUBLICATIONS } from './queue.constants';
import { QueueRegistry } from './queue-registry';

export interface OutboxRelayOptions {
  batchSize: number;
  pollMs: number;
  /** Published rows are kept this long for inspection, then deleted. */
  keepPublishedMs?: number;
}

export interface OutboxRelayHooks {
  published?(count: number): void;
  failed?(error: Error): void;
}

const MAX_BACKOFF_MS = 5000;
const PURGE_EVERY_MS = 60_000;
// Pinned batches looked at before a new one is pinned: those of the other relays running, and any left by a failure.
const PINNED_CANDIDATES = 8;

/**
 * Publishes outbox rows to BullMQ, a batch at a time; the rows of a topic in a batch become one
 * job whose id is a digest of their keys. A batch is pinned first (its rows marked with the
 * batch's id, FOR UPDATE SKIP LOCKED, committed), then published in a transaction that holds its
 * rows and marks them published before it commits. If Redis fails, or its reply is lost, or the
 * commit fails, or the relay dies, the rows stay pinned: whichever relay retries publishes the
 * same rows as the same jobs, which BullMQ recognises by id instead of queueing them twice
 * (ADR 0013). Processors stay idempotent per item all the same.
 */
export class OutboxRelay {
  private readonly log = new Logger(OutboxRelay.name);
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly options: OutboxRelayOptions,
    private readonly hooks: OutboxRelayHooks = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in hand is published (or rolled back). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Publishes one batch; returns how many rows it published. */
  async drainOnce(): Promise<number> {
    // A batch pinned earlier and not published (its publication failed, or its relay died) goes
    // first, as the same rows; one that another relay holds is left to it.
    for (const batchId of await outboxRepository.pinnedBatches(this.dataSource, PINNED_CANDIDATES)) {
      const published = await this.publishBatch(this.dataSource, batchId);
      if (published !== null) return published;
    }
    return this.pinAndPublish();
  }

  /**
   * Pins a new batch (committed) and publishes it, on one connection that holds the batch
   * throughout, so no other relay takes it between the two transactions.
   */
  private async pinAndPublish(): Promise<number> {
    const connection = this.dataSource.createQueryRunner();
    await connection.connect();
    let batchId: string | null = null;
    try {
      batchId = await inTransaction(connection, async () => {
        // The pin need not survive a database crash (the rows would simply be pinned anew), so its
        // commit does not wait for the disk: that halves what pinning costs.
        await outboxRepository.commitWithoutWaitingForDisk(connection);
        const pinned = await outboxRepository.pinBatch(connection, this.options.batchSize);
        if (pinned !== null) await outboxRepository.holdPinned(connection, pinned);
        return pinned;
      });
      if (batchId === null) return 0;
      return (await this.publishBatch(connection, batchId)) ?? 0;
    } finally {
      if (batchId !== null) await outboxRepository.releasePinned(connection, batchId).catch(() => undefined);
      await connection.release();
    }
  }

  /** Publishes the rows of a pinned batch; null when there was nothing to take (another relay has it, or it is done). */
  private async publishBatch(db: DataSource | QueryRunner, batchId: string): Promise<number | null> {
    let unpublished: string[] = [];
    const publishAll = async (tx: EntityManager | QueryRunner): Promise<number | null> => {
      const rows = await outboxRepository.claimPinned(tx, batchId);
      if (rows.length === 0) return null;
      // A row no publication knows (written by other code, or a newer version) must not hold
      // the others back: it stays in the outbox, marked with why, for an operator to see.
      const known = rows.filter((row) => Object.hasOwn(PUBLICATIONS, row.topic));
      if (known.length < rows.length)
        await this.setAside(
          tx,
          rows.filter((row) => !known.includes(row)),
        );
      const ids = known.map((row) => row.id);
      unpublished = ids;
      await this.publish(known);
      await outboxRepository.markPublished(tx, ids);
      return known.length;
    };
    try {
      return db instanceof DataSource ? await db.transaction(publishAll) : await inTransaction(db, () => publishAll(db));
    } catch (error) {
      // The claim rolled back and the rows stay pinned; note the attempt so an operator sees why they wait.
      if (unpublished.length > 0) {
        await outboxRepository.recordFailure(this.dataSource, unpublished, String((error as Error).message).slice(0, 500)).catch(() => undefined);
      }
      throw error;
    }
  }

  private async setAside(tx: EntityManager | QueryRunner, rows: UnpublishedOutboxRow[]): Promise<void> {
    const topics = [...new Set(rows.map((row) => row.topic))].join(', ');
    await outboxRepository.unpin(
      tx,
      rows.map((row) => row.id),
    );
    await outboxRepository.recordFailure(
      tx,
      rows.map((row) => row.id),
      `no publication for topic ${topics}`,
    );
    this.log.warn(`${rows.length} outbox rows have a topic nothing publishes (${topics}); they wait in the outbox`);
    this.hooks.failed?.(new Error(`outbox rows with unknown topic ${topics}`));
  }

  /** One job per topic in the batch, carrying the rows' message keys and the correlation ids of the requests that wrote them. */
  private async publish(rows: UnpublishedOutboxRow[]): Promise<void> {
    const byTopic = new Map<OutboxTopic, { keys: string[]; correlationIds: Set<string> }>();
    for (const row of rows) {
      const topic = row.topic as OutboxTopic;
      let group = byTopic.get(topic);
      if (!group) byTopic.set(topic, (group = { keys: [], correlationIds: new Set() }));
      group.keys.push(row.message_key);
      if (row.correlation_id) group.correlationIds.add(row.correlation_id);
    }
    for (const [topic, { keys, correlationIds }] of byTopic) {
      const publication = PUBLICATIONS[topic];
      // The same rows make the same data (sorted), so a retried publication is the same job.
      const data = { ...publication.data(keys), ...(correlationIds.size > 0 ? { correlationIds: [...correlationIds].sort() } : {}) };
      await this.queues.get(publication.queue).add(publication.job, data, { ...JOBS[publication.job].options(), jobId: publication.jobId(keys) });
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.drainOnce();
        if (failures > 0) this.log.log(`outbox relay recovered after ${failures} failed attempts`);
        failures = 0;
        if (published > 0) this.hooks.published?.(published);
        await this.purgeIfDue();
      } catch (error) {
        failures++;
        this.hooks.failed?.(error as Error);
        // One line per streak, then every 20th attempt: an outage must show without flooding.
        if (failures === 1 || failures % 20 === 0) {
          this.log.warn(`outbox relay cannot publish (attempt ${failures}): ${(error as Error).message}`);
        }
      }
      if (published < this.options.batchSize) {
        const delay = failures === 0 ? this.options.pollMs : Math.min(this.options.pollMs * 2 ** failures, MAX_BACKOFF_MS);
        await this.sleep(delay);
      }
    }
  }

  private async purgeIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const keepMs = this.options.keepPublishedMs ?? 24 * 3600 * 1000;
    await outboxRepository.purgePublished(this.dataSource, keepMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}

/** Runs `work` in a transaction on this connection: committed when it returns, rolled back when it throws. */
async function inTransaction<T>(connection: QueryRunner, work: () => Promise<T>): Promise<T> {
  await connection.startTransaction();
  try {
    const result = await work();
    await connection.commitTransaction();
    return result;
  } catch (error) {
    if (connection.isTransactionActive) await connection.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}
