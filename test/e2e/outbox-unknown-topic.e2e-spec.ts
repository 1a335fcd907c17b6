import { dataSourceOptions } from '@hotline/persistence';
import { createRedis, deleteKeysWithPrefix, OutboxRelay, OutboxTopic, QueueRegistry } from '@hotline/queue';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { testConfig } from '../support/config';

/**
 * A row no publication knows must not hold the outbox back: it is set aside with the reason, and
 * the rows beside it are published. (A test once left such rows behind, and every relay of the
 * later test files retried the same batch for ever.)
 */
describe('outbox relay and a row of unknown topic', () => {
  const prefix = `{hotline-unknown-topic-${randomBytes(3).toString('hex')}}`;
  const config = testConfig({ REDIS_PREFIX: prefix });
  let dataSource: DataSource;
  let redis: ReturnType<typeof createRedis>;
  let queues: QueueRegistry;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(config)).initialize();
    redis = createRedis(config.redisUrl, 'producer');
    queues = new QueueRegistry(redis, prefix);
  });

  afterAll(async () => {
    await queues?.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis?.disconnect();
    await dataSource?.destroy();
  });

  it('publishes the rows it knows and leaves the other waiting, marked with why', async () => {
    const caseId = randomUUID();
    const [unknown] = await dataSource.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('no.such.topic', $1, '{}') RETURNING id`, [randomUUID()]);
    const [known] = await dataSource.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, '{}') RETURNING id`, [OutboxTopic.CaseAct, caseId]);
    const failures: string[] = [];
    const relay = new OutboxRelay(dataSource, queues, { batchSize: 1000, pollMs: 20 }, { failed: (error) => failures.push(error.message) });
    try {
      // Other files' rows may wait too: drain until ours are through.
      for (let i = 0; i < 20; i++) if ((await relay.drainOnce()) === 0) break;
      const rows = await dataSource.query(`SELECT id, published_at, last_error FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id`, [[unknown.id, known.id]]);
      expect(rows).toEqual([
        { id: unknown.id, published_at: null, last_error: expect.stringContaining('no publication for topic no.such.topic') },
        { id: known.id, published_at: expect.any(Date), last_error: null },
      ]);
      expect(failures).toContain('outbox rows with unknown topic no.such.topic');
    } finally {
      await dataSource.query(`DELETE FROM outbox WHERE id = $1`, [unknown.id]);
    }
  });
});
