/**
 * `npm run bench:claims`: is "next case" fast with a million cases waiting?
 *
 * A fresh database with BENCH_CASES (default 1,000,000) queued cases spread over the five default
 * review queues; console-api started as in production; BENCH_ANALYSTS (default 10) analysts
 * signed in with real TOTP codes, each claiming the next case of `standard` and releasing it, in
 * a loop, for BENCH_DURATION seconds (default 10). Release keeps a case's place, so the queue
 * stays a million deep. Reports claims per second and claim latency (HTTP, including the lease,
 * the event and the audit append in its transaction), and the plan and time of the "next case"
 * query itself.
 *
 * Then, apart from that contention, one analyst alone calls the staff API behind the console pages,
 * one request at a time (BENCH_SEQUENTIAL, default 200 each, after BENCH_WARMUP, default 20):
 * GET /api/v1/queues (the queues overview), GET /api/v1/cases/{id} for the case they hold and for
 * random other cases, and POST /api/v1/queues/standard/claim (each claim followed by a GET of the
 * held case and its release). Each call's p50/p95/p99 against issue 11's p95 target of 50 ms (a
 * miss is reported, not failed), and EXPLAIN (ANALYZE, BUFFERS) of the queues-overview query
 * (ReviewQueueRepository.listWithOpenCases). Results go to bench/results/claims-<date>.json and
 * claims-latest.json.
 */
import { QUEUES_OVERVIEW_SQL } from '@hotline/persistence';
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
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const TARGET_P95_MS = 50; // issue 11
const PORT = 3920;
const QUEUES = ['urgent', 'standard', 'partner-inbound', 'reappeared', 'unresolved-hosting'];

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Latency figures of one call made `samples.length` times, one at a time. */
function summary(samples: number[], statuses: Record<string, number>) {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = round(percentile(sorted, 95));
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95,
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
    statuses,
    metP95TargetMs: p95 <= TARGET_P95_MS,
  };
}

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

    // The console pages' calls, one analyst, one request at a time, after the contention above.
    const headers = { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' };
    const timed = async (samples: number[] | null, statuses: Record<string, number>, path: string, method = 'GET') => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, method === 'GET' ? { headers } : { method, headers, body: '{}' });
      const body = await response.text();
      if (samples) {
        samples.push(performance.now() - started);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
      return { status: response.status, body };
    };
    const randomIds: string[] = (await db.query(`SELECT id FROM "case" TABLESAMPLE BERNOULLI (0.1) ORDER BY random() LIMIT $1`, [WARMUP + SEQUENTIAL])).rows.map(
      (row: { id: string }) => row.id,
    );
    const calls = {
      queues: { samples: [] as number[], statuses: {} },
      caseHeld: { samples: [] as number[], statuses: {} },
      caseOther: { samples: [] as number[], statuses: {} },
      claimNext: { samples: [] as number[], statuses: {} },
    };
    for (let i = 0; i < WARMUP + SEQUENTIAL; i++) {
      const measured = i >= WARMUP;
      const pick = (call: { samples: number[]; statuses: Record<string, number> }) => [measured ? call.samples : null, call.statuses] as const;
      await timed(...pick(calls.queues), '/api/v1/queues');
      await timed(...pick(calls.caseOther), `/api/v1/cases/${randomIds[i % randomIds.length]}`);
      const claim = await timed(...pick(calls.claimNext), '/api/v1/queues/standard/claim', 'POST');
      if (claim.status !== 200) continue;
      const { id } = JSON.parse(claim.body) as { id: string };
      await timed(...pick(calls.caseHeld), `/api/v1/cases/${id}`);
      await timed(null, {}, `/api/v1/cases/${id}/release`, 'POST');
    }
    if (calls.caseHeld.samples.length === 0) throw new Error(`no claim succeeded in the sequential phase: ${JSON.stringify(calls.claimNext.statuses)}`);

    // The queues-overview query on its own: three runs, the last one's plan kept.
    const overviewRuns: { executionMs: number; planningMs: number }[] = [];
    let overviewPlan: string[] = [];
    for (let i = 0; i < 3; i++) {
      const rows: { 'QUERY PLAN': string }[] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${QUEUES_OVERVIEW_SQL}`)).rows;
      overviewPlan = rows.map((row) => row['QUERY PLAN']);
      const ms = (label: string) => Number(/([\d.]+) ms/.exec(overviewPlan.find((line) => line.startsWith(label)) ?? '')?.[1]);
      overviewRuns.push({ executionMs: round(ms('Execution Time'), 3), planningMs: round(ms('Planning Time'), 3) });
    }
    const overviewText = overviewPlan.join('\n');

    const [{ open, leased, counted }] = (
      await db.query(
        `SELECT count(*) FILTER (WHERE status = 'queued')::int AS open, count(*) FILTER (WHERE status = 'in_assessment')::int AS leased,
                (SELECT sum(waiting)::int FROM review_queue_waiting) AS counted
           FROM "case"`,
      )
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
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1]),
      },
      consolePages: {
        how: `one analyst, one request at a time, ${WARMUP} warm-up rounds then ${SEQUENTIAL}; each round GET /queues, GET a random case, claim, GET the claimed case, release`,
        targetP95Ms: TARGET_P95_MS,
        'GET /api/v1/queues': summary(calls.queues.samples, calls.queues.statuses),
        'GET /api/v1/cases/{id} (held)': summary(calls.caseHeld.samples, calls.caseHeld.statuses),
        'GET /api/v1/cases/{id} (random)': summary(calls.caseOther.samples, calls.caseOther.statuses),
        'POST /api/v1/queues/standard/claim': summary(calls.claimNext.samples, calls.claimNext.statuses),
      },
      queuesOverviewQuery: {
        runs: overviewRuns,
        seqScan: /Seq Scan/.test(overviewText),
        // The small tables (review_queue, review_queue_waiting) are read whole; "case" must not be.
        seqScanOfCases: /Seq Scan on "case"/.test(overviewText),
        indexes: [...new Set(overviewText.match(/\w+_idx\b/g) ?? [])],
        plan: overviewPlan,
      },
      afterwards: { queued: open, leased, waitingCounted: counted },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(ROOT, 'bench', 'results', `claims-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', 'claims-latest.json'), text);
    process.stdout.write(text);
    for (const [call, figures] of Object.entries(results.consolePages)) {
      if (typeof figures !== 'object') continue;
      const verdict = figures.metP95TargetMs ? 'met' : 'MISSED';
      process.stdout.write(`${call}: p50 ${figures.p50} ms, p95 ${figures.p95} ms, p99 ${figures.p99} ms, n=${figures.count}; ${verdict} p95 <= ${TARGET_P95_MS} ms\n`);
    }
    process.stdout.write(
      `parallel claim (${ANALYSTS} analysts) p95 ${results.claimLatencyMs.p95} ms; queues-overview SQL ${overviewRuns.map((run) => run.executionMs).join(' / ')} ms\n`,
    );
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
