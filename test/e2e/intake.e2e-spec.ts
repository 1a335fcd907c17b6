import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { connectDatabase } from '../support/database';
import { testConfig } from '../support/config';

describe('public intake API', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createIntakeApp(testConfig());
    db = await connectDatabase();
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  describe('POST /api/v1/reports', () => {
    it('commits the report, its canonical URLs and one outbox row per URL before answering 201', async () => {
      const body = {
        urls: ['HTTP://Example.COM:80/a/./b/../c#frag', 'example.org/x?utm_source=mail&id=7'],
        contentType: 'videos',
        description: 'seen on a forum thread',
        contact: { email: 'reporter@example.net' },
        language: 'fr-CA',
        country: 'UG',
        victimIdentifiable: true,
      };
      const response = await http().post('/api/v1/reports').send(body).expect(201);
      expect(response.body).toEqual({
        reference: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/),
        statusToken: expect.any(String),
        status: 'received',
        receivedAt: expect.any(String),
      });
      expect(Buffer.from(response.body.statusToken, 'base64url').length).toBeGreaterThanOrEqual(16);

      const { rows: reports } = await db.query('SELECT * FROM report WHERE reference = $1', [response.body.reference]);
      expect(reports).toHaveLength(1);
      const report = reports[0];
      expect(report).toMatchObject({ source: 'public_api', language: 'fr-CA', reporter_country: 'UG', content_type: 'videos', victim_identifiable: true, url_count: 2 });
      expect(report.received_at.toISOString()).toBe(response.body.receivedAt);
      expect(report.contact_encrypted.includes(Buffer.from('reporter@example.net'))).toBe(false);
      expect(report.description_encrypted.includes(Buffer.from('seen on a forum'))).toBe(false);
      expect(report.status_token_hash.toString('utf8')).not.toContain(response.body.statusToken);
      expect(report.contact_delete_after.getTime()).toBeGreaterThan(report.received_at.getTime());

      const { rows: urls } = await db.query('SELECT * FROM reported_url WHERE report_id = $1 ORDER BY position', [report.id]);
      expect(urls.map((u) => [u.raw_url, u.canonical_url, u.host])).toEqual([
        [body.urls[0], 'http://example.com/a/c', 'example.com'],
        [body.urls[1], 'http://example.org/x?utm_source=mail&id=7', 'example.org'],
      ]);
      expect(urls.every((u) => /^[0-9a-f]{64}$/.test(u.dedup_key))).toBe(true);

      const { rows: outbox } = await db.query('SELECT topic, message_key, payload FROM outbox WHERE message_key = ANY($1::text[]) ORDER BY id', [urls.map((u) => u.id)]);
      expect(outbox).toEqual(urls.map((u) => ({ topic: 'reported-url.received', message_key: u.id, payload: { reportedUrlId: u.id } })));
    });

    it('gives one dedup key to spellings of one URL, tracking parameters included', async () => {
      const spellings = ['http://example.com/page?id=1', 'HTTP://EXAMPLE.COM:80/page?id=1#top', 'example.com./page?id=1&utm_campaign=x&fbclid=abc'];
      const response = await http().post('/api/v1/reports').send({ urls: spellings }).expect(201);
      const { rows } = await db.query('SELECT DISTINCT u.dedup_key FROM reported_url u JOIN report r ON r.id = u.report_id WHERE r.reference = $1', [
        response.body.reference,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('accepts public IPs and onion services', async () => {
      await http()
        .post('/api/v1/reports')
        .send({ urls: ['https://8.8.8.8/x', 'http://[2001:4860:4860::8888]/', 'http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/'] })
        .expect(201);
    });
  });

  describe('bad input gets a 4xx problem, never a 5xx', () => {
    const refused: [string, unknown, number, string?][] = [
      ['missing urls', {}, 400, 'urls'],
      ['empty urls', { urls: [] }, 400, 'urls'],
      ['21 urls', { urls: Array.from({ length: 21 }, (_, i) => `http://example.com/${i}`) }, 400, 'urls'],
      ['urls not an array', { urls: 'http://example.com/' }, 400, 'urls'],
      ['url not a string', { urls: [42] }, 400, 'urls[0]'],
      ['url too long', { urls: [`http://example.com/${'a'.repeat(2040)}`] }, 400, 'urls[0]'],
      ['unknown field', { urls: ['http://example.com/'], reporterIp: '1.2.3.4' }, 400, 'reporterIp'],
      ['unknown nested field', { urls: ['http://example.com/'], contact: { email: 'a@b.org', phone: '123' } }, 400, 'contact.phone'],
      ['contact not an object', { urls: ['http://example.com/'], contact: 'a@b.org' }, 400, 'contact'],
      ['bad email', { urls: ['http://example.com/'], contact: { email: 'not-an-email' } }, 400, 'contact.email'],
      ['bad content type', { urls: ['http://example.com/'], contentType: 'photos' }, 400, 'contentType'],
      ['description too long', { urls: ['http://example.com/'], description: 'x'.repeat(4001) }, 400, 'description'],
      ['description wrong type', { urls: ['http://example.com/'], description: 7 }, 400, 'description'],
      ['bad language tag', { urls: ['http://example.com/'], language: 'not a tag!' }, 400, 'language'],
      ['bad country', { urls: ['http://example.com/'], country: 'uganda' }, 400, 'country'],
      ['flag wrong type', { urls: ['http://example.com/'], victimIdentifiable: 'yes' }, 400, 'victimIdentifiable'],
      ['body is an array', [{ urls: ['http://example.com/'] }], 400, 'body'],
      ['body is null', null, 400, 'body'],
      ...[
        'javascript:alert(1)',
        'data:text/html,<b>x</b>',
        'file:///etc/passwd',
        'ftp://example.com/file',
        'http://127.0.0.1/',
        'http://0x7f.1/',
        'http://2130706433/',
        'http://017700000001/',
        'http://[::1]/',
        'http://[::ffff:127.0.0.1]/',
        'http://localhost:8080/',
        'http://10.0.0.8/',
        'http://192.168.1.1/admin',
        'http://172.16.5.4/',
        'http://169.254.169.254/latest/meta-data/',
        'http://[fe80::1]/',
        'http://100.64.0.1/',
        'http://0.0.0.0/',
        'http://intranet/',
        'http://',
        '   ',
      ].map((url): [string, unknown, number, string] => [`refused URL ${url}`, { urls: ['http://example.com/ok', url] }, 400, 'urls[1]']),
    ];

    it.each(refused)('%s', async (_name, body, status, field) => {
      const response = await http().post('/api/v1/reports').set('content-type', 'application/json').send(JSON.stringify(body)).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/validation', status, title: expect.any(String), detail: expect.any(String) });
      expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    });

    it('answers malformed JSON with 400', async () => {
      const response = await http().post('/api/v1/reports').set('content-type', 'application/json').send('{"urls": [').expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/malformed-json', status: 400 });
    });

    it('answers an empty JSON body with 400', async () => {
      const response = await http().post('/api/v1/reports').set('content-type', 'application/json').send('').expect(400);
      expect(response.body.status).toBe(400);
    });

    it('answers a body over 64 KiB with 413', async () => {
      const body = JSON.stringify({ urls: ['http://example.com/'], description: 'x'.repeat(70 * 1024) });
      const response = await http().post('/api/v1/reports').set('content-type', 'application/json').send(body).expect(413);
      expect(response.body).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    });

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/xml']])('answers %s with 415', async (type) => {
      const response = await http().post('/api/v1/reports').set('content-type', type).send('urls=http://example.com/').expect(415);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });
    });

    it('answers unknown routes with a problem 404', async () => {
      const response = await http().get('/api/v1/nothing-here').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('errors speak the language of the request', () => {
    const cases: [string, Record<string, string>, unknown, RegExp][] = [
      ['French by Accept-Language', { 'accept-language': 'fr-FR,fr;q=0.9' }, { urls: [] }, /[éèàç]|votre|adresse/i],
      ['Spanish by Accept-Language', { 'accept-language': 'es' }, { urls: [] }, /[áéíóúñ]|su |denuncia/i],
      ['Arabic by the body language', { 'accept-language': 'en' }, { urls: [], language: 'ar' }, /[\u0600-\u06FF]/],
      ['Chinese by the body language', {}, { urls: ['http://localhost/'], language: 'zh-Hans' }, /[\u4e00-\u9fff]/],
      ['Russian by Accept-Language', { 'accept-language': 'ru-RU' }, { urls: ['ftp://example.com/'] }, /[\u0400-\u04FF]/],
    ];

    it.each(cases)('%s', async (_name, headers, body, script) => {
      const response = await http()
        .post('/api/v1/reports')
        .set(headers)
        .send(body as object)
        .expect(400);
      expect(`${response.body.title} ${response.body.errors[0].message}`).toMatch(script);
      expect(response.headers['content-language']).toBeDefined();
    });

    it('falls back to English for languages it does not speak', async () => {
      const response = await http().post('/api/v1/reports').set('accept-language', 'sw').send({ urls: [] }).expect(400);
      expect(response.headers['content-language']).toBe('en');
    });
  });

  describe('GET /api/v1/reports/:reference/status', () => {
    it('answers the holder of the token, and gives the same 404 for a wrong token and an unknown reference', async () => {
      const { body: receipt } = await http()
        .post('/api/v1/reports')
        .send({ urls: ['http://example.com/status'] })
        .expect(201);
      const ok = await http().get(`/api/v1/reports/${receipt.reference}/status`).set('x-status-token', receipt.statusToken).expect(200);
      expect(ok.body).toEqual({ reference: receipt.reference, status: 'received', updatedAt: receipt.receivedAt });

      const typed = receipt.reference.toLowerCase().replace(/-/g, '');
      await http().get(`/api/v1/reports/${typed}/status`).set('x-status-token', receipt.statusToken).expect(200);

      const wrongToken = await http().get(`/api/v1/reports/${receipt.reference}/status`).set('x-status-token', 'guess').expect(404);
      const noToken = await http().get(`/api/v1/reports/${receipt.reference}/status`).expect(404);
      const unknown = await http().get('/api/v1/reports/0000-0000-0000-0000/status').set('x-status-token', receipt.statusToken).expect(404);
      const garbage = await http().get('/api/v1/reports/%27%20OR%201=1/status').set('x-status-token', 'x').expect(404);
      expect(wrongToken.body).toEqual(unknown.body);
      expect(noToken.body).toEqual(unknown.body);
      expect(garbage.body).toEqual(unknown.body);
    });
  });

  describe('health and metrics', () => {
    it('is live and ready when PostgreSQL and Redis answer', async () => {
      await http().get('/health/live').expect(200, { status: 'ok' });
      const ready = await http().get('/health/ready').expect(200);
      expect(ready.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    });

    it('exposes Prometheus metrics without client addresses', async () => {
      await http()
        .post('/api/v1/reports')
        .set('x-forwarded-for', '198.51.100.23')
        .send({ urls: ['http://example.com/m'] })
        .expect(201);
      const metrics = await http().get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/hotline_intake_reports_stored_total\{[^}]*source="public_api"[^}]*\} \d+/);
      expect(metrics.text).toContain('hotline_http_request_duration_seconds_bucket');
      expect(metrics.text).not.toMatch(/198\.51\.100\.23|127\.0\.0\.1|::ffff/);
    });
  });
});
