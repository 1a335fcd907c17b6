import { HotlineConfig } from '@hotline/config';
import { StaffDirectory, totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request, { Response } from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { signIn } from '../support/staff';

const CLI = { id: null, role: 'cli' };
const MAX_FAILURES = 3;

/**
 * Staff sign-in end to end: password + TOTP, one answer for every refusal, lockout, and sessions
 * that end at once on logout, disable or a role change; every attempt is in the audit log.
 */
describe('staff authentication', () => {
  const tag = randomBytes(4).toString('hex');
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let n = 0;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCKOUT: '15m' }));
    db = await connectDatabase();
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
  });

  async function newUser(role: 'analyst' | 'admin' = 'analyst') {
    const email = `auth-${tag}-${++n}@hotline.test`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const user = await consoleApp.get(StaffDirectory).create({ email, role, password }, CLI);
    return { id: user.id, email, password, totpSecret: user.totpSecret };
  }

  const login = (body: { email: string; password: string; totp: string }) => request(consoleApp.getHttpServer()).post('/api/v1/auth/login').send(body);
  const me = (token: string) => request(consoleApp.getHttpServer()).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  // A code of a step far from now: well-formed, and wrong.
  const wrongCode = (secret: string) => totpCode(secret, Date.now() + 10 * 60_000);

  /** What a refusal looks like, less anything that differs per request. */
  function refusal(response: Response) {
    const { errorId: _errorId, instance: _instance, requestId: _requestId, ...body } = response.body;
    return { status: response.status, contentType: response.headers['content-type'], body };
  }

  it('signs in with the password and the current code, and the token works', async () => {
    const user = await newUser();
    const response = await login({ email: user.email, password: user.password, totp: totpCode(user.totpSecret) });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ accessToken: expect.stringMatching(/^hls_[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    expect(new Date(response.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const self = await me(response.body.accessToken);
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: user.id, email: user.email, role: 'analyst', agency: null });
  });

  it('answers a wrong password, a wrong code, an unknown email and a reused code all the same 401', async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    const wrongPassword = await login({ email: a.email, password: `${a.password}x`, totp: totpCode(a.totpSecret) });
    const wrongTotp = await login({ email: b.email, password: b.password, totp: wrongCode(b.totpSecret) });
    const unknown = await login({ email: `nobody-${tag}@hotline.test`, password: a.password, totp: totpCode(a.totpSecret) });
    const code = totpCode(c.totpSecret);
    expect((await login({ email: c.email, password: c.password, totp: code })).status).toBe(200);
    const reused = await login({ email: c.email, password: c.password, totp: code });

    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toMatchObject({ status: 401, type: '/problems/login-failed' });
    expect(wrongPassword.body).not.toHaveProperty('accessToken');
    for (const other of [wrongTotp, unknown, reused]) expect(refusal(other)).toEqual(refusal(wrongPassword));
  });

  it(`locks an account after ${MAX_FAILURES} failures in a row: then even the right password and code get the same 401`, async () => {
    const user = await newUser();
    const failures: Response[] = [];
    for (let i = 0; i < MAX_FAILURES; i++) failures.push(await login({ email: user.email, password: `wrong-${i}-${user.password}`, totp: totpCode(user.totpSecret) }));
    const locked = await login({ email: user.email, password: user.password, totp: totpCode(user.totpSecret) });
    expect(locked.status).toBe(401);
    for (const failure of failures) expect(refusal(failure)).toEqual(refusal(locked));

    const [row] = (await db.query(`SELECT failed_logins, locked_until FROM staff_user WHERE id = $1`, [user.id])).rows;
    expect(row.failed_logins).toBe(MAX_FAILURES);
    expect(row.locked_until.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const reasons = (
      await db.query(
        `SELECT detail->>'reason' AS reason, detail->>'locked' AS locked FROM audit_event WHERE action = 'auth.login_failed' AND target_id = $1 ORDER BY seq`,
        [user.id],
      )
    ).rows;
    expect(reasons).toEqual([
      ...Array.from({ length: MAX_FAILURES - 1 }, () => ({ reason: 'wrong password', locked: 'false' })),
      { reason: 'wrong password', locked: 'true' },
      { reason: 'locked', locked: 'false' },
    ]);
  });

  it('ends the session at once on logout', async () => {
    const staff = await signIn(consoleApp, 'analyst');
    expect((await me(staff.token)).status).toBe(200);
    const logout = await request(consoleApp.getHttpServer()).post('/api/v1/auth/logout').set('Authorization', staff.bearer);
    expect(logout.status).toBe(204);
    expect((await me(staff.token)).status).toBe(401);
    const again = await request(consoleApp.getHttpServer()).post('/api/v1/auth/logout').set('Authorization', staff.bearer);
    expect(again.status).toBe(401);
    const [event] = (await db.query(`SELECT actor_id, actor_role FROM audit_event WHERE action = 'auth.logout' AND actor_id = $1`, [staff.id])).rows;
    expect(event).toEqual({ actor_id: staff.id, actor_role: 'analyst' });
  });

  it('ends every session of a user at once when the user is disabled, and refuses their logins', async () => {
    const staff = await signIn(consoleApp, 'analyst');
    expect((await me(staff.token)).status).toBe(200);
    await consoleApp.get(StaffDirectory).disable(staff.email, CLI);
    expect((await me(staff.token)).status).toBe(401);
    const [revoked] = (await db.query(`SELECT revoked_reason FROM staff_session WHERE staff_user_id = $1`, [staff.id])).rows;
    expect(revoked.revoked_reason).toBe('user disabled');
    const denied = await login({ email: staff.email, password: staff.password, totp: wrongCode(staff.totpSecret) });
    expect(denied.status).toBe(401);
  });

  it('ends every session of a user at once when their role changes', async () => {
    const staff = await signIn(consoleApp, 'analyst');
    const cases = () => request(consoleApp.getHttpServer()).get('/api/v1/cases?limit=1').set('Authorization', staff.bearer);
    expect((await cases()).status).toBe(200);
    await consoleApp.get(StaffDirectory).setRole(staff.id, 'regulator', null, CLI);
    expect((await cases()).status).toBe(401);
    expect((await me(staff.token)).status).toBe(401);
  });

  it('records logins and failed logins in the audit log, without the password, code or an unknown email', async () => {
    const user = await newUser();
    const unknownEmail = `ghost-${tag}@hotline.test`;
    const digest = createHmac('sha256', consoleApp.get(HotlineConfig).tokenSigningKey).update(unknownEmail).digest('hex').slice(0, 32);
    const {
      rows: [{ seq: from }],
    } = await db.query(`SELECT coalesce(max(seq), 0) AS seq FROM audit_event`);
    await login({ email: user.email, password: 'not-the-password', totp: '123456' });
    await login({ email: unknownEmail, password: 'whatever-password', totp: '123456' });
    expect((await login({ email: user.email, password: user.password, totp: totpCode(user.totpSecret) })).status).toBe(200);

    const events = (
      await db.query(
        `SELECT action, actor_id, actor_role, target_type, detail FROM audit_event
          WHERE seq > $3 AND (target_id = $1 OR actor_id::text = $1 OR detail->>'emailDigest' = $2)
          ORDER BY seq`,
        [user.id, digest, from],
      )
    ).rows;
    // A failed attempt is not attributed to the account's owner: whoever tried is unknown.
    expect(events).toEqual([
      { action: 'auth.login_failed', actor_id: null, actor_role: null, target_type: 'staff_user', detail: { reason: 'wrong password', locked: false } },
      { action: 'auth.login_failed', actor_id: null, actor_role: null, target_type: null, detail: { emailDigest: digest, reason: 'unknown email' } },
      { action: 'auth.login', actor_id: user.id, actor_role: 'analyst', target_type: 'staff_session', detail: {} },
    ]);
    expect(JSON.stringify(events)).not.toContain(unknownEmail);
    expect(JSON.stringify(events)).not.toContain(user.password);
  });

  it('counts parallel wrong guesses one by one, so the lockout cannot be raced', async () => {
    const user = await newUser();
    // LOGIN_MAX_FAILURES is 3 here: of 8 parallel guesses, the third locks the account.
    const guesses = await Promise.all(Array.from({ length: 8 }, () => login({ email: user.email, password: 'wrong-password-guess', totp: '123456' })));
    expect(guesses.map((r) => r.status)).toEqual(Array(8).fill(401));
    const {
      rows: [row],
    } = await db.query(`SELECT failed_logins, locked_until FROM staff_user WHERE id = $1`, [user.id]);
    expect(row.failed_logins).toBe(3);
    expect(row.locked_until).not.toBeNull();
  });

  it('accepts a code once, even when two logins race with it', async () => {
    const user = await newUser();
    const code = totpCode(user.totpSecret);
    const both = await Promise.all([1, 2].map(() => login({ email: user.email, password: user.password, totp: code })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses text PostgreSQL cannot store with a 400, not a 500', async () => {
    const response = await login({ email: 'nul\u0000@hotline.test', password: 'x', totp: '123456' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('audits a request whose query PostgreSQL could not store as typed, instead of failing it', async () => {
    const analyst = await signIn(consoleApp, 'analyst');
    const response = await request(consoleApp.getHttpServer()).get('/api/v1/auth/me?note=%00%ED%A0%80').set('authorization', analyst.bearer);
    expect(response.status).toBe(200);
    const { rows } = await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 AND action = 'GET /api/v1/auth/me'`, [analyst.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].detail.query.note).not.toContain('\u0000');
  });
});
