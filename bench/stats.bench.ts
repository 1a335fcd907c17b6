/**
 * `npm run bench:stats`: does a year's summary of the regulators' statistics cost the same at
 * 100 thousand and at 10 million cases?
 *
 * For each size of BENCH_STATS_CASES (default 100000,10000000) a database of its own,
 * hotline_bench_stats_<size> (100k, 10m...), migrated, seeded by seed:synthetic (the year before
 * the last one whose history lies wholly in the past, seed 1), rollups backfilled. A database
 * that already holds that many cases with its rollups up to its last event is reused (seeding
 * 10 million takes a while; BENCH_STATS_FRESH=1 seeds anew); how long its seeding took is kept
 * in the database's comment. Then, through the console's StatsService (the code behind
 * GET /api/v1/stats/*) on a pool like the console's: the year's summary (BENCH_ROUNDS, default
 * 200, after 20 warm-up calls; at most BENCH_SECONDS, default 60, per measure), its three
 * queries one by one (rollup sums, viewing time, still online), a breakdown by source and a
 * monthly series, each p50/p95/p99; EXPLAIN ANALYZE of the rollup sums, the viewing sums and
 * the still-online read, and the still-online figure read live from the cases once, for comparison. Results: bench/results/stats-<date>.json and .md, and stats-latest.json; the ratio of
 * the largest size to the smallest for each measure.
 */
import { loadConfig } from '@hotline/config';
import { STAT_METRICS } from '@hotline/domain';
import { dataSourceOptions, runMigrations, statsRepository } from '@hotline/persistence';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { latestSeedableYear, seedSynthetic, type SeedSyntheticResult } from '../apps/cli/src/commands/seed-synthetic';
import { StatsService } from '../apps/console-api/src/stats/stats.service';
import { ROOT } from './servers';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZES = (process.env.BENCH_STATS_CASES ?? '100000,10000000').split(',').map((s) => Number(s.trim()));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP = 20;
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const FRESH = process.env.BENCH_STATS_FRESH === '1';
const SEED = 1;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const label = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1_000 === 0 ? `${n / 1_000}k` : String(n));

interface Measure {
  rounds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Calls `work` WARMUP times, then up to ROUNDS times (or MAX_SECONDS), one at a time; milliseconds. */
async function measure(work: () => Promise<unknown>): Promise<Measure> {
  const deadline = performance.now() + MAX_SECONDS * 1000;
  for (let i = 0; i < WARMUP && performance.now() < deadline; i++) await work();
  const samples: number[] = [];
  while (samples.length < ROUNDS && (samples.length < 5 || performance.now() < deadline)) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    rounds: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(samples[samples.length - 1]),
  };
}

interface Seeding {
  reused: boolean;
  cases: number;
  events: number;
  seedSeconds: number | null;
  backfillSeconds: number | null;
}

/** The database of one size: reused when it holds `cases` cases and rollups up to its last event, else seeded anew. */
async function prepare(admin: Client, cases: number, year: number): Promise<{ url: string; seeding: Seeding }> {
  const database = `hotline_bench_stats_${label(cases)}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const [exists] = (await admin.query(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [database])).rows;
  if (exists && !FRESH) {
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const [state] = (
        await db.query(
          `SELECT (SELECT count(*) FROM "case")::float8 AS cases, (SELECT coalesce(max(id), 0) FROM case_event)::text AS last,
                  (SELECT last_event_id::text FROM stats_cursor) AS cursor, (SELECT count(*) FROM case_event)::float8 AS events`,
        )
      ).rows;
      const kept = JSON.parse(exists.comment ?? '{}') as Partial<SeedSyntheticResult & { year: number }>;
      if (state.cases === cases && state.cursor === state.last && kept.year === year) {
        return {
          url: url.toString(),
          seeding: { reused: true, cases, events: state.events, seedSeconds: kept.seedSeconds ?? null, backfillSeconds: kept.backfillSeconds ?? null },
        };
      }
    } catch {
      // not a seeded database (or not migrated): seeded anew below
    } finally {
      await db.end();
    }
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), NODE_ENV: 'development' });
  const dataSource = await new DataSource({ ...dataSourceOptions(config), extra: { max: 2 } }).initialize();
  try {
    await runMigrations(dataSource);
    const result = await seedSynthetic(dataSource, config, { cases, year, seed: SEED }, (line) => process.stderr.write(`${database}: ${line}\n`));
    await admin.query(`COMMENT ON DATABASE ${database} IS '${JSON.stringify({ ...result, year, seed: SEED })}'`);
    return {
      url: url.toString(),
      seeding: { reused: false, cases, events: result.events, seedSeconds: round(result.seedSeconds, 1), backfillSeconds: round(result.backfillSeconds, 1) },
    };
  } finally {
    await dataSource.destroy();
  }
}

async function timeOnce(dataSource: DataSource, sql: string): Promise<number> {
  const started = performance.now();
  await dataSource.query(sql);
  return round(performance.now() - started);
}

async function explain(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<string> {
  const rows: { 'QUERY PLAN': string }[] = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

async function benchSize(admin: Client, cases: number, year: number) {
  const { url, seeding } = await prepare(admin, cases, year);
  process.stderr.write(`bench:stats: ${label(cases)} ${seeding.reused ? 'reused' : 'seeded'}, measuring\n`);
  const config = loadConfig({ ...process.env, DATABASE_URL: url, NODE_ENV: 'development' });
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    await dataSource.query(`VACUUM ANALYZE stats_rollup, stats_viewing, stats_viewing_day, stats_online`);
    const service = new StatsService(dataSource, statsRepository, config);
    const range = { from: `${year}-01-01`, to: `${year}-12-31`, end: `${year + 1}-01-01` };
    const parts = { months: [range.from, range.end] as [string, string], days: [] };
    const [{ rows: cells }]: { rows: number }[] = await dataSource.query(`SELECT count(*)::int AS rows FROM stats_rollup`);
    const [{ rows: viewingRows }]: { rows: number }[] = await dataSource.query(`SELECT count(*)::int AS rows FROM stats_viewing`);
    const [{ rows: viewingDayRows }]: { rows: number }[] = await dataSource.query(`SELECT count(*)::int AS rows FROM stats_viewing_day`);
    const [{ rows: onlineRows }]: { rows: number }[] = await dataSource.query(`SELECT count(*)::int AS rows FROM stats_online`);
    const summary = await service.summary(range);
    // The cells StatsRepository.sums reads for the year's totals (it adds them up in Node).
    const sumsSql = `SELECT metric, dimension, value, n::float8 AS n, hits::float8 AS hits, measured::float8 AS measured, hist::float8[] AS hist
                       FROM stats_rollup WHERE grain = 'month' AND period >= $1::date AND period < $2::date AND dimension = 'all'`;
    const viewingSql = `SELECT sum(analyst_days), sum(total_ms), sum(over_cap) FILTER (WHERE cap_ms = $3::bigint), max(max_ms), array_agg(day) FILTER (WHERE cap_ms <> $3::bigint)
                          FROM stats_viewing_day WHERE day >= $1::date AND day < $2::date`;
    // What the rollup replaced (bench/results/stats-2026-12-02.md): the live count from the cases and their confirmation events.
    const stillOnlineLiveSql = `SELECT count(at) FROM (SELECT (SELECT max(e.at) FROM case_event e WHERE e.case_id = c.id AND e.to_status = 'confirmed') AS at
                              FROM "case" c WHERE c.status IN ('confirmed', 'actioned')) online`;
    return {
      cases,
      seeding,
      rollupRows: cells,
      viewingRows,
      viewingDayRows,
      onlineRows,
      stillOnline: await service.stillOnline(),
      publicAccuracy: summary.figures.find((f) => f.metric === 'public_accuracy')?.rate ?? null,
      summary: await measure(() => service.summary(range)),
      parts: {
        rollupSums: await measure(() => statsRepository.sums(dataSource, parts, ['all'])),
        viewingSums: await measure(() => statsRepository.viewingSums(dataSource, range.from, range.end, config.exposureDailyLimitMs)),
        stillOnline: await measure(() => statsRepository.stillOnline(dataSource)),
      },
      breakdownBySource: await measure(() => service.breakdown(range, 'source', STAT_METRICS)),
      monthlySeries: await measure(() => service.series(range, 'month', STAT_METRICS)),
      explain: {
        rollupSums: await explain(dataSource, sumsSql, [range.from, range.end]),
        viewingSums: await explain(dataSource, viewingSql, [range.from, range.end, config.exposureDailyLimitMs]),
        stillOnline: await explain(dataSource, `SELECT since, n FROM stats_online WHERE n > 0 ORDER BY since DESC`),
      },
      // Once, for comparison with the rollup: what the figure cost read live (the cases online and their confirmations).
      stillOnlineLiveMs: await timeOnce(dataSource, stillOnlineLiveSql),
    };
  } finally {
    await dataSource.destroy();
  }
}

type SizeResult = Awaited<ReturnType<typeof benchSize>>;

function ratios(first: SizeResult, last: SizeResult) {
  const r = (a: Measure, b: Measure) => ({ p50: round(b.p50 / a.p50), p95: round(b.p95 / a.p95) });
  return {
    of: `${label(last.cases)} / ${label(first.cases)}`,
    summary: r(first.summary, last.summary),
    rollupSums: r(first.parts.rollupSums, last.parts.rollupSums),
    viewingSums: r(first.parts.viewingSums, last.parts.viewingSums),
    stillOnline: r(first.parts.stillOnline, last.parts.stillOnline),
    breakdownBySource: r(first.breakdownBySource, last.breakdownBySource),
    monthlySeries: r(first.monthlySeries, last.monthlySeries),
  };
}

function markdown(results: { date: string; year: number; machine: object; sizes: SizeResult[]; ratio: ReturnType<typeof ratios> | null }): string {
  const row = (name: string, pick: (s: SizeResult) => Measure) =>
    `| ${name} | ${results.sizes.map((s) => `${pick(s).p50} / ${pick(s).p95} / ${pick(s).p99} (${pick(s).rounds})`).join(' | ')} |`;
  const lines = [
    `# bench:stats ${results.date.slice(0, 10)}`,
    '',
    `A year's statistics (${results.year}) through StatsService, one call at a time; ms p50 / p95 / p99 (rounds). Machine: ${JSON.stringify(results.machine)}.`,
    '',
    `| | ${results.sizes.map((s) => `${label(s.cases)} cases`).join(' | ')} |`,
    `|---|${results.sizes.map(() => '---').join('|')}|`,
    row('summary (GET /stats/summary)', (s) => s.summary),
    row('- rollup sums', (s) => s.parts.rollupSums),
    row('- viewing time', (s) => s.parts.viewingSums),
    row('- still online (GET /stats/still-online)', (s) => s.parts.stillOnline),
    row('breakdown by source, all metrics', (s) => s.breakdownBySource),
    row('monthly series, all metrics', (s) => s.monthlySeries),
    `| events | ${results.sizes.map((s) => s.seeding.events).join(' | ')} |`,
    `| rollup rows / viewing rows / viewing day rows / online hour rows | ${results.sizes
      .map((s) => `${s.rollupRows} / ${s.viewingRows} / ${s.viewingDayRows} / ${s.onlineRows}`)
      .join(' | ')} |`,
    `| still online (cases) | ${results.sizes.map((s) => s.stillOnline.count).join(' | ')} |`,
    `| still online read live from the cases instead (once, ms) | ${results.sizes.map((s) => s.stillOnlineLiveMs).join(' | ')} |`,
    `| public accuracy | ${results.sizes.map((s) => s.publicAccuracy).join(' | ')} |`,
    `| seeding s / backfill s | ${results.sizes.map((s) => `${s.seeding.seedSeconds ?? '?'} / ${s.seeding.backfillSeconds ?? '?'}${s.seeding.reused ? ' (reused database)' : ''}`).join(' | ')} |`,
    '',
  ];
  if (results.ratio) {
    lines.push(`Ratio ${results.ratio.of} (p50, p95):`, '', '```', JSON.stringify(results.ratio, null, 2), '```', '');
  }
  for (const s of results.sizes) {
    lines.push(`## EXPLAIN ANALYZE at ${label(s.cases)} cases`, '', 'Rollup sums of the year (month cells, totals):', '', '```', s.explain.rollupSums, '```', '');
    lines.push('Viewing time of the year (day sums):', '', '```', s.explain.viewingSums, '```', '');
    lines.push('Still online (hours of confirmation):', '', '```', s.explain.stillOnline, '```', '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const year = latestSeedableYear(new Date());
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const sizes: SizeResult[] = [];
    for (const cases of SIZES) sizes.push(await benchSize(admin, cases, year));
    const results = {
      benchmark: 'stats',
      date: new Date().toISOString(),
      year,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: {
        sizes: SIZES,
        rounds: ROUNDS,
        warmup: WARMUP,
        maxSecondsPerMeasure: MAX_SECONDS,
        seed: SEED,
        how: 'StatsService in process on a fresh pool, one call at a time',
      },
      sizes,
      ratio: sizes.length > 1 ? ratios(sizes[0], sizes[sizes.length - 1]) : null,
    };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(dir, `stats-${results.date.slice(0, 10)}.json`), text);
    writeFileSync(join(dir, 'stats-latest.json'), text);
    writeFileSync(join(dir, `stats-${results.date.slice(0, 10)}.md`), markdown(results));
    process.stdout.write(markdown(results));
  } finally {
    await admin.end();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
