import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { testConfig } from '../support/config';

describe('intake rate limit', () => {
  let app: NestFastifyApplication;
  let redis: Redis;
  const prefix = `{hotline-rl-${randomBytes(3).toString('hex')}}`;

  beforeAll(async () => {
    app = await createIntakeApp(testConfig({ INTAKE_RATE_LIMIT: '3/1m', TRUST_PROXY: 'true', REDIS_PREFIX: prefix }));
    redis = new Redis(process.env.REDIS_URL!);
  });

  afterAll(async () => {
    redis.disconnect();
    await app.close();
  });

  const submit = (client: string, language = 'en') =>
    request(app.getHttpServer())
      .post('/api/v1/reports')
      .set('x-forwarded-for', client)
      .set('accept-language', language)
      .send({ urls: [`http://rate-limit.example.com/${randomBytes(4).toString('hex')}`] });

  it('refuses the client past N per window with 429 and Retry-After, other clients unaffected, keyed without the address', async () => {
    for (let i = 0; i < 3; i++) await submit('198.51.100.7').expect(201);
    const refused = await submit('198.51.100.7', 'fr').expect(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(refused.headers['content-language']).toBe('fr');

    await submit('198.51.100.8').expect(201);

    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).not.toMatch(/198\.51\.100|::ffff/);
  });

  it('does not count refused input against the client less than accepted input', async () => {
    // Malformed requests are refused before the limiter, so they neither pass nor consume it.
    await request(app.getHttpServer()).post('/api/v1/reports').set('x-forwarded-for', '198.51.100.9').set('content-type', 'application/json').send('{').expect(400);
    await submit('198.51.100.9').expect(201);
  });
});
