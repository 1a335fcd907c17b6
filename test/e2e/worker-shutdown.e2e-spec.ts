import { JobName, QueueName, QueueRegistry } from '@hotline/queue';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { AppProcess, ensureBuilt, freePort } from '../support/processes';
import { waitFor } from '../support/wait';
import { recordFixtureCreated } from '../support/cases';

/**
 * SIGTERM to a worker in the middle of a job: it stops taking jobs, lets the active one finish
 * (here a DNS lookup that takes its full timeout), then closes its connections and exits; the
 * job is left settled, not stuck active for another worker to find stalled.
 */
describe('worker shutdown', () => {
  const tag = randomBytes(3).toString('hex');
  const prefix = `{hotline-shutdown-${tag}}`;
  let dns: LoopbackDnsServer;
  let db: Client;
  let redis: Redis;
  let queues: QueueRegistry;
  let worker: AppProcess;

  beforeAll(async () => {
    ensureBuilt();
    dns = new LoopbackDnsServer({ [`slow-${tag}.example.com`]: 'SILENT' });
    const server = await dns.start();
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    queues = new QueueRegistry(redis, prefix);
    const port = await freePort();
    worker = await AppProcess.start(
      'worker',
      testEnv({ REDIS_PREFIX: prefix, WORKER_PORT: String(port), DNS_SERVERS: server, DNS_TIMEOUT_MS: '1500', LOG_LEVEL: 'info' }),
      `http://127.0.0.1:${port}/health/live`,
    );
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await queues?.close();
    redis?.disconnect();
    await db?.end();
    await dns?.stop();
  });

  it('finishes the active job, then exits', async () => {
    const caseId = randomUUID();
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, queued_at, first_reported_at, last_reported_at)
       VALUES ($1, $2, $3, $4, 'queued', now(), now(), now())`,
      [caseId, randomBytes(32).toString('hex'), `http://slow-${tag}.example.com/`, `slow-${tag}.example.com`],
    );
    await recordFixtureCreated(db, caseId);
    const queue = queues.get(QueueName.Hosting);
    const job = await queue.add(JobName.ResolveHosting, { caseId }, { jobId: `hosting-${caseId}-0`, attempts: 5, backoff: { type: 'fixed', delay: 60_000 } });
    // Once the DNS server has the question, the job is active and waits on an answer that never comes.
    await waitFor(async () => (dns.questions.some((q) => q.includes(`slow-${tag}`)) ? true : undefined), { what: 'the lookup' });
    expect(await job.getState()).toBe('active');

    const stopped = Date.now();
    await worker.stop('SIGTERM');
    const tookMs = Date.now() - stopped;

    // It waited for the lookup to time out rather than dropping the job...
    const state = await queue.getJob(job.id!).then((j) => j?.getState());
    expect(state).toBe('delayed');
    const [row] = (await db.query(`SELECT hosting_status, hosting_error FROM "case" WHERE id = $1`, [caseId])).rows;
    expect(row).toMatchObject({ hosting_status: 'unresolved' });
    expect(row.hosting_error).toMatch(/^timeout/);
    // ...and exited well before a lock would have expired.
    expect(tookMs).toBeLessThan(15_000);
    expect(worker.output).not.toMatch(/"level":50/);
  });
});
