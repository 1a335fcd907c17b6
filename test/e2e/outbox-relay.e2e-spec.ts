import { JOB_IDS, JobName, QueueName, QueueRegistry } from '@hotline/queue';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { RedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { Redis } from 'ioredis';

/**
 * Intake must not depend on Redis: with Redis killed mid-stream every report still gets its 201,
 * and once Redis is back every reported URL becomes exactly one queued job, even with two relays
 * racing for the outbox (each batch is pinned before it is published, so a retry after the
 * outage publishes the same batch as the same job: outbox-lost-reply.e2e-spec.ts shows it step by step).
 */
describe('outbox relay across a Redis outage', () => {
  let redisServer: RedisServer;
  let intake: NestFastifyApplication;
  let workers: NestFastifyApplication[];
  let db: Client;
  let inspect: Redis;
  let queues: QueueRegistry;
  const prefix = `{hotline-outage-${randomBytes(3).toString('hex')}}`;

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    const overrides = { REDIS_URL: redisServer.url, REDIS_PREFIX: prefix, OUTBOX_BATCH_SIZE: '50', OUTBOX_POLL_MS: '20' };
    intake = await createIntakeApp(testConfig({ ...overrides, INTAKE_RATE_LIMIT: '100000/1m' }));
    workers = [await createWorkerApp(testConfig(overrides)), await createWorkerApp(testConfig(overrides))];
    db = await connectDatabase();
  });

  afterAll(async () => {
    await queues?.close();
    inspect?.disconnect();
    await Promise.all(workers.map((worker) => worker.close()));
    await intake.close();
    await db.end();
    await redisServer.stop();
  });

  it('loses nothing and publishes nothing twice', async () => {
    const references: string[] = [];
    const statuses: number[] = [];
    const send = async (i: number) => {
      const urls = [`http://outage-${prefix.slice(16, 22)}.example.com/${i}/a`, `http://outage-${prefix.slice(16, 22)}.example.com/${i}/b`];
      const response = await request(intake.getHttpServer()).post('/api/v1/reports').send({ urls });
      statuses.push(response.status);
      if (response.status === 201) references.push(response.body.reference);
    };

    let next = 0;
    const burst = async (count: number) => {
      const batch = Array.from({ length: count }, () => send(next++));
      await Promise.all(batch);
    };

    await burst(60);
    await redisServer.kill();
    await burst(60);
    await burst(60);
    // While Redis is down the rows wait in the outbox.
    const [{ pending }] = (
      await db.query(
        `SELECT count(*)::int AS pending FROM outbox o JOIN reported_url u ON u.id::text = o.message_key
      JOIN report r ON r.id = u.report_id WHERE r.reference = ANY($1) AND o.published_at IS NULL`,
        [references],
      )
    ).rows;
    expect(pending).toBeGreaterThan(0);
    await redisServer.startProcess();
    await burst(60);

    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    expect(references).toHaveLength(240);

    const { rows: urls } = await db.query('SELECT u.id FROM reported_url u JOIN report r ON r.id = u.report_id WHERE r.reference = ANY($1)', [references]);
    expect(urls).toHaveLength(480);

    await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE message_key = ANY($1::text[]) AND published_at IS NULL`, [urls.map((u) => u.id)]);
        return rows[0].n === 0 ? true : undefined;
      },
      { what: 'the outbox to drain', stallMs: 20_000 },
    );

    inspect = new Redis(redisServer.url);
    queues = new QueueRegistry(inspect, prefix);
    const queue = queues.get(QueueName.ReportedUrls);
    // Other test files share the run's database, so this relay may also have published their rows.
    const ours = new Set(urls.map((u) => u.id));
    const all = await queue.getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'], 0, -1);
    // Each relayed batch is one job carrying its URLs' ids (and their requests' correlation ids), its id a digest of the URLs' ids.
    const jobs = all.filter((job) => job.data.reportedUrlIds?.some((id: string) => ours.has(id)));
    expect(jobs.every((job) => job.name === JobName.TriageReportedUrls && Object.keys(job.data).sort().join() === 'correlationIds,reportedUrlIds')).toBe(true);
    expect(jobs.every((job) => job.id === JOB_IDS.triageReportedUrls(job.data.reportedUrlIds))).toBe(true);
    const published = jobs.flatMap((job) => job.data.reportedUrlIds as string[]).filter((id) => ours.has(id));
    expect(published.sort()).toEqual(urls.map((u) => u.id).sort());
    // Keys are hash-tagged, so the whole queue lives in one Redis Cluster slot.
    const keys = await inspect.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(prefix))).toBe(true);
  });
});
