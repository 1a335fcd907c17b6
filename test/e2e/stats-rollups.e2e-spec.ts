import { statsRules } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { backfillStats, checkStats, statsRepository } from '@hotline/persistence';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { StatsService } from '../../apps/console-api/src/stats/stats.service';
import { StatsRollupService } from '../../apps/worker/src/stats/stats-rollup.service';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { StatsViewingDaysOnline1796280000000 } from '../../libs/persistence/src/migrations/1796280000000-StatsViewingDaysOnline';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';
import { signIn } from '../support/staff';

/**
 * The regulators' figures from a hand-computed fixture of six cases (docs/statistics.md has the
 * same cases in prose): the worker's incremental rollups, the backfill and stats:check agree,
 * and the summary gives exactly the values worked out by hand, working days and suppression
 * included. A database of its own: the figures are the whole database's.
 *
 * Calendar: weekend Saturday and Sunday, Monday 9 March 2026 a public holiday.
 */
describe('statistics rollups', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let config: ReturnType<typeof testConfig>;
  const S1 = randomUUID();
  const S2 = randomUUID();
  const ids = { A: randomUUID(), B: randomUUID(), C: randomUUID(), D: randomUUID(), E: randomUUID(), F: randomUUID() };

  type Ev = [keyof typeof ids, string, string, string | null, Record<string, unknown>];
  // [case, at, kind, to_status, detail]
  const firstPart: Ev[] = [
    ['F', '2026-01-10T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 10 }],
    ['F', '2026-01-10T10:01:00Z', 'hosting_resolved', null, { class: 'domestic' }],
    ['F', '2026-01-10T10:05:00Z', 'transition', 'in_assessment', { by: S1 }],
    ['F', '2026-01-10T11:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }],
    ['F', '2026-01-10T11:00:01Z', 'actions_decided', null, { actions: [{ kind: 'police_referral' }, { kind: 'notice' }] }],
    ['F', '2026-01-10T12:00:00Z', 'notice_sent', null, {}],
    ['F', '2026-01-10T12:00:00Z', 'transition', 'actioned', { step: 'notice_sent' }],
    ['F', '2026-01-20T10:00:00Z', 'transition', 'removed', {}],
    ['B', '2026-03-02T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_api', priority: 80 }],
    ['B', '2026-03-02T10:01:00Z', 'hosting_resolved', null, { class: 'foreign', partnerCountry: true }],
    ['B', '2026-03-02T10:30:00Z', 'transition', 'in_assessment', { by: S1 }],
    ['B', '2026-03-02T13:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'video' }],
    ['C', '2026-03-03T09:00:00Z', 'created', 'queued', { urls: 2, source: 'public_web', priority: 0 }],
    ['C', '2026-03-03T09:10:00Z', 'transition', 'in_assessment', { by: S2 }],
    ['A', '2026-03-06T17:00:00Z', 'created', 'queued', { urls: 3, source: 'public_web', priority: 50 }],
  ];
  const secondPart: Ev[] = [
    ['F', '2026-03-01T10:00:00Z', 'transition', 'reappeared', { urls: 1 }],
    ['B', '2026-03-02T13:01:00Z', 'actions_decided', null, { actions: [{ kind: 'partner_forward' }] }],
    ['B', '2026-03-02T13:05:00Z', 'forward_sent', null, {}],
    ['B', '2026-03-03T13:05:00Z', 'forward_acknowledged', null, {}],
    ['C', '2026-03-03T09:40:00Z', 'transition', 'not_illegal', { step: 'assessment', verdict: 'not_illegal' }],
    ['D', '2026-03-04T08:00:00Z', 'created', 'confirmed', { urls: 1, source: 'partner', settledBy: 'known_url', verdict: 'baseline' }],
    ['D', '2026-03-04T08:01:00Z', 'hosting_unresolved', null, { error: 'nxdomain' }],
    ['E', '2026-03-05T08:00:00Z', 'created', 'queued', { urls: 1, source: 'bulk', priority: 0 }],
    ['E', '2026-03-05T08:05:00Z', 'transition', 'in_assessment', { by: S2 }],
    ['E', '2026-03-05T08:20:00Z', 'transition', 'pending_review', { step: 'assessment', verdict: 'national' }],
    ['E', '2026-03-05T10:00:00Z', 'transition', 'not_illegal', { step: 'review', decision: 'overturn', verdict: 'not_illegal' }],
    ['A', '2026-03-06T17:01:00Z', 'hosting_resolved', null, { class: 'domestic' }],
    ['A', '2026-03-06T18:00:00Z', 'transition', 'in_assessment', { by: S1 }],
    ['A', '2026-03-06T19:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }],
    ['A', '2026-03-06T19:00:01Z', 'actions_decided', null, { actions: [{ kind: 'police_referral' }, { kind: 'notice' }] }],
    ['A', '2026-03-11T17:00:00Z', 'notice_sent', null, {}],
    ['A', '2026-03-12T16:00:00Z', 'transition', 'removed', {}],
  ];

  async function insert(events: Ev[]): Promise<void> {
    for (const [key, at, kind, to, detail] of events) {
      await dataSource.query(`INSERT INTO case_event (case_id, at, kind, to_status, detail) VALUES ($1, $2, $3, $4, $5)`, [
        ids[key],
        at,
        kind,
        to,
        JSON.stringify(detail),
      ]);
    }
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase('stats');
    const dir = mkdtempSync(join(tmpdir(), 'stats-calendar-'));
    const calendar = join(dir, 'calendar.json');
    writeFileSync(calendar, JSON.stringify({ country: 'ZZ', weekend: [0, 6], holidays: [{ date: '2026-03-09', name: 'A holiday' }] }));
    config = testConfig({ DATABASE_URL: scratch.url, WORKING_DAYS_FILE: calendar, STATS_MIN_CELL: '1', EXPOSURE_DAILY_LIMIT: '2h' });
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: scratch.url, databasePoolSize: 4 })).initialize();
    for (const id of Object.values(ids)) {
      await dataSource.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at) VALUES ($1, $2, $3, 'stats.example', 'queued', now(), now())`,
        [id, id.replace(/-/g, '').padEnd(64, '0'), `http://stats.example/${id}`],
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  const summaryOf = (minCell: number) =>
    new StatsService(dataSource, statsRepository, { ...config, stats: { ...config.stats, minCell } } as typeof config).summary({
      from: '2026-01-01',
      to: '2026-12-31',
      end: '2027-01-01',
    });

  it('rolls events in as they come, and the rollups equal a backfill and pass stats:check', async () => {
    const worker = new StatsRollupService(dataSource, statsRepository, config, new MetricsRegistry('worker'));
    await insert(firstPart);
    expect(await worker.roll()).toBe(firstPart.length);
    expect((await checkStats(dataSource, statsRepository, statsRules(config))).differences).toEqual([]);
    await insert(secondPart);
    expect(await worker.roll()).toBe(secondPart.length);
    expect(await worker.roll()).toBe(0);
    const check = await checkStats(dataSource, statsRepository, statsRules(config));
    expect(check.differences).toEqual([]);
    expect(check.cases).toBe(6);

    const incremental = await statsRepository.allCells(dataSource);
    const incrementalViewingDays = await statsRepository.allViewingDays(dataSource);
    const incrementalOnline = await statsRepository.allOnline(dataSource);
    const backfilled = await backfillStats(dataSource, statsRepository, statsRules(config));
    expect(backfilled.cases).toBe(6);
    expect(backfilled.events).toBe(firstPart.length + secondPart.length);
    const sort = (cells: { grain: string; period: string; metric: string; dimension: string; value: string }[]) =>
      [...cells].sort((a, b) => `${a.grain}${a.period}${a.metric}${a.dimension}${a.value}`.localeCompare(`${b.grain}${b.period}${b.metric}${b.dimension}${b.value}`));
    expect(sort(await statsRepository.allCells(dataSource))).toEqual(sort(incremental));
    const byDay = (rows: { day: string }[]) => [...rows].sort((a, b) => a.day.localeCompare(b.day));
    expect(byDay(await statsRepository.allViewingDays(dataSource))).toEqual(byDay(incrementalViewingDays));
    // B (confirmed 2 March 13:00, nothing since) and D (created confirmed 4 March 08:00) are online; A was removed, F reappeared.
    const bySince = (rows: { since: string }[]) => [...rows].sort((a, b) => a.since.localeCompare(b.since));
    expect(bySince(incrementalOnline)).toEqual([
      { since: '2026-03-02T13:00:00.000Z', n: 1 },
      { since: '2026-03-04T08:00:00.000Z', n: 1 },
    ]);
    expect(bySince(await statsRepository.allOnline(dataSource))).toEqual(bySince(incrementalOnline));
  });

  it('fills the day sums and the cases online by migration as the worker would (a database upgraded with events)', async () => {
    const kept = { days: await statsRepository.allViewingDays(dataSource), online: await statsRepository.allOnline(dataSource) };
    const migration = new StatsViewingDaysOnline1796280000000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const bySince = (rows: { since: string }[]) => [...rows].sort((a, b) => a.since.localeCompare(b.since));
    expect(bySince(await statsRepository.allOnline(dataSource))).toEqual(bySince(kept.online));
    // Counted against a cap of 0 until a worker starts and counts them against EXPOSURE_DAILY_LIMIT.
    const filled = await statsRepository.allViewingDays(dataSource);
    expect(filled.map((d) => d.capMs)).toEqual(kept.days.map(() => 0));
    await new StatsRollupService(dataSource, statsRepository, config, new MetricsRegistry('worker')).roll();
    const byDay = (rows: { day: string }[]) => [...rows].sort((a, b) => a.day.localeCompare(b.day));
    expect(byDay(await statsRepository.allViewingDays(dataSource))).toEqual(byDay(kept.days));
    expect((await checkStats(dataSource, statsRepository, statsRules(config))).differences).toEqual([]);
  });

  it('gives the hand-computed figures for 2026', async () => {
    const summary = await summaryOf(1);
    const figure = (metric: string) => summary.figures.find((f) => f.metric === metric)!;
    const counts = Object.fromEntries(summary.figures.map((f) => [f.metric, [f.count, f.hits]]));
    expect(counts).toEqual({
      deduplication: [10, 3],
      time_to_assessment: [6, 5],
      public_accuracy: [4, 3],
      police_notification: [4, 3],
      time_to_notice: [3, 0],
      time_to_removal: [2, 1],
      notice_to_removal: [2, 0],
      removal_completion: [4, 2],
      cross_border: [1, 1],
      no_hotline_hosting: [4, 0],
      recurrence: [2, 1],
      review_disagreement: [1, 1],
      appeal_reversal: [0, 0],
      settled_without_human: [6, 1],
    });
    // Durations within the histogram's 2.5%: time to notice 300 s, 3,600 s and 424,800 s (4 days 22 hours).
    expect(figure('time_to_notice').median).toBeGreaterThan(3600 * 0.975);
    expect(figure('time_to_notice').median).toBeLessThan(3600 * 1.025);
    expect(figure('time_to_notice').p90).toBeGreaterThan(424_800 * 0.975);
    expect(figure('time_to_notice').p90).toBeLessThan(424_800 * 1.025);
    expect(figure('cross_border').median).toBeGreaterThan(86_400 * 0.975);
    expect(figure('cross_border').median).toBeLessThan(86_400 * 1.025);
    // Viewing: S1 1 h, 2.5 h and 55 min, S2 30 and 15 min: 5.1667 h over 5 analyst-days, one over the 2 h cap.
    expect(summary.viewing.analystDays).toBe(5);
    expect(summary.viewing.hours).toBeCloseTo(18_600 / 3600, 6);
    expect(summary.viewing.overCap).toBe(1);
    expect(summary.viewing.maxHours).toBeCloseTo(2.5, 6);
  });

  it('gives the cases still online and their ages from the hours of confirmation', async () => {
    const service = new StatsService(dataSource, statsRepository, { ...config, stats: { ...config.stats, minCell: 1 } } as typeof config);
    const online = await service.stillOnline();
    const ageOf = (iso: string) => (Date.now() - Date.parse(iso)) / 1000;
    // Ages ascending: D (since 4 March 08:00), then B (2 March 13:00). percentile_disc(0.5) of two is the first.
    expect(online).toMatchObject({ count: 2, suppressed: false });
    expect(online.medianSeconds! - ageOf('2026-03-04T08:00:00Z')).toBeLessThan(60);
    expect(online.medianSeconds! - ageOf('2026-03-04T08:00:00Z')).toBeGreaterThan(-60);
    expect(online.p90Seconds! - ageOf('2026-03-02T13:00:00Z')).toBeLessThan(60);
    expect(online.oldestSeconds).toBe(online.p90Seconds);
  });

  it('counts the analyst-days over a changed EXPOSURE_DAILY_LIMIT exactly, before and after the worker recounts them', async () => {
    // 50 minutes: S1's 1 h, 2.5 h and 55 min are over it, S2's 30 and 15 min are not.
    const lower = testConfig({ DATABASE_URL: scratch.url, WORKING_DAYS_FILE: config.stats.workingDaysFile!, STATS_MIN_CELL: '1', EXPOSURE_DAILY_LIMIT: '50m' });
    const summary = () => new StatsService(dataSource, statsRepository, lower).summary({ from: '2026-01-01', to: '2026-12-31', end: '2027-01-01' });
    const caps = async () => (await statsRepository.allViewingDays(dataSource)).map((d) => d.capMs);
    expect(new Set(await caps())).toEqual(new Set([7_200_000]));
    // Counted against 2 h: the reader with 50 min counts those days' rows instead.
    expect((await summary()).viewing).toMatchObject({ analystDays: 5, overCap: 3, capHours: 50 / 60 });
    const worker = new StatsRollupService(dataSource, statsRepository, lower, new MetricsRegistry('worker'));
    expect(await worker.roll()).toBe(0);
    expect(new Set(await caps())).toEqual(new Set([3_000_000]));
    expect((await summary()).viewing).toMatchObject({ analystDays: 5, overCap: 3 });
    expect((await checkStats(dataSource, statsRepository, statsRules(lower))).differences).toEqual([]);
    // And back, for the tests that follow.
    await new StatsRollupService(dataSource, statsRepository, config, new MetricsRegistry('worker')).roll();
    expect(new Set(await caps())).toEqual(new Set([7_200_000]));
  });

  it('suppresses cells of fewer than STATS_MIN_CELL cases, and withholds percentiles of fewer durations', async () => {
    const summary = await summaryOf(5);
    const figure = (metric: string) => summary.figures.find((f) => f.metric === metric)!;
    expect(figure('public_accuracy')).toMatchObject({ suppressed: true, count: null, hits: null, rate: null, median: null });
    expect(figure('time_to_notice')).toMatchObject({ suppressed: true, count: null });
    expect(figure('deduplication')).toMatchObject({ suppressed: false, count: 10, hits: 3, rate: 0.3 });
    // Six assessments, all timed: shown with their percentiles.
    expect(figure('time_to_assessment')).toMatchObject({ suppressed: false, count: 6, measured: 6 });
    expect(figure('time_to_assessment').median).not.toBeNull();
    // An empty cell discloses nothing: zero, not suppressed.
    expect(figure('appeal_reversal')).toMatchObject({ suppressed: false, count: 0, rate: null });
  });

  it('breaks figures down by hosting and source, and by month', async () => {
    const service = new StatsService(dataSource, statsRepository, config);
    const byHosting = await service.breakdown({ from: '2026-01-01', to: '2026-12-31', end: '2027-01-01' }, 'hosting', ['police_notification']);
    const row = (value: string) => byHosting.rows.find((r) => r.value === value)!;
    expect([row('domestic').count, row('domestic').hits]).toEqual([2, 2]);
    expect([row('partner_country').count, row('partner_country').hits]).toEqual([1, 1]);
    expect([row('unknown').count, row('unknown').hits]).toEqual([1, 0]);
    expect(row('no_hotline_country').count).toBe(0);
    const bySource = await service.breakdown({ from: '2026-03-01', to: '2026-03-31', end: '2026-04-01' }, 'source', ['deduplication']);
    expect(Object.fromEntries(bySource.rows.map((r) => [r.value, r.count]))).toEqual({ public_web: 6, public_api: 1, partner: 1, bulk: 1, public: 0 });
    const series = await service.series({ from: '2026-01-01', to: '2026-03-31', end: '2026-04-01' }, 'month', ['time_to_removal']);
    expect(series.points.map((p) => [p.start, p.figures[0].count, p.figures[0].hits])).toEqual([
      ['2026-01-01', 1, 0],
      ['2026-02-01', 0, 0],
      ['2026-03-01', 1, 1],
    ]);
    // A range that ends mid-month reads the edge days: 1-11 March has no removal yet (A's is on the 12th).
    const early = await service.summary({ from: '2026-03-01', to: '2026-03-11', end: '2026-03-12' });
    expect(early.figures.find((f) => f.metric === 'time_to_removal')!.count).toBe(0);
    expect(early.figures.find((f) => f.metric === 'deduplication')!.count).toBe(9);
  });

  describe('through the API', () => {
    let consoleApp: NestFastifyApplication;
    const get = (path: string, bearer: string, language = 'en') =>
      request(consoleApp.getHttpServer()).get(path).set('Authorization', bearer).set('Accept-Language', language);

    beforeAll(async () => {
      consoleApp = await createConsoleApp(testConfig({ DATABASE_URL: scratch.url, REDIS_PREFIX: `{hotline-stats-${randomUUID().slice(0, 8)}}` }));
    });

    afterAll(async () => {
      await consoleApp?.close();
    });

    it('gives a regulator the summary, suppressed below STATS_MIN_CELL (5), and audits the view', async () => {
      const regulator = await signIn(consoleApp, 'regulator');
      const response = await get('/api/v1/stats/summary?from=2026-01-01&to=2026-12-31', regulator.bearer);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ from: '2026-01-01', to: '2026-12-31', minCell: 5, durationRelativeError: 0.025 });
      const figure = (metric: string) => response.body.figures.find((f: { metric: string }) => f.metric === metric);
      expect(figure('deduplication')).toMatchObject({ count: 10, hits: 3, suppressed: false, domain: 1 });
      expect(figure('public_accuracy')).toMatchObject({ count: null, suppressed: true, domain: 3 });
      // Aggregates only: no URL, host or staff id anywhere in the answer.
      expect(JSON.stringify(response.body)).not.toMatch(/stats\.example|http:|[0-9a-f]{8}-[0-9a-f]{4}-/);
      // Two cases online (B and D), fewer than 5: suppressed.
      const online = await get('/api/v1/stats/still-online', regulator.bearer);
      expect(online.body).toEqual({ count: null, medianSeconds: null, p90Seconds: null, oldestSeconds: null, suppressed: true });
      const [audit] = await dataSource.query(`SELECT action FROM audit_event WHERE actor_id = $1 AND action LIKE '%stats%'`, [regulator.id]);
      expect(audit.action).toContain('/api/v1/stats/summary');
    });

    it('exports CSV, breakdowns and series', async () => {
      const regulator = await signIn(consoleApp, 'regulator');
      const csv = await get('/api/v1/stats/summary?from=2026-01-01&to=2026-12-31&format=csv', regulator.bearer);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('from,to,metric,domain,count,hits,rate,measured,median_seconds,p90_seconds,suppressed');
      expect(lines).toContain('2026-01-01,2026-12-31,deduplication,1,10,3,0.3,0,,,false');
      expect(lines).toContain('2026-01-01,2026-12-31,public_accuracy,3,,,,,,,true');
      const breakdown = await get('/api/v1/stats/breakdown?from=2026-01-01&to=2026-12-31&by=hosting&metric=police_notification', regulator.bearer);
      expect(breakdown.status).toBe(200);
      expect(breakdown.body.rows.map((r: { value: string }) => r.value)).toEqual(['domestic', 'partner_country', 'no_hotline_country', 'unknown', 'onion']);
      const series = await get('/api/v1/stats/series?from=2026-01-01&to=2026-03-31&period=month&metric=deduplication', regulator.bearer);
      expect(series.body.points.map((p: { start: string; figures: { count: number }[] }) => [p.start, p.figures[0].count])).toEqual([
        ['2026-01-01', null],
        ['2026-02-01', 0],
        ['2026-03-01', 9],
      ]);
    });

    it('refuses bad input with a 400 in the reader\u2019s language, and other roles with 403', async () => {
      const regulator = await signIn(consoleApp, 'regulator');
      const bad = await get('/api/v1/stats/summary?from=2026-02-30&to=2026-01-01&format=xml', regulator.bearer, 'fr');
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.headers['content-language']).toBe('fr');
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['format', 'from']);
      const backwards = await get('/api/v1/stats/summary?from=2026-03-01&to=2026-01-01', regulator.bearer);
      expect(backwards.status).toBe(400);
      expect(backwards.body.errors[0].field).toBe('to');
      // Dates PostgreSQL cannot take (year 0, the day after 9999-12-31) are a 400 too, never a 500.
      for (const query of ['from=0000-01-01', 'to=9999-12-31', 'from=1969-12-31']) {
        const far = await get(`/api/v1/stats/series?${query}`, regulator.bearer);
        expect(far.status).toBe(400);
      }
      const badBy = await get('/api/v1/stats/breakdown?by=reporter', regulator.bearer);
      expect(badBy.status).toBe(400);
      for (const role of ['analyst', 'senior_analyst', 'le_liaison'] as const) {
        const staff = await signIn(consoleApp, role);
        expect((await get('/api/v1/stats/summary', staff.bearer)).status).toBe(403);
      }
      const admin = await signIn(consoleApp, 'admin');
      expect((await get('/api/v1/stats/summary', admin.bearer)).status).toBe(200);
    });
  });

  describe('events committed out of id order', () => {
    const marker = (client: { query: (sql: string, params: unknown[]) => Promise<unknown> }) =>
      client.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'fixture_marker', '{}')`, [ids.C]);

    it('the worker stops at a gap a transaction still holds, and takes both events once it commits', async () => {
      const worker = new StatsRollupService(dataSource, statsRepository, config, new MetricsRegistry('worker'));
      await worker.roll();
      const holder = await dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await marker(holder);
      await marker(dataSource);
      // The later event is visible, the earlier one is not yet: nothing may be passed.
      expect(await worker.roll()).toBe(0);
      await holder.commitTransaction();
      await holder.release();
      expect(await worker.roll()).toBe(2);
      expect((await checkStats(dataSource, statsRepository, statsRules(config))).differences).toEqual([]);
    });

    it('the backfill waits for a transaction that holds an event below its snapshot, and includes it', async () => {
      const before = await backfillStats(dataSource, statsRepository, statsRules(config));
      const holder = await dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await marker(holder);
      await marker(dataSource);
      const backfill = backfillStats(dataSource, statsRepository, statsRules(config));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await holder.commitTransaction();
      await holder.release();
      const after = await backfill;
      expect(after.events).toBe(before.events + 2);
      expect(Number(after.through)).toBe(Number(before.through) + 2);
    });
  });
});
