// A relative path: the global teardown runs outside the test environment's module mapping.
import { deleteKeysWithPrefix } from '../../libs/queue/src/redis-connection';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** Drops the run's database and deletes the run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const database = process.env.HOTLINE_TEST_DATABASE;
  if (database && !process.env.KEEP_TEST_DATABASE) {
    const admin = new Client({ connectionString: process.env.HOTLINE_TEST_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const prefix = process.env.REDIS_PREFIX;
  if (prefix?.startsWith('{hotline-test-')) {
    const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await deleteKeysWithPrefix(redis, prefix);
    } finally {
      redis.disconnect();
    }
  }
}
