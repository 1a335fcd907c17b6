import { StaffDirectory, StaffDirectoryError, totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');

/**
 * A user whose password an admin chose (created in the console, or `user:create --totp qr`)
 * chooses their own before anything else: every page sends them to /me/password, every other
 * route answers 403 password_change_required, except signing out and GET /api/v1/auth/me. The
 * change checks the current password (wrong ones count as failed logins and lock the account),
 * ends the user's other sessions and is audited. Also: a sign-in over a session cookie the
 * browser still carries ends that session, and two admins creating one email at once get the
 * directory's refusal, not a 500.
 */
describe('console: choosing one’s own password', () => {
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let admin: SignedInStaff;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-console-password-${tag}}`, NODE_ENV: 'test', BULL_BOARD_ENABLED: 'true' }));
    db = await connectDatabase();
    admin = await signIn(consoleApp, 'admin', { label: 'password-admin' });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
  });

  const server = () => consoleApp.getHttpServer();
  const cookie = (token: string) => `hotline_console=${token}`;
  const get = (path: string, token: string) => request(server()).get(path).set('cookie', cookie(token));
  const postForm = (path: string, token: string, form: Record<string, string>) => request(server()).post(path).set('cookie', cookie(token)).type('form').send(form);
  const tokenOf = (response: request.Response) => /hotline_console=([A-Za-z0-9_-]+)/.exec(String(response.headers['set-cookie']))![1];
  const alive = async (token: string) => (await request(server()).get('/api/v1/auth/me').set('authorization', `Bearer ${token}`)).status === 200;

  async function csrfOf(token: string): Promise<string> {
    const page = await get('/me/password', token).expect(200);
    return /<meta name="csrf-token" content="([^"]+)"/.exec(page.text)![1];
  }

  async function userRow(id: string): Promise<{ password_change_required: boolean; failed_logins: number; locked_until: Date | null; password_hash: string }> {
    return (await db.query(`SELECT password_change_required, failed_logins, locked_until, password_hash FROM staff_user WHERE id = $1`, [id])).rows[0];
  }

  /** A first sign-in by QR code (as the sign-in page does it); `over` a session cookie the browser still carries. */
  async function enrol(email: string, password: string, over?: string): Promise<{ token: string; secret: string; location: string }> {
    const shown = await request(server()).post('/login').type('form').send({ email, password, totp: '', next: '/queues' });
    expect(shown.status).toBe(200);
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(shown.text)![1].replace(/\s/g, '');
    const ticket = /name="ticket" value="([^"]+)"/.exec(shown.text)![1];
    let call = request(server()).post('/enrol').type('form');
    if (over) call = call.set('cookie', cookie(over));
    const enrolled = await call.send({ ticket, code: totpCode(secret), next: '/queues' });
    expect(enrolled.status).toBe(303);
    return { token: tokenOf(enrolled), secret, location: enrolled.headers.location as string };
  }

  describe('a user created in the console', () => {
    const email = `chosen-${tag}@hotline.test`;
    const initial = `initial-${randomBytes(8).toString('hex')}`;
    const own = `my own pass phrase ${randomBytes(4).toString('hex')}`;
    let id: string;
    let token: string;
    let bearer: string;

    it('must change the password the admin chose', async () => {
      const created = await request(server())
        .post('/admin/users')
        .set('authorization', admin.bearer)
        .type('form')
        .send({ email, role: 'analyst', agency: '', password: initial });
      expect(created.status).toBe(303);
      id = new URL(created.headers.location as string, 'http://console').searchParams.get('id')!;
      expect((await userRow(id)).password_change_required).toBe(true);
      const { rows } = await db.query(`SELECT detail FROM audit_event WHERE action = 'user.created' AND target_id = $1`, [id]);
      expect(rows).toEqual([{ detail: expect.objectContaining({ totpDelivery: 'qr-code', passwordChangeRequired: true }) }]);
    });

    it('enrols by QR code, and is then sent from every page to the password page', async () => {
      const enrolled = await enrol(email, initial);
      token = enrolled.token;
      expect(enrolled.location).toBe('/queues');
      for (const path of ['/queues', '/', '/review', `/cases/${randomUUID()}`, '/admin/users']) {
        const page = await get(path, token);
        expect({ path, status: page.status, location: page.headers.location }).toEqual({ path, status: 303, location: '/me/password' });
      }
      // A second session of the same user, by the API (the next step's code: a code is good once).
      const login = await request(server())
        .post('/api/v1/auth/login')
        .send({ email, password: initial, totp: totpCode(enrolled.secret, Date.now() + 30_000) });
      expect(login.status).toBe(200);
      bearer = `Bearer ${login.body.accessToken}`;
    });

    it('answers 403 password_change_required to the API and to every form but the allowed ones, with a cookie or a bearer token', async () => {
      const api = await get('/api/v1/queues', token);
      expect(api.status).toBe(403);
      expect(api.body).toMatchObject({ type: '/problems/password-change-required', status: 403, title: 'Choose your own password first' });
      const french = await request(server()).get('/api/v1/cases').set('authorization', bearer).set('accept-language', 'fr');
      expect(french.status).toBe(403);
      expect(french.body.title).toBe('Choisissez d’abord votre propre mot de passe');
      const csrf = await csrfOf(token);
      const claim = await postForm('/queues/no-such-queue/claim', token, { _csrf: csrf });
      expect(claim.status).toBe(403);
      expect(claim.text).toContain('Choose your own password first');
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'access.denied' AND actor_id = $1 AND detail->>'reason' = 'password_change'`,
        [id],
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    });

    it('can still see who they are and the password page, which says why', async () => {
      const me = await get('/api/v1/auth/me', token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id, email, role: 'analyst' });
      expect((await request(server()).get('/api/v1/auth/me').set('authorization', bearer)).status).toBe(200);
      const page = await get('/me/password', token);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Your administrator chose your first password: choose your own.');
      expect(page.text).toContain('autocomplete="current-password"');
      expect(page.text).toContain('href="/me/password"');
      // No navigation to pages that would only send them back here.
      expect(page.text).not.toContain('href="/queues"');
      expect(page.text).not.toContain(initial);
    });

    it('refuses a wrong current password (counted like a failed login), a short one and a confirmation that differs, never writing a password back', async () => {
      const csrf = await csrfOf(token);
      const wrong = await postForm('/me/password', token, { _csrf: csrf, current: 'not-the-password', new: own, confirm: own });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toMatch(/<p class="field-error" id="current-password-error">The current password is wrong/);
      expect(wrong.text).toContain('aria-invalid="true"');
      expect(wrong.text).not.toContain(own);
      expect(wrong.text).not.toContain('not-the-password');
      expect(await userRow(id)).toMatchObject({ failed_logins: 1, password_change_required: true });
      const { rows } = await db.query(`SELECT actor_id, detail FROM audit_event WHERE action = 'user.password_change_failed' AND target_id = $1`, [id]);
      expect(rows).toEqual([{ actor_id: id, detail: { reason: 'wrong password', locked: false } }]);

      const short = await postForm('/me/password', token, { _csrf: csrf, current: initial, new: 'too-short', confirm: 'too-short' });
      expect(short.status).toBe(400);
      expect(short.text).toMatch(/id="new-password-error">The new password must have 12 to 1024 characters/);
      expect(short.text).not.toContain(initial);
      const same = await postForm('/me/password', token, { _csrf: csrf, current: initial, new: initial, confirm: initial });
      expect(same.status).toBe(400);
      expect(same.text).toContain('id="new-password-error"');
      const mismatch = await postForm('/me/password', token, { _csrf: csrf, current: initial, new: own, confirm: `${own}!` });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('id="confirm-password-error"');
      // Only a wrong current password costs an attempt; the form's own checks do not.
      expect(await userRow(id)).toMatchObject({ failed_logins: 1, password_change_required: true });
      // Without the CSRF token a cookie session's form is refused.
      expect((await postForm('/me/password', token, { current: initial, new: own, confirm: own })).status).toBe(403);
    });

    it('changes it: the flag is cleared, the other session ends, this one goes on to its pages, audited', async () => {
      const before = (await userRow(id)).password_hash;
      const changed = await postForm('/me/password', token, { _csrf: await csrfOf(token), current: initial, new: own, confirm: own });
      expect(changed.status).toBe(303);
      expect(changed.headers.location).toBe('/?account=password-changed');
      const row = await userRow(id);
      expect(row).toMatchObject({ password_change_required: false, failed_logins: 0, locked_until: null });
      expect(row.password_hash).not.toBe(before);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);

      const home = await get(changed.headers.location as string, token);
      expect(home.status).toBe(303);
      expect(home.headers.location).toBe('/queues?account=password-changed');
      const queues = await get(home.headers.location as string, token);
      expect(queues.status).toBe(200);
      expect(queues.text).toContain('Your password was changed.');
      expect(queues.text).toContain('href="/queues"');
      expect((await get('/api/v1/queues', token)).status).toBe(200);
      expect((await request(server()).get('/api/v1/auth/me').set('authorization', bearer)).status).toBe(401);

      const { rows } = await db.query(`SELECT actor_id, actor_role, detail FROM audit_event WHERE action = 'user.password_changed' AND target_id = $1`, [id]);
      expect(rows).toEqual([{ actor_id: id, actor_role: 'analyst', detail: { wasRequired: true, sessionsRevoked: 1 } }]);
      const text = JSON.stringify((await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 OR target_id = $2`, [id, id])).rows);
      expect(text).not.toContain(own);
      expect(text).not.toContain(initial);

      // The admin's password no longer signs in; the user's own does (a wrong code: the refusal says how far it got).
      for (const password of [initial, own]) {
        expect((await request(server()).post('/api/v1/auth/login').send({ email, password, totp: 'none' })).status).toBe(401);
      }
      const refusals = await db.query(
        `SELECT detail->>'reason' AS reason FROM audit_event WHERE action = 'auth.login_failed' AND target_id = $1 ORDER BY seq DESC LIMIT 2`,
        [id],
      );
      expect(refusals.rows.map((r) => r.reason)).toEqual(['wrong or reused code', 'wrong password']);
    });
  });

  it('lets a user who must change the password sign out, and ends a session the browser still carried when it enrols', async () => {
    const email = `signs-out-${tag}@hotline.test`;
    const password = `initial-${randomBytes(8).toString('hex')}`;
    await consoleApp.get(StaffDirectory).create({ email, role: 'senior_analyst', password }, { id: null, role: 'cli' }, 'qr-code');
    // The browser still carries someone else's session (signed in before, never signed out).
    const before = await signIn(consoleApp, 'analyst', { label: 'left-signed-in' });
    const { token } = await enrol(email, password, before.token);
    expect(await alive(before.token)).toBe(false);
    const { rows } = await db.query(`SELECT actor_id, detail FROM audit_event WHERE action = 'auth.logout' AND actor_id = $1`, [before.id]);
    expect(rows).toEqual([{ actor_id: before.id, detail: { reason: 'signed in again' } }]);

    expect(await alive(token)).toBe(true);
    const out = await postForm('/logout', token, { _csrf: await csrfOf(token) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login?out');
    expect(await alive(token)).toBe(false);
  });

  it('holds an administrator who must change the password outside the queue dashboard too', async () => {
    const email = `board-${tag}@hotline.test`;
    const password = `initial-${randomBytes(8).toString('hex')}`;
    await consoleApp.get(StaffDirectory).create({ email, role: 'admin', password }, { id: null, role: 'cli' }, 'qr-code');
    const { token } = await enrol(email, password);
    const board = await get('/admin/queues', token).set('accept', 'text/html');
    expect(board.status).toBe(303);
    expect(board.headers.location).toBe('/me/password');
    const api = await get('/admin/queues/api/queues', token);
    expect(api.status).toBe(403);
    expect(api.body.type).toBe('/problems/password-change-required');
  });

  it('ends the session a browser still carries when it signs in again with the sign-in form', async () => {
    const user = await signIn(consoleApp, 'analyst', { label: 'signs-in-again' });
    const failed = await request(server())
      .post('/login')
      .set('cookie', cookie(user.token))
      .type('form')
      .send({ email: user.email, password: 'wrong password', totp: '000000' });
    expect(failed.status).toBe(401);
    // A refused sign-in leaves the session as it was.
    expect(await alive(user.token)).toBe(true);
    const again = await request(server())
      .post('/login')
      .set('cookie', cookie(user.token))
      .type('form')
      .send({ email: user.email, password: user.password, totp: totpCode(user.totpSecret, Date.now() + 30_000), next: '/queues' });
    expect(again.status).toBe(303);
    const fresh = tokenOf(again);
    expect(fresh).not.toBe(user.token);
    expect(await alive(user.token)).toBe(false);
    expect(await alive(fresh)).toBe(true);
    const { rows } = await db.query(`SELECT revoked_reason FROM staff_session WHERE staff_user_id = $1 AND revoked_at IS NOT NULL`, [user.id]);
    expect(rows).toEqual([{ revoked_reason: 'signed in again' }]);
  });

  it('is open to every signed-in user at any time, from the header; wrong current passwords lock the account like failed logins', async () => {
    const user = await signIn(consoleApp, 'senior_analyst', { label: 'locks-out' });
    const page = await request(server()).get('/me/password').set('authorization', user.bearer);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Your administrator chose');
    expect(page.text).toContain('href="/queues"');
    const queues = await request(server()).get('/queues').set('authorization', user.bearer);
    expect(queues.text).toMatch(/<a href="\/me\/password"[^>]*>Change password<\/a>/);

    const next = `a brand new phrase ${tag}`;
    const attempt = (current: string) =>
      request(server()).post('/me/password').set('authorization', user.bearer).type('form').send({ current, new: next, confirm: next });
    for (let i = 1; i < 5; i++) expect((await attempt(`guess ${i}`)).text).toContain('The current password is wrong');
    const locked = await attempt('guess 5');
    expect(locked.status).toBe(400);
    expect(locked.text).toContain('Too many wrong passwords in a row');
    // While locked, even the right password is not checked, and signing in is refused too.
    expect((await attempt(user.password)).text).toContain('Too many wrong passwords in a row');
    const row = await userRow(user.id);
    expect(row.failed_logins).toBe(5);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());
    const login = await request(server())
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password, totp: totpCode(user.totpSecret, Date.now() + 30_000) });
    expect(login.status).toBe(401);
    const { rows } = await db.query(`SELECT detail FROM audit_event WHERE action = 'user.password_change_failed' AND target_id = $1 ORDER BY seq`, [user.id]);
    expect(rows.map((r) => r.detail)).toEqual([
      ...[1, 2, 3, 4].map(() => ({ reason: 'wrong password', locked: false })),
      { reason: 'wrong password', locked: true },
      { reason: 'locked', locked: false },
    ]);
    // An empty JSON body (as route-access sends) is bad input, not an attempt.
    expect((await request(server()).post('/me/password').set('authorization', user.bearer).send({})).status).toBe(400);
  });

  it('refuses a second user of one email created at the same moment with the directory’s error, not a 500', async () => {
    const email = `raced-${tag}@hotline.test`;
    // Another admin's insert of the same email, not yet committed: the directory's check sees nothing.
    const other = await connectDatabase();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO staff_user (id, email, role, password_hash, totp_secret_encrypted) VALUES ($1, $2, 'analyst', 'x', $3)`, [
        randomUUID(),
        email.toUpperCase(),
        randomBytes(16),
      ]);
      const creating = consoleApp
        .get(StaffDirectory)
        .create({ email, role: 'analyst', password: `initial-${randomBytes(8).toString('hex')}` }, { id: admin.id, role: 'admin' }, 'qr-code');
      const outcome = creating.then(
        () => 'created',
        (error: unknown) => error,
      );
      // The directory's insert now waits on the unique index for the other transaction.
      let waiting = false;
      for (let tries = 0; tries < 100 && !waiting; tries++) {
        const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO staff_user%'`);
        waiting = rows.length > 0;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await other.query('COMMIT');
      expect(waiting).toBe(true);
      const error = await outcome;
      expect(error).toBeInstanceOf(StaffDirectoryError);
      expect((error as Error).message).toBe(`a user with email ${email} exists`);
    } finally {
      await other.end();
    }
  });
});
