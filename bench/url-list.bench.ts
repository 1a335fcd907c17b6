/**
 * `npm run bench:url-list`: how long does a subscriber wait for the whole confirmed-URL list?
 *
 * A fresh database with BENCH_LISTED (default 100,000) confirmed cases (the insert trigger lists
 * them); console-api started as in production; one API key with both list scopes, inserted as an
 * admin's would be. The first download numbers all the changes (assignVersions over every row);
 * then BENCH_ROUNDS (default 10) downloads, one at a time, of each full format (JSON, CSV, the
 * hashes in JSON and CSV), and of a delta after BENCH_CHANGES (default 1,000) confirmations
 * and removals. Reports each one's p50/p95/max, its size, and console-api's peak RSS. Results go
 * to bench/results/url-list-<date>.json and url-list-latest.json.
 */
import { newApiKey } from '@hotline/security';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, startServer, stopServer, waitReady } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LISTED = Number(process.env.BENCH_LISTED ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1_000);
const PORT = 3921;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Peak resident set of a process so far (Linux), in MiB. */
function peakRssMiB(pid: number | undefined): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const database = `hotline_bench_url_list_${Date.now().toString(36)}`;
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
    // URLs of a realistic length (~90 characters), each confirmed: the trigger lists each one.
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, verdict, report_count, first_reported_at, last_reported_at)
       SELECT gen_random_uuid(), lpad(to_hex(g), 64, '0'), 'http://images-' || g || '.bench.example.com/gallery/' || md5(g::text) || '/photo.jpg?size=large',
              'images-' || g || '.bench.example.com', 'bench.example.com', 'confirmed', 'baseline', 1, now(), now()
         FROM generate_series(1, $1::int) AS g`,
      [LISTED],
    );
    await db.query(`VACUUM ANALYZE url_list_entry`);
    const loadSeconds = round((Date.now() - loadStart) / 1000, 1);

    const key = newApiKey();
    await db.query(
      `INSERT INTO api_key (id, name, prefix, secret_hash, scopes) VALUES (gen_random_uuid(), 'bench subscriber', $1, $2, ARRAY['url_list', 'url_list_hashes'])`,
      [key.prefix, key.secretHash],
    );
    const headers = { authorization: `Bearer ${key.key}` };

    const download = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      const body = await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
      return { ms: performance.now() - started, bytes: body.byteLength, version: Number(response.headers.get('x-url-list-version')) };
    };

    const first = await download('/api/v1/url-list');
    const measure = async (path: string) => {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const one = await download(path);
        samples.push(one.ms);
        bytes = one.bytes;
      }
      samples.sort((a, b) => a - b);
      return {
        rounds: ROUNDS,
        p50: round(percentile(samples, 50)),
        p95: round(percentile(samples, 95)),
        max: round(samples[samples.length - 1]),
        megabytes: round(bytes / 2 ** 20),
      };
    };
    const full = {
      'GET /api/v1/url-list': await measure('/api/v1/url-list'),
      'GET /api/v1/url-list.csv': await measure('/api/v1/url-list.csv'),
      'GET /api/v1/url-list/hashes': await measure('/api/v1/url-list/hashes'),
      'GET /api/v1/url-list/hashes.csv': await measure('/api/v1/url-list/hashes.csv'),
    };

    // A day's worth of changes: half the changes leave the list (removed), half join (new confirmed cases).
    await db.query(`UPDATE "case" SET status = 'removed', removed_at = now() WHERE id IN (SELECT id FROM "case" WHERE status = 'confirmed' LIMIT $1)`, [CHANGES / 2]);
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, verdict, report_count, first_reported_at, last_reported_at)
       SELECT gen_random_uuid(), 'f' || lpad(to_hex(g), 63, '0'), 'http://new-' || g || '.bench.example.com/', 'new-' || g || '.bench.example.com', 'bench.example.com', 'confirmed', 'baseline', 1, now(), now()
         FROM generate_series(1, $1::int) AS g`,
      [CHANGES / 2],
    );
    const numbering = await download(`/api/v1/url-list?since=${first.version}`);
    const delta = await measure(`/api/v1/url-list?since=${first.version}`);

    const results = {
      benchmark: 'url-list',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { listed: LISTED, rounds: ROUNDS, changes: CHANGES, how: 'one download at a time over loopback, body read whole' },
      casesLoadSeconds: loadSeconds,
      firstDownloadNumberingAllMs: round(first.ms),
      full,
      delta: { changes: CHANGES, firstDownloadNumberingChangesMs: round(numbering.ms), ...delta },
      consoleApiPeakRssMiB: peakRssMiB(consoleApi.pid),
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(ROOT, 'bench', 'results', `url-list-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(ROOT, 'bench', 'results', 'url-list-latest.json'), text);
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
