import { statsRules } from '@hotline/config';
import { bucketValue, durationBucket } from '@hotline/domain';
import { backfillStats, statsRepository } from '@hotline/persistence';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { formatDuration } from '../../apps/cli/src/transparency/transparency-report';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { launchChromium } from '../support/browser';
import { testConfig, testEnv } from '../support/config';
import { createScratchDatabase } from '../support/database';
import { ensureBuilt, ROOT } from '../support/processes';

const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'transparency');
const DAY = 86_400;
const HOUR = 3_600;
const read = (seconds: number) => formatDuration(bucketValue(durationBucket(seconds)));

/** Text content of the element with this id (tags dropped, spaces collapsed). */
function textOf(document: string, id: string): string {
  const start = document.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element #${id}`);
  const open = document.lastIndexOf('<', start);
  const tag = /^<([a-z0-9]+)/.exec(document.slice(open))![1];
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  re.lastIndex = open;
  let depth = 0;
  for (let m = re.exec(document); m; m = re.exec(document)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0)
      return document
        .slice(open, m.index)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/\( /g, '(')
        .replace(/ ([),.;])/g, '$1')
        .trim();
  }
  throw new Error(`#${id} not closed`);
}

/**
 * `report:transparency` on a hand-computed year, in a database of its own: case events are
 * seeded, the rollups backfilled, the built CLI run, and the HTML it writes read for the figures
 * and opened in Chromium, which must make no request beyond the file itself. STATS_MIN_CELL is
 * the default 5, so small cells show as "fewer than 5".
 *
 * 2026 (weekend Saturday and Sunday, 17 March a holiday; the country IE):
 * - D1..D6: public web, 2 URLs each, received Monday 2 March 10:00, hosted at home, confirmed at
 *   11:00, referred to police and notified at 12:00; D1..D5 removed Tuesday 10:00 (24 h: within 3
 *   working days; notice to removal 22 h), D6 on 16 March (14 days: not within; 13 days 22 h).
 * - P1, P2: public API, 1 URL each, assessed not illegal.
 * - X1: from a partner, 1 URL, confirmed from the known-URL list, hosted in a partner's country,
 *   forwarded; not removed yet.
 * - J1: public web, 1 URL, 12 January, an onion service, confirmed and referred; still online.
 * - Y: confirmed on 30 December 2025, still online: counted in 2025, but in "still online" now.
 * Reports: 9 in March, 1 in January, 1 in December 2025.
 */
describe('transparency report (report:transparency)', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let browser: Browser | undefined;
  const S1 = randomUUID();
  const S2 = randomUUID();
  const ids = { D1: '', D2: '', D3: '', D4: '', D5: '', D6: '', P1: '', P2: '', X1: '', J1: '', Y: '' };
  for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = randomUUID();
  const statusOf: Record<keyof typeof ids, string> = {
    D1: 'removed',
    D2: 'removed',
    D3: 'removed',
    D4: 'removed',
    D5: 'removed',
    D6: 'removed',
    P1: 'not_illegal',
    P2: 'not_illegal',
    X1: 'actioned',
    J1: 'confirmed',
    Y: 'confirmed',
  };

  type Ev = [keyof typeof ids, string, string, string | null, Record<string, unknown>];
  const domestic = (key: 'D1' | 'D2' | 'D3' | 'D4' | 'D5' | 'D6', removedAt: string): Ev[] => [
    [key, '2026-03-02T10:00:00Z', 'created', 'queued', { urls: 2, source: 'public_web', priority: 50 }],
    [key, '2026-03-02T10:01:00Z', 'hosting_resolved', null, { class: 'domestic' }],
    [key, '2026-03-02T10:05:00Z', 'transition', 'in_assessment', { by: S1 }],
    [key, '2026-03-02T11:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }],
    [key, '2026-03-02T11:00:01Z', 'actions_decided', null, { actions: [{ kind: 'police_referral' }, { kind: 'notice' }] }],
    [key, '2026-03-02T12:00:00Z', 'notice_sent', null, {}],
    [key, '2026-03-02T12:00:00Z', 'transition', 'actioned', { step: 'notice_sent' }],
    [key, removedAt, 'transition', 'removed', {}],
  ];
  const events: Ev[] = [
    ['Y', '2025-12-30T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 50 }],
    ['Y', '2025-12-30T10:01:00Z', 'hosting_resolved', null, { class: 'domestic' }],
    ['Y', '2025-12-30T10:05:00Z', 'transition', 'in_assessment', { by: S1 }],
    ['Y', '2025-12-30T11:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }],
    ['J1', '2026-01-12T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 50 }],
    ['J1', '2026-01-12T10:01:00Z', 'hosting_resolved', null, { class: 'onion' }],
    ['J1', '2026-01-12T10:05:00Z', 'transition', 'in_assessment', { by: S1 }],
    ['J1', '2026-01-12T11:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'video' }],
    ['J1', '2026-01-12T11:00:01Z', 'actions_decided', null, { actions: [{ kind: 'police_referral' }] }],
    ...domestic('D1', '2026-03-03T10:00:00Z'),
    ...domestic('D2', '2026-03-03T10:00:00Z'),
    ...domestic('D3', '2026-03-03T10:00:00Z'),
    ...domestic('D4', '2026-03-03T10:00:00Z'),
    ...domestic('D5', '2026-03-03T10:00:00Z'),
    ...domestic('D6', '2026-03-16T10:00:00Z'),
    ...(['P1', 'P2'] as const).flatMap((key): Ev[] => [
      [key, '2026-03-04T09:00:00Z', 'created', 'queued', { urls: 1, source: 'public_api', priority: 0 }],
      [key, '2026-03-04T09:10:00Z', 'transition', 'in_assessment', { by: S2 }],
      [key, '2026-03-04T10:00:00Z', 'transition', 'not_illegal', { step: 'assessment', verdict: 'not_illegal' }],
    ]),
    ['X1', '2026-03-05T08:00:00Z', 'created', 'confirmed', { urls: 1, source: 'partner', settledBy: 'known_url', verdict: 'baseline' }],
    ['X1', '2026-03-05T08:01:00Z', 'hosting_resolved', null, { class: 'foreign', country: 'DE', partnerCountry: true }],
    ['X1', '2026-03-05T08:02:00Z', 'actions_decided', null, { actions: [{ kind: 'partner_forward' }] }],
    ['X1', '2026-03-05T08:05:00Z', 'forward_sent', null, {}],
    ['X1', '2026-03-05T08:05:00Z', 'transition', 'actioned', { step: 'forward_sent' }],
  ];
  const reports = ['2025-12-30T10:00:00Z', '2026-01-12T10:00:00Z', ...Array.from({ length: 9 }, (_, i) => `2026-03-0${2 + (i % 4)}T0${i}:30:00Z`)];

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  beforeAll(async () => {
    ensureBuilt();
    scratch = await createScratchDatabase('transparency');
    dir = mkdtempSync(join(tmpdir(), 'transparency-'));
    const calendar = join(dir, 'calendar.json');
    writeFileSync(calendar, JSON.stringify({ country: 'IE', weekend: [0, 6], holidays: [{ date: '2026-03-17', name: 'Saint Patrick’s Day' }] }));
    const settings = { DATABASE_URL: scratch.url, HOTLINE_COUNTRY: 'IE', WORKING_DAYS_FILE: calendar, STATS_MIN_CELL: '5' };
    env = testEnv(settings);
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: scratch.url, databasePoolSize: 2 })).initialize();
    for (const [key, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
      await dataSource.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at) VALUES ($1, $2, $3, 'transparency.example', $4, now(), now())`,
        [id, id.replace(/-/g, '').padEnd(64, '0'), `http://transparency.example/${id}`, statusOf[key]],
      );
    }
    for (const [key, at, kind, to, detail] of events) {
      await dataSource.query(`INSERT INTO case_event (case_id, at, kind, to_status, detail) VALUES ($1, $2, $3, $4, $5)`, [
        ids[key],
        at,
        kind,
        to,
        JSON.stringify(detail),
      ]);
    }
    for (const at of reports) {
      await dataSource.query(
        `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, victim_identifiable, url_count)
         VALUES ($1, $2, $3, 'public_web', $4, 'en', false, 1)`,
        [randomUUID(), `REF-${randomBytes(6).toString('hex')}`, randomBytes(32), at],
      );
    }
    await backfillStats(dataSource, statsRepository, statsRules(testConfig(settings)));
  });

  afterAll(async () => {
    await browser?.close();
    await dataSource?.destroy();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad year or a missing --out with exit 2, writing nothing', async () => {
    const out = join(dir, 'bad.html');
    for (const year of ['1999', '2026x', String(new Date().getUTCFullYear() + 1)]) {
      const result = await cli(['report:transparency', '--year', year, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--year must be a year from 2000');
    }
    expect((await cli(['report:transparency', '--year', '2026'])).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('writes the year’s figures into one HTML file, audited', async () => {
    const out = join(dir, 'report-2026.html');
    const result = await cli(['report:transparency', '--year', '2026', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [{ through }] = await dataSource.query(`SELECT max(id)::text AS through FROM case_event`);
    expect(result.stdout).toBe(`wrote ${out}: transparency report 2026 (through case event ${through})\n`);
    const document = readFileSync(out, 'utf8');

    expect(document).toContain('<title>Ireland hotline: transparency report 2026</title>');
    expect(textOf(document, 'reports-received')).toMatch(/^Reports received 10 /);
    expect(textOf(document, 'urls-reported')).toMatch(/^URLs reported 16 /);
    expect(textOf(document, 'unique-urls')).toMatch(/^Unique URLs 10 .* 6 repeated an address already open/);
    expect(textOf(document, 'confirmed')).toMatch(/^Confirmed illegal 8 /);
    expect(textOf(document, 'removed-within')).toContain('83.3% (5 of 6)');
    expect(textOf(document, 'median-removal')).toContain(read(DAY));
    expect(textOf(document, 'public-accuracy')).toContain('77.8% (7 of 9)');
    expect(textOf(document, 'referred-within')).toContain('100.0% (8 of 8)');
    expect(textOf(document, 'removal-completion')).toContain('75.0% (6 of 8)');

    const hosting = textOf(document, 'hosting');
    expect(hosting).toContain('In Ireland (domestic) 6 75.0%');
    expect(hosting).toContain('In a country with a partner hotline fewer than 5 –');
    expect(hosting).toContain('In a country with no partner hotline 0 0.0%');
    expect(hosting).toContain('Unknown (hosting not resolved) 0 0.0%');
    expect(hosting).toContain('Onion services (no hosting country) fewer than 5 –');
    expect(hosting).toContain('All confirmed 8 100%');

    expect(textOf(document, 'clock-received')).toBe(`From the report to the removal (INHOPE’s clock) 6 ${read(DAY)} ${read(14 * DAY)}`);
    expect(textOf(document, 'clock-notice')).toMatch(
      new RegExp(`IWF’s clock\\) 6 ${read(22 * HOUR).replace('.', '\\.')} ${read(14 * DAY - 2 * HOUR).replace('.', '\\.')}$`),
    );
    expect(textOf(document, 'removal-hosting')).toContain(`In Ireland (domestic) 6 83.3% ${read(DAY)}`);

    const months = textOf(document, 'months');
    expect(months).toContain('January 2026 fewer than 5 fewer than 5 0 none');
    expect(months).toContain('February 2026 0 0 0 none');
    expect(months).toContain(`March 2026 9 7 6 ${read(DAY)}`);
    expect(months).toContain('December 2026 0 0 0 none');
    expect(document).toContain('<title>January 2026: fewer than 5 confirmed</title>');
    expect(document).toContain('<title>March 2026: 7 confirmed</title>');

    // Y, X1 and J1: three still online now, fewer than 5.
    expect(textOf(document, 'still-online')).toContain('fewer than 5 confirmed URLs were still online');
    expect(textOf(document, 'method-calendar')).toContain(
      'Ireland (IE): the weekend is Saturday and Sunday, and one public holiday in 2026 does not count (17 March 2026)',
    );
    expect(textOf(document, 'method-calendar')).toContain('WORKING_DAYS_FILE');
    expect(textOf(document, 'through-event')).toBe(through);

    // Aggregates only, and nothing outside the file.
    expect(document).not.toMatch(/transparency\.example|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(document).not.toMatch(/https?:|\/\/|\bsrc\s*=|url\(|@import|<script|<link|<img/i);

    const [audit] = await dataSource.query(`SELECT actor_role, detail FROM audit_event WHERE action = 'stats.transparency_report' ORDER BY seq DESC LIMIT 1`);
    expect(audit).toMatchObject({ actor_role: 'cli', detail: { year: 2026, throughEvent: through, pdf: false } });
  });

  it('opens in Chromium without a single request beyond the file, and prints to PDF', async () => {
    const out = join(dir, 'report-browser.html');
    const pdf = join(dir, 'report-browser.pdf');
    const result = await cli(['report:transparency', '--year', '2026', '--out', out, '--pdf', pdf]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`and ${pdf}`);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(statSync(pdf).size).toBeGreaterThan(10_000);

    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    const url = pathToFileURL(out).href;
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(url, { waitUntil: 'networkidle' });
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      expect(await page.locator('#confirmed .value').textContent()).toBe('8');
      expect(await page.locator('svg.chart').count()).toBe(3);
      await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
      // Nothing wider than the page, on a phone too.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await page.close();
    }
  });
});
