/**
 * `npm run bench:outbox-relay`: how fast the outbox relay publishes a backlog.
 *
 * On a fresh database of its own, BENCH_ROWS (default 50,000) outbox rows of one topic wait, as
 * after a Redis outage; BENCH_RELAYS relays (default 2, as with two workers) drain them into
 * BullMQ under a fresh Redis prefix. Reports rows per second from the first claim to the last
 * publication, and checks every row became exactly one job item (no row published twice).
 * Results go to bench/results/outbox-relay-latest.json.
 */
import { dataSourceOptions, runMigrations } from '@hotline/persistence';
import { createRedis, deleteKeysWithPrefix, OutboxRelay, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ROOT } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const RELAYS = Number(process.env.BENCH_RELAYS ?? 2);
const BATCH = Number(process.env.OUTBOX_BATCH_SIZE ?? 500);

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const database = `hotline_bench_outbox_${run}`;
  const prefix = `{hotline-bench-outbox-${run}}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const dataSource = await new DataSource(dataSourceOptions({ databaseUrl: url.toString(), databasePoolSize: 4 * RELAYS })).initialize();
  const redis = createRedis(REDIS_URL, 'producer');
  const queues = new QueueRegistry(redis, prefix);
  try {
    await runMigrations(dataSource);
    const keys = Array.from({ length: ROWS }, () => randomUUID());
    for (let i = 0; i < keys.length; i += 10_000) {
      await dataSource.query(`INSERT INTO outbox (topic, message_key, payload) SELECT $1, id::text, '{}' FROM unnest($2::uuid[]) AS id`, [
        OutboxTopic.CaseAct,
        keys.slice(i, i + 10_000),
      ]);
    }
    await dataSource.query('VACUUM ANALYZE outbox');

    const relays = Array.from({ length: RELAYS }, () => new OutboxRelay(dataSource, queues, { batchSize: BATCH, pollMs: 10 }));
    const started = process.hrtime.bigint();
    await Promise.all(
      relays.map(async (relay) => {
        while ((await relay.drainOnce()) > 0 || (await pending(dataSource)) > 0);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const jobs = await queues.get(QueueName.Actions).getJobs(['waiting', 'prioritized', 'delayed'], 0, -1);
    const items = jobs.flatMap((job) => job.data.caseIds as string[]);
    const distinct = new Set(items).size;
    const result = {
      benchmark: 'outbox-relay',
      date: new Date().toISOString(),
      settings: { rows: ROWS, relays: RELAYS, batchSize: BATCH },
      seconds: Number(seconds.toFixed(3)),
      rowsPerSecond: Math.round(ROWS / seconds),
      jobs: jobs.length,
      itemsPublished: items.length,
      publishedTwice: items.length - distinct,
      allPublished: distinct === ROWS,
    };
    console.log(JSON.stringify(result));
    if (process.env.BENCH_WRITE !== 'false') {
      const dir = join(ROOT, 'bench', 'results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'outbox-relay-latest.json'), JSON.stringify(result, null, 2) + '\n');
    }
    if (!result.allPublished || result.publishedTwice > 0) process.exitCode = 1;
  } finally {
    await queues.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function pending(dataSource: DataSource): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
  return n;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
