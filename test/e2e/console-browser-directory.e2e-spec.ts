import { Browser, Page } from 'playwright-core';
import { randomBytes, randomInt } from 'node:crypto';
import { ct } from '../../apps/console-api/src/console-web/i18n';
import { ConsoleServer, ConsoleWatch, createStaff, launchChromium, signInThroughPage, StaffCredentials, startConsole } from '../support/browser';

const tag = randomBytes(3).toString('hex');
const en = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct('en', key, params);

/**
 * The directory pages in Chromium: an admin adds an abuse contact (a refused form first), imports
 * CSV (a bad line first), creates an API key and sees it once; the pages in Arabic. Every page is
 * screenshotted at both widths, checked by axe-core and watched for other origins.
 */
describe('the console in a browser: abuse contacts and API keys', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let watch: ConsoleWatch;
  let admin: StaffCredentials;
  let page: Page;
  const asn = 4_200_000_000 + randomInt(0, 90_000_000);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole('browser-directory'), launchChromium()]);
    watch = new ConsoleWatch(server);
    admin = await createStaff(server.app, 'admin', { label: 'browser-directory' });
    page = await newPage();
    await signInThroughPage(page, server, admin);
  });

  afterEach(() => {
    expect(watch.takeFindings()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(locale = 'en-GB'): Promise<Page> {
    const context = watch.watch(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale }));
    return context.newPage();
  }

  it('adds an abuse contact from the nav, a refused form first', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`nav >> text=${en('directory.nav.abuseContacts')}`)]);
    expect(new URL(page.url()).pathname).toBe('/admin/abuse-contacts');
    await page.fill('#contact-new-organisation', `Browser Hosting ${tag}`);
    await page.fill('#contact-new-email', 'abuse@browser.example');
    await page.fill('#contact-new-domain', `img.browser-${tag}.example`);
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/abuse-contacts"][method=post] button[type=submit]')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#contact-new-domain-error')).toBe(en('directory.contacts.error.domain.subdomain', { suggestion: `browser-${tag}.example` }));
    await watch.visit(page, 'abuse-contacts-refused');
    await page.fill('#contact-new-domain', `browser-${tag}.example`);
    await page.selectOption('#contact-new-language', 'fr');
    const [added] = await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/abuse-contacts"][method=post] button[type=submit]')]);
    expect(added?.status()).toBe(200);
    expect(await page.textContent('.notice')).toBe(en('directory.contacts.done.added', { organisation: `Browser Hosting ${tag}` }));
    expect(await page.locator(`tr:has-text("browser-${tag}.example")`).count()).toBe(1);
    await watch.visit(page, 'abuse-contacts');
  });

  it('imports pasted CSV: a bad line named, then the fixed file', async () => {
    const header = 'organisation,email,language,domain,asn,note';
    await page.fill('#contact-import-csv', `${header}\nCSV Net ${tag},not-mail,en,,AS${asn},\n`);
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/abuse-contacts/import"] button[type=submit]')]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#errors')).toContain(en('directory.contacts.import.line', { line: 2, message: '' }).trim().replace(/:$/, ''));
    await watch.visit(page, 'abuse-contacts-import-refused');
    await page.fill('#contact-import-csv', `${header}\nCSV Net ${tag},noc@csv.example,en,,AS${asn},\n`);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/abuse-contacts/import"] button[type=submit]')]);
    expect(await page.textContent('.notice')).toBe(en('directory.contacts.done.imported', { created: 1, updated: 0 }));
    await page.fill('#contact-q', String(asn));
    await Promise.all([page.waitForNavigation(), page.click(`form.search button`)]);
    expect(await page.locator('table.abuse-contacts tbody tr').count()).toBe(1);
    await Promise.all([page.waitForNavigation(), page.click(`table.abuse-contacts tbody a`)]);
    await watch.visit(page, 'abuse-contact-edit');
  });

  it('creates an API key and sees it once', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`nav >> text=${en('directory.nav.apiKeys')}`)]);
    await page.fill('#key-new-name', `Browser ISP ${tag}`);
    await page.check('#key-new-scope-url_list_hashes');
    const [created] = await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/api-keys"] button[type=submit]')]);
    expect(created?.headers()['cache-control']).toBe('no-store');
    const key = (await page.textContent('#new-api-key'))!;
    expect(key).toMatch(/^hlk_/);
    expect(await page.isVisible('button[data-copy="new-api-key"]')).toBe(true);
    await watch.visit(page, 'api-key-created');
    await Promise.all([page.waitForNavigation(), page.click(`text=${en('directory.keys.back')}`)]);
    expect(await page.content()).not.toContain(key.slice(17));
    expect(await page.locator(`tr:has-text("${key.slice(4, 16)}")`).count()).toBe(1);
    await watch.visit(page, 'api-keys');
  });

  it('shows the pages in Arabic, right to left', async () => {
    const arabic = await newPage('ar');
    await signInThroughPage(arabic, server, admin, { path: '/login?lang=ar' });
    await arabic.goto(`${server.baseUrl}/admin/abuse-contacts?lang=ar`);
    expect(await arabic.getAttribute('html', 'dir')).toBe('rtl');
    expect(await arabic.textContent('h1')).toBe(ct('ar', 'directory.nav.abuseContacts'));
    await watch.visit(arabic, 'abuse-contacts-ar');
    await arabic.goto(`${server.baseUrl}/admin/api-keys?lang=ar`);
    expect(await arabic.textContent('h1')).toBe(ct('ar', 'directory.nav.apiKeys'));
    await watch.visit(arabic, 'api-keys-ar');
  });
});
