import { uuidv7 } from '@hotline/security';
import { strFromU8, unzipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import { recordFixtureCreated } from '../support/cases';
import { ConsoleServer, ConsoleWatch, createStaff, launchChromium, signInThroughPage, StaffCredentials, startConsole } from '../support/browser';
import { connectDatabase } from '../support/database';

const tag = randomBytes(3).toString('hex');
const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);

/**
 * The law-enforcement liaison's pages in Chromium: signing in lands on the agency's inbox, the
 * escalation opens by key, is acknowledged, a hold is placed (a too short reason refused first)
 * and lifted, and the export package downloads with a manifest that matches. Every page is
 * screenshotted at both widths (English and Arabic), checked by axe-core and watched.
 */
describe('the console in a browser: law-enforcement liaison', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let db: Client;
  let watch: ConsoleWatch;
  let liaison: StaffCredentials;
  let page: Page;
  let escalationId: string;
  let caseId: string;

  beforeAll(async () => {
    [server, browser, db] = await Promise.all([startConsole('browser-le'), launchChromium(), connectDatabase()]);
    watch = new ConsoleWatch(server);
    const agency = `Browser Police ${tag}`;
    liaison = await createStaff(server.app, 'le_liaison', { label: 'browser-le', agency });
    ({ caseId, escalationId } = await fixtureEscalation(agency, 'urgent', 80));
    await fixtureEscalation(agency, 'calm', 20);
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', acceptDownloads: true }));
    page = await context.newPage();
  });

  afterEach(() => {
    expect(watch.takeFindings()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.end();
  });

  it('signs a liaison in to their inbox, most urgent first', async () => {
    await signInThroughPage(page, server, liaison);
    expect(new URL(page.url()).pathname).toBe('/escalations');
    expect(await page.textContent('h1')).toBe(en('le.inbox.title', { agency: `Browser Police ${tag}` }));
    const ids = await page.locator('[data-escalation-id]').evaluateAll((items) => items.map((item) => item.getAttribute('data-escalation-id')));
    expect(ids[0]).toBe(escalationId);
    expect(await page.locator('[data-escalation-id][data-unacknowledged]').count()).toBe(2);
    expect(await page.locator(`nav a[aria-current="page"]`).textContent()).toBe(en('le.nav.escalations'));
    await watch.visit(page, 'le-inbox');
  });

  it('opens the most urgent by key, acknowledges, places and lifts a hold, and downloads the export', async () => {
    await page.locator('main').focus();
    await Promise.all([page.waitForURL(`${server.baseUrl}/escalations/${escalationId}`), page.keyboard.press('o')]);
    expect(await page.textContent('#escalation-url')).toBe(`hxxp://urgent-${tag}[.]example[.]net/p`);
    await watch.visit(page, 'le-escalation');

    await Promise.all([page.waitForURL(/done=acknowledged/), page.keyboard.press('a')]);
    expect(await page.textContent('[role="status"]')).toBe(en('le.done.acknowledged'));
    expect(await page.locator('#acknowledge').count()).toBe(0);

    // A reason too short is refused, shown next to the field, kept as typed.
    await page.locator('main').focus();
    await page.keyboard.press('h');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('hold-reason');
    await page.keyboard.type('short');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('#place-hold')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#hold-reason-error')).toBe(en('le.error.reason', { min: 10, max: 500 }));
    expect(await page.inputValue('#hold-reason')).toBe('short');
    await watch.visit(page, 'le-hold-refused', { screenshot: false });

    const reason = 'Evidence is being preserved with the host';
    await page.fill('#hold-reason', reason);
    await Promise.all([page.waitForURL(/done=held/), page.click('#place-hold')]);
    expect(await page.textContent('#notice-hold')).toContain(`Police hold: ${reason}`);
    await watch.visit(page, 'le-escalation-held');

    const download = page.waitForEvent('download');
    await page.keyboard.press('d');
    const file = await (await download).path();
    const files = unzipSync(new Uint8Array(readFileSync(file!)));
    const manifest = JSON.parse(strFromU8(files['manifest.json']));
    for (const entry of manifest.files) expect(createHash('sha256').update(files[entry.name]).digest('hex')).toBe(entry.sha256);
    expect(JSON.parse(strFromU8(files['case.json'])).case.id).toBe(caseId);
    const { rows } = await db.query(`SELECT detail FROM audit_event WHERE action = 'escalation.exported' AND target_id = $1`, [escalationId]);
    expect(rows[0].detail.manifestSha256).toBe(createHash('sha256').update(files['manifest.json']).digest('hex'));

    await Promise.all([page.waitForURL(/done=lifted/), page.keyboard.press('l')]);
    expect(await page.locator('#notice-hold').count()).toBe(0);
    expect(await page.textContent('#holds')).toContain(reason);
  });

  it('shows the inbox and an escalation in Arabic, right to left', async () => {
    const arabic = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar' }));
    const theirs = await arabic.newPage();
    await signInThroughPage(theirs, server, liaison);
    expect(await theirs.getAttribute('html', 'dir')).toBe('rtl');
    expect(await theirs.textContent('h1')).toBe(ct('ar', 'le.inbox.title', { agency: `Browser Police ${tag}` }));
    await watch.visit(theirs, 'le-inbox-ar');
    await theirs.goto(`${server.baseUrl}/escalations/${escalationId}`);
    await watch.visit(theirs, 'le-escalation-ar');
    await arabic.close();
  });

  async function fixtureEscalation(agency: string, name: string, priority: number): Promise<{ caseId: string; escalationId: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.net`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at, priority,
                           hosting_status, hosting_class, hosting, verdict, classification, source)
       VALUES ($1, $2, $3, $4, $4, 'actioned', 2, now() - interval '3 hours', now(), $5, 'resolved', 'domestic', $6, 'baseline', $7, 'public')`,
      [
        id,
        randomBytes(32).toString('hex'),
        `http://${host}/p`,
        host,
        priority,
        JSON.stringify({ ip: '203.0.113.50', country: 'NL', asn: 64530, organisation: 'NL Hosting BV', cnames: [] }),
        JSON.stringify({ ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' }),
      ],
    );
    await recordFixtureCreated(db, id);
    const escalation = uuidv7();
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason, agency, escalation, sent_at, created_at)
       VALUES ($1, $2, 'police_referral', 'national_police', 'sent', 'Hosted at home: referred to the national police.', $3, 'confirmed', now() - interval '2 hours', now() - interval '2 hours')`,
      [escalation, id, agency],
    );
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason) VALUES ($1, $2, 'notice', 'hosting_provider', 'pending', 'Hosted at home: notice to the host.')`,
      [uuidv7(), id],
    );
    return { caseId: id, escalationId: escalation };
  }
});
