import { statsRules } from '@hotline/config';
import { backfillStats, statsRepository } from '@hotline/persistence';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { ConsoleServer, ConsoleWatch, createStaff, launchChromium, signInThroughPage, StaffCredentials, startConsole } from '../support/browser';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';

const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);
const YEAR = new Date().getUTCFullYear();
const day = (month: number, date: number, hour = 9) =>
  `${YEAR}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const plusHours = (at: string, hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

type Event = [at: string, kind: string, to: string | null, detail: Record<string, unknown>];

/**
 * A case's events as the pipeline writes them: reported (1 URL, or more that then count as
 * joining), traced, claimed by an analyst, assessed, and for a confirmed one referred and
 * notified, then removed after `removedAfterHours` (or still online).
 */
function caseLife(start: string, analyst: string, outcome: { confirmed: boolean; urls?: number; removedAfterHours?: number }): { events: Event[]; status: string } {
  const events: Event[] = [
    [start, 'created', 'queued', { urls: outcome.urls ?? 1, source: 'public_web', priority: 50 }],
    [plusHours(start, 0.02), 'hosting_resolved', null, { class: 'domestic' }],
    [plusHours(start, 0.5), 'transition', 'in_assessment', { by: analyst }],
  ];
  if (!outcome.confirmed) {
    events.push([plusHours(start, 1), 'transition', 'not_illegal', { step: 'assessment', verdict: 'not_illegal' }]);
    return { events, status: 'not_illegal' };
  }
  events.push(
    [plusHours(start, 2), 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }],
    [plusHours(start, 2.01), 'actions_decided', null, { actions: [{ kind: 'police_referral' }, { kind: 'notice' }] }],
    [plusHours(start, 6), 'notice_sent', null, {}],
    [plusHours(start, 6), 'transition', 'actioned', { step: 'notice_sent' }],
  );
  if (outcome.removedAfterHours === undefined) return { events, status: 'actioned' };
  events.push([plusHours(start, outcome.removedAfterHours), 'transition', 'removed', {}]);
  return { events, status: 'removed' };
}

/**
 * The regulator's statistics page in Chromium, on a database of its own (the figures are the
 * whole database's): fixture cases' events rolled up as the worker does, a regulator signed in
 * lands on the statistics of this year, sees the figures, a suppressed cell in words and the
 * charts drawn as inline SVG (nothing loaded from anywhere), changes the period and breakdown,
 * downloads the CSV through the API with the page's session, checks the audit log, and reads it
 * all in Arabic, right to left; an analyst is refused. Screenshots at both widths (axe-core and
 * the watch on every page).
 */
describe('the console in a browser: regulator statistics', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let server: ConsoleServer;
  let browser: Browser;
  let watch: ConsoleWatch;
  let regulator: StaffCredentials;
  let analyst: StaffCredentials;
  let page: Page;

  beforeAll(async () => {
    scratch = await createScratchDatabase('browser_stats');
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: scratch.url, databasePoolSize: 2 })).initialize();
    const [s1, s2] = [randomUUID(), randomUUID()];
    // January: 8 confirmed (6 removed within 2 days, 1 after 40 days, 1 still online), one of them reported with 3 URLs.
    // February: 6 assessed, 3 confirmed and removed within a day. March: 2 assessed (a month of small cells).
    const lives = [
      ...[2, 5, 6, 7, 8, 9].map((d, i) => caseLife(day(1, d, 8 + i), i % 2 ? s1 : s2, { confirmed: true, urls: i === 0 ? 3 : 1, removedAfterHours: 30 + i })),
      caseLife(day(1, 12), s1, { confirmed: true, removedAfterHours: 40 * 24 }),
      caseLife(day(1, 13), s2, { confirmed: true }),
      ...[3, 4, 10].map((d) => caseLife(day(2, d), s1, { confirmed: true, removedAfterHours: 20 })),
      ...[11, 16, 17].map((d) => caseLife(day(2, d), s2, { confirmed: false })),
      ...[3, 4].map((d) => caseLife(day(3, d), s1, { confirmed: false })),
    ];
    for (const life of lives) {
      const id = randomUUID();
      await dataSource.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at) VALUES ($1, $2, $3, 'stats.example', $4, $5, $5)`,
        [id, id.replace(/-/g, '').padEnd(64, '0'), `http://stats.example/${id}`, life.status, life.events[0]![0]],
      );
      for (const [at, kind, to, detail] of life.events) {
        await dataSource.query(`INSERT INTO case_event (case_id, at, kind, to_status, detail) VALUES ($1, $2, $3, $4, $5)`, [id, at, kind, to, JSON.stringify(detail)]);
      }
    }
    await backfillStats(dataSource, statsRepository, statsRules(testConfig({ DATABASE_URL: scratch.url })));
    [server, browser] = await Promise.all([startConsole('browser-stats', { DATABASE_URL: scratch.url }), launchChromium()]);
    watch = new ConsoleWatch(server);
    [regulator, analyst] = await Promise.all([
      createStaff(server.app, 'regulator', { label: 'browser-regulator' }),
      createStaff(server.app, 'analyst', { label: 'browser-stats-analyst' }),
    ]);
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', acceptDownloads: true }));
    page = await context.newPage();
  });

  afterEach(() => {
    expect(watch.takeFindings()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dataSource?.destroy();
    await scratch?.drop();
  });

  const cellsOf = (p: Page, metric: string) => p.locator(`#figure-${metric} td`).allTextContents();

  it('signs a regulator in to the statistics of this year: figures, a suppressed cell in words, charts drawn in the page', async () => {
    await signInThroughPage(page, server, regulator);
    expect(new URL(page.url()).pathname).toBe('/stats');
    expect(await page.textContent('h1')).toBe(en('stats.title'));
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe(en('stats.nav'));
    expect(await page.inputValue('#stats-from')).toBe(`${YEAR}-01-01`);

    // 16 cases, 18 URLs: 2 joined an existing case.
    const dedup = await cellsOf(page, 'deduplication');
    expect(dedup[0]!.trim()).toBe('18');
    expect(dedup[1]).toContain('11.1%');
    expect(dedup[1]).toContain(en('stats.rateOf', { hits: 2, count: 18 }));
    // 11 confirmed, 10 removed: 9 within 30 days of confirmation.
    expect((await cellsOf(page, 'removal_completion')).map((c) => c.trim().replace(/\s+/g, ' '))).toEqual(['11', '81.8% 9 of 11', '—does not apply', '—does not apply']);
    expect((await cellsOf(page, 'time_to_assessment'))[0]!.trim()).toBe('16');
    // Nothing crossed a border here, and no review happened: empty cells are plain zeros.
    expect((await cellsOf(page, 'cross_border'))[0]!.trim()).toBe('0');
    // Police notification counts the 11 confirmed cases.
    expect((await cellsOf(page, 'police_notification'))[0]!.trim()).toBe('11');
    // Still online: 1 confirmed case not removed: fewer than 5, suppressed in words.
    expect(await page.textContent('#stats-online')).toBe(en('stats.suppressed', { min: 5 }));
    expect(await page.locator('#stats-over-cap').textContent()).toBe('0');

    // A chart per metric as inline SVG, each named and described; no image, no frame (the watch checks every request and element).
    const charts = page.locator('svg.chart');
    expect(await page.locator('svg.chart[id$="-bars"]').count()).toBe(14);
    // Five clocks have durations; nothing crossed a border, so its clock says there is nothing to draw.
    expect(await page.locator('svg.chart[id$="-clock"]').count()).toBe(5);
    expect(await page.textContent('#chart-cross_border .chart-none')).toBe(en('stats.chart.noDurations'));
    const named = await charts.evaluateAll((svgs) =>
      svgs.map((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        const g = globalThis as any;
        return {
          role: svg.getAttribute('role'),
          title: g.document.getElementById(ids[0])?.textContent ?? '',
          desc: g.document.getElementById(ids[1])?.textContent ?? '',
        };
      }),
    );
    for (const chart of named) expect(chart).toEqual({ role: 'img', title: expect.stringMatching(/\w/), desc: expect.stringMatching(/\w/) });
    // Month by month from January: March's 2 assessments are a suppressed period of the time-to-assessment chart.
    expect(await page.textContent('#stats-charts-heading')).toBe(en('stats.charts.heading.month'));
    const bars = page.locator('#chart-time_to_assessment-bars rect');
    expect(await bars.count()).toBe(12);
    expect(await bars.nth(2).getAttribute('class')).toBe('chart-suppressed');
    expect(await bars.nth(2).locator('title').textContent()).toContain(en('stats.suppressed', { min: 5 }));
    expect(await bars.nth(0).getAttribute('class')).toBe('chart-bar');
    expect(await page.locator('#chart-time_to_assessment-clock polyline').count()).toBeGreaterThan(0);
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    await watch.visit(page, 'stats');
  });

  it('changes the period and the breakdown through the form', async () => {
    await page.fill('#stats-from', `${YEAR}-01-01`);
    await page.fill('#stats-to', `${YEAR}-01-31`);
    await page.selectOption('#stats-by', 'hosting');
    await Promise.all([page.waitForURL(/by=hosting/), page.click('#stats-show')]);
    expect(await page.textContent('#stats-breakdown-heading')).toBe(en('stats.breakdown.heading', { dimension: en('stats.dimension.hosting') }));
    expect(await page.getAttribute('#stats-breakdown', 'data-by')).toBe('hosting');
    // January alone: weeks; 8 confirmed cases, all at home.
    expect(await page.textContent('#stats-charts-heading')).toBe(en('stats.charts.heading.week'));
    const header = await page.locator('#stats-breakdown thead th').allTextContents();
    expect(header.slice(1)).toEqual(['domestic', 'partner_country', 'no_hotline_country', 'unknown', 'onion'].map((v) => en(`stats.value.hosting.${v}` as never)));
    const policeRow = page.locator('#stats-breakdown tbody tr', { hasText: en('stats.metric.police_notification') });
    const cells = await policeRow.locator('td').allTextContents();
    expect(cells[0]).toContain(en('stats.rateOf', { hits: 8, count: 8 }));
    expect(cells[1]!.trim()).toBe('—' + en('stats.noCases'));
    await watch.visit(page, 'stats-january-hosting', { screenshot: false });

    // A bad period is refused with the page's words, next to its field.
    const refused = await page.goto(`${server.baseUrl}/stats?from=${YEAR}-02-30&to=${YEAR}-01-01`);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#stats-from-error')).toBe(en('stats.error.from'));
    expect(await page.locator('svg.chart').count()).toBe(0);
    await watch.visit(page, 'stats-refused', { screenshot: false });
  });

  it('downloads the CSV export of the period with the page’s session', async () => {
    await page.goto(`${server.baseUrl}/stats?from=${YEAR}-01-01&to=${YEAR}-03-31`);
    const download = page.waitForEvent('download');
    await page.click('a[data-export="summary-csv"]');
    const lines = readFileSync((await (await download).path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('from,to,metric,domain,count,hits,rate,measured,median_seconds,p90_seconds,suppressed');
    expect(lines.find((line) => line.includes(',deduplication,'))).toMatch(new RegExp(`^${YEAR}-01-01,${YEAR}-03-31,deduplication,1,18,2,`));
    const json = await page.context().request.get(`${server.baseUrl}${await page.getAttribute('a[data-export="breakdown-json"]', 'href')}`);
    expect(json.status()).toBe(200);
    expect((await json.json()).by).toBe('source');
  });

  it('checks the audit log’s integrity', async () => {
    await Promise.all([page.waitForURL(/\/audit\/verify$/), page.click('#stats-audit-link')]);
    expect(await page.textContent('h1')).toBe(en('stats.verify.title'));
    expect(await page.getAttribute('#audit-verdict', 'data-ok')).toBe('true');
    expect(Number((await page.textContent('#audit-events'))!.replace(/\D/g, ''))).toBeGreaterThan(0);
    await watch.visit(page, 'audit-verify');
  });

  it('shows the statistics in Arabic, right to left', async () => {
    const arabic = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar' }));
    const theirs = await arabic.newPage();
    await signInThroughPage(theirs, server, regulator);
    expect(new URL(theirs.url()).pathname).toBe('/stats');
    expect(await theirs.getAttribute('html', 'dir')).toBe('rtl');
    expect(await theirs.textContent('h1')).toBe(ct('ar', 'stats.title'));
    expect(await theirs.textContent('#stats-online')).toBe(ct('ar', 'stats.suppressed', { min: 5 }));
    // Time runs from the right: January's bar is right of February's.
    const x = async (i: number) => Number(await theirs.locator('#chart-time_to_assessment-bars rect').nth(i).getAttribute('x'));
    expect(await x(0)).toBeGreaterThan(await x(1));
    await watch.visit(theirs, 'stats-ar');
    await arabic.close();
  });

  it('refuses an analyst the statistics and the audit check', async () => {
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' }));
    const theirs = await context.newPage();
    await signInThroughPage(theirs, server, analyst);
    for (const path of ['/stats', '/audit/verify']) {
      const response = await theirs.goto(`${server.baseUrl}${path}`);
      expect(response?.status()).toBe(403);
      expect(await theirs.textContent('h1')).toBe(en('error.forbidden.title'));
    }
    expect(await theirs.locator('nav a', { hasText: en('stats.nav') }).count()).toBe(0);
    const api = await context.request.get(`${server.baseUrl}/api/v1/stats/summary`);
    expect(api.status()).toBe(403);
    await context.close();
  });
});
