import { type HotlineConfig, statsRules } from '@hotline/config';
import { backfillStats, statsRepository, writeSyntheticChunk } from '@hotline/persistence';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { UsageError } from './usage-error';

/** Cases per transaction: large enough for set-based speed, small enough for the plan's temporary table. */
const CHUNK = 200_000;
/**
 * Chunks written at once, each on a connection of its own: the writing is set-based SQL, so one
 * chunk keeps one PostgreSQL backend busy; two kept this 2-core machine's both cores busy.
 */
const WRITERS = 2;
const MAX_CASES = 20_000_000;
/** The latest events of a case come at most this long after the year's end (reappearance, second removal, closing). */
const TAIL_MS = 240 * 86_400_000;
/** Human cases an analyst settles per working day in the synthetic history (sets how many analysts there are). */
const CASES_PER_ANALYST_DAY = 20;

export interface SeedSyntheticOptions {
  cases: number;
  year: number;
  seed: number;
}

/** The latest year whose whole synthetic history lies before `now` (the default --year). */
export function latestSeedableYear(now: Date): number {
  let year = now.getUTCFullYear();
  while (Date.UTC(year + 1, 0, 1) + TAIL_MS > now.getTime()) year--;
  return year;
}

/** The command's options from its arguments; bad ones are a UsageError (exit 2), as is NODE_ENV=production. */
export function seedSyntheticOptions(raw: { cases: string; year?: string; seed?: string }, env: NodeJS.ProcessEnv, now: Date): SeedSyntheticOptions {
  // Synthetic cases must never mix with a real hotline's: their statistics would be published.
  if (env.NODE_ENV === 'production') throw new UsageError('seed:synthetic refuses to run with NODE_ENV=production: synthetic cases must never mix with real ones');
  if (!/^[1-9][0-9]{0,7}$/.test(raw.cases) || Number(raw.cases) > MAX_CASES) throw new UsageError(`--cases must be an integer 1..${MAX_CASES}`);
  const latest = latestSeedableYear(now);
  const year = raw.year === undefined ? latest : Number(raw.year);
  if (raw.year !== undefined && !/^[0-9]{4}$/.test(raw.year)) throw new UsageError('--year must be a year (YYYY)');
  if (year < 2000 || year > latest) {
    throw new UsageError(`--year must be 2000..${latest}: a year's synthetic history runs up to 240 days past its end, which must lie in the past`);
  }
  if (raw.seed !== undefined && !/^[0-9]{1,9}$/.test(raw.seed)) throw new UsageError('--seed must be an integer 0..999999999');
  return { cases: Number(raw.cases), year, seed: Number(raw.seed ?? 1) };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const asUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** The first 20 hex digits of every case id and dedup key of a (year, seed): one run's cases, never another's. */
export const syntheticPrefix = (year: number, seed: number) => md5(`synthetic:${year}:${seed}`).slice(0, 20);

/** The analysts claims name: enough for each to settle about CASES_PER_ANALYST_DAY cases a day. */
export function syntheticAnalysts(options: SeedSyntheticOptions): string[] {
  const count = Math.max(4, Math.ceil((options.cases * 0.96) / 365 / CASES_PER_ANALYST_DAY));
  return Array.from({ length: count }, (_, i) => asUuid(md5(`synthetic-analyst:${options.year}:${options.seed}:${i}`)));
}

export interface SeedSyntheticResult {
  cases: number;
  events: number;
  seedSeconds: number;
  backfillSeconds: number;
}

/**
 * Writes a year of synthetic cases and their events (libs/persistence/src/synthetic), a chunk per
 * transaction, WRITERS chunks at a time. Refuses a (year, seed) already seeded in this database.
 * The rollups do not include them until a backfill (seedSynthetic does both).
 */
export async function seedSyntheticCases(
  dataSource: DataSource,
  config: HotlineConfig,
  options: SeedSyntheticOptions,
  progress: (line: string) => void = () => undefined,
): Promise<{ events: number; seedSeconds: number }> {
  // The same refusal as the command's, for any other caller (bench:stats, tests): the configuration decides.
  if (config.env === 'production') throw new UsageError('seed:synthetic refuses to run with NODE_ENV=production: synthetic cases must never mix with real ones');
  const prefix = syntheticPrefix(options.year, options.seed);
  const firstId = `${asUuid(`${prefix}000000000000`).slice(0, 24)}${(1).toString(16).padStart(12, '0')}`;
  const [taken]: unknown[] = await dataSource.query(`SELECT 1 FROM "case" WHERE id = $1`, [firstId]);
  if (taken) throw new UsageError(`synthetic cases of year ${options.year}, seed ${options.seed} are already in this database: pick another --seed`);
  const analysts = syntheticAnalysts(options);

  const started = Date.now();
  let events = 0;
  let written = 0;
  let next = 1;
  // Each writer takes the next chunk when its last one has committed; chunks are disjoint ranges of case numbers.
  const writer = async () => {
    while (next <= options.cases) {
      const first = next;
      const last = Math.min(options.cases, first + CHUNK - 1);
      next = last + 1;
      const chunkEvents = await dataSource.transaction((tx) =>
        writeSyntheticChunk(tx, { first, last, seed: options.seed, year: options.year, analysts, prefix, country: config.hotlineCountry }),
      );
      events += chunkEvents;
      written += last - first + 1;
      progress(`  ${written} cases, ${events} events, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  // Fresh statistics for the planner (the backfill reads every event in case order).
  await dataSource.query(`ANALYZE "case", case_event`);
  return { events, seedSeconds: (Date.now() - started) / 1000 };
}

/**
 * `seed:synthetic`: writes the synthetic cases (seedSyntheticCases), then rebuilds the
 * statistics' rollups from every event (stats:backfill) so the figures include them.
 */
export async function seedSynthetic(
  dataSource: DataSource,
  config: HotlineConfig,
  options: SeedSyntheticOptions,
  progress: (line: string) => void = () => undefined,
): Promise<SeedSyntheticResult> {
  const { events, seedSeconds } = await seedSyntheticCases(dataSource, config, options, progress);
  const backfillStarted = Date.now();
  await backfillStats(dataSource, statsRepository, statsRules(config));
  return { cases: options.cases, events, seedSeconds, backfillSeconds: (Date.now() - backfillStarted) / 1000 };
}

export const seedSyntheticLine = (r: SeedSyntheticResult) =>
  `seeded ${r.cases} cases (${r.events} events) in ${r.seedSeconds.toFixed(1)} s; backfill ${r.backfillSeconds.toFixed(1)} s\n`;
