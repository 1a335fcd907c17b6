/**
 * `npm run bench:claims`: is "next case" fast with a million cases waiting?
 *
 * A fresh database with BENCH_CASES (default 1,000,000) queued cases spread over the five default
 * review queues; console-api started as in production; BENCH_ANALYSTS (default 10) analysts
 * signed in with real TOTP codes, each claiming the next case of `standard` and releasing it, in
 * a loop, for BENCH_DURATION seconds (default 10). Release keeps a case's place, so the queue
 * stays a million deep. Reports claims per second and claim latency (HTTP, including the lease,
 * the event and the audit append in its transaction), and the plan and time of the "next case"
 * query itself. Results go to bench/results/claims-<date>.json and claims-latest.json.
 */
import { totpCode } from '@hotline/security';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, startServer, stopServer, waitReady } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const ANALYSTS = Number(process.env.BENCH_ANALYSTS ?? 10);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PORT = 3920;
const QUEUES = ['urgent', 'standard', 'partner-inbound', 'reappeared', 'unresolved-hosting'];

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const database = `hotline_bench_claims_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), NODE_ENV: 'development', LOG_LEVEL: 'warn', REDIS_PREFIX: `{hotline-bench-${database}}`, CONSOLE_PORT: String(PORT) };
  const db = new Client({ connectionString: url.toString() });
  const consoleApi = startServer('dist/apps/console-api/src/main.js', env);
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitReady(`${base}/health/ready`); // migrations applied
    await db.connect();

    const loadStart = Date.now();
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, queue, priority, report_count, first_reported_at, last_reported_at, queued_at)
       SELECT gen_random_uuid(), lpad(to_hex(g), 64, '0'), 'http://bench-' || g || '.example.com/', 'bench-' || g || '.example.com', 'queued',
              ($2::text[])[1 + g % 5], (g::bigint * 7919 % 100)::smallint, 1, now(), now(), now() - make_interval(secs => g)
         FROM generate_series(1, $1::int) AS g`,
      [CASES, QUEUES],
    );
    await db.query(`VACUUM ANALYZE "case"`);
    const loadSeconds = round((Date.now() - loadStart) / 1000, 1);

    // The analysts, made as an operator would (user:create), signed in with their codes.
    const tokens: string[] = [];
    for (let i = 0; i < ANALYSTS; i++) {
      const email = `analyst-${i}@bench.example`;
      const password = `bench-password-${i}-long-enough`;
      const out = execFileSync(
        process.execPath,
        [join(ROOT, 'dist/apps/cli/src/main.js'), 'user:create', '--email', email, '--role', 'analyst', '--password-stdin', '--json'],
        {
          cwd: ROOT,
          env: { ...process.env, ...env },
          input: `${password}\n`,
          stdio: ['pipe', 'pipe', 'ignore'],
        },
      );
      const { totpSecret } = JSON.parse(out.toString());
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, totp: totpCode(totpSecret) }),
      });
      if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      tokens.push(((await login.json()) as { accessToken: string }).accessToken);
    }

    // The "next case" query of a claim, on its own.
    const next = `SELECT id FROM "case" WHERE queue = 'standard' AND status = 'queued' ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
    const [plan] = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${next}`)).rows[0]['QUERY PLAN'];
    const planText = JSON.stringify(plan.Plan);

    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const deadline = Date.now() + DURATION * 1000;
    const runStart = Date.now();
    await Promise.all(
      tokens.map(async (token) => {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        while (Date.now() < deadline) {
          const started = performance.now();
          const claim = await fetch(`${base}/api/v1/queues/standard/claim`, { method: 'POST', headers, body: '{}' });
          latencies.push(performance.now() - started);
          statuses[claim.status] = (statuses[claim.status] ?? 0) + 1;
          if (claim.status !== 200) {
            await claim.text();
            continue;
          }
          const { id } = (await claim.json()) as { id: string };
          const release = await fetch(`${base}/api/v1/cases/${id}/release`, { method: 'POST', headers, body: '{}' });
          await release.text();
          statuses[`release ${release.status}`] = (statuses[`release ${release.status}`] ?? 0) + 1;
        }
      }),
    );
    const runSeconds = (Date.now() - runStart) / 1000;
    latencies.sort((a, b) => a - b);
    const [{ open, leased }] = (
      await db.query(`SELECT count(*) FILTER (WHERE status = 'queued')::int AS open, count(*) FILTER (WHERE status = 'in_assessment')::int AS leased FROM "case"`)
    ).rows;

    const results = {
      benchmark: 'claims',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { cases: CASES, queues: QUEUES.length, analysts: ANALYSTS, durationSeconds: DURATION, loop: 'claim the next case of standard, release it' },
      casesLoadSeconds: loadSeconds,
      nextCaseQuery: {
        executionMs: round(plan['Execution Time'], 3),
        usesIndex: /case_next_in_queue_idx/.test(planText),
        seqScan: /Seq Scan/.test(planText),
      },
      claims: statuses['200'] ?? 0,
      claimsPerSecond: round((statuses['200'] ?? 0) / runSeconds, 1),
      statuses,
      claimLatencyMs: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1]),
      },
      afterwards: { queued: open, leased },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(ROOT, 'bench', 'results', `claims-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', 'claims-latest.json'), text);
    process.stdout.write(text);
  } finally {
    await stopServer(consoleApi);
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
