import { StaffDirectory } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import {
  changePasswordThroughPage,
  ConsoleServer,
  ConsoleWatch,
  createStaff,
  cssReferences,
  freshTotpCode,
  launchChromium,
  ownQueue,
  pageHeaderProblems,
  queuedCase,
  readQrCode,
  scriptReferences,
  signInThroughPage,
  StaffCredentials,
  startConsole,
} from '../support/browser';
import { forceCaseStatus } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';

const tag = randomBytes(3).toString('hex');
const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);

/**
 * The staff console in Debian's Chromium: signing in with a real TOTP code (and a wrong one),
 * the session cookie across a reload, signing out here and everywhere, the first sign-in's
 * enrolment read from the QR code on the screen, the `?` overlay, Arabic right to left, the
 * queues and claim-next by key. Every page visited is screenshotted at 1280 and 390 px, checked
 * by axe-core, and watched for anything that is not this console's (requests, URLs in markup and
 * assets, CSP violations); see test/support/browser.ts.
 */
describe('the console in a browser: sign-in, session, queues', () => {
  let server: ConsoleServer;
  let app: NestFastifyApplication;
  let browser: Browser;
  let db: Client;
  let watch: ConsoleWatch;

  beforeAll(async () => {
    [server, browser, db] = await Promise.all([startConsole('browser'), launchChromium(), connectDatabase()]);
    app = server.app;
    watch = new ConsoleWatch(server);
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

  const path = (page: Page) => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };

  describe('an analyst', () => {
    let analyst: StaffCredentials;
    let page: Page;

    beforeAll(async () => {
      analyst = await createStaff(app, 'analyst', { label: 'browser-analyst' });
      page = await newPage();
    });

    it('is sent to sign in from a page, sees a wrong code refused, and signs in with the right one to the page it wanted', async () => {
      const first = await page.goto(`${server.baseUrl}/queues`);
      expect(path(page)).toBe('/login?next=%2Fqueues');
      expect(first?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe(en('signin.title'));
      await watch.visit(page, 'sign-in');

      const right = await freshTotpCode(analyst.totpSecret);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      await page.fill('#email', analyst.email);
      await page.fill('#password', analyst.password);
      await page.fill('#totp', wrong);
      const [refused] = await Promise.all([page.waitForNavigation(), page.press('#totp', 'Enter')]);
      expect(refused?.status()).toBe(401);
      expect(await page.textContent('.errors')).toContain(en('signin.failed'));
      expect(await page.inputValue('#email')).toBe(analyst.email);
      expect(await page.inputValue('#password')).toBe('');
      await watch.visit(page, 'sign-in-refused');

      // The form kept where it was going; the password and code are typed again.
      await page.fill('#password', analyst.password);
      await page.fill('#totp', right);
      await Promise.all([page.waitForURL(`${server.baseUrl}/queues`), page.press('#totp', 'Enter')]);
      expect(await page.textContent('h1')).toBe(en('analyst.queues.title'));
    });

    it('keeps the session in an HttpOnly, SameSite=Strict cookie across a reload, and says when it lapses if idle', async () => {
      const cookies = await page.context().cookies(server.baseUrl);
      const session = cookies.find((cookie) => cookie.name === 'hotline_console');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(await page.evaluate('document.cookie')).not.toContain('hotline_console');

      const reloaded = await page.reload();
      expect(reloaded?.status()).toBe(200);
      expect(path(page)).toBe('/queues');
      const lapse = page.locator('#session-lapse');
      expect(await lapse.textContent()).toMatch(new RegExp(`^${en('session.endsAt', { time: '\\d\\d:\\d\\d:\\d\\d UTC' })}$`));
      const expires = Date.parse((await lapse.getAttribute('data-session-expires')) ?? '');
      const idleMs = testConfig().staffSession.idleMs;
      expect(expires).toBeGreaterThan(Date.now() + idleMs - 60_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + idleMs + 1_000);
    });

    it('shows the queues with their counts, and the claim-next button with its key', async () => {
      // Sorts after the queue of the file that presses `n` (console-browser-cases), and is emptied again.
      const queue = await ownQueue(db, 'b-browser', tag);
      const waiting = await queuedCase(db, queue, 'counted', tag);
      try {
        await page.reload();
        const row = page.locator('#queue-table tbody tr', { has: page.locator(`code:text-is("${queue}")`) });
        expect(await row.locator('td.num').first().textContent()).toBe('1');
        expect(await row.locator('td.num').nth(1).textContent()).toMatch(/^5m \d{1,2}s$/); // queued 5 minutes ago
        expect(await row.locator('button').textContent()).toContain(en('analyst.queues.claim'));
        const claimNext = page.locator('[data-key="n"]');
        expect(await claimNext.getAttribute('aria-keyshortcuts')).toBe('n');
        expect(await claimNext.locator('kbd').textContent()).toBe('N');
        await watch.visit(page, 'queues');
      } finally {
        await forceCaseStatus(db, waiting.id, 'closed');
      }
    });

    it('opens the ? overlay with the keyboard, listing the page’s keys, and closes it with Escape', async () => {
      const dialog = page.locator('dialog#shortcuts');
      const listedKeys = async () => {
        await page.keyboard.press('?');
        await dialog.waitFor({ state: 'visible' });
        const listed = (await dialog.locator('.shortcut-list > div').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
        return listed;
      };
      const queue = await ownQueue(db, 'b-browser', `${tag}-keys`);
      const waiting = await queuedCase(db, queue, 'keys', tag);
      try {
        await page.goto(`${server.baseUrl}/queues`);
        expect(await dialog.isVisible()).toBe(false);
        expect(await listedKeys()).toEqual(
          expect.arrayContaining([`N ${en('analyst.queues.claimFirst')}`, `? ${en('shortcuts.help')}`, `Esc ${en('shortcuts.escape')}`]),
        );
        await watch.visit(page, 'shortcuts-overlay', { fullPage: false });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      } finally {
        await forceCaseStatus(db, waiting.id, 'closed');
      }
    });
  });

  it('ends the session on sign-out, and sign-out everywhere ends the session of another browser too', async () => {
    const alone = await createStaff(app, 'analyst', { label: 'browser-signout' });
    const page = await newPage();
    await signInThroughPage(page, server, alone);
    expect(path(page)).toBe('/queues');
    await Promise.all([page.waitForURL(/\/login\?out$/), page.click(`button:text-is("${en('session.signOut')}")`)]);
    expect(await page.textContent('[role="status"]')).toBe(en('signin.signedOut'));
    await watch.visit(page, 'signed-out');
    expect((await page.context().cookies(server.baseUrl)).some((cookie) => cookie.name === 'hotline_console' && cookie.value !== '')).toBe(false);
    await page.goto(`${server.baseUrl}/queues`);
    expect(path(page)).toBe('/login?next=%2Fqueues');

    // Two browsers of one user: signing out everywhere in one ends the other's session.
    const twice = await createStaff(app, 'senior_analyst', { label: 'browser-everywhere' });
    const [here, there] = [await newPage(), await newPage()];
    await signInThroughPage(here, server, twice);
    await signInThroughPage(there, server, twice);
    expect([path(here), path(there)]).toEqual(['/queues', '/queues']);
    await Promise.all([here.waitForURL(/\/login\?everywhere$/), here.click(`button:text-is("${en('session.signOutEverywhere')}")`)]);
    expect(await here.textContent('[role="status"]')).toBe(en('signin.signedOutEverywhere'));
    await there.reload();
    expect(path(there)).toBe('/login?next=%2Fqueues');
  });

  it('enrols a new user’s authenticator from the QR code on the screen, and signs them in', async () => {
    const newcomer = await createStaff(app, 'analyst', { label: 'browser-enrol', delivery: 'qr-code' });
    const page = await newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('#email', newcomer.email);
    await page.fill('#password', newcomer.password);
    // No code yet: the first sign-in shows the QR code instead.
    await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
    expect(await page.textContent('h1')).toBe(en('enrol.title'));
    await watch.visit(page, 'enrolment');

    const uri = new URL(await readQrCode(page, '.qr'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toContain(newcomer.email);
    const secret = uri.searchParams.get('secret')!;
    // A secret made for this showing (not the one stored when the user was created), and now stored.
    expect(secret).not.toBe(newcomer.totpSecret);
    const stored = (await db.query(`SELECT totp_secret_encrypted FROM staff_user WHERE id = $1`, [newcomer.id])).rows[0].totp_secret_encrypted;
    expect(app.get(StaffDirectory).totpSecret(newcomer.id, stored)).toBe(secret);
    expect((await page.textContent('#totp-secret'))?.replace(/\s/g, '')).toBe(secret);

    const right = await freshTotpCode(secret);
    await page.fill('#code', String((Number(right) + 1) % 1_000_000).padStart(6, '0'));
    const [refused] = await Promise.all([page.waitForNavigation(), page.press('#code', 'Enter')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('.errors')).toContain(en('enrol.wrongCode'));
    expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
    await watch.visit(page, 'enrolment-wrong-code');

    await page.fill('#code', right);
    // The admin chose the password: before anything else the newcomer chooses their own.
    await Promise.all([page.waitForURL(`${server.baseUrl}/me/password`), page.press('#code', 'Enter')]);
    expect(await page.textContent('h1')).toBe(en('account.password.title'));
    expect(await page.textContent('#password-required')).toBe(en('account.password.required'));
    expect(await page.locator('nav .nav').count()).toBe(0);
    await watch.visit(page, 'password-change');
    await page.goto(`${server.baseUrl}/queues`);
    expect(path(page)).toBe('/me/password');

    await page.fill('#current-password', 'not the password');
    await page.fill('#new-password', 'a new pass phrase of mine');
    await page.fill('#confirm-password', 'a new pass phrase of mine');
    const [wrong] = await Promise.all([page.waitForNavigation(), page.press('#confirm-password', 'Enter')]);
    expect(wrong?.status()).toBe(400);
    expect(await page.textContent('#current-password-error')).toBe(en('account.error.currentWrong'));
    expect(await page.getAttribute('#current-password', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#new-password')).toBe('');
    await watch.visit(page, 'password-change-wrong');

    await changePasswordThroughPage(page, newcomer);
    expect(path(page)).toBe('/queues?account=password-changed');
    expect(await page.textContent('h1')).toBe(en('analyst.queues.title'));
    expect(await page.textContent('[role="status"]')).toBe(en('account.password.changed'));
    const { rows } = await db.query(`SELECT totp_enrolled_at IS NOT NULL AS enrolled, password_change_required FROM staff_user WHERE id = $1`, [newcomer.id]);
    expect(rows).toEqual([{ enrolled: true, password_change_required: false }]);
    // The header links to the page at any time.
    await Promise.all([page.waitForURL(`${server.baseUrl}/me/password`), page.click(`a:text-is("${en('account.password.link')}")`)]);
    expect(await page.locator('#password-required').count()).toBe(0);
  });

  it('lays an Arabic session out right to left, and keeps the language after a reload and a new sign-in', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/login?lang=ar`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('h1')).toBe(ct('ar', 'signin.title'));
    await watch.visit(page, 'sign-in-ar');

    const reader = await createStaff(app, 'analyst', { label: 'browser-arabic' });
    await signInThroughPage(page, server, reader);
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    // Changing the language stays on the page it was changed on (there is no Referer to go by).
    await page.goto(`${server.baseUrl}/queues?empty=no-such-queue`);
    await page.selectOption('#console-language', 'ar');
    await Promise.all([page.waitForNavigation(), page.click(`button:text-is("${en('language.save')}")`)]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/queues?empty=no-such-queue');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await page.reload();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('h1')).toBe(ct('ar', 'analyst.queues.title'));
    // Mirrored: the brand starts at the right edge, the navigation reads from the right.
    const width = page.viewportSize()!.width;
    const brand = (await page.locator('.brand').boundingBox())!;
    expect(brand.x).toBeGreaterThan(width / 2);
    const nav = await page.locator('nav .nav a').evaluateAll((links) => links.map((link) => (link as any).getBoundingClientRect().x as number));
    expect(nav.length).toBeGreaterThan(0);
    expect([...nav].sort((a, b) => b - a)).toEqual(nav);
    await watch.visit(page, 'queues-ar');

    // The language is the account's: a new sign-in elsewhere starts in Arabic.
    const elsewhere = await newPage('en-GB');
    await signInThroughPage(elsewhere, server, reader);
    expect(await elsewhere.getAttribute('html', 'lang')).toBe('ar');
  });

  it('has a watch that sees what it must refuse (a check of the harness itself)', async () => {
    const probe = new ConsoleWatch(server);
    const context = probe.watch(await browser.newContext());
    // Nothing may actually leave the machine: requests elsewhere are seen, then aborted.
    await context.route(
      (url) => url.origin !== server.origin,
      (route) => route.abort(),
    );
    const page = await context.newPage();
    await page.setContent(
      '<html lang="en"><head><title>probe</title></head><body><main><h1>Probe</h1><a href="https://elsewhere.example/page">out</a>' +
        '<img src="https://elsewhere.example/x.png"><p style="width: 900px">too wide</p><form action="//elsewhere.example/f"></form></main></body></html>',
    );
    await probe.visit(page, 'watch-probe', { screenshot: false });
    const found = probe.takeFindings().join('\n');
    expect(found).toContain('a request to another origin: GET https://elsewhere.example/x.png');
    expect(found).toContain('<a href="https://elsewhere.example/page"> leaves this console');
    expect(found).toContain('<form action="//elsewhere.example/f"> leaves this console');
    expect(found).toContain('a content element: <img');
    expect(found).toContain('an inline style');
    expect(found).toMatch(/\d+px wider than a 390px screen/);
    expect(found).toMatch(/image-alt \(critical\)/);
    // On a console page, the CSP refuses an inline script, and the watch hears of it.
    await page.goto(`${server.baseUrl}/login`);
    await page.addScriptTag({ content: 'document.title = "ran"' }).catch(() => undefined);
    await page.waitForTimeout(100);
    expect(await page.title()).not.toBe('ran');
    expect(probe.takeFindings().join('\n')).toMatch(/CSP violation: .*script/);
    await context.close();

    expect(cssReferences('a { background: url("//x.example/a.png") } @import "https://y.example/b.css";')).toEqual([
      '//x.example/a.png',
      'https://y.example/b.css',
      'https://y.example/b.css',
    ]);
    expect(scriptReferences("fetch('https://x.example/a'); const u = '//y.example/b'; new WebSocket(u);")).toEqual([
      'https://x.example/a',
      '//y.example/b',
      'new WebSocket(',
    ]);
    expect(pageHeaderProblems({ 'content-security-policy': "default-src 'none'; script-src 'self' 'unsafe-inline'", 'referrer-policy': 'origin' })).toEqual([
      "CSP script-src is 'self' 'unsafe-inline', not 'self'",
      "CSP connect-src is missing, not 'self'",
      "CSP frame-ancestors is missing, not 'none'",
      "CSP form-action is missing, not 'self'",
      'Referrer-Policy is origin',
      'X-Frame-Options is missing',
    ]);
  });

  it('served every page with its CSP and no Referer, and nothing the pages asked for left this console', () => {
    expect(watch.pagesLoaded.length).toBeGreaterThanOrEqual(10);
    for (const loaded of watch.pagesLoaded) expect({ url: loaded.url, problems: pageHeaderProblems(loaded.headers) }).toEqual({ url: loaded.url, problems: [] });
    expect(watch.requests.length).toBeGreaterThan(watch.pagesLoaded.length);
    const elsewhere = watch.requests.filter((r) => new URL(r.url).origin !== server.origin && !r.url.startsWith('data:'));
    expect(elsewhere).toEqual([]);
    // The stylesheet and the script were among them, from this origin.
    expect(watch.requests.some((r) => r.type === 'stylesheet' && r.url.startsWith(`${server.origin}/console-assets/`))).toBe(true);
    expect(watch.requests.some((r) => r.type === 'script' && r.url.startsWith(`${server.origin}/console-assets/`))).toBe(true);
    expect(watch.visited.length).toBeGreaterThanOrEqual(8);
  });
});
