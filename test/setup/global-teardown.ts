// A relative path: the global teardown runs outside the test environment's module mapping.
import { deleteKeysWithPrefix } from '../../libs/queue/src/redis-connection';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');

/**
 * The event log must explain every case the whole run made, through every path it took
 * (reappearance, lease lapse, partner removal, not hosted here...), and the kept count of waiting
 * cases of every review queue must be the real one after all those paths (ADR 0012), and the
 * regulators' rollups the workers kept must be what the events give (ADR 0015): the operators' own
 * checks, `cases:verify-events`, `queues:verify-counts` and `stats:check`, run on the built CLI.
 * A mismatch fails the run; the database is kept for a look.
 */
function verifyDatabase(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  const failures: string[] = [];
  for (const command of ['cases:verify-events', 'queues:verify-counts', 'stats:check']) {
    try {
      const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), command], {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
      process.stdout.write(`\n${command} on the e2e database: ${out}`);
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      failures.push(`${command} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
  if (failures.length > 0) {
    process.env.KEEP_TEST_DATABASE = '1';
    throw new Error(`on ${process.env.HOTLINE_TEST_DATABASE} (kept):\n${failures.join('')}`);
  }
}

/** Checks the case events and queue counts, then drops the run's database and deletes the run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const database = process.env.HOTLINE_TEST_DATABASE;
  let failure: Error | null = null;
  try {
    if (database) verifyDatabase();
  } catch (error) {
    failure = error as Error;
  }
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
  if (failure) throw failure;
}
