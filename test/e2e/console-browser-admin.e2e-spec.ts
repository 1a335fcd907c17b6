import { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import {
  changePasswordThroughPage,
  ConsoleServer,
  ConsoleWatch,
  createStaff,
  freshTotpCode,
  launchChromium,
  readQrCode,
  screenshot,
  signInThroughPage,
  StaffCredentials,
  startConsole,
} from '../support/browser';
import { connectDatabase } from '../support/database';

const tag = randomBytes(3).toString('hex');
const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);

/**
 * The administrators' pages in Chromium: creating a user (a refused form first, errors next to
 * their fields), who then enrols their authenticator from the QR code on their own screen and
 * signs in; editing a routing rule with an invalid field first, then saving it fixed; the
 * partners and dead-letters pages; the queue dashboard opened in the browser session; the users
 * page in Arabic. Every page is screenshotted, checked by axe-core and watched for other origins.
 */
describe('the console in a browser: administration', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let db: Client;
  let watch: ConsoleWatch;
  let admin: StaffCredentials;
  let page: Page;

  beforeAll(async () => {
    [server, browser, db] = await Promise.all([startConsole('browser-admin', { BULL_BOARD_ENABLED: 'true' }), launchChromium(), connectDatabase()]);
    watch = new ConsoleWatch(server);
    admin = await createStaff(server.app, 'admin', { label: 'browser-admin' });
    page = await newPage();
    await signInThroughPage(page, server, admin);
  });

  afterEach(() => {
    expect(watch.takeFindings()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.end();
  });

  async function newPage(locale = 'en-GB'): Promise<Page> {
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale }));
    return context.newPage();
  }

  it('starts an admin on the users page', async () => {
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    expect(await page.textContent('h1')).toBe(en('users.title'));
    expect(await page.locator(`tr:has(th:has-text("${admin.email}")) .badge`).textContent()).toBe(en('users.you'));
    await watch.visit(page, 'users');
  });

  it('creates a user (a refused form first, each error next to its field), who enrols from the QR code and signs in', async () => {
    const email = `browser-new-${tag}@hotline.test`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    // `c` goes to the form's first field.
    await page.locator('main').focus();
    await page.keyboard.press('c');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('new-email');
    await page.keyboard.type('not an address');
    await page.fill('#new-password', 'short');
    const [refused] = await Promise.all([page.waitForNavigation(), page.press('#new-password', 'Enter')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#new-email-error')).toBe(en('users.error.email'));
    expect(await page.textContent('#new-role-error')).toBe(en('users.error.role'));
    expect(await page.getAttribute('#new-email', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#new-email', 'aria-describedby')).toContain('new-email-error');
    expect(await page.inputValue('#new-email')).toBe('not an address');
    expect(await page.inputValue('#new-password')).toBe('');
    await watch.visit(page, 'users-refused');

    await page.fill('#new-email', email);
    await page.selectOption('#new-role', 'analyst');
    await page.fill('#new-password', password);
    await Promise.all([page.waitForURL(/\/admin\/users\?done=created&id=/), page.press('#new-password', 'Enter')]);
    const id = new URL(page.url()).searchParams.get('id')!;
    expect(await page.textContent('[role="status"]')).toContain(email);
    const row = page.locator(`tr[data-user-id="${id}"]`);
    const factor = (await row.locator('.factor').textContent())?.replace(/\s+/g, ' ').trim();
    expect(factor).toContain(en('users.factor.pending'));
    expect(factor).toContain(en('users.password.pending'));
    const created = await db.query(`SELECT role, totp_enrolled_at FROM staff_user WHERE id = $1`, [id]);
    expect(created.rows).toEqual([{ role: 'analyst', totp_enrolled_at: null }]);
    await watch.visit(page, 'users-created');
    await page.goto(`${server.baseUrl}/admin/users/${id}`);
    expect(await page.textContent('#user-facts')).toContain(email);
    await watch.visit(page, 'user');

    // The new user, in their own browser (in Arabic): password, no code yet, the QR code, its
    // code, then a password of their own in place of the one the admin chose.
    const theirs = await newPage('ar');
    await theirs.goto(`${server.baseUrl}/login`);
    await theirs.fill('#email', email);
    await theirs.fill('#password', password);
    await Promise.all([theirs.waitForNavigation(), theirs.press('#password', 'Enter')]);
    expect(await theirs.textContent('h1')).toBe(ct('ar', 'enrol.title'));
    const uri = new URL(await readQrCode(theirs, '.qr'));
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    await theirs.fill('#code', await freshTotpCode(uri.searchParams.get('secret')!));
    await Promise.all([theirs.waitForURL(`${server.baseUrl}/me/password`), theirs.press('#code', 'Enter')]);
    expect(await theirs.getAttribute('html', 'dir')).toBe('rtl');
    expect(await theirs.textContent('#password-required')).toBe(ct('ar', 'account.password.required'));
    await watch.visit(theirs, 'password-change-ar');
    await changePasswordThroughPage(theirs, { password });
    expect(new URL(theirs.url()).pathname).toBe('/queues');
    expect(await theirs.textContent('.who')).toContain(email);
    expect(await theirs.textContent('[role="status"]')).toBe(ct('ar', 'account.password.changed'));
    await theirs.context().close();
    const changed = await db.query(`SELECT password_change_required FROM staff_user WHERE id = $1`, [id]);
    expect(changed.rows).toEqual([{ password_change_required: false }]);

    await page.goto(`${server.baseUrl}/admin/users`);
    // Enrolled, and their own password chosen: nothing pending any more.
    expect((await page.locator(`tr[data-user-id="${id}"] .factor`).textContent())?.replace(/\s+/g, ' ').trim()).toBe(en('users.factor.enrolled'));
  });

  it('edits a routing rule: an invalid field is shown next to it and nothing is saved; fixed, it is saved', async () => {
    const before = (await db.query(`SELECT rules, version FROM routing_rules WHERE id = 1`)).rows[0] as { rules: unknown[]; version: number };
    await page.goto(`${server.baseUrl}/admin/routing`);
    expect(await page.textContent('h1')).toBe(en('nav.routing'));
    await watch.visit(page, 'routing');

    const field = page.locator('#rule-0-minPriority');
    const original = await field.inputValue();
    await field.fill('150');
    const [refused] = await Promise.all([page.waitForNavigation(), field.press('Enter')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#rule-0-minPriority-error')).toBe(en('admin.routing.error.priority'));
    expect(await page.getAttribute('#rule-0-minPriority', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#rule-0-minPriority', 'aria-describedby')).toContain('rule-0-minPriority-error');
    expect(await page.inputValue('#rule-0-minPriority')).toBe('150');
    expect(await page.getAttribute('#errors a', 'href')).toBe('#rule-0-minPriority');
    // Only that field is wrong.
    expect(await page.locator('.field-error').count()).toBe(1);
    expect((await db.query(`SELECT version FROM routing_rules WHERE id = 1`)).rows[0].version).toBe(before.version);
    await watch.visit(page, 'routing-invalid');

    // Fixed (back to what it was, so the rules route as before for the tests running alongside), saved.
    await page.fill('#rule-0-minPriority', original);
    await Promise.all([page.waitForURL(/\/admin\/routing\?saved=\d+$/), page.press('#rule-0-minPriority', 'Enter')]);
    const after = (await db.query(`SELECT rules, version, updated_by FROM routing_rules WHERE id = 1`)).rows[0];
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.updated_by).toBe(admin.email);
    expect(after.rules).toEqual(before.rules);
    expect(await page.textContent('[role="status"]')).toBe(en('admin.routing.saved', { version: after.version }));
  });

  it('shows the partners and the dead letters', async () => {
    await page.goto(`${server.baseUrl}/admin/partners`);
    expect(await page.textContent('h1')).toBe(en('nav.partners'));
    await watch.visit(page, 'partners');
    await page.goto(`${server.baseUrl}/admin/dead-letters`);
    expect(await page.textContent('h1')).toBe(en('nav.deadLetters'));
    await watch.visit(page, 'dead-letters');
  });

  it('opens the queue dashboard from the navigation, in the browser session, loading nothing from elsewhere', async () => {
    await page.goto(`${server.baseUrl}/admin/users`);
    const link = page.locator('nav a[href="/admin/queues"]');
    expect(await link.textContent()).toBe(en('nav.queueDashboard'));
    const [opened] = await Promise.all([page.waitForNavigation(), link.click()]);
    expect(opened?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/queues\/?$/);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'queue-dashboard');
    // Bull Board's own page: its requests are watched (nothing elsewhere), not its markup.
    expect(watch.requests.some((request) => request.url.startsWith(`${server.origin}/admin/queues/api/`))).toBe(true);
  });

  it('lays the users page out right to left in Arabic', async () => {
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.selectOption('#console-language', 'ar');
    await Promise.all([page.waitForNavigation(), page.click(`button:text-is("${en('language.save')}")`)]);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('h1')).toBe(ct('ar', 'users.title'));
    await watch.visit(page, 'users-ar');
    await page.goto(`${server.baseUrl}/admin/routing`);
    await watch.visit(page, 'routing-ar');
  });
});
