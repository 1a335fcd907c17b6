import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('report web page', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createIntakeApp(testConfig({ INTAKE_RATE_LIMIT: '1000/1m' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves the form in the requested language, with no script and a strict CSP', async () => {
    const page = await request(app.getHttpServer()).get('/?lang=ar').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('lang="ar"');
    expect(page.text).toContain('dir="rtl"');
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toMatch(/<form[^>]*method="post"/);
  });

  it('stores a form submission and shows the reference and token once', async () => {
    const form = new URLSearchParams({ urls: 'http://page-test.example.com/1\nhttp://page-test.example.com/2', contentType: 'images', language: 'es' });
    const response = await request(app.getHttpServer()).post('/').type('form').send(form.toString()).expect(201);
    const reference = /id="reference">([^<]+)</.exec(response.text)?.[1];
    expect(reference).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const db = await connectDatabase();
    try {
      const { rows } = await db.query('SELECT source, language, url_count FROM report WHERE reference = $1', [reference]);
      expect(rows).toEqual([{ source: 'public_web', language: 'es', url_count: 2 }]);
    } finally {
      await db.end();
    }
  });

  it('shows field errors on the page, keeps what was typed, and escapes it', async () => {
    const form = new URLSearchParams({ urls: 'http://127.0.0.1/x', description: '<script>alert(1)</script>', language: 'en' });
    const response = await request(app.getHttpServer()).post('/').type('form').send(form.toString()).expect(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('role="alert"');
    expect(response.text).toContain('http://127.0.0.1/x');
    expect(response.text).not.toContain('<script>alert(1)</script>');
    expect(response.text).toContain('&lt;script&gt;');
  });

  it('serves the status check form and answers it in French, the same for unknown and wrong', async () => {
    const empty = await request(app.getHttpServer()).get('/status').set('accept-language', 'fr-FR,fr;q=0.9').expect(200);
    expect(empty.headers['content-type']).toMatch(/^text\/html/);
    expect(empty.headers['content-security-policy']).toContain("default-src 'none'");
    expect(empty.headers['cache-control']).toBe('no-store');
    expect(empty.text).toContain('lang="fr"');
    expect(empty.text).toContain('Consulter l’état de votre signalement');
    expect(empty.text).toMatch(/<form[^>]*method="post" action="\/status"/);
    expect(empty.text).not.toMatch(/<script/i);

    const submitted = await request(app.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: ['http://status-page.example.com/1'] })
      .expect(201);
    const { reference, statusToken } = submitted.body as { reference: string; statusToken: string };
    const check = (fields: Record<string, string>) =>
      request(app.getHttpServer()).post('/status').set('accept-language', 'en').type('form').send(new URLSearchParams(fields).toString());

    const found = await check({ reference, token: statusToken, language: 'fr' }).expect(200);
    expect(found.headers['content-security-policy']).toContain("default-src 'none'");
    expect(found.headers['cache-control']).toBe('no-store');
    expect(found.headers['content-language']).toBe('fr');
    expect(found.text).toContain('<strong class="status-word" id="status">Reçu</strong>');
    expect(found.text).toContain('Dernière mise à jour');
    expect(found.text).toContain(reference);
    expect(found.text).not.toContain(statusToken);

    const wrong = await check({ reference, token: `${statusToken}x`, language: 'fr' }).expect(404);
    const unknown = await check({ reference: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', token: statusToken, language: 'fr' }).expect(404);
    expect(wrong.text).toContain('Signalement introuvable');
    expect(wrong.text).not.toContain(statusToken);
    expect(unknown.text.replace('ZZZZ-ZZZZ-ZZZZ-ZZZZ', reference)).toBe(wrong.text);
    await check({}).expect(404);
  });

  describe('in a real browser with JavaScript off', () => {
    let browser: Browser;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('lets a person report an address and read their reference', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/`);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      await page.fill('textarea[name="urls"]', 'http://browser-test.example.com/a\nexample.org/b');
      await page.selectOption('select[name="contentType"]', 'videos');
      await page.click('button[type="submit"], input[type="submit"]');
      await page.waitForSelector('#reference');
      const reference = (await page.textContent('#reference'))?.trim();
      const token = (await page.textContent('#status-token'))?.trim();
      expect(reference).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      const status = await request(app.getHttpServer()).get(`/api/v1/reports/${reference}/status`).set('x-status-token', token!).expect(200);
      expect(status.body.status).toBe('received');
      await context.close();
    });

    it('checks the status through the form on the receipt page', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/?lang=en`);
      await page.fill('textarea[name="urls"]', 'http://browser-status.example.com/a');
      await page.click('form[action="/"] button[type="submit"]');
      await page.waitForSelector('#reference');
      const reference = (await page.textContent('#reference'))?.trim();
      const token = (await page.textContent('#status-token'))!.trim();
      expect(await page.inputValue('#check-reference')).toBe(reference);
      expect(await page.inputValue('#check-token')).toBe('');

      await page.fill('#check-token', token);
      await page.click('#status-check button[type="submit"]');
      await page.waitForSelector('#status');
      expect(new URL(page.url()).pathname).toBe('/status');
      expect((await page.textContent('#status'))?.trim()).toBe('Received');
      expect(await page.textContent('#result-reference')).toBe(reference);
      expect(await page.content()).not.toContain(token);

      // Checking again from the result page with a wrong token gives the not-found message.
      expect(await page.inputValue('#check-reference')).toBe(reference);
      await page.fill('#check-token', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
      await page.click('#status-check button[type="submit"]');
      await page.waitForSelector('#errors');
      expect(await page.textContent('#errors')).toContain('Report not found');
      expect(await page.$('#status')).toBeNull();
      await context.close();
    });
  });
});
