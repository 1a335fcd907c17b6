import { API_CSP, SECURITY_HEADERS } from '@hotline/http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { REPORT_PAGE_CSP } from '../../apps/intake-api/src/report-page/render';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';

type Call = (server: ReturnType<NestFastifyApplication['getHttpServer']>) => request.Test;

/**
 * The standard security headers (libs/http http-app.ts) on every response of the three apps:
 * successes, problems (400, 401, 413, 415), the 404 of a route that does not exist, health and
 * metrics; what is not a page has a CSP that lets nothing run or frame it, and the report page
 * keeps its own.
 */
describe('security headers', () => {
  const apps: Record<'intake' | 'console' | 'worker', NestFastifyApplication> = {} as never;

  beforeAll(async () => {
    const config = testConfig({ REDIS_PREFIX: `{hotline-headers-${randomBytes(3).toString('hex')}}`, OPENAPI_UI: 'true' });
    apps.intake = await createIntakeApp(config);
    apps.console = await createConsoleApp(config);
    apps.worker = await createWorkerApp(config);
  });

  afterAll(async () => {
    for (const app of Object.values(apps)) await app?.close();
  });

  const json =
    (path: string, body: string, type = 'application/json'): Call =>
    (server) =>
      request(server).post(path).set('content-type', type).send(body);
  const get =
    (path: string, headers: Record<string, string> = {}): Call =>
    (server) =>
      request(server).get(path).set(headers);

  const CALLS: [app: keyof typeof apps, what: string, call: Call, status: number][] = [
    ['intake', 'a report (201)', json('/api/v1/reports', JSON.stringify({ urls: ['http://example.com/headers'] })), 201],
    ['intake', 'a status check that finds nothing (404)', get('/api/v1/reports/AAAA-AAAA-AAAA-AAAA/status', { 'x-status-token': 'x'.repeat(30) }), 404],
    ['intake', 'malformed JSON (400)', json('/api/v1/reports', '{"urls":'), 400],
    ['intake', 'a hostile body (400)', json('/api/v1/reports', '{"constructor":"x"}'), 400],
    ['intake', 'a body too large (413)', json('/api/v1/reports', JSON.stringify({ urls: ['http://example.com/'], description: 'x'.repeat(70_000) })), 413],
    ['intake', 'the wrong media type (415)', json('/api/v1/reports', 'urls=x', 'text/plain'), 415],
    ['intake', 'a route that does not exist (404)', get('/no/such/page'), 404],
    ['intake', 'health', get('/health/live'), 200],
    ['intake', 'the API docs (HTML)', get('/api/docs'), 200],
    ['console', 'a sign-in refused (401)', json('/api/v1/auth/login', JSON.stringify({ email: 'a@example.org', password: 'x', totp: '123456' })), 401],
    ['console', 'a hostile sign-in (400)', json('/api/v1/auth/login', '{"email":"a@example.org","password":{"constructor":"x"},"totp":"123456"}'), 400],
    ['console', 'no token (401)', get('/api/v1/cases'), 401],
    ['console', 'an unsigned exchange request (401)', json('/api/v1/exchange/messages', '{}'), 401],
    ['console', 'a route that does not exist (404)', get('/no/such/route'), 404],
    ['console', 'metrics', get('/metrics'), 200],
    ['worker', 'health', get('/health/live'), 200],
    ['worker', 'metrics', get('/metrics'), 200],
    ['worker', 'a route that does not exist (404)', get('/no/such/route'), 404],
  ];

  it.each(CALLS)('%s: %s carries them', async (app, _, call, status) => {
    const response = await call(apps[app].getHttpServer());
    expect(response.status).toBe(status);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect({ name, value: response.headers[name] }).toEqual({ name, value });
    if (!/^text\/html/.test(response.headers['content-type'] ?? '')) expect(response.headers['content-security-policy']).toBe(API_CSP);
  });

  it('leaves the report page its own CSP, and adds the others', async () => {
    for (const response of [await request(apps.intake.getHttpServer()).get('/'), await request(apps.intake.getHttpServer()).post('/').type('form').send('urls=')]) {
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toBe(REPORT_PAGE_CSP);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect({ name, value: response.headers[name] }).toEqual({ name, value });
    }
  });
});
