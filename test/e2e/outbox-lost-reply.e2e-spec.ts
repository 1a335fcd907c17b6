import { dataSourceOptions, outboxRepository } from '@hotline/persistence';
import { createRedis, deleteKeysWithPrefix, JOB_IDS, OutboxRelay, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';

/**
 * A publication can succeed in Redis and still fail for the relay (the reply was lost, the commit
 * failed, the process died). Whichever relay tries again must publish the same rows as the same
 * batch, so the queue recognises the job by its id and nothing is queued twice (ADR 0013).
 */
describe('outbox relay after a lost reply', () => {
  const prefix = `{hotline-lost-reply-${randomBytes(3).toString('hex')}}`;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataSource: DataSource;
  let redis: ReturnType<typeof createRedis>;
  let queues: QueueRegistry;

  beforeAll(async () => {
    // Its own database: the other files' workers relay every outbox row they see, into their queues.
    scratch = await createScratchDatabase('lost_reply');
    const config = testConfig({ REDIS_PREFIX: prefix, DATABASE_URL: scratch.url });
    dataSource = await new DataSource(dataSourceOptions(config)).initialize();
    redis = createRedis(config.redisUrl, 'producer');
    queues = new QueueRegistry(redis, prefix);
  });

  afterAll(async () => {
    await queues?.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis?.disconnect();
    await dataSource?.destroy();
    await scratch?.drop();
  });

  /** A registry whose queues add the job, then report a failure once: Redis took it, the relay never heard. */
  function losingOneReply(): QueueRegistry {
    let lost = false;
    return {
      get: (name: string) => {
        const queue = queues.get(name);
        return {
          add: async (...args: Parameters<typeof queue.add>) => {
            const job = await queue.add(...args);
            if (!lost) {
              lost = true;
              throw new Error('Connection is closed.');
            }
            return job;
          },
        };
      },
    } as unknown as QueueRegistry;
  }

  async function caseActJobsFor(caseIds: string[]): Promise<{ id: string; caseIds: string[] }[]> {
    const jobs = await queues.get(QueueName.Actions).getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'], 0, -1);
    return jobs.filter((job) => (job.data.caseIds as string[]).some((id) => caseIds.includes(id))).map((job) => ({ id: job.id!, caseIds: job.data.caseIds }));
  }

  /** Drains until our rows are published. */
  async function drainOurs(relay: OutboxRelay, ids: string[]): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND published_at IS NULL`, [ids]);
      if (n === 0) return;
      await relay.drainOnce().catch(() => undefined);
    }
    throw new Error('our outbox rows were not published');
  }

  async function appendCaseActs(count: number): Promise<{ caseIds: string[]; rowIds: string[] }> {
    const caseIds = Array.from({ length: count }, () => randomUUID());
    const rows: { id: string }[] = await dataSource.query(
      `INSERT INTO outbox (topic, message_key, payload) SELECT $1, id::text, '{}' FROM unnest($2::uuid[]) AS id RETURNING id`,
      [OutboxTopic.CaseAct, caseIds],
    );
    return { caseIds, rowIds: rows.map((row) => row.id) };
  }

  it('publishes a batch whose reply was lost again as the same job, through another relay', async () => {
    const { caseIds, rowIds } = await appendCaseActs(7);
    const unlucky = new OutboxRelay(dataSource, losingOneReply(), { batchSize: 1000, pollMs: 20 });
    const other = new OutboxRelay(dataSource, queues, { batchSize: 1000, pollMs: 20 });

    await expect(unlucky.drainOnce()).rejects.toThrow('Connection is closed.');
    // More rows arrive meanwhile: they must not join the pinned batch and change its job id.
    const later = await appendCaseActs(3);
    const failed = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND published_at IS NULL AND attempts = 1`, [rowIds]);
    expect(failed[0].n).toBe(7);

    await drainOurs(other, [...rowIds, ...later.rowIds]);

    const jobs = await caseActJobsFor([...caseIds, ...later.caseIds]);
    // Our seven cases are in exactly one job (the one Redis took first), the three later ones in another.
    const withFirst = jobs.filter((job) => job.caseIds.some((id) => caseIds.includes(id)));
    expect(withFirst).toHaveLength(1);
    expect(withFirst[0].caseIds.filter((id) => caseIds.includes(id)).sort()).toEqual([...caseIds].sort());
    const published = jobs.flatMap((job) => job.caseIds).filter((id) => caseIds.includes(id) || later.caseIds.includes(id));
    expect(published.sort()).toEqual([...caseIds, ...later.caseIds].sort());
  });

  it('publishes a batch pinned by a relay that stopped before publishing, as that batch', async () => {
    const { caseIds, rowIds } = await appendCaseActs(5);
    // A relay pinned a batch and died: the rows wait pinned, together.
    const batchId = await outboxRepository.pinBatch(dataSource, 1000);
    expect(batchId).not.toBeNull();
    const pinned: { id: string; message_key: string }[] = await dataSource.query(`SELECT id, message_key FROM outbox WHERE batch_id = $1 ORDER BY id`, [batchId]);
    expect(pinned.map((row) => row.id)).toEqual(rowIds);
    await appendCaseActs(2);

    await drainOurs(new OutboxRelay(dataSource, queues, { batchSize: 1000, pollMs: 20 }), rowIds);

    const jobs = await caseActJobsFor(caseIds);
    expect(jobs).toHaveLength(1);
    // The job is the pinned rows exactly, none of the later ones.
    expect([...jobs[0].caseIds].sort()).toEqual(pinned.map((row) => row.message_key).sort());
    expect(jobs[0].id).toBe(JOB_IDS.actOnCases(jobs[0].caseIds));
  });
});
