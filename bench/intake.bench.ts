/**
 * `npm run bench:intake`: durable intake throughput and latency with unique URLs, against a
 * naive one-INSERT-per-request Fastify server on the same PostgreSQL, in the same run.
 *
 * 1. saturation: N connections for D seconds against each server -> accepted reports/s and p99;
 * 2. fixed rate: 1,000 requests/s against the intake -> p99 at that load.
 * Results go to bench/results/intake-<date>.json and bench/results/intake-latest.json.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const FIXED_RATE = Number(process.env.BENCH_RATE ?? 1000);

interface Figures {
  requestsPerSecond: number;
  accepted: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

async function run(url: string, options: Partial<autocannon.Options>): Promise<Figures> {
  let counter = 0;
  const tag = randomBytes(4).toString('hex');
  const result = await autocannon({
    url: `${url}/api/v1/reports`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    duration: DURATION,
    connections: CONNECTIONS,
    // Every request reports a URL never seen before, as intake sees most of the time.
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ urls: [`http://bench-${tag}.example.com/${counter++}`], contentType: 'images' }) }) }],
    ...options,
  } as autocannon.Options);
  const accepted = result['2xx'];
  return {
    requestsPerSecond: Math.round((accepted / result.duration) * 10) / 10,
    accepted,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

function start(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const database = `hotline_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), NODE_ENV: 'development', LOG_LEVEL: 'warn', INTAKE_RATE_LIMIT: 'off', REDIS_PREFIX: `{hotline-bench-${database}}` };
  try {
    // The naive baseline first, then the intake, each alone on the machine with PostgreSQL.
    const naive = start('dist/bench/naive-server.js', { ...env, PORT: '3900' });
    await waitReady('http://127.0.0.1:3900/');
    await run('http://127.0.0.1:3900', { duration: 3 }); // warm-up
    const naiveFigures = await run('http://127.0.0.1:3900', {});
    await stop(naive);

    const intake = start('dist/apps/intake-api/src/main.js', { ...env, INTAKE_PORT: '3901' });
    await waitReady('http://127.0.0.1:3901/health/ready');
    await run('http://127.0.0.1:3901', { duration: 3 }); // warm-up
    const intakeFigures = await run('http://127.0.0.1:3901', {});
    const fixedRate = await run('http://127.0.0.1:3901', { overallRate: FIXED_RATE, connections: 50 });
    await stop(intake);

    const counts = await new Client({ connectionString: url.toString() });
    await counts.connect();
    const [{ reports }] = (await counts.query('SELECT count(*)::int AS reports FROM report')).rows;
    const [{ outbox }] = (await counts.query('SELECT count(*)::int AS outbox FROM outbox')).rows;
    await counts.end();

    const results = {
      benchmark: 'intake',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { durationSeconds: DURATION, connections: CONNECTIONS, fixedRate: FIXED_RATE, uniqueUrls: true },
      naive: naiveFigures,
      intake: intakeFigures,
      intakeAtFixedRate: fixedRate,
      speedup: Math.round((intakeFigures.requestsPerSecond / naiveFigures.requestsPerSecond) * 100) / 100,
      // Every 201 must correspond to a committed report with its outbox row (durability check).
      stored: { reports, outboxRows: outbox },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(ROOT, 'bench', 'results', `intake-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', 'intake-latest.json'), text);
    process.stdout.write(text);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
