/**
 * `npm run bench:intake`: durable intake throughput and latency with unique URLs, against a
 * naive one-INSERT-per-request Fastify server on the same PostgreSQL, in the same run.
 *
 * 1. saturation: N connections for D seconds against each server, alternating naive and intake for
 *    R rounds so that drift in a shared machine's speed hits both alike -> accepted reports/s and
 *    p99 per round, and the median of the per-round speedups. Load from wrk (Debian package), which
 *    takes half the CPU autocannon does from the cores the servers share;
 * 2. fixed rate: 1,000 requests/s against the intake (autocannon, which can hold a rate) -> p99.
 * Results go to bench/results/intake-<date>.json and bench/results/intake-latest.json.
 */
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, startServer, stopServer, waitReady } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
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

/** Saturation load from wrk: every request a new URL (bench/unique-reports.lua). */
async function saturate(url: string, duration = DURATION): Promise<Figures> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${duration}s`, '-s', join(ROOT, 'bench', 'unique-reports.lua'), url, '--', randomBytes(4).toString('hex')];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('wrk', args, (error, out) => (error ? reject(new Error(`wrk failed (apt-get install wrk): ${error.message}`)) : resolve(out))),
  );
  const run = JSON.parse(stdout.trim().split('\n').pop()!) as {
    requests: number;
    durationUs: number;
    non2xx: number;
    socketErrors: number;
    timeouts: number;
    latencyUs: { p50: number; p90: number; p99: number; max: number };
  };
  const accepted = run.requests - run.non2xx;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    requestsPerSecond: Math.round((accepted / (run.durationUs / 1e6)) * 10) / 10,
    accepted,
    non2xx: run.non2xx,
    errors: run.socketErrors,
    timeouts: run.timeouts,
    latencyMs: { p50: ms(run.latencyUs.p50), p90: ms(run.latencyUs.p90), p99: ms(run.latencyUs.p99), max: ms(run.latencyUs.max) },
  };
}

/** Load from autocannon, used for the fixed-rate run. */
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

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const database = `hotline_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), NODE_ENV: 'development', LOG_LEVEL: 'warn', INTAKE_RATE_LIMIT: 'off', REDIS_PREFIX: `{hotline-bench-${database}}` };
  const naive = startServer('dist/bench/naive-server.js', { ...env, PORT: '3900' });
  const intake = startServer('dist/apps/intake-api/src/main.js', { ...env, INTAKE_PORT: '3901' });
  try {
    await waitReady('http://127.0.0.1:3900/');
    await waitReady('http://127.0.0.1:3901/health/ready');
    await saturate('http://127.0.0.1:3900', 3); // warm-up
    const intakeWarmUp = await saturate('http://127.0.0.1:3901', 3);
    // Only one server is under load at a time; the other sits idle.
    const rounds: { naive: Figures; intake: Figures; speedup: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const naiveFigures = await saturate('http://127.0.0.1:3900');
      const intakeFigures = await saturate('http://127.0.0.1:3901');
      rounds.push({ naive: naiveFigures, intake: intakeFigures, speedup: ratio(intakeFigures.requestsPerSecond, naiveFigures.requestsPerSecond) });
    }
    const fixedRate = await run('http://127.0.0.1:3901', { overallRate: FIXED_RATE, connections: 50 });
    await Promise.all([stopServer(naive), stopServer(intake)]);

    const counts = await new Client({ connectionString: url.toString() });
    await counts.connect();
    const [{ reports }] = (await counts.query('SELECT count(*)::int AS reports FROM report')).rows;
    const [{ outbox }] = (await counts.query('SELECT count(*)::int AS outbox FROM outbox')).rows;
    await counts.end();

    const results = {
      benchmark: 'intake',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: {
        durationSeconds: DURATION,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        fixedRate: FIXED_RATE,
        uniqueUrls: true,
        loadGenerator: { saturation: 'wrk -t2', fixedRate: 'autocannon' },
      },
      naiveRequestsPerSecond: median(rounds.map((r) => r.naive.requestsPerSecond)),
      intakeRequestsPerSecond: median(rounds.map((r) => r.intake.requestsPerSecond)),
      speedup: median(rounds.map((r) => r.speedup)),
      intakeAtFixedRate: fixedRate,
      rounds,
      // Durability check: every 201 is a committed report with its outbox row, so reports >= accepted
      // (a few more are stored when a run ends with requests in flight whose answers it never reads).
      stored: {
        intakeAccepted: intakeWarmUp.accepted + rounds.reduce((sum, r) => sum + r.intake.accepted, 0) + fixedRate.accepted,
        reports,
        outboxRows: outbox,
      },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(ROOT, 'bench', 'results', `intake-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', 'intake-latest.json'), text);
    process.stdout.write(text);
  } finally {
    await Promise.all([stopServer(naive), stopServer(intake)]);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
