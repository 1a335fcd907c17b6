import type { SqlRunner } from '@hotline/persistence';
import { StaffDirectory, type StaffRole, totpCode, type TotpDelivery, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import jsQR from 'jsqr';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page, Response } from 'playwright-core';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { recordFixtureCreated } from './cases';
import { testConfig } from './config';

/**
 * What the console's browser tests share: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), a console-api listening on a free port of 127.0.0.1, staff users, sign-in
 * through the page with a real TOTP code, QR codes read back from the screen, screenshots at a
 * desktop and a phone width, axe-core, and a watch on every page for anything that is not this
 * console's: requests, URLs in the markup and the two asset files, CSP violations, content
 * elements.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots go here on every run (git-ignored): `<name>-<width>.png`. */
export const ARTIFACTS_DIR = join(__dirname, '..', 'artifacts', 'console');

/** The widths every page is looked at: a desktop and a phone. */
export const WIDTHS = [1280, 390] as const;
const HEIGHTS: Record<(typeof WIDTHS)[number], number> = { 1280: 800, 390: 844 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ConsoleServer {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** A console-api of its own (its own Redis prefix), listening on a free port. */
export async function startConsole(name: string, overrides: Record<string, string> = {}): Promise<ConsoleServer> {
  const app = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-${name}-${randomBytes(3).toString('hex')}}`, NODE_ENV: 'test', ...overrides }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, baseUrl, origin: new URL(baseUrl).origin, close: () => app.close() };
}

export interface StaffCredentials {
  id: string;
  email: string;
  role: StaffRole;
  password: string;
  /** The TOTP secret (known to the test; a `qr-code` user's is found again by reading the QR code). */
  totpSecret: string;
}

/** A new staff user, made as `user:create` makes one (`shown`), or as the admin page does, to enrol by QR code. */
export async function createStaff(
  app: NestFastifyApplication,
  role: StaffRole,
  options: { label?: string; agency?: string; delivery?: TotpDelivery } = {},
): Promise<StaffCredentials> {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const email = `${options.label ?? role}-${randomBytes(5).toString('hex')}@hotline.test`;
  const agency = role === 'le_liaison' ? (options.agency ?? 'National Police') : null;
  const user = await app.get(StaffDirectory).create({ email, role, agency, password }, { id: null, role: 'cli' }, options.delivery ?? 'shown');
  return { id: user.id, email, role, password, totpSecret: user.totpSecret };
}

const usedSteps = new Map<string, number>();

/**
 * A TOTP code that has not been used yet: a code works once, so a second sign-in within the
 * same 30 s takes the next step's code (the server allows one step of drift), and a third waits.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    const last = usedSteps.get(secret) ?? -1;
    if (step > last) {
      usedSteps.set(secret, step);
      return totpCode(secret, now);
    }
    if (step + 1 > last) {
      usedSteps.set(secret, step + 1);
      return totpCode(secret, now + 30_000);
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - now + 50));
  }
}

/**
 * Signs in through the sign-in page as a person would: email, password, the code, Enter. Starts
 * at `path` (a page that sends the browser to sign in, or /login itself) and waits for the page
 * the form leads to. Returns that page's response.
 */
export async function signInThroughPage(
  page: Page,
  server: ConsoleServer,
  who: Pick<StaffCredentials, 'email' | 'password' | 'totpSecret'>,
  options: { path?: string; code?: string } = {},
): Promise<Response | null> {
  await page.goto(`${server.baseUrl}${options.path ?? '/login'}`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await page.fill('#totp', options.code ?? (await freshTotpCode(who.totpSecret)));
  const [response] = await Promise.all([page.waitForNavigation(), page.press('#totp', 'Enter')]);
  return response;
}

/**
 * On the password page (where a user whose password an admin chose is sent after signing in):
 * the current password, a new one twice, Enter; waits for the page the form leads to and returns
 * its response. The new password becomes `who.password`.
 */
export async function changePasswordThroughPage(
  page: Page,
  who: Pick<StaffCredentials, 'password'>,
  next = `pw-${randomBytes(12).toString('hex')}`,
): Promise<Response | null> {
  await page.fill('#current-password', who.password);
  await page.fill('#new-password', next);
  await page.fill('#confirm-password', next);
  const [response] = await Promise.all([page.waitForNavigation(), page.press('#confirm-password', 'Enter')]);
  who.password = next;
  return response;
}

/** A browser context with the console's session cookie of an API sign-in already set (for the pages a test does not sign in through). */
export async function contextWithSession(browser: Browser, server: ConsoleServer, token: string, options: { locale?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: options.locale ?? 'en-GB' });
  await context.addCookies([{ name: 'hotline_console', value: token, url: server.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
  return context;
}

// ------------------------------------------------------------------------------------ screenshots

/** Writes `test/artifacts/console/<name>-<width>.png` at each width (whole page), then restores the viewport. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; atEachWidth?: (width: (typeof WIDTHS)[number]) => Promise<void> } = {},
): Promise<string[]> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const original = page.viewportSize();
  const paths: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHTS[width] });
    await options.atEachWidth?.(width);
    const path = join(ARTIFACTS_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled', caret: 'hide' });
    paths.push(path);
  }
  if (original) await page.setViewportSize(original);
  return paths;
}

/** How much wider than the viewport the page is at a phone's width (0: it fits, nothing to scroll sideways). */
export async function overflowAtPhoneWidth(page: Page): Promise<number> {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 390, height: HEIGHTS[390] });
  const overflow = await page.evaluate(() => {
    const root = (globalThis as any).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  if (original) await page.setViewportSize(original);
  return overflow as number;
}

// ------------------------------------------------------------------------------------ QR codes

/**
 * The text of the QR code shown in `selector`, read from the screen: a screenshot of the element,
 * put on a white canvas (a quiet zone around it) in a blank page, its pixels decoded by jsQR.
 */
export async function readQrCode(page: Page, selector: string): Promise<string> {
  const png = await page.locator(selector).screenshot();
  const scratch = await page.context().browser()!.newPage();
  try {
    const pixels = (await scratch.evaluate(async (base64: string) => {
      const g = globalThis as any;
      const image = new g.Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const pad = 40;
      const canvas = g.document.createElement('canvas');
      canvas.width = image.width + 2 * pad;
      canvas.height = image.height + 2 * pad;
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, pad, pad);
      const data = context.getImageData(0, 0, canvas.width, canvas.height);
      // Back as base64: a plain array of millions of numbers is slow to pass.
      let binary = '';
      for (let i = 0; i < data.data.length; i += 0x8000) binary += String.fromCharCode(...data.data.subarray(i, i + 0x8000));
      return { width: data.width, height: data.height, rgba: g.btoa(binary) as string };
    }, png.toString('base64'))) as { width: number; height: number; rgba: string };
    const decoded = jsQR(new Uint8ClampedArray(Buffer.from(pixels.rgba, 'base64')), pixels.width, pixels.height);
    if (!decoded) throw new Error(`no QR code could be read in ${selector}`);
    return decoded.data;
  } finally {
    await scratch.close();
  }
}

// ------------------------------------------------------------------------------------ axe-core

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The console's CSP allows
 * no inline script, so axe is not added as a <script>: it is evaluated through the DevTools
 * protocol, which the page's CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export function describeViolations(where: string, violations: readonly AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((node) => `      at ${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`)
        .join('\n'),
  );
}

/** Fails on any serious or critical axe-core violation, listing them readably. */
export async function checkAxe(page: Page): Promise<void> {
  const problems = describeViolations(page.url(), await axeViolations(page));
  if (problems.length > 0) throw new Error(`axe-core found ${problems.length} serious or critical violation(s):\n${problems.join('\n')}`);
}

// ------------------------------------------------------------------------------------ other origins

/** Attributes that hold a URL the browser may load, follow or send a form to. */
const URL_ATTRIBUTES = new Set([
  'src',
  'href',
  'xlink:href',
  'action',
  'formaction',
  'srcset',
  'poster',
  'data',
  'background',
  'ping',
  'cite',
  'longdesc',
  'manifest',
  'codebase',
  'icon',
]);

/** Elements that show or embed content: the console never has one (it never shows content). */
const CONTENT_ELEMENTS = ['img', 'iframe', 'frame', 'video', 'audio', 'embed', 'object', 'source', 'track', 'picture', 'image', 'portal'];

interface MarkupFinding {
  element: string;
  attribute: string;
  value: string;
}

/** Every URL-bearing attribute of the page (and any attribute whose value looks absolute), and every content element. */
async function markupOf(page: Page): Promise<{ urls: MarkupFinding[]; contentElements: string[]; inlineScripts: number; inlineStyles: string[] }> {
  return (await page.evaluate(
    ({ urlAttributes, contentElements }: { urlAttributes: string[]; contentElements: string[] }) => {
      const document = (globalThis as any).document;
      const urls: { element: string; attribute: string; value: string }[] = [];
      for (const element of Array.from(document.querySelectorAll('*')) as any[]) {
        for (const attribute of Array.from(element.attributes) as any[]) {
          const name = String(attribute.name).toLowerCase();
          const value = String(attribute.value);
          // A namespace name is an identifier, never loaded.
          if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
          const meta = element.localName === 'meta' && name === 'content' && /refresh/i.test(element.getAttribute('http-equiv') ?? '');
          if (urlAttributes.includes(name) || /(url|href)$/.test(name) || meta || /^\s*([a-z][a-z0-9+.-]*:)?\/\//i.test(value)) {
            urls.push({ element: element.localName, attribute: name, value: meta ? value.replace(/^[^;]*;\s*url=/i, '') : value });
          }
        }
      }
      const contentElements_ = contentElements.flatMap((tag) => (Array.from(document.getElementsByTagName(tag)) as any[]).map((el) => el.outerHTML.slice(0, 120)));
      const inlineScripts = (Array.from(document.querySelectorAll('script')) as any[]).filter((s) => !s.src || s.textContent.trim() !== '').length;
      const inlineStyles = (Array.from(document.querySelectorAll('style, [style]')) as any[]).map((el) => el.outerHTML.slice(0, 200));
      return { urls, contentElements: contentElements_, inlineScripts, inlineStyles };
    },
    { urlAttributes: [...URL_ATTRIBUTES], contentElements: CONTENT_ELEMENTS },
  )) as { urls: MarkupFinding[]; contentElements: string[]; inlineScripts: number; inlineStyles: string[] };
}

/** Whether `value` (relative to `base`) stays on `origin`: same origin, or a data: URL (the empty favicon). */
function staysOn(origin: string, base: string, value: string): boolean {
  let url: URL;
  try {
    url = new URL(value.trim(), base);
  } catch {
    return false;
  }
  return url.protocol === 'data:' || url.origin === origin;
}

/** The URLs a stylesheet refers to (url(...), @import) and any absolute URL in it. */
export function cssReferences(css: string): string[] {
  const found: string[] = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) found.push(match[2]);
  for (const match of css.matchAll(/@import\s+(['"])([^'"]+)\1/gi)) found.push(match[2]);
  for (const match of css.matchAll(/\b(?:https?|wss?|ftp):\/\/[^\s'")]+/gi)) found.push(match[0]);
  return found;
}

/** The absolute and protocol-relative URLs a script holds in its text (string literals, comments, anywhere). */
export function scriptReferences(js: string): string[] {
  const found: string[] = [];
  for (const match of js.matchAll(/\b(?:https?|wss?|ftp):\/\/[^\s'"`)<>]+/gi)) found.push(match[0]);
  for (const match of js.matchAll(/(['"`])(\/\/[^\s'"`]+)\1/g)) found.push(match[2]);
  for (const match of js.matchAll(/\bimportScripts\s*\(|\bnew\s+(?:WebSocket|EventSource|Worker)\s*\(/g)) found.push(match[0]);
  return found;
}

/**
 * Watches a browser context on the console: every request any of its pages makes (none may go
 * elsewhere), every page it loads (their CSP and Referrer-Policy headers), CSP violations and
 * script errors. `visit(page, name)` then looks at the page as it is: screenshots at both
 * widths, axe-core, fit at a phone's width, URLs in the markup, content elements, and (once) the
 * stylesheet and script. `takeFindings()` returns what was wrong since it was last called.
 */
export class ConsoleWatch {
  private readonly findings: string[] = [];
  private readonly assetsChecked = new Set<string>();
  readonly requests: { url: string; type: string }[] = [];
  readonly pagesLoaded: { url: string; status: number; headers: Record<string, string> }[] = [];
  readonly visited: string[] = [];

  constructor(readonly server: ConsoleServer) {}

  /** Starts watching a context (every page it opens). */
  watch(context: BrowserContext): BrowserContext {
    context.on('request', (request) => {
      this.requests.push({ url: request.url(), type: request.resourceType() });
      if (!staysOn(this.server.origin, this.server.baseUrl, request.url()))
        this.findings.push(`a request to another origin: ${request.method()} ${request.url()} (${request.resourceType()})`);
    });
    context.on('response', (response) => {
      const headers = response.headers();
      if (response.request().resourceType() !== 'document' || !/^text\/html/.test(headers['content-type'] ?? '')) return;
      this.pagesLoaded.push({ url: response.url(), status: response.status(), headers });
      for (const problem of pageHeaderProblems(headers)) this.findings.push(`${response.url()} (${response.status()}): ${problem}`);
    });
    context.on('page', (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
    return context;
  }

  private watchPage(page: Page): void {
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) this.findings.push(`${page.url()}: CSP violation: ${text}`);
    });
    page.on('pageerror', (error) => this.findings.push(`${page.url()}: script error: ${error.message}`));
  }

  /**
   * Looks at the page: screenshots (`name`), axe-core, fit at 390 px, its markup and (once) its
   * assets. CONSOLE_WATCH_TIMES=1 prints how long each part took.
   */
  async visit(page: Page, name: string, options: { screenshot?: boolean; fullPage?: boolean } = {}): Promise<void> {
    const where = `${name} (${new URL(page.url()).pathname})`;
    this.visited.push(where);
    const started = Date.now();
    // The markup first: taking screenshots leaves empty style attributes behind.
    const markup = await markupOf(page);
    const marked = Date.now();
    for (const problem of describeViolations(where, await axeViolations(page))) this.findings.push(problem);
    const axed = Date.now();
    // The fit at a phone's width is measured while the viewport is that wide for its screenshot.
    const fit = async () => {
      const overflow = (await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      })) as number;
      if (overflow > 1) this.findings.push(`${where}: ${overflow}px wider than a 390px screen (it scrolls sideways)`);
    };
    if (options.screenshot === false) {
      const overflow = await overflowAtPhoneWidth(page);
      if (overflow > 1) this.findings.push(`${where}: ${overflow}px wider than a 390px screen (it scrolls sideways)`);
    } else {
      await screenshot(page, name, { fullPage: options.fullPage, atEachWidth: (width) => (width === 390 ? fit() : Promise.resolve()) });
    }
    if (process.env.CONSOLE_WATCH_TIMES) console.log(`${where}: markup ${marked - started} ms, axe ${axed - marked} ms, screenshots and fit ${Date.now() - axed} ms`);
    for (const url of markup.urls) {
      if (!staysOn(this.server.origin, page.url(), url.value)) this.findings.push(`${where}: <${url.element} ${url.attribute}="${url.value}"> leaves this console`);
    }
    for (const element of markup.contentElements) this.findings.push(`${where}: a content element: ${element}`);
    if (markup.inlineScripts > 0) this.findings.push(`${where}: ${markup.inlineScripts} inline script(s)`);
    for (const style of markup.inlineStyles) this.findings.push(`${where}: an inline style (the CSP blocks it): ${style}`);
    await this.checkAssets(page);
  }

  /** The page's stylesheet(s) and script(s): from this origin, referring to nothing elsewhere. */
  private async checkAssets(page: Page): Promise<void> {
    const assets = (await page.evaluate(() => {
      const document = (globalThis as any).document;
      return [
        ...(Array.from(document.querySelectorAll('link[rel~="stylesheet"]')) as any[]).map((link) => ({ kind: 'css', url: String(link.href) })),
        ...(Array.from(document.querySelectorAll('script[src]')) as any[]).map((script) => ({ kind: 'js', url: String(script.src) })),
      ];
    })) as { kind: 'css' | 'js'; url: string }[];
    for (const asset of assets) {
      if (this.assetsChecked.has(asset.url)) continue;
      this.assetsChecked.add(asset.url);
      if (!staysOn(this.server.origin, page.url(), asset.url)) continue; // already a finding of the markup
      const response = await fetch(asset.url);
      const text = await response.text();
      if (response.status !== 200) this.findings.push(`${asset.url}: ${response.status}`);
      const references = asset.kind === 'css' ? cssReferences(text) : scriptReferences(text);
      for (const reference of references) {
        if (asset.kind === 'js' || !staysOn(this.server.origin, asset.url, reference)) this.findings.push(`${asset.url} refers to ${reference}`);
      }
    }
  }

  /** What was wrong since the last call (and forgets it). */
  takeFindings(): string[] {
    return this.findings.splice(0);
  }
}

/** What a console page's headers lack: its CSP (nothing but this origin, no inline script, never framed) and no Referer sent. */
export function pageHeaderProblems(headers: Record<string, string>): string[] {
  const problems: string[] = [];
  const csp = headers['content-security-policy'] ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values] as const),
  );
  const expect = (name: string, values: string[]) => {
    const actual = directives.get(name);
    if (!actual || actual.length !== values.length || values.some((value) => !actual.includes(value))) {
      problems.push(`CSP ${name} is ${actual ? actual.join(' ') : 'missing'}, not ${values.join(' ')}`);
    }
  };
  expect('default-src', ["'none'"]);
  expect('script-src', ["'self'"]);
  expect('connect-src', ["'self'"]);
  expect('frame-ancestors', ["'none'"]);
  expect('form-action', ["'self'"]);
  if (headers['referrer-policy'] !== 'no-referrer') problems.push(`Referrer-Policy is ${headers['referrer-policy'] ?? 'missing'}`);
  if (headers['x-frame-options'] !== 'DENY') problems.push(`X-Frame-Options is ${headers['x-frame-options'] ?? 'missing'}`);
  return problems;
}

// ------------------------------------------------------------------------------------ fixtures

/**
 * A review queue of the test's own. The `n` key of the queues page claims from the first queue
 * (by name) with waiting cases, so the file that presses it names its queue to sort first
 * (`a-...`) and the others name theirs to sort after it and leave nothing waiting.
 */
export async function ownQueue(db: SqlRunner, prefix: string, tag: string): Promise<string> {
  const name = `${prefix}-${tag}`;
  await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, 'browser tests') ON CONFLICT DO NOTHING`, [name]);
  return name;
}

/** A case waiting in `queue`, with one public report of its URL and a priority factor (as triage leaves one). */
export async function queuedCase(db: SqlRunner, queue: string, name: string, tag: string, priority = 60): Promise<{ id: string; url: string; host: string }> {
  const id = uuidv7();
  const host = `${name}-${tag}.example.com`;
  const url = `http://${host}/gallery/${name}?id=1`;
  await db.query(
    `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queue, priority, priority_factors, report_count,
                         first_reported_at, last_reported_at, queued_at, source, language, content_type)
     VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, 1, now() - interval '5 minutes', now() - interval '5 minutes', now() - interval '5 minutes', 'public', 'fr', 'images')`,
    [
      id,
      randomBytes(32).toString('hex'),
      url,
      host,
      `${name}-${tag}.example.com`,
      queue,
      priority,
      JSON.stringify([{ factor: 'content_type', points: 20, detail: 'images' }]),
    ],
  );
  await recordFixtureCreated(db, id);
  const reportId = uuidv7();
  await db.query(
    `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, content_type, victim_identifiable, url_count)
     VALUES ($1, $2, $3, 'public_web', now() - interval '5 minutes', 'fr', 'images', true, 1)`,
    [reportId, `REF-${randomBytes(6).toString('hex')}`, randomBytes(32)],
  );
  await db.query(
    `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id)
     VALUES ($1, $2, 0, $3, $3, $4, $5, now() - interval '5 minutes', $6)`,
    [uuidv7(), reportId, url, randomBytes(32).toString('hex'), host, id],
  );
  return { id, url, host };
}
