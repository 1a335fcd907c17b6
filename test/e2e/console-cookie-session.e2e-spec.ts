import { totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { LEAVE_GRACE_MS } from '../../apps/console-api/src/claims/case-leases.service';
import { ownQueue, queuedCase } from '../support/browser';
import { forceCaseStatus } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';

const tag = randomBytes(3).toString('hex');

/**
 * The console's cookie session against the JSON API and the pages: a request that changes
 * anything needs the session's own CSRF token (header or form field); the page script's background
 * requests do not extend the idle lapse; a left case page shortens the lease instead of releasing it.
 */
describe('console cookie sessions', () => {
  let app: NestFastifyApplication;
  let db: Client;

  beforeAll(async () => {
    app = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-cookie-${tag}}`, STAFF_SESSION_IDLE: '30m' }));
    db = await connectDatabase();
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  /** Signs a new analyst in through the sign-in page: their cookie and their pages' CSRF token. */
  async function cookieSession(): Promise<{ cookie: string; csrf: string; userId: string }> {
    const { StaffDirectory } = await import('@hotline/security');
    const email = `cookie-${randomBytes(4).toString('hex')}@hotline.test`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const user = await app.get(StaffDirectory).create({ email, role: 'analyst', password }, { id: null, role: 'cli' });
    const login = await request(app.getHttpServer())
      .post('/login')
      .type('form')
      .send({ email, password, totp: totpCode(user.totpSecret) });
    expect(login.status).toBe(303);
    const cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
    const page = await request(app.getHttpServer()).get('/queues').set('cookie', cookie).expect(200);
    const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text)![1]!;
    return { cookie, csrf, userId: user.id };
  }

  it('refuses a cookie request that changes anything without its own session’s CSRF token, and audits it', async () => {
    const mine = await cookieSession();
    const other = await cookieSession();
    const heartbeat = () => request(app.getHttpServer()).post(`/api/v1/cases/${randomUUID()}/heartbeat`).set('cookie', mine.cookie);

    const none = await heartbeat().expect(403);
    expect(none.body.type).toBe('/problems/csrf-refused');
    expect((await heartbeat().set('x-csrf-token', other.csrf).expect(403)).body.type).toBe('/problems/csrf-refused');
    // With its own token it passes the guard: the case does not exist.
    expect((await heartbeat().set('x-csrf-token', mine.csrf)).status).toBe(404);

    const language = (fields: Record<string, string>) => request(app.getHttpServer()).post('/me/language').set('cookie', mine.cookie).type('form').send(fields);
    expect((await language({ language: 'fr', _csrf: other.csrf })).status).toBe(403);
    expect((await language({ language: 'fr', _csrf: mine.csrf, back: '/queues' })).headers.location).toBe('/queues');

    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'access.denied' AND actor_id = $1 AND detail->>'reason' = 'csrf'`, [
      mine.userId,
    ]);
    expect(rows[0].n).toBe(3);
  });

  it('does not extend the idle lapse for the page script’s background requests, and does for use', async () => {
    const session = await cookieSession();
    const soon = new Date(Date.now() + 5 * 60_000);
    await db.query(`UPDATE staff_session SET expires_at = $2 WHERE staff_user_id = $1`, [session.userId, soon]);
    const expiresAt = async () => (await db.query(`SELECT expires_at FROM staff_session WHERE staff_user_id = $1`, [session.userId])).rows[0].expires_at as Date;

    const background = await request(app.getHttpServer()).get('/api/v1/auth/me').set('cookie', session.cookie).set('x-hotline-background', '1').expect(200);
    expect(Date.parse(background.body.sessionExpiresAt)).toBe(soon.getTime());
    expect((await expiresAt()).getTime()).toBe(soon.getTime());

    await request(app.getHttpServer()).get('/queues').set('cookie', session.cookie).expect(200);
    expect((await expiresAt()).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  });

  it('shortens the lease of a left page to the grace period, and a heartbeat (the page back after a reload) renews it', async () => {
    const session = await cookieSession();
    const queue = await ownQueue(db, 'cookie-leave', tag);
    const waiting = await queuedCase(db, queue, 'leave', tag);
    try {
      const claim = await request(app.getHttpServer()).post(`/queues/${queue}/claim`).set('cookie', session.cookie).type('form').send({ _csrf: session.csrf });
      expect(claim.headers.location).toBe(`/cases/${waiting.id}`);
      const api = (action: 'leave' | 'heartbeat') =>
        request(app.getHttpServer()).post(`/api/v1/cases/${waiting.id}/${action}`).set('cookie', session.cookie).set('x-csrf-token', session.csrf).expect(200);

      const left = Date.parse((await api('leave')).body.expiresAt);
      expect(left).toBeGreaterThan(Date.now() + LEAVE_GRACE_MS - 5_000);
      expect(left).toBeLessThanOrEqual(Date.now() + LEAVE_GRACE_MS + 1_000);
      const renewed = Date.parse((await api('heartbeat')).body.expiresAt);
      expect(renewed).toBeGreaterThan(Date.now() + 5 * 60_000);
      const { rows } = await db.query(`SELECT status, lease_holder FROM "case" WHERE id = $1`, [waiting.id]);
      expect(rows[0]).toEqual({ status: 'in_assessment', lease_holder: session.userId });
      await request(app.getHttpServer()).post(`/api/v1/cases/${waiting.id}/release`).set('cookie', session.cookie).set('x-csrf-token', session.csrf).expect(204);
    } finally {
      await forceCaseStatus(db, waiting.id, 'closed');
    }
  });
});
