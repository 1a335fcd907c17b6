import { totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src/data-source';
import { testConfig, testEnv } from '../support/config';
import { ensureBuilt, ROOT } from '../support/processes';
import { SignedInStaff, signIn } from '../support/staff';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The tamper-evident audit log, through the API (GET /api/v1/audit, /verify) and the CLI
 * (audit:verify, user:*). Tampering breaks the chain for everyone after, so this file works in a
 * database of its own, made and migrated here and dropped afterwards.
 */
describe('audit log', () => {
  const tag = randomBytes(4).toString('hex');
  const database = `${process.env.HOTLINE_TEST_DATABASE}_audit_${tag}`;
  const databaseUrl = (() => {
    const url = new URL(process.env.HOTLINE_TEST_ADMIN_URL!);
    url.pathname = `/${database}`;
    return url.toString();
  })();
  const env = testEnv({ DATABASE_URL: databaseUrl });
  let admin: Client;
  let db: Client;
  let consoleApp: NestFastifyApplication;
  let regulator: SignedInStaff;
  let adminUser: SignedInStaff;

  function cli(args: string[], stdin = ''): Promise<CliResult> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(stdin);
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  const api = (path: string, staff: SignedInStaff) => request(consoleApp.getHttpServer()).get(path).set('Authorization', staff.bearer);

  beforeAll(async () => {
    ensureBuilt();
    admin = new Client({ connectionString: process.env.HOTLINE_TEST_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const dataSource = await new DataSource(dataSourceOptions({ databaseUrl, databasePoolSize: 2 })).initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    consoleApp = await createConsoleApp(testConfig({ DATABASE_URL: databaseUrl }));
    regulator = await signIn(consoleApp, 'regulator');
    adminUser = await signIn(consoleApp, 'admin');
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });

  describe('user commands', () => {
    const email = `cli-${tag}@hotline.test`;
    const password = `cli-password-${tag}`;
    let created: { id: string; email: string; role: string; totpSecret: string };

    it('user:create takes the password on stdin and prints the user and its TOTP secret, which then signs in', async () => {
      const result = await cli(['user:create', '--email', email, '--role', 'analyst', '--password-stdin', '--json'], `${password}\n`);
      expect(result.code).toBe(0);
      created = JSON.parse(result.stdout);
      expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email, role: 'analyst', totpSecret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
      expect(result.stderr).toContain(`otpauth://totp/`);
      const login = await request(consoleApp.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email, password, totp: totpCode(created.totpSecret) });
      expect(login.status).toBe(200);
      const [event] = (await db.query(`SELECT actor_id, actor_role FROM audit_event WHERE action = 'user.created' AND target_id = $1`, [created.id])).rows;
      expect(event).toEqual({ actor_id: null, actor_role: 'cli' });
    });

    it('user:create --totp qr prints no secret: the user enrols from the QR code at their first sign-in, and the API refuses them until then', async () => {
      const qrEmail = `qr-${email}`;
      const result = await cli(['user:create', '--email', qrEmail, '--role', 'admin', '--password-stdin', '--totp', 'qr', '--json'], `${password}\n`);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ id: expect.any(String), email: qrEmail, role: 'admin', totpEnrolment: 'qr-code' });
      expect(result.stdout + result.stderr).not.toMatch(/[A-Z2-7]{32}|otpauth:/);
      const api = await request(consoleApp.getHttpServer()).post('/api/v1/auth/login').send({ email: qrEmail, password, totp: '000000' });
      expect(api.status).toBe(401);
      const page = await request(consoleApp.getHttpServer()).post('/login').type('form').send({ email: qrEmail, password, totp: '' });
      expect(page.status).toBe(200);
      expect(page.text).toContain('<svg');
      const read = (text: string) => ({
        ticket: /name="ticket" value="([^"]+)"/.exec(text)![1]!,
        secret: /id="totp-secret">([A-Z2-7 ]+)</.exec(text)![1]!.replace(/ /g, ''),
      });
      // Someone else who knows the password sees a QR code too: the user's own sign-in shows a new
      // secret, and the one seen before (with its ticket) is worth nothing.
      const peeked = read(page.text);
      const again = await request(consoleApp.getHttpServer()).post('/login').type('form').send({ email: qrEmail, password, totp: '' });
      const { ticket, secret } = read(again.text);
      expect(secret).not.toBe(peeked.secret);
      const stale = await request(consoleApp.getHttpServer())
        .post('/enrol')
        .type('form')
        .send({ ticket: peeked.ticket, code: totpCode(peeked.secret), next: '/' });
      expect(stale.status).toBe(401);
      expect(stale.headers['set-cookie']).toBeUndefined();
      const enrolled = await request(consoleApp.getHttpServer())
        .post('/enrol')
        .type('form')
        .send({ ticket, code: totpCode(secret), next: '/' });
      expect(enrolled.status).toBe(303);
      expect(enrolled.headers['set-cookie']?.[0]).toMatch(/^hotline_console=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict$/);
      // The admin chose its password: the new user chooses their own before anything else.
      expect(enrolled.headers.location).toBe('/');
      const required = await db.query(`SELECT email, password_change_required FROM staff_user WHERE lower(email) IN (lower($1), lower($2)) ORDER BY email`, [
        email,
        qrEmail,
      ]);
      expect(required.rows).toEqual([
        { email, password_change_required: false },
        { email: qrEmail, password_change_required: true },
      ]);
      const events = (
        await db.query(`SELECT action, actor_role FROM audit_event WHERE target_id = $1 AND action LIKE 'auth.%' ORDER BY seq`, [JSON.parse(result.stdout).id])
      ).rows;
      // The API's refusal first (its second factor is not enrolled), then each QR code shown.
      expect(events).toEqual([
        { action: 'auth.login_failed', actor_role: null },
        { action: 'auth.enrolment_shown', actor_role: null },
        { action: 'auth.enrolment_shown', actor_role: null },
        { action: 'auth.totp_enrolled', actor_role: 'admin' },
      ]);
    });

    it('refuses bad input with a message and exit 2', async () => {
      for (const args of [
        ['user:create', '--email', email, '--role', 'analyst', '--password-stdin'], // taken
        ['user:create', '--email', `x-${email}`, '--role', 'wizard', '--password-stdin'],
        ['user:create', '--email', `y-${email}`, '--role', 'le_liaison', '--password-stdin'], // no agency
        ['user:create', '--email', `z-${email}`, '--role', 'analyst'], // no --password-stdin
        ['user:create', '--email', 'not-an-email', '--role', 'analyst', '--password-stdin'],
        ['user:disable', `nobody-${email}`],
        ['user:set-role', created.id, '--role', 'wizard'],
        ['user:create', '--email', `t-${email}`, '--role', 'analyst', '--password-stdin', '--totp', 'sms'],
      ]) {
        const result = await cli(args, `${password}\n`);
        expect({ args, code: result.code }).toEqual({ args, code: 2 });
        expect(result.stderr).not.toBe('');
      }
      const short = await cli(['user:create', '--email', `s-${email}`, '--role', 'analyst', '--password-stdin'], 'short\n');
      expect(short.code).toBe(2);
      expect(short.stderr).toContain('at least');
    });

    it('user:reset-totp, user:set-role and user:disable end the sessions and are audited', async () => {
      const reset = await cli(['user:reset-totp', email]);
      expect(reset.code).toBe(0);
      const secret = /([A-Z2-7]{32})/.exec(reset.stdout)![1];
      expect(secret).not.toBe(created.totpSecret);
      const login = await request(consoleApp.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email, password, totp: totpCode(secret) });
      expect(login.status).toBe(200);
      const me = () => request(consoleApp.getHttpServer()).get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`);
      expect((await me()).status).toBe(200);

      const setRole = await cli(['user:set-role', created.id, '--role', 'le_liaison', '--agency', 'National Police']);
      expect(setRole).toMatchObject({ code: 0, stderr: '' });
      expect((await me()).status).toBe(401);
      const disable = await cli(['user:disable', email]);
      expect(disable).toMatchObject({ code: 0, stderr: '' });
      const [user] = (await db.query(`SELECT role, agency, disabled_at FROM staff_user WHERE id = $1`, [created.id])).rows;
      expect(user).toMatchObject({ role: 'le_liaison', agency: 'National Police', disabled_at: expect.any(Date) });
      const actions = (await db.query(`SELECT action, actor_role FROM audit_event WHERE target_id = $1 AND actor_role = 'cli' ORDER BY seq`, [created.id])).rows;
      expect(actions.map((row) => row.action)).toEqual(['user.created', 'user.totp_reset', 'user.role_changed', 'user.disabled']);
    });
  });

  describe('the log through the API', () => {
    it('lists events newest first, in pages, filtered, for admins and regulators', async () => {
      const first = await api('/api/v1/audit?limit=2', adminUser);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0].seq).toBeGreaterThan(first.body.items[1].seq);
      expect(first.body.nextBefore).toBe(first.body.items[1].seq);
      const next = await api(`/api/v1/audit?limit=2&before=${first.body.nextBefore}`, regulator);
      expect(next.status).toBe(200);
      expect(next.body.items[0].seq).toBe(first.body.nextBefore - 1);

      const logins = await api(`/api/v1/audit?action=auth.login&actorId=${regulator.id}`, regulator);
      expect(logins.status).toBe(200);
      expect(logins.body.items).toEqual([
        expect.objectContaining({
          action: 'auth.login',
          actorId: regulator.id,
          actorRole: 'regulator',
          targetType: 'staff_session',
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
      expect(logins.body.nextBefore).toBeNull();
    });

    it('refuses bad query parameters with field errors', async () => {
      const response = await api('/api/v1/audit?limit=0&before=abc&actorId=nope', adminUser);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.type).toBe('/problems/invalid-request');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['limit', 'before', 'actorId']);
    });
  });

  describe('tampering', () => {
    it('is refused by the database, and a change with the triggers bypassed is named by both API and CLI', async () => {
      const before = await api('/api/v1/audit/verify', regulator);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ ok: true, events: expect.any(Number) });
      expect(before.body.events).toBeGreaterThan(5);
      const verified = await cli(['audit:verify']);
      const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM audit_event`)).rows;
      expect(verified).toEqual({ code: 0, stdout: `ok ${count} events\n`, stderr: '' });

      const [{ seq }] = (await db.query(`SELECT seq::int AS seq FROM audit_event WHERE action = 'auth.login' AND actor_id = $1`, [regulator.id])).rows;
      await expect(db.query(`UPDATE audit_event SET detail = '{"forged": true}' WHERE seq = $1`, [seq])).rejects.toThrow();
      await expect(db.query(`DELETE FROM audit_event WHERE seq = $1`, [seq])).rejects.toThrow();
      await expect(db.query(`TRUNCATE audit_event`)).rejects.toThrow();

      // Someone with superuser rights goes around the triggers.
      await db.query(`SET session_replication_role = replica`);
      try {
        await db.query(`UPDATE audit_event SET detail = '{"forged": true}' WHERE seq = $1`, [seq]);
      } finally {
        await db.query(`RESET session_replication_role`);
      }

      const after = await api('/api/v1/audit/verify', adminUser);
      expect(after.status).toBe(200);
      expect(after.body).toEqual({ ok: false, events: expect.any(Number), firstBrokenSeq: seq });
      const broken = await cli(['audit:verify']);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(new RegExp(`\\bseq ${seq}\\b`));
    });

    it('is checked only for admins and regulators', async () => {
      const analyst = await signIn(consoleApp, 'analyst');
      expect((await api('/api/v1/audit/verify', analyst)).status).toBe(403);
      expect((await api('/api/v1/audit', analyst)).status).toBe(403);
      expect((await request(consoleApp.getHttpServer()).get('/api/v1/audit/verify')).status).toBe(401);
    });
  });
});
