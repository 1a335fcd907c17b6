import { QueueName, QueueRegistry } from '@hotline/queue';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { testConfig, testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt, freePort } from '../support/processes';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const URL_COUNT = 50;
const REPORTS = 2000;

/** Eight ways of writing the same address; all canonicalise to one dedup key. */
function spelling(url: number, variant: number): string {
  const host = `dedup-${tag}.example.com`;
  const path = `/p/${url}/page`;
  switch (variant) {
    case 0:
      return `http://${host}${path}?id=${url}`;
    case 1:
      return `HTTP://${host.toUpperCase()}${path}?id=${url}`; // case of scheme and host
    case 2:
      return `http://${host}:80${path}?id=${url}`; // default port
    case 3:
      return `http://${host}${path}?id=${url}#top`; // fragment
    case 4:
      return `http://${host}/p/./${url}/page?id=${url}`; // ./ segment
    case 5:
      return `http://${host}/%70/${url}/pag%65?id=${url}`; // percent-encoded unreserved
    case 6:
      return `http://${host}${path}?id=${url}&utm_source=mail&fbclid=abc`; // tracking parameters
    default:
      return `${host}.${path}?id=${url}`; // trailing dot, no scheme
  }
}

/**
 * The pipeline's dedup promise: 2,000 reports of 50 URLs in eight spellings, pushed through two
 * worker processes of which one is killed with SIGKILL halfway, end as exactly 50 queued cases
 * whose report counts add up to 2,000, with no failed job.
 */
describe('deduplication across two workers, one killed', () => {
  const prefix = `{hotline-dedup-${tag}}`;
  let intake: NestFastifyApplication;
  let workers: AppProcess[] = [];
  let db: Client;
  let queues: QueueRegistry;
  let redis: Redis;

  beforeAll(async () => {
    ensureBuilt();
    const overrides = { REDIS_PREFIX: prefix, OUTBOX_POLL_MS: '20', JOB_LOCK_MS: '2000', PIPELINE_CONCURRENCY: '16' };
    intake = await createIntakeApp(testConfig(overrides));
    workers = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        return AppProcess.start('worker', testEnv({ ...overrides, WORKER_PORT: String(port), LOG_LEVEL: 'warn' }), `http://127.0.0.1:${port}/health/live`);
      }),
    );
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    queues = new QueueRegistry(redis, prefix);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await intake?.close();
    await queues?.close();
    redis?.disconnect();
    await db?.end();
  });

  it('ends as exactly one queued case per URL, counts adding up, nothing failed', async () => {
    const server = intake.getHttpServer();
    const statuses: number[] = [];
    const send = async (i: number) => {
      const response = await request(server)
        .post('/api/v1/reports')
        .send({ urls: [spelling(i % URL_COUNT, Math.floor(i / URL_COUNT) % 8)] });
      statuses.push(response.status);
    };
    for (let start = 0; start < REPORTS; start += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, k) => send(start + k)));
      if (start + 100 === REPORTS / 2) {
        // Halfway: wait until the first worker is busy with this stream, then kill it outright.
        await waitFor(
          async () => {
            const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM "case" WHERE canonical_url LIKE $1`, [`http://dedup-${tag}.%`])).rows;
            return n > 0 ? true : undefined;
          },
          { what: 'the first cases' },
        );
        await workers[0].stop('SIGKILL');
      }
    }
    expect(statuses.filter((status) => status !== 201)).toEqual([]);

    const unattached = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE canonical_url LIKE $1 AND case_id IS NULL`, [`http://dedup-${tag}.%`])).rows[0].n as number;
    // The killed worker's jobs come back after JOB_LOCK_MS; progress keeps the wait alive.
    await waitFor(async () => ((await unattached()) === 0 ? true : undefined), { progress: unattached, stallMs: 20_000, what: 'every URL in a case' });

    const { rows: cases } = await db.query(`SELECT status, queue, report_count FROM "case" WHERE canonical_url LIKE $1`, [`http://dedup-${tag}.%`]);
    expect(cases).toHaveLength(URL_COUNT);
    expect(cases.every((c) => c.status === 'queued' && c.queue !== null)).toBe(true);
    expect(cases.reduce((sum, c) => sum + c.report_count, 0)).toBe(REPORTS);
    // Each URL joined exactly once: the list of a case's reports is its reported URLs.
    const [{ attached }] = (
      await db.query(`SELECT count(*)::int AS attached FROM reported_url u JOIN "case" c ON c.id = u.case_id WHERE c.canonical_url LIKE $1`, [`http://dedup-${tag}.%`])
    ).rows;
    expect(attached).toBe(REPORTS);

    const counts = await queues.get(QueueName.ReportedUrls).getJobCounts('failed');
    expect(counts.failed).toBe(0);
    const [{ dead }] = (
      await db.query(
        `SELECT count(*)::int AS dead FROM dead_letter d JOIN reported_url u ON d.job_id = 'reported-url-' || u.id
          WHERE u.canonical_url LIKE $1`,
        [`http://dedup-${tag}.%`],
      )
    ).rows;
    expect(dead).toBe(0);
  });
});
