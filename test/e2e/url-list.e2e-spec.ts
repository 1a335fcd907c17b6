import { apiKeyRepository, type ApiKeyScope, caseRepository, dbNow } from '@hotline/persistence';
import { newApiKey, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { SESSION_COOKIE } from '../../apps/console-api/src/console-web/session-cookie';
import { forceCaseStatus, recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const URL_ROUTES = ['/api/v1/url-list', '/api/v1/url-list.csv'];
const HASH_ROUTES = ['/api/v1/url-list/hashes', '/api/v1/url-list/hashes.csv'];

/** RFC 4180 as the list writes it (quoted fields may hold commas and doubled quotes, never line breaks here). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, field]) => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field)));
}

/**
 * The confirmed-URL list through console-api, on a database of its own (so "the list" is exactly
 * the cases made here): full and delta downloads agree with the cases after confirmations and
 * removals, a late commit is never missed by a delta, a hashes key never receives a URL, keys
 * and only keys of the right scope get in, and every download is audited.
 */
describe('confirmed-URL list', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let consoleApp: NestFastifyApplication;
  let db: DataSource;
  let admin: SignedInStaff;
  const keys: Record<string, { id: string; bearer: string }> = {};
  const cases: Record<string, { id: string; url: string }> = {};

  const server = () => consoleApp.getHttpServer();
  const get = (path: string, bearer?: string) => {
    const call = request(server()).get(path);
    return bearer ? call.set('Authorization', bearer) : call;
  };

  async function makeKey(name: string, scopes: ApiKeyScope[]): Promise<{ id: string; bearer: string }> {
    const made = newApiKey();
    const id = uuidv7();
    await apiKeyRepository.create(db, { id, name: `${name}-${tag}`, prefix: made.prefix, secretHash: made.secretHash, scopes, dailyQuota: null, createdBy: admin.id });
    return { id, bearer: `Bearer ${made.key}` };
  }

  /** A case in review (or, with `confirmed`, inserted confirmed: the insert trigger lists it at once). */
  async function makeCase(name: string, status: 'queued' | 'confirmed' = 'queued'): Promise<{ id: string; url: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.com`;
    // Commas and quotes in a URL: the CSV must quote them.
    const url = `http://${host}/gallery/${name}?a=1,2&q="x"`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queue, queued_at, report_count, first_reported_at, last_reported_at, verdict)
       VALUES ($1, $2, $3, $4, $4, $5, $6, now(), 1, now(), now(), $7)`,
      [id, randomBytes(32).toString('hex'), url, host, status, status === 'queued' ? `url-list-${tag}` : null, status === 'confirmed' ? 'baseline' : null],
    );
    await recordFixtureCreated(db, id);
    cases[name] = { id, url };
    return cases[name];
  }

  const confirm = (name: string) => forceCaseStatus(db, cases[name].id, 'confirmed', `verdict = 'baseline', queue = NULL, queued_at = NULL`);
  const action = (name: string) => caseRepository.transition(db, { caseId: cases[name].id, from: 'confirmed', to: 'actioned', detail: { test: 'url-list' } });
  /** Content seen gone: (confirmed ->) actioned -> removed, each step with its event. */
  const remove = (name: string, from: 'confirmed' | 'actioned') =>
    caseRepository.transitionPath(
      db,
      cases[name].id,
      from,
      from === 'confirmed' ? ['actioned', 'removed'] : ['removed'],
      { test: 'url-list' },
      { set: { removed_at: dbNow() } },
    );

  async function listedUrlsInDatabase(): Promise<string[]> {
    const rows: { canonical_url: string }[] = await db.query(`SELECT canonical_url FROM "case" WHERE status IN ('confirmed', 'actioned') ORDER BY 1`);
    return rows.map((row) => row.canonical_url);
  }

  async function fullUrls(): Promise<{ version: number; urls: string[]; body: any }> {
    const response = await get('/api/v1/url-list', keys.urls.bearer).expect(200);
    return { version: response.body.version, urls: response.body.entries.map((entry: any) => entry.url).sort(), body: response.body };
  }

  async function downloads(keyId: string): Promise<{ action: string; detail: any }[]> {
    return db.query(`SELECT action, detail FROM audit_event WHERE actor_role = 'api_key' AND actor_id = $1 ORDER BY seq`, [keyId]);
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase('url_list');
    consoleApp = await createConsoleApp(testConfig({ DATABASE_URL: scratch.url, REDIS_PREFIX: `{hotline-url-list-${tag}}` }));
    db = consoleApp.get(DataSource);
    admin = await signIn(consoleApp, 'admin', { label: 'url-list-admin' });
    keys.urls = await makeKey('filter-vendor', ['url_list']);
    keys.hashes = await makeKey('isp-hashes', ['url_list_hashes']);
    keys.bulk = await makeKey('crawler', ['bulk_reports']);
    keys.revoked = await makeKey('former-subscriber', ['url_list', 'url_list_hashes']);
    await apiKeyRepository.revoke(db, keys.revoked.id, admin.id);
  });

  afterAll(async () => {
    await consoleApp?.close();
    await scratch?.drop();
  });

  let firstVersion = 0;
  let firstFull: { urls: string[]; hashes: string[] };

  it('gives exactly the confirmed and actioned cases, with the SHA-256 of each canonical URL, uncached, versioned', async () => {
    await makeCase('alpha', 'confirmed');
    for (const name of ['bravo', 'charlie', 'delta', 'echo', 'foxtrot']) await makeCase(name);
    for (const name of ['bravo', 'charlie', 'delta']) await confirm(name);
    await action('delta');
    // foxtrot was confirmed and is gone again before anyone downloaded: never on a full list.
    await confirm('foxtrot');
    await remove('foxtrot', 'confirmed');

    const response = await get('/api/v1/url-list', keys.urls.bearer).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.etag).toBe(`"${response.body.version}"`);
    expect(response.headers['x-url-list-version']).toBe(String(response.body.version));
    const body = response.body;
    expect(body.version).toBeGreaterThan(0);
    expect(new Date(body.generatedAt).getTime()).not.toBeNaN();
    const expected = ['alpha', 'bravo', 'charlie', 'delta'].map((name) => cases[name].url).sort();
    expect(body.entries.map((entry: any) => entry.url).sort()).toEqual(expected);
    expect(await listedUrlsInDatabase()).toEqual(expected);
    expect(body.count).toBe(4);
    for (const entry of body.entries) {
      expect(Object.keys(entry).sort()).toEqual(['listedAt', 'sha256', 'url']);
      expect(entry.sha256).toBe(sha256(entry.url));
      expect(new Date(entry.listedAt).toISOString()).toBe(entry.listedAt);
    }

    const csv = await get('/api/v1/url-list.csv', keys.urls.bearer).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.headers.etag).toBe(`"${body.version}"`);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['url', 'sha256', 'listed_at']);
    expect(rows.map(([url]) => url).sort()).toEqual(expected);
    for (const [url, hash, listedAt] of rows) {
      expect(hash).toBe(sha256(url));
      expect(body.entries.find((entry: any) => entry.url === url).listedAt).toBe(listedAt);
    }

    firstVersion = body.version;
    firstFull = { urls: expected, hashes: expected.map(sha256).sort() };
  });

  it('gives the changes since a version, and the old list with them applied is the new list', async () => {
    await remove('delta', 'actioned'); // leaves
    await action('bravo'); // confirmed -> actioned: still listed, no change
    await confirm('echo'); // joins
    await makeCase('golf', 'confirmed'); // joins on insert
    await makeCase('hotel', 'confirmed'); // joins and leaves after the old version: a removal the subscriber applies as a no-op
    await remove('hotel', 'confirmed');

    const response = await get(`/api/v1/url-list?since=${firstVersion}`, keys.urls.bearer).expect(200);
    const delta = response.body;
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.etag).toBe(`"${delta.version}"`);
    expect(delta.since).toBe(firstVersion);
    expect(delta.version).toBeGreaterThan(firstVersion);
    expect(delta.added.map((entry: any) => entry.url).sort()).toEqual([cases.echo.url, cases.golf.url].sort());
    expect(delta.removed.map((entry: any) => entry.url).sort()).toEqual([cases.delta.url, cases.hotel.url].sort());
    for (const entry of [...delta.added, ...delta.removed]) expect(entry.sha256).toBe(sha256(entry.url));
    for (const entry of delta.removed) expect(Object.keys(entry).sort()).toEqual(['removedAt', 'sha256', 'url']);

    const after = await fullUrls();
    expect(after.version).toBe(delta.version);
    const applied = new Set(firstFull.urls);
    for (const entry of delta.added) applied.add(entry.url);
    for (const entry of delta.removed) applied.delete(entry.url);
    expect([...applied].sort()).toEqual(after.urls);
    expect(after.urls).toEqual(await listedUrlsInDatabase());

    // The same delta as CSV, with its change column.
    const csv = await get(`/api/v1/url-list.csv?since=${firstVersion}`, keys.urls.bearer).expect(200);
    expect(csv.headers.etag).toBe(`"${delta.version}"`);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['change', 'url', 'sha256', 'changed_at']);
    expect(
      rows
        .filter(([change]) => change === 'added')
        .map(([, url]) => url)
        .sort(),
    ).toEqual([cases.echo.url, cases.golf.url].sort());
    expect(
      rows
        .filter(([change]) => change === 'removed')
        .map(([, url]) => url)
        .sort(),
    ).toEqual([cases.delta.url, cases.hotel.url].sort());
    expect(rows.every(([change]) => change === 'added' || change === 'removed')).toBe(true);

    // Nothing changed since the latest version; a version from the future is refused.
    const none = await get(`/api/v1/url-list?since=${delta.version}`, keys.urls.bearer).expect(200);
    expect(none.body).toMatchObject({ version: delta.version, since: delta.version, added: [], removed: [] });
    expect(parseCsv((await get(`/api/v1/url-list.csv?since=${delta.version}`, keys.urls.bearer).expect(200)).text)).toEqual([['change', 'url', 'sha256', 'changed_at']]);
  });

  it('never misses a change that commits after a later version was handed out', async () => {
    const late = await makeCase('india');
    const before = await fullUrls();
    // A confirmation whose transaction is still open while a subscriber downloads.
    const slow = new Client({ connectionString: scratch.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await forceCaseStatus(slow, late.id, 'confirmed', `verdict = 'baseline', queue = NULL, queued_at = NULL`);
      await makeCase('juliet', 'confirmed'); // commits at once, after india's change was noted
      const during = await get(`/api/v1/url-list?since=${before.version}`, keys.urls.bearer).expect(200);
      expect(during.body.added.map((entry: any) => entry.url)).toEqual([cases.juliet.url]);
      await slow.query('COMMIT');
      const next = await get(`/api/v1/url-list?since=${during.body.version}`, keys.urls.bearer).expect(200);
      expect(next.body.version).toBeGreaterThan(during.body.version);
      expect(next.body.added.map((entry: any) => entry.url)).toEqual([late.url]);
      expect(next.body.removed).toEqual([]);
    } finally {
      await slow.end();
    }
    expect((await fullUrls()).urls).toEqual(await listedUrlsInDatabase());
  });

  it('gives a hashes key the SHA-256 list and deltas, and never a URL', async () => {
    const urls = await listedUrlsInDatabase();
    const hosts = Object.values(cases).map((c) => new URL(c.url).host);
    const noUrlIn = (text: string) => {
      for (const host of hosts) expect(text).not.toContain(host);
      expect(text).not.toContain('http');
    };

    const full = await get('/api/v1/url-list/hashes', keys.hashes.bearer).expect(200);
    expect(full.headers['cache-control']).toBe('no-store');
    expect(full.headers.etag).toBe(`"${full.body.version}"`);
    expect(full.body.count).toBe(urls.length);
    expect(full.body.entries.map((entry: any) => entry.sha256).sort()).toEqual(urls.map(sha256).sort());
    for (const entry of full.body.entries) expect(Object.keys(entry).sort()).toEqual(['listedAt', 'sha256']);
    noUrlIn(full.text);

    const csv = await get('/api/v1/url-list/hashes.csv', keys.hashes.bearer).expect(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['sha256', 'listed_at']);
    expect(rows.map(([hash]) => hash).sort()).toEqual(urls.map(sha256).sort());
    noUrlIn(csv.text);

    const delta = await get(`/api/v1/url-list/hashes?since=${firstVersion}`, keys.hashes.bearer).expect(200);
    const applied = new Set(firstFull.hashes);
    for (const entry of delta.body.added) applied.add(entry.sha256);
    for (const entry of delta.body.removed) applied.delete(entry.sha256);
    expect([...applied].sort()).toEqual(urls.map(sha256).sort());
    for (const entry of [...delta.body.added, ...delta.body.removed]) expect(entry.url).toBeUndefined();
    noUrlIn(delta.text);
    const deltaCsv = await get(`/api/v1/url-list/hashes.csv?since=${firstVersion}`, keys.hashes.bearer).expect(200);
    expect(parseCsv(deltaCsv.text)[0]).toEqual(['change', 'sha256', 'changed_at']);
    noUrlIn(deltaCsv.text);

    // The URL formats are refused to it, delta or full, and the refusal says nothing of the list.
    for (const path of [...URL_ROUTES, ...URL_ROUTES.map((route) => `${route}?since=${firstVersion}`)]) {
      const refused = await get(path, keys.hashes.bearer).expect(403);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      noUrlIn(refused.text);
    }

    // A URL key may fetch the hashes too (it holds the URLs anyway).
    expect((await get('/api/v1/url-list/hashes', keys.urls.bearer).expect(200)).body.count).toBe(urls.length);
  });

  it('lets in only a live API key of the right scope: no staff token or cookie, and no key on staff routes', async () => {
    const unknown = `Bearer ${newApiKey().key}`;
    for (const path of [...URL_ROUTES, ...HASH_ROUTES]) {
      for (const bearer of [undefined, unknown, keys.revoked.bearer, admin.bearer, 'Bearer hlk_short', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
        const response = await get(path, bearer);
        expect({ path, bearer, status: response.status }).toEqual({ path, bearer, status: 401 });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      // The console's session cookie is no key either.
      await request(server()).get(path).set('Cookie', `${SESSION_COOKIE}=${admin.token}`).expect(401);
      // A key without a list scope.
      await get(path, keys.bulk.bearer).expect(403);
    }
    // A key is nothing to the staff routes.
    await get('/api/v1/cases', keys.urls.bearer).expect(401);
    await get('/api/v1/auth/me', keys.urls.bearer).expect(401);
    // The key's refusal is audited under the key.
    expect((await downloads(keys.bulk.id)).map((row) => row.action)).toEqual(Array(4).fill('access.denied'));
  });

  it('answers a since that is not a version it handed out with a translated 400', async () => {
    const { version } = await fullUrls();
    for (const since of ['abc', '-1', '1.5', '1e3', '', `${version + 1000}`, '9'.repeat(16)]) {
      const response = await get(`/api/v1/url-list.csv?since=${encodeURIComponent(since)}`, keys.urls.bearer).set('Accept-Language', 'fr');
      expect({ since, status: response.status }).toEqual({ since, status: 400 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual([{ field: 'since', message: expect.any(String) }]);
      expect(response.body.errors[0].message).not.toBe('This value is not valid.');
    }
  });

  it('audits every download under the key, with its format, version and count, and notes when the key was used', async () => {
    const before = (await downloads(keys.hashes.id)).length;
    const full = await get('/api/v1/url-list/hashes.csv', keys.hashes.bearer).expect(200);
    const delta = await get(`/api/v1/url-list/hashes?since=${firstVersion}`, keys.hashes.bearer).expect(200);
    const rows = (await downloads(keys.hashes.id)).slice(before);
    const version = Number(full.headers['x-url-list-version']);
    expect(rows).toEqual([
      { action: 'url_list.download', detail: { list: 'hashes', format: 'csv', version, count: parseCsv(full.text).length - 1 } },
      {
        action: 'url_list.download',
        detail: {
          list: 'hashes',
          format: 'json',
          since: firstVersion,
          version: delta.body.version,
          count: delta.body.added.length + delta.body.removed.length,
          added: delta.body.added.length,
          removed: delta.body.removed.length,
        },
      },
    ]);
    // Every answer so far left an event: downloads of the URL key in the tests above, refusals of the hashes key included.
    const urlKeyEvents = await downloads(keys.urls.id);
    expect(urlKeyEvents.length).toBeGreaterThanOrEqual(10);
    expect(urlKeyEvents.every((row) => row.action === 'url_list.download' && typeof row.detail.version === 'number')).toBe(true);
    expect((await downloads(keys.hashes.id)).filter((row) => row.action === 'access.denied')).toHaveLength(4);
    const [audited]: { actor_role: string; target_type: string; target_id: string }[] = await db.query(
      `SELECT actor_role, target_type, target_id FROM audit_event WHERE actor_id = $1 AND action = 'url_list.download' LIMIT 1`,
      [keys.urls.id],
    );
    expect(audited).toEqual({ actor_role: 'api_key', target_type: 'api_key', target_id: keys.urls.id });
    const [used] = await db.query(`SELECT last_used_at FROM api_key WHERE id = $1`, [keys.hashes.id]);
    expect(used.last_used_at).toBeInstanceOf(Date);
    const [never] = await db.query(`SELECT last_used_at FROM api_key WHERE id = $1`, [keys.revoked.id]);
    expect(never.last_used_at).toBeNull();
  });
});
