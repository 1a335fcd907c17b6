import { defangUrl } from '@hotline/domain';
import { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import { LEAVE_GRACE_MS } from '../../apps/console-api/src/claims/case-leases.service';
import { ConsoleServer, ConsoleWatch, createStaff, launchChromium, ownQueue, queuedCase, signInThroughPage, StaffCredentials, startConsole } from '../support/browser';
import { forceCaseStatus } from '../support/cases';
import { connectDatabase } from '../support/database';

const tag = randomBytes(3).toString('hex');
const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);

/** The classification given by keys below: each group reached by Tab, chosen by Space (the first) or an arrow (the next). */
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
const CLASSIFICATION_KEYS: [group: string, key: 'Space' | 'ArrowDown'][] = [
  ['ageGroup', 'ArrowDown'],
  ['gender', 'Space'],
  ['contentType', 'Space'],
  ['siteType', 'ArrowDown'],
  ['commercial', 'ArrowDown'],
  ['legalCategory', 'ArrowDown'],
];

/**
 * A case's life in the console, in Chromium, by keyboard: an analyst claims with `n`, reveals the
 * address with a reason, assesses (verdict digit, classification by Tab and arrows, `n` submit and
 * claim next), assesses the next with `s`, claims a third and gives it back with `r`; a senior
 * analyst opens it from the review list, blind (the first verdict nowhere on the page), and
 * confirms it by giving the same verdict; an admin is refused the case in the page. Every page is
 * screenshotted, checked by axe-core and watched for other origins (test/support/browser.ts).
 */
describe('the console in a browser: claim, assess, review', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let db: Client;
  let watch: ConsoleWatch;
  let analyst: StaffCredentials;
  let senior: StaffCredentials;
  let queue: string;
  let first: { id: string; url: string; host: string };
  let second: { id: string; url: string; host: string };
  let third: { id: string; url: string; host: string };

  beforeAll(async () => {
    [server, browser, db] = await Promise.all([startConsole('browser-cases', { LEGAL_CATEGORIES: 'A,B,C', REVIEW_BLIND: 'true' }), launchChromium(), connectDatabase()]);
    watch = new ConsoleWatch(server);
    [analyst, senior] = await Promise.all([
      createStaff(server.app, 'analyst', { label: 'flow-analyst' }),
      createStaff(server.app, 'senior_analyst', { label: 'flow-senior' }),
    ]);
    // Sorts first among the queues, so `n` on the queues page claims from it.
    queue = await ownQueue(db, 'a-flow', tag);
    first = await queuedCase(db, queue, 'first', tag, 80);
    second = await queuedCase(db, queue, 'second', tag, 70);
    third = await queuedCase(db, queue, 'third', tag, 60);
  });

  afterEach(() => {
    expect(watch.takeFindings()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    // Nothing left waiting in this file's queue (another file's `n` must not find it).
    if (db && third) await closeIfWaiting(third.id);
    await server?.close();
    await db?.end();
  });

  async function closeIfWaiting(id: string): Promise<void> {
    const { rows } = await db.query(`SELECT status FROM "case" WHERE id = $1`, [id]);
    if (rows[0]?.status === 'queued') await forceCaseStatus(db, id, 'closed');
  }

  async function newPage(locale = 'en-GB'): Promise<Page> {
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale }));
    return context.newPage();
  }

  /** The name (or id) of the focused control. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = (globalThis as any).document.activeElement;
      return element ? String(element.name || element.id || element.localName) : '';
    });

  async function caseRow(id: string) {
    const { rows } = await db.query(`SELECT status, lease_holder, verdict FROM "case" WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The classification by keys only: Tab into each group, then Space or an arrow. */
  async function classifyByKeys(page: Page): Promise<void> {
    for (const [group, key] of CLASSIFICATION_KEYS) {
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(group);
      await page.keyboard.press(key);
    }
  }

  let page: Page;

  it('an analyst claims with n, reveals the address with a reason, and assesses it by keyboard only, then submits and claims the next', async () => {
    page = await newPage();
    await signInThroughPage(page, server, analyst);
    expect(new URL(page.url()).pathname).toBe('/queues');
    await page.keyboard.press('n');
    await page.waitForURL(`${server.baseUrl}/cases/${first.id}`);
    expect(await caseRow(first.id)).toMatchObject({ status: 'in_assessment', lease_holder: analyst.id });

    // The address defanged, as text: no link, and the raw URL nowhere on the page.
    expect(await page.textContent('#defanged-url')).toBe(defangUrl(first.url));
    expect(await page.content()).not.toContain(first.host);
    expect(await page.locator('main').getAttribute('data-lease-case')).toBe(first.id);
    expect(await page.textContent('#lease-countdown')).toMatch(/^\d+:\d\d$/);
    // Each action shows its key, and the `?` overlay lists them.
    for (const key of ['1', '2', '3', '4', '5', '6', 's', 'n', 'r', 'v']) {
      expect({ key, shortcut: await page.locator(`[data-key="${key}"]`).first().getAttribute('aria-keyshortcuts') }).toEqual({ key, shortcut: key });
    }
    await page.keyboard.press('?');
    const overlay = (await page.locator('dialog#shortcuts dt').allTextContents()).map((text) => text.trim());
    expect(overlay).toEqual(expect.arrayContaining(['1–6', 'S', 'N', 'R', 'V', '?', 'Esc']));
    await page.keyboard.press('Escape');
    await watch.visit(page, 'case-in-assessment');

    // `v` goes to the reason; Tab to the reveal button; Enter.
    await page.keyboard.press('v');
    expect(await focused(page)).toBe('reason');
    await page.keyboard.type('Checking the live page in the viewing environment');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(`${server.baseUrl}/cases/${first.id}/reveal`), page.keyboard.press('Enter')]);
    expect(await page.textContent('#revealed-url')).toBe(first.url);
    expect(await page.locator('#revealed-url').evaluate((element) => (element as any).localName)).toBe('code');
    expect(await page.locator(`a[href*="${first.host}"]`).count()).toBe(0);
    expect(await page.locator('[data-copy="revealed-url"]').isVisible()).toBe(true);
    const reveals = await db.query(`SELECT detail FROM audit_event WHERE action = 'case.revealed' AND target_id = $1`, [first.id]);
    expect(reveals.rows).toEqual([{ detail: { reason: 'Checking the live page in the viewing environment' } }]);
    await watch.visit(page, 'case-revealed');

    // The verdict by its digit, the classification by Tab and arrows, `n`: submit and claim the next.
    await page.locator('main').focus();
    await page.keyboard.press('1');
    expect(await focused(page)).toBe('verdict');
    expect(await page.isChecked('#verdict-baseline')).toBe(true);
    await classifyByKeys(page);
    await page.keyboard.press('n');
    await page.waitForURL(`${server.baseUrl}/cases/${second.id}`);
    expect(await caseRow(first.id)).toMatchObject({ status: 'pending_review', lease_holder: null, verdict: 'baseline' });
    const assessed = await db.query(`SELECT kind, staff_user_id, verdict, classification FROM assessment WHERE case_id = $1`, [first.id]);
    expect(assessed.rows).toEqual([{ kind: 'assessment', staff_user_id: analyst.id, verdict: 'baseline', classification: CLASSIFICATION }]);
    expect(await caseRow(second.id)).toMatchObject({ status: 'in_assessment', lease_holder: analyst.id });
  });

  it('the analyst assesses the next case with a digit and s, then claims a third with n and gives it back with r', async () => {
    await page.locator('main').focus();
    await page.keyboard.press('4');
    expect(await page.isChecked('#verdict-not_illegal')).toBe(true);
    await page.keyboard.press('s');
    await page.waitForURL(`${server.baseUrl}/queues`);
    expect(await caseRow(second.id)).toMatchObject({ status: 'not_illegal', verdict: 'not_illegal' });

    await page.keyboard.press('n');
    await page.waitForURL(`${server.baseUrl}/cases/${third.id}`);
    await page.keyboard.press('r');
    await page.waitForURL(`${server.baseUrl}/queues`);
    expect(await caseRow(third.id)).toMatchObject({ status: 'queued', lease_holder: null });
    await closeIfWaiting(third.id);
  });

  it('keeps the case over a reload, and a page left after closing the ? overlay shortens the lease instead of keeping it', async () => {
    const fourth = await queuedCase(db, queue, 'reload', tag, 50);
    const leaseLeft = async () => {
      const { rows } = await db.query(`SELECT status, lease_holder, extract(epoch FROM lease_expires_at - now()) AS seconds FROM "case" WHERE id = $1`, [fourth.id]);
      return { status: rows[0].status, holder: rows[0].lease_holder, seconds: Number(rows[0].seconds) };
    };
    const renewed = () => page.waitForResponse((response) => response.url().endsWith(`/api/v1/cases/${fourth.id}/heartbeat`) && response.ok());
    try {
      await page.keyboard.press('n');
      await page.waitForURL(`${server.baseUrl}/cases/${fourth.id}`);
      // A reload leaves the page (the lease is shortened) and comes back (the page renews it at once).
      await Promise.all([renewed(), page.reload()]);
      expect(await leaseLeft()).toMatchObject({ status: 'in_assessment', holder: analyst.id });
      expect((await leaseLeft()).seconds).toBeGreaterThan(60);

      await page.locator('main').focus();
      await page.keyboard.press('?');
      await page.click(`dialog#shortcuts button:text-is("${ct('en', 'shortcuts.close')}")`);
      await Promise.all([page.waitForURL(`${server.baseUrl}/queues`), page.click(`nav a[href="/queues"]`)]);
      // The left page's keepalive request shortens the lease (the browser sends it on its own).
      for (let i = 0; i < 30 && (await leaseLeft()).seconds > LEAVE_GRACE_MS / 1000; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      const after = await leaseLeft();
      expect(after).toMatchObject({ status: 'in_assessment', holder: analyst.id });
      expect(after.seconds).toBeLessThanOrEqual(LEAVE_GRACE_MS / 1000);

      // Back within the grace period: still the analyst's; released with r.
      await Promise.all([renewed(), page.goto(`${server.baseUrl}/cases/${fourth.id}`)]);
      await page.locator('main').focus();
      await Promise.all([page.waitForURL(`${server.baseUrl}/queues`), page.keyboard.press('r')]);
      expect(await caseRow(fourth.id)).toMatchObject({ status: 'queued', lease_holder: null });
    } finally {
      if ((await caseRow(fourth.id)).status === 'in_assessment') {
        await db.query(`UPDATE case_lease SET ended_at = now(), end_reason = 'released' WHERE case_id = $1 AND ended_at IS NULL`, [fourth.id]);
        await forceCaseStatus(db, fourth.id, 'closed', 'lease_holder = NULL, lease_expires_at = NULL');
      }
      await closeIfWaiting(fourth.id);
    }
  });

  it('shows an illegal verdict refused without its classification next to the fields, keeping the verdict', async () => {
    const fourth = await queuedCase(db, queue, 'fourth', tag, 90);
    try {
      await page.keyboard.press('n');
      await page.waitForURL(`${server.baseUrl}/cases/${fourth.id}`);
      await page.keyboard.press('2');
      const [refused] = await Promise.all([page.waitForNavigation(), page.keyboard.press('s')]);
      expect(refused?.status()).toBe(400);
      expect(await page.isChecked('#verdict-national')).toBe(true);
      expect(await page.textContent('#errors')).toContain(en('analyst.problem.ageGroup'));
      expect(await page.textContent('#ageGroup-error')).toBe(en('analyst.problem.ageGroup'));
      expect(await page.textContent('#legalCategory-error')).toBe(en('analyst.problem.legalCategory'));
      expect(await caseRow(fourth.id)).toMatchObject({ status: 'in_assessment', lease_holder: analyst.id });
      await watch.visit(page, 'case-assessment-refused');
      await page.keyboard.press('r');
      await page.waitForURL(`${server.baseUrl}/queues`);
    } finally {
      await closeIfWaiting(fourth.id);
    }
  });

  it('a senior analyst opens it from the review list, reviews it blind, and confirms it by giving the same verdict', async () => {
    const reviewer = await newPage();
    await signInThroughPage(reviewer, server, senior, { path: '/login?next=%2Freview' });
    expect(new URL(reviewer.url()).pathname).toBe('/review');
    expect(await reviewer.textContent('#review-blind')).toBe(en('review.blindOn'));
    const row = reviewer.locator(`tr[data-case-id="${first.id}"]`);
    expect(await row.locator('code').textContent()).toBe(defangUrl(first.url));
    expect(await reviewer.locator('#pending-list thead th').allTextContents()).not.toContain(en('review.col.verdict'));
    await watch.visit(reviewer, 'review-list');

    // Opened from the keyboard: the row's link, Enter.
    await row.locator('a').focus();
    await Promise.all([reviewer.waitForURL(`${server.baseUrl}/cases/${first.id}`), reviewer.keyboard.press('Enter')]);
    const facts = (await reviewer.textContent('.facts'))!;
    expect(facts).toContain(en('analyst.case.verdictHidden'));
    expect(facts).not.toContain(en('analyst.verdict.baseline'));
    // Nowhere outside the reviewer's own form: not in the facts, the assessments or the timeline.
    const context = (await reviewer.locator('.case-context').innerText()).replace(/\s+/g, ' ');
    for (const word of [en('analyst.verdict.baseline'), en('analyst.ageGroup.prepubescent'), en('analyst.siteType.image_host')]) expect(context).not.toContain(word);
    expect(await reviewer.locator('form[action$="/review"] input:checked').count()).toBe(0);
    await watch.visit(reviewer, 'case-under-review');

    await reviewer.locator('main').focus();
    await reviewer.keyboard.press('1');
    await classifyByKeys(reviewer);
    await reviewer.keyboard.press('s');
    await reviewer.waitForURL(`${server.baseUrl}/review`);
    expect(await caseRow(first.id)).toMatchObject({ status: 'confirmed', verdict: 'baseline' });
    const review = await db.query(`SELECT kind, staff_user_id, decision, verdict FROM assessment WHERE case_id = $1 AND kind = 'review'`, [first.id]);
    expect(review.rows).toEqual([{ kind: 'review', staff_user_id: senior.id, decision: 'confirm', verdict: 'baseline' }]);
    expect(await reviewer.locator(`tr[data-case-id="${first.id}"]`).count()).toBe(0);

    await reviewer.goto(`${server.baseUrl}/cases/${first.id}`);
    expect(await reviewer.textContent('.facts')).toContain(en('analyst.status.confirmed'));
    await watch.visit(reviewer, 'case-confirmed');
  });

  it('shows a case in Arabic right to left, its address still left to right', async () => {
    await page.selectOption('#console-language', 'ar');
    await Promise.all([page.waitForNavigation(), page.click(`button:text-is("${en('language.save')}")`)]);
    await page.goto(`${server.baseUrl}/cases/${first.id}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('h1')).toBe(ct('ar', 'analyst.case.title'));
    expect(await page.getAttribute('#defanged-url', 'dir')).toBe('ltr');
    await watch.visit(page, 'case-confirmed-ar');
  });

  it('refuses an admin the case page, in the page, and records the attempt', async () => {
    const admin = await createStaff(server.app, 'admin', { label: 'flow-admin' });
    const adminPage = await newPage();
    await signInThroughPage(adminPage, server, admin);
    const refused = await adminPage.goto(`${server.baseUrl}/cases/${first.id}`);
    expect(refused?.status()).toBe(403);
    expect(await adminPage.textContent('h1')).toBe(en('error.forbidden.title'));
    expect(await adminPage.textContent('main')).toContain(en('error.forbidden.detail'));
    expect(await adminPage.content()).not.toContain(first.host);
    expect(await adminPage.content()).not.toContain(defangUrl(first.url));
    const denied = await db.query(`SELECT detail FROM audit_event WHERE action = 'access.denied' AND actor_id = $1`, [admin.id]);
    expect(denied.rows).toEqual([{ detail: expect.objectContaining({ method: 'GET', route: '/cases/:id', permission: 'cases.read' }) }]);
    await watch.visit(adminPage, 'case-refused-admin');
  });
});
