import { apiKeyRepository } from '@hotline/persistence';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { testConfig, testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt } from '../support/processes';
import { SignedInStaff, signIn } from '../support/staff';

/**
 * Organisations' API keys as admins manage them: a key is shown once (API answer, console page,
 * CLI), never listed, stored only as its hash; revoked keys authenticate nothing; admins only;
 * audited without the key.
 */
describe('API keys (admin)', () => {
  const tag = randomBytes(4).toString('hex');
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let admin: SignedInStaff;
  let analyst: SignedInStaff;
  const server = () => consoleApp.getHttpServer();

  beforeAll(async () => {
    ensureBuilt();
    consoleApp = await createConsoleApp(testConfig());
    db = await connectDatabase();
    admin = await signIn(consoleApp, 'admin', { label: 'keys-admin' });
    analyst = await signIn(consoleApp, 'analyst', { label: 'keys-analyst' });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
  });

  it('shows a new key once, lists only its prefix, revokes it, audits without it', async () => {
    const created = await request(server())
      .post('/api/v1/api-keys')
      .set('authorization', admin.bearer)
      .send({ name: `ISP ${tag}`, scopes: ['url_list_hashes', 'bulk_reports'], dailyQuota: 500 })
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const key: string = created.body.key;
    expect(key).toMatch(/^hlk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toEqual(
      expect.objectContaining({
        name: `ISP ${tag}`,
        prefix: key.slice(4, 16),
        scopes: ['url_list_hashes', 'bulk_reports'],
        dailyQuota: 500,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    const dataSource = consoleApp.get(DataSource);
    expect((await apiKeyRepository.authenticate(dataSource, key))?.id).toBe(created.body.id);

    const listed = await request(server()).get('/api/v1/api-keys').set('authorization', admin.bearer).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(17));
    expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.body.id, prefix: created.body.prefix, lastUsedAt: expect.any(String) })]));
    expect(listed.body.every((k: object) => !('key' in k) && !('secretHash' in k))).toBe(true);
    const stored = (await db.query(`SELECT secret_hash FROM api_key WHERE id = $1`, [created.body.id])).rows[0].secret_hash;
    expect(stored).not.toContain(key.slice(17));
    const events = (await db.query(`SELECT action, detail::text AS detail FROM audit_event WHERE target_id = $1 ORDER BY seq`, [created.body.id])).rows;
    expect(events.map((e) => e.action)).toEqual(['api_key.created']);
    expect(events.every((e) => !e.detail.includes(key.slice(17)))).toBe(true);

    const revoked = await request(server()).post(`/api/v1/api-keys/${created.body.id}/revocation`).set('authorization', admin.bearer).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(await apiKeyRepository.authenticate(dataSource, key)).toBeNull();
    const again = await request(server()).post(`/api/v1/api-keys/${created.body.id}/revocation`).set('authorization', admin.bearer).expect(409);
    expect(again.body).toMatchObject({ type: '/problems/api-key-revoked' });
    await request(server()).post('/api/v1/api-keys/00000000-0000-7000-8000-000000000000/revocation').set('authorization', admin.bearer).expect(404);
  });

  it('refuses bad keys 400 and non-admins 403', async () => {
    const bad = async (body: object) => (await request(server()).post('/api/v1/api-keys').set('authorization', admin.bearer).send(body).expect(400)).body.errors;
    expect(await bad({ name: 'x', scopes: [] })).toEqual([expect.objectContaining({ field: 'scopes' })]);
    expect(await bad({ name: 'x', scopes: ['everything'] })).toEqual([expect.objectContaining({ field: 'scopes' })]);
    expect(await bad({ name: ' ', scopes: ['url_list'] })).toEqual([expect.objectContaining({ field: 'name' })]);
    expect(await bad({ name: 'x', scopes: ['url_list'], dailyQuota: 10 })).toEqual([{ field: 'dailyQuota', message: 'a daily quota applies to bulk_reports keys only' }]);
    await request(server()).get('/api/v1/api-keys').set('authorization', analyst.bearer).expect(403);
    await request(server())
      .post('/api/v1/api-keys')
      .set('authorization', analyst.bearer)
      .send({ name: 'x', scopes: ['url_list'] })
      .expect(403);
    await request(server()).get('/admin/api-keys').set('authorization', analyst.bearer).expect(403);
  });

  it('makes a key on the console page, shown once with a copy button, no-store; revokes after a confirmation', async () => {
    const form = stringify({ name: `Filter ${tag}`, scopes: ['url_list', 'url_list_hashes'], dailyQuota: '' });
    const page = await request(server()).post('/admin/api-keys').set('authorization', admin.bearer).type('form').send(form).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const key = /<code class="public-key" id="new-api-key" dir="ltr">(hlk_[^<]+)<\/code>/.exec(page.text)?.[1];
    expect(key).toMatch(/^hlk_/);
    expect(page.text).toContain('data-copy="new-api-key"');
    expect(page.text).toContain('it will not be shown again');
    const list = await request(server()).get('/admin/api-keys').set('authorization', admin.bearer).expect(200);
    expect(list.text).toContain(key!.slice(4, 16));
    expect(list.text).not.toContain(key!.slice(17));
    const id = (await db.query(`SELECT id FROM api_key WHERE prefix = $1`, [key!.slice(4, 16)])).rows[0].id;
    const unconfirmed = await request(server()).post(`/admin/api-keys/${id}/revoke`).set('authorization', admin.bearer).type('form').send('').expect(400);
    expect(unconfirmed.text).toContain('Tick the box to confirm the revocation.');
    const done = await request(server()).post(`/admin/api-keys/${id}/revoke`).set('authorization', admin.bearer).type('form').send('confirm=yes').expect(303);
    expect(done.headers.location).toBe(`/admin/api-keys?done=revoked&prefix=${key!.slice(4, 16)}#key-${id}`);
    const refused = await request(server())
      .post('/admin/api-keys')
      .set('authorization', admin.bearer)
      .type('form')
      .send(stringify({ name: 'x' }))
      .expect(400);
    expect(refused.text).toContain('Tick at least one scope.');
  });

  it('creates a key from the CLI, printed once as JSON, audited', async () => {
    const proc = await AppProcess.start('cli', testEnv(), undefined, [
      'api-key:create',
      '--name',
      `Crawler ${tag}`,
      '--scope',
      'bulk_reports',
      '--scope',
      'url_list',
      '--daily-quota',
      '2000',
      '--json',
    ]);
    let stdout = '';
    proc.child.stdout!.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => proc.child.once('close', resolve));
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toEqual({ id: expect.any(String), name: `Crawler ${tag}`, scopes: ['url_list', 'bulk_reports'], key: expect.stringMatching(/^hlk_/) });
    expect((await apiKeyRepository.authenticate(consoleApp.get(DataSource), printed.key))?.daily_quota).toBe(2000);
    expect((await db.query(`SELECT actor_role FROM audit_event WHERE action = 'api_key.created' AND target_id = $1`, [printed.id])).rows).toEqual([
      { actor_role: 'cli' },
    ]);

    const bad = await AppProcess.start('cli', testEnv(), undefined, ['api-key:create', '--name', 'x', '--scope', 'nope']);
    let stderr = '';
    bad.child.stderr!.on('data', (chunk) => (stderr += chunk));
    expect(await new Promise<number | null>((resolve) => bad.child.once('close', resolve))).toBe(2);
    expect(stderr).toContain('api-key:create: unknown scope "nope"');
  });

  it('lists keys from the CLI without key material, revokes one (audited, actor cli), refuses a second revocation and unknown ids', async () => {
    const created = await runCli(['api-key:create', '--name', `Subscriber ${tag}`, '--scope', 'url_list_hashes', '--scope', 'url_list', '--json']);
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };
    const prefix = key.slice(4, 16);
    const secret = key.slice(17);
    const dataSource = consoleApp.get(DataSource);
    expect((await apiKeyRepository.authenticate(dataSource, key))?.id).toBe(id);
    const secretHash = (await db.query(`SELECT secret_hash FROM api_key WHERE id = $1`, [id])).rows[0].secret_hash;

    const plain = await runCli(['api-key:list']);
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    const line = plain.stdout.split('\n').find((l) => l.startsWith(`${id} `));
    expect(line).toMatch(new RegExp(`^${id} ${prefix} live scopes url_list,url_list_hashes quota default created \\S+ last-used \\S+ Subscriber ${tag}$`));
    const json = await runCli(['api-key:list', '--json']);
    expect(json.code).toBe(0);
    for (const output of [plain.stdout, json.stdout]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secretHash);
      expect(output).not.toContain('hlk_');
    }
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed.find((k) => k.id === id)).toEqual({
      id,
      name: `Subscriber ${tag}`,
      prefix,
      scopes: ['url_list', 'url_list_hashes'],
      dailyQuota: null,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      revokedAt: null,
    });
    expect(listed.every((k) => Object.keys(k).sort().join() === 'createdAt,dailyQuota,id,lastUsedAt,name,prefix,revokedAt,scopes')).toBe(true);

    expect(await runCli(['api-key:revoke', id])).toEqual({ code: 0, stdout: `revoked ${id} Subscriber ${tag}\n`, stderr: '' });
    expect(await apiKeyRepository.authenticate(dataSource, key)).toBeNull();
    const events = (await db.query(`SELECT action, actor_role, detail::text AS detail FROM audit_event WHERE target_id = $1 ORDER BY seq`, [id])).rows;
    expect(events.map((e) => [e.action, e.actor_role])).toEqual([
      ['api_key.created', 'cli'],
      ['api_key.revoked', 'cli'],
    ]);
    expect(events.every((e) => !e.detail.includes(secret))).toBe(true);
    const afterRevoke = JSON.parse((await runCli(['api-key:list', '--json'])).stdout) as Record<string, unknown>[];
    expect(afterRevoke.find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));
    expect((await runCli(['api-key:list'])).stdout).toMatch(new RegExp(`^${id} ${prefix} revoked \\S+ scopes `, 'm'));

    expect(await runCli(['api-key:revoke', id])).toEqual({ code: 2, stdout: '', stderr: `api-key:revoke: the key ${prefix} was revoked already\n` });
    expect(await runCli(['api-key:revoke', '00000000-0000-7000-8000-000000000000'])).toEqual({ code: 2, stdout: '', stderr: 'api-key:revoke: no such API key\n' });
    expect(await runCli(['api-key:revoke', 'not-a-key'])).toEqual({ code: 2, stdout: '', stderr: 'api-key:revoke: no such API key\n' });
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'api_key.revoked' AND target_id = $1`, [id])).rows[0].n).toBe(1);
  });
});

/** Runs the built CLI to its end: exit code and everything it printed. */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = await AppProcess.start('cli', testEnv(), undefined, args);
  let stdout = '';
  let stderr = '';
  proc.child.stdout!.on('data', (chunk) => (stdout += chunk));
  proc.child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => proc.child.once('close', resolve));
  return { code, stdout, stderr };
}
