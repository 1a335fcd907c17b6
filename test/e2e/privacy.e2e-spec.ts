import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt, freePort } from '../support/processes';
import { waitFor } from '../support/wait';

/**
 * The reporter-anonymity promise, checked from the outside: after real traffic through the built
 * intake and worker processes (logging at trace level, behind a trusted proxy so the client
 * address is known), a dump of the database, every Redis key and value, and everything the
 * processes printed contain no client address, contact email, description or status token.
 */
describe('reporter anonymity', () => {
  const run = randomBytes(4).toString('hex');
  // From the benchmarking range (RFC 2544), which no other fixture uses: the database dump holds
  // every test's rows (hosting traces of documentation addresses among them), and two random
  // octets keep it from being a prefix of anything else.
  const clientAddress = `198.18.${parseInt(run.slice(0, 2), 16)}.${(parseInt(run.slice(2, 4), 16) % 200) + 20}`;
  const email = `reporter-${run}@example.net`;
  const description = `I found this while searching ${run} please act`;
  const prefix = `{hotline-privacy-${run}}`;
  let intake: AppProcess;
  let worker: AppProcess;
  let intakeUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    const [intakePort, workerPort] = [await freePort(), await freePort()];
    const env = testEnv({
      NODE_ENV: 'development',
      LOG_LEVEL: 'trace',
      TRUST_PROXY: 'true',
      INTAKE_RATE_LIMIT: '3/1m',
      REDIS_PREFIX: prefix,
      INTAKE_PORT: String(intakePort),
      WORKER_PORT: String(workerPort),
      OUTBOX_POLL_MS: '20',
      SECRETS_FILE: join(mkdtempSync(join(tmpdir(), 'hotline-secrets-')), 'secrets.json'),
    });
    intakeUrl = `http://127.0.0.1:${intakePort}`;
    [intake, worker] = await Promise.all([
      AppProcess.start('intake-api', env, `${intakeUrl}/health/ready`),
      AppProcess.start('worker', env, `http://127.0.0.1:${workerPort}/health/ready`),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([intake?.stop(), worker?.stop()]);
  });

  it('keeps no trace of who reported', async () => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': clientAddress, 'accept-language': 'fr' };
    const tokens: string[] = [];
    const references: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${intakeUrl}/api/v1/reports`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ urls: [`http://privacy-${run}.example.com/${i}`], description, contact: { email } }),
      });
      expect(response.status).toBe(201);
      const receipt = (await response.json()) as { statusToken: string; reference: string };
      tokens.push(receipt.statusToken);
      references.push(receipt.reference);
      const status = await fetch(`${intakeUrl}/api/v1/reports/${receipt.reference}/status`, { headers: { 'x-status-token': receipt.statusToken } });
      expect(status.status).toBe(200);
    }
    // The web form too, and a refused request and a rate-limited one, which take other code paths.
    const form = new URLSearchParams({ urls: `http://privacy-${run}.example.com/form`, description, email });
    const page = await fetch(`${intakeUrl}/`, { method: 'POST', headers: { 'x-forwarded-for': clientAddress }, body: form });
    expect(page.status).toBe(201);
    const pageText = await page.text();
    tokens.push(/id="status-token">([^<]+)</.exec(pageText)?.[1] ?? '');
    const bad = await fetch(`${intakeUrl}/api/v1/reports`, { method: 'POST', headers, body: JSON.stringify({ urls: ['http://10.0.0.1/'], description }) });
    expect(bad.status).toBe(429); // the fourth submission from this client in the window
    expect(bad.headers.get('retry-after')).toMatch(/^\d+$/);

    const db = await connectDatabase();
    try {
      await waitFor(async () => ((await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n === 0 ? true : undefined), {
        what: 'the relay to publish',
      });
      const { rows } = await db.query('SELECT count(*)::int AS n FROM report WHERE reference = ANY($1)', [references]);
      expect(rows[0].n).toBe(2);
    } finally {
      await db.end();
    }

    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', process.env.DATABASE_URL!], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
    const redisText = await dumpRedis(prefix);
    const logs = intake.output + worker.output;

    // The checks below would pass on empty sources; make sure each one holds what it should.
    expect(dump).toContain(`privacy-${run}.example.com`);
    expect(redisText).toContain('reportedUrlId');
    expect(redisText).toContain('intake-rate');
    expect(logs).toContain('/api/v1/reports');

    const secrets = [clientAddress, email, description, run + ' please', ...tokens];
    expect(tokens.every((token) => token.length > 20)).toBe(true);
    for (const secret of secrets) {
      expect({ where: 'database', found: dump.includes(secret), secret }).toEqual({ where: 'database', found: false, secret });
      expect({ where: 'redis', found: redisText.includes(secret), secret }).toEqual({ where: 'redis', found: false, secret });
      expect({ where: 'logs', found: logs.includes(secret), secret }).toEqual({ where: 'logs', found: false, secret });
    }
  });
});

async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(process.env.REDIS_URL!);
  const parts: string[] = [];
  try {
    for (const key of await redis.keys(`${prefix}*`)) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}
