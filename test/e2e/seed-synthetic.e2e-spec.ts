import { statsRules } from '@hotline/config';
import { STAT_METRICS } from '@hotline/domain';
import { checkStats, statsRepository } from '@hotline/persistence';
import { DataSource } from 'typeorm';
import { casesVerifyEvents } from '../../apps/cli/src/commands/cases-verify-events';
import { latestSeedableYear, seedSynthetic, seedSyntheticOptions } from '../../apps/cli/src/commands/seed-synthetic';
import { UsageError } from '../../apps/cli/src/commands/usage-error';
import { StatsService } from '../../apps/console-api/src/stats/stats.service';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';

/**
 * seed:synthetic writes a history the rest of the system accepts as its own: every status
 * explained by its events (cases:verify-events), rollups equal to a recomputation (stats:check),
 * the verdict mix it promises, every figure fed; and the same seed writes the same rows.
 * Databases of their own: the checks read the whole database.
 */
describe('seed:synthetic', () => {
  const year = latestSeedableYear(new Date());
  const range = { from: `${year}-01-01`, to: `${year}-12-31`, end: `${year + 1}-01-01` };
  let scratch: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    scratch = await createScratchDatabase('seed');
    config = testConfig({ DATABASE_URL: scratch.url, STATS_MIN_CELL: '1' });
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: scratch.url, databasePoolSize: 2 })).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  it('refuses production, bad sizes and years whose history would reach the future', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(() => seedSyntheticOptions({ cases: '10' }, { NODE_ENV: 'production' }, now)).toThrow(/refuses to run with NODE_ENV=production/);
    expect(() => seedSyntheticOptions({ cases: '10' }, { NODE_ENV: 'production' }, now)).toThrow(UsageError);
    expect(() => seedSyntheticOptions({ cases: '0' }, {}, now)).toThrow(/--cases must be/);
    expect(() => seedSyntheticOptions({ cases: '20000001' }, {}, now)).toThrow(/--cases must be/);
    expect(() => seedSyntheticOptions({ cases: '10', year: '2026' }, {}, now)).toThrow(/--year must be 2000..2025/);
    expect(() => seedSyntheticOptions({ cases: '10', seed: '-1' }, {}, now)).toThrow(/--seed/);
    expect(seedSyntheticOptions({ cases: '10000000' }, { NODE_ENV: 'development' }, now)).toEqual({ cases: 10_000_000, year: 2025, seed: 1 });
  });

  it('refuses a production configuration whoever calls it, and writes nothing', async () => {
    const production = { ...config, env: 'production' } as typeof config;
    await expect(seedSynthetic(dataSource, production, { cases: 10, year, seed: 3 })).rejects.toThrow(/NODE_ENV=production/);
    const [{ n }]: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM "case"`);
    expect(n).toBe(0);
  });

  it('writes cases whose statuses their events explain, and rollups that pass stats:check', async () => {
    const result = await seedSynthetic(dataSource, config, { cases: 2000, year, seed: 7 });
    expect(result.cases).toBe(2000);
    const [{ cases, events }]: { cases: number; events: number }[] = await dataSource.query(
      `SELECT (SELECT count(*) FROM "case")::int AS cases, (SELECT count(*) FROM case_event)::int AS events`,
    );
    expect(cases).toBe(2000);
    expect(events).toBe(result.events);
    expect(events).toBeGreaterThan(2000 * 4);

    expect(await casesVerifyEvents(dataSource)).toEqual({ ok: true, lines: 'ok 2000 cases\n' });
    const check = await checkStats(dataSource, statsRepository, statsRules(config));
    expect(check.differences).toEqual([]);
    expect(check.cases).toBe(2000);

    // Every case event lies in the past, in the order of its case's ids.
    const [order]: { future: number; disorder: number }[] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE at > now())::int AS future,
              count(*) FILTER (WHERE at < prev)::int AS disorder
         FROM (SELECT at, lag(at) OVER (PARTITION BY case_id ORDER BY id) AS prev FROM case_event) e`,
    );
    expect(order).toEqual({ future: 0, disorder: 0 });
    // The confirmed-URL list took the still-online confirmed cases in (its trigger ran).
    const [listed]: { online: number; listed: number }[] = await dataSource.query(
      `SELECT (SELECT count(*) FROM "case" WHERE status IN ('confirmed', 'actioned'))::int AS online, (SELECT count(*) FROM url_list_entry WHERE listed)::int AS listed`,
    );
    expect(listed.listed).toBe(listed.online);
    expect(listed.online).toBeGreaterThan(0);
    // The still-online rollup (hours of confirmation) counts exactly the cases whose status says so.
    const [{ rolled }]: { rolled: number }[] = await dataSource.query(`SELECT coalesce(sum(n), 0)::int AS rolled FROM stats_online`);
    expect(rolled).toBe(listed.online);
  });

  it("gives public reports' accuracy near IWF's 26%, and a count for every figure", async () => {
    const service = new StatsService(dataSource, statsRepository, config);
    const summary = await service.summary(range);
    const figure = (metric: string) => summary.figures.find((f) => f.metric === metric)!;
    expect(figure('public_accuracy').rate).toBeGreaterThanOrEqual(0.22);
    expect(figure('public_accuracy').rate).toBeLessThanOrEqual(0.3);
    for (const metric of STAT_METRICS.filter((m) => m !== 'appeal_reversal')) {
      expect({ metric, positive: (figure(metric).count ?? 0) > 0 }).toEqual({ metric, positive: true });
    }
    expect(figure('settled_without_human').rate).toBeGreaterThan(0.02);
    expect(figure('settled_without_human').rate).toBeLessThan(0.07);
    expect(figure('review_disagreement').rate).toBeLessThan(0.1);
    expect(summary.viewing.analystDays).toBeGreaterThan(0);
    expect((await service.stillOnline()).count).toBeGreaterThan(0);
  });

  it('refuses to seed the same year and seed twice, and writes the same rows for the same seed', async () => {
    await expect(seedSynthetic(dataSource, config, { cases: 10, year, seed: 7 })).rejects.toThrow(/already in this database/);

    const other = await createScratchDatabase('seed_again');
    const again = await new DataSource(dataSourceOptions({ databaseUrl: other.url, databasePoolSize: 2 })).initialize();
    try {
      await seedSynthetic(again, testConfig({ DATABASE_URL: other.url }), { cases: 300, year, seed: 7 });
      // The first 300 case numbers of a run of 2000 are the 300 of a run of 300: each case is drawn from its own number
      // (and both runs are small enough for the same four analysts).
      const digest = `SELECT md5(string_agg(concat_ws('|', c.id, c.status, c.verdict, e.at, e.kind, e.to_status, e.detail::text), ',' ORDER BY c.id, e.id)) AS digest
                        FROM "case" c JOIN case_event e ON e.case_id = c.id WHERE c.id = ANY(SELECT id FROM "case" ORDER BY id LIMIT 300)`;
      const [[first], [second]]: { digest: string }[][] = [await dataSource.query(digest), await again.query(digest)];
      expect(second.digest).toBe(first.digest);
    } finally {
      await again.destroy();
      await other.drop();
    }
  });
});
