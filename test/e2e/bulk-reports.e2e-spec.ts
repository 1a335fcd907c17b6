import { dedupKey, secondsUntilQuotaResets } from '@hotline/domain';
import { ApiKeyRepository, ApiKeyScope } from '@hotline/persistence';
import { newApiKey, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { importKnownHashes } from '../../apps/cli/src/commands/known-hashes-import';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const PATH = '/api/v1/bulk-reports';
const url = (name: string, i: number | string) => `https://${name}-${tag}.example.com/item/${i}`;
const digest = (algorithm: 'sha256' | 'md5', text: string) => createHash(algorithm).update(`${tag}:${text}`).digest('hex');

/**
 * Trusted-source batches end to end: intake files them (API key, idempotency, quota, known
 * hashes), the worker relays and triages them, and cases whose file hash was known are settled
 * as confirmed without anyone viewing them.
 */
describe('bulk reports', () => {
  const prefix = `{hotline-bulk-${tag}}`;
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let db: Client;
  let dir: string;
  const keys: Record<'bulk' | 'listOnly' | 'small' | 'revoked', string> = { bulk: '', listOnly: '', small: '', revoked: '' };
  const keyIds: Record<string, string> = {};

  const http = () => request(intake.getHttpServer());
  const send = (key: string, body: unknown) =>
    http()
      .post(PATH)
      .set('authorization', `Bearer ${key}`)
      .send(body as object);

  async function createKey(name: keyof typeof keys, scopes: ApiKeyScope[], dailyQuota: number | null = null): Promise<void> {
    const key = newApiKey();
    const id = uuidv7();
    await new ApiKeyRepository().create(intake.get(DataSource), {
      id,
      name: `${name}-${tag}`,
      prefix: key.prefix,
      secretHash: key.secretHash,
      scopes,
      dailyQuota,
      createdBy: null,
    });
    keys[name] = key.key;
    keyIds[name] = id;
  }

  async function caseOf(address: string, ready: (row: Record<string, any>) => boolean = () => true): Promise<Record<string, any>> {
    return waitFor(
      async () => {
        const { rows } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [dedupKey(address)]);
        return rows[0] && ready(rows[0]) ? rows[0] : undefined;
      },
      { what: `the case of ${address}` },
    );
  }

  beforeAll(async () => {
    const overrides = { REDIS_PREFIX: prefix, OUTBOX_POLL_MS: '20', NODE_ENV: 'test' };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    db = await connectDatabase();
    dir = mkdtempSync(join(tmpdir(), 'bulk-'));
    await createKey('bulk', ['bulk_reports']);
    await createKey('listOnly', ['url_list', 'url_list_hashes']);
    await createKey('small', ['bulk_reports'], 5);
    await createKey('revoked', ['bulk_reports']);
    await new ApiKeyRepository().revoke(intake.get(DataSource), keyIds.revoked, null);
  });

  afterAll(async () => {
    await worker?.close();
    await intake?.close();
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files a batch of 1,000 URLs once when it is sent twice: one report, 1,000 URLs, the same answer', async () => {
    const batchId = `crawl-${tag}-1000`;
    const body = { batchId, contentType: 'images', urls: Array.from({ length: 1000 }, (_, i) => ({ url: url('thousand', i) })) };
    const first = await send(keys.bulk, body).expect(201);
    expect(first.body).toEqual({
      batchId,
      reference: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/),
      accepted: 1000,
      knownHashMatches: 0,
      receivedAt: expect.any(String),
    });
    const second = await send(keys.bulk, body).expect(200);
    expect(second.body).toEqual(first.body);
    // First wins: the same batch id with another body answers the first receipt and files nothing.
    const other = await send(keys.bulk, { batchId, urls: [{ url: url('other', 1) }] }).expect(200);
    expect(other.body).toEqual(first.body);

    const { rows: reports } = await db.query(`SELECT r.* FROM report r JOIN bulk_batch b ON b.report_id = r.id WHERE b.batch_id = $1`, [batchId]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ source: 'bulk', url_count: 1000, content_type: 'images', reference: first.body.reference, contact_encrypted: null });
    expect(reports[0].received_at.toISOString()).toBe(first.body.receivedAt);
    const { rows: urls } = await db.query(`SELECT id, position, canonical_url FROM reported_url WHERE report_id = $1 ORDER BY position`, [reports[0].id]);
    expect(urls).toHaveLength(1000);
    expect(urls[999].canonical_url).toBe(url('thousand', 999));
    const { rows: outbox } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE message_key = ANY($1::text[])`, [urls.map((u) => u.id)]);
    expect(outbox[0].n).toBe(1000);
    const { rows: others } = await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE canonical_url = $1`, [url('other', 1)]);
    expect(others[0].n).toBe(0);
    // Counted once against the quota.
    const { rows: usage } = await db.query(`SELECT urls FROM bulk_usage WHERE api_key_id = $1`, [keyIds.bulk]);
    expect(usage).toEqual([{ urls: 1000 }]);

    // The worker opens a case per URL, as for any report, of source bulk.
    await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE report_id = $1 AND case_id IS NOT NULL`, [reports[0].id]);
        return rows[0].n === 1000 ? true : undefined;
      },
      { what: 'the cases of the 1,000 URLs' },
    );
    expect(await caseOf(url('thousand', 999))).toMatchObject({ source: 'bulk', status: 'queued', settled_by: null });
  });

  it('files one report when the same batch is sent twice at the same time', async () => {
    const batchId = `crawl-${tag}-twice`;
    const body = { batchId, urls: Array.from({ length: 50 }, (_, i) => ({ url: url('twice', i) })) };
    const answers = await Promise.all([send(keys.bulk, body), send(keys.bulk, body), send(keys.bulk, body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(answers[1].body).toEqual(answers[0].body);
    expect(answers[2].body).toEqual(answers[0].body);
    const { rows } = await db.query(
      `SELECT count(DISTINCT r.id)::int AS reports, count(ru.id)::int AS urls FROM report r JOIN reported_url ru ON ru.report_id = r.id WHERE r.reference = $1`,
      [answers[0].body.reference],
    );
    expect(rows[0]).toEqual({ reports: 1, urls: 50 });
    const { rows: same } = await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE canonical_url = $1`, [url('twice', 0)]);
    expect(same[0].n).toBe(1);
  });

  it('confirms the cases of URLs whose file hash is known, without anyone viewing them; the others are queued', async () => {
    const list = `hashes-${tag}`;
    const csv = join(dir, 'hashes.csv');
    writeFileSync(csv, ['algorithm,value,verdict', `sha256,${digest('sha256', 'a').toUpperCase()},baseline`, `MD5,${digest('md5', 'b')},national`].join('\n'));
    expect(await importKnownHashes(intake.get(DataSource), csv, { list })).toEqual({ imported: 2, new: 2, updated: 0, list });

    const batchId = `crawl-${tag}-hashes`;
    const hashed = [
      { url: url('known', 'a'), contentHashes: [{ algorithm: 'sha256', value: digest('sha256', 'a') }] },
      {
        url: url('known', 'b'),
        contentHashes: [
          { algorithm: 'sha256', value: digest('sha256', 'unknown') },
          { algorithm: 'MD5', value: digest('md5', 'b').toUpperCase() },
        ],
      },
      { url: url('unknown', 'c'), contentHashes: [{ algorithm: 'sha256', value: digest('sha256', 'c') }] },
      { url: url('unknown', 'd') },
    ];
    const answer = await send(keys.bulk, { batchId, urls: hashed }).expect(201);
    expect(answer.body).toMatchObject({ accepted: 4, knownHashMatches: 2 });

    const { rows: stored } = await db.query(
      `SELECT ru.content_hashes FROM reported_url ru JOIN report r ON r.id = ru.report_id WHERE r.reference = $1 ORDER BY ru.position`,
      [answer.body.reference],
    );
    expect(stored.map((r) => r.content_hashes)).toEqual([
      [`sha256:${digest('sha256', 'a')}`],
      [`sha256:${digest('sha256', 'unknown')}`, `md5:${digest('md5', 'b')}`],
      [`sha256:${digest('sha256', 'c')}`],
      null,
    ]);

    for (const [address, verdict] of [
      [url('known', 'a'), 'baseline'],
      [url('known', 'b'), 'national'],
    ] as const) {
      const settled = await caseOf(address);
      expect(settled).toMatchObject({ source: 'bulk', settled_by: 'known_url', verdict, lease_holder: null });
      // Confirmed at once; its actions may have moved it on since.
      expect(['confirmed', 'actioned']).toContain(settled.status);
      const { rows: known } = await db.query(`SELECT verdict, list_name FROM known_url WHERE id = $1`, [settled.known_url_id]);
      expect(known).toEqual([{ verdict, list_name: `hash:${list}` }]);
      const { rows: events } = await db.query(`SELECT to_status FROM case_event WHERE case_id = $1 AND to_status IS NOT NULL ORDER BY id`, [settled.id]);
      expect(events[0].to_status).toBe('confirmed');
      expect(events.map((e) => e.to_status)).not.toContain('in_assessment');
      const { rows: viewed } = await db.query(
        `SELECT (SELECT count(*) FROM assessment WHERE case_id = $1)::int AS assessments, (SELECT count(*) FROM case_lease WHERE case_id = $1)::int AS leases`,
        [settled.id],
      );
      expect(viewed[0]).toEqual({ assessments: 0, leases: 0 });
    }
    for (const address of [url('unknown', 'c'), url('unknown', 'd')]) {
      expect(await caseOf(address)).toMatchObject({ status: 'queued', settled_by: null, known_url_id: null });
    }

    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/hotline_bulk_known_hash_matches_total\{[^}]*\} [2-9]/);
    expect(metrics.text).toMatch(/hotline_bulk_urls_total\{outcome="accepted"[^}]*\} \d+/);
  });

  it('imports a hash list all or nothing: bad rows and contradictions are named by line', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      ['algorithm,value,verdict', `sha256,${digest('sha256', 'x')},baseline`, `sha512,${digest('sha256', 'y')},baseline`, `md5,abc,national`].join('\n'),
    );
    await expect(importKnownHashes(intake.get(DataSource), bad, { list: `bad-${tag}` })).rejects.toThrow(
      /2 bad rows in .*nothing imported:\n {2}line 3: unknown algorithm .*\n {2}line 4: not a md5 digest in hex/,
    );
    const contradicting = join(dir, 'contradicting.csv');
    writeFileSync(
      contradicting,
      ['algorithm,value,verdict', `sha256,${digest('sha256', 'x')},baseline`, `SHA256,${digest('sha256', 'x').toUpperCase()},national`].join('\n'),
    );
    await expect(importKnownHashes(intake.get(DataSource), contradicting, { list: `bad-${tag}` })).rejects.toThrow(
      /line 2: the same hash as line 3 with a different verdict/,
    );
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM known_hash WHERE list_name = $1`, [`bad-${tag}`]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 401 without a live key and 403 for a key without the bulk_reports scope, in the request’s language', async () => {
    const body = { batchId: `crawl-${tag}-denied`, urls: [{ url: url('denied', 1) }] };
    const none = await http().post(PATH).set('accept-language', 'fr').send(body).expect(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.headers['content-language']).toBe('fr');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    await send('hlk_aaaaaaaaaaaa_not-a-key', body).expect(401);
    await send(`${keys.bulk.slice(0, -2)}AA`, body).expect(401);
    await send(keys.revoked, body).expect(401);
    await http().post(PATH).set('authorization', `Basic ${keys.bulk}`).send(body).expect(401);
    const forbidden = await send(keys.listOnly, body).expect(403);
    expect(forbidden.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE canonical_url = $1`, [url('denied', 1)]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a whole batch for one bad URL, naming it by index, and too many URLs and unknown fields, in the body’s language', async () => {
    const batchId = `crawl-${tag}-bad`;
    const urls = Array.from({ length: 20 }, (_, i) => ({ url: url('bad', i) }));
    urls[12] = { url: 'http://10.0.0.1/x' };
    const bad = await send(keys.bulk, { batchId, urls, language: 'fr' }).expect(400);
    expect(bad.headers['content-language']).toBe('fr');
    expect(bad.body).toMatchObject({ type: '/problems/validation', errors: [{ field: 'urls[12].url', message: expect.any(String) }] });
    expect(bad.body.errors).toHaveLength(1);

    const many = await send(keys.bulk, { batchId, urls: Array.from({ length: 1001 }, (_, i) => ({ url: url('many', i) })) }).expect(400);
    expect(many.body.errors).toEqual([{ field: 'urls', message: expect.any(String) }]);
    const unknown = await send(keys.bulk, { batchId, urls: [{ url: url('bad', 0), extra: 1 }], priority: 'high' }).expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['priority', 'urls[0].extra']);
    await send(keys.bulk, 'not json').set('content-type', 'text/plain').expect(415);

    // Nothing of it was filed, so the fixed batch goes in under the same id.
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM reported_url WHERE canonical_url = $1`, [url('bad', 0)]);
    expect(rows[0].n).toBe(0);
    urls[12] = { url: url('bad', 12) };
    await send(keys.bulk, { batchId, urls }).expect(201);
  });

  it('takes a batch at every limit (1,000 URLs of 2,048 characters with 10 hashes each) and answers 413 over 4 MiB', async () => {
    const longest = (i: number) => {
      const start = `https://max-${tag}.example.com/${i}/`;
      return start + 'x'.repeat(2048 - start.length);
    };
    const hashes = Array.from({ length: 10 }, (_, j) => ({ algorithm: 'sha256', value: digest('sha256', `max-${j}`) }));
    const largest = {
      batchId: `crawl-${tag}-${'m'.repeat(80)}`,
      contentType: 'livestream',
      language: 'en',
      urls: Array.from({ length: 1000 }, (_, i) => ({ url: longest(i), contentHashes: hashes })),
    };
    expect(longest(999)).toHaveLength(2048);
    expect(Buffer.byteLength(JSON.stringify(largest))).toBeGreaterThan(3_000_000);
    expect((await send(keys.bulk, largest).expect(201)).body).toMatchObject({ accepted: 1000 });

    const body = JSON.stringify({ batchId: `crawl-${tag}-huge`, urls: [{ url: `https://huge-${tag}.example.com/${'x'.repeat(4 * 1024 * 1024)}` }] });
    const answer = await http().post(PATH).set('authorization', `Bearer ${keys.bulk}`).set('content-type', 'application/json').send(body).expect(413);
    expect(answer.body).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    expect(answer.body.detail).toContain('4 MiB');
  });

  it('counts URLs per key and UTC day: over the quota is 429 with Retry-After until midnight, a replay is not counted', async () => {
    const batch = (name: string, n: number) => ({ batchId: `crawl-${tag}-${name}`, urls: Array.from({ length: n }, (_, i) => ({ url: url(name, i) })) });
    const first = await send(keys.small, batch('quota-a', 3)).expect(201);
    const before = secondsUntilQuotaResets(new Date());
    const over = await send(keys.small, batch('quota-b', 3)).expect(429);
    const after = secondsUntilQuotaResets(new Date());
    expect(over.body).toMatchObject({ type: '/problems/quota-exceeded', status: 429, title: 'Daily quota used up' });
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeLessThanOrEqual(before);
    expect(retryAfter).toBeGreaterThanOrEqual(after);
    // A replay answers its receipt, and counts nothing; what still fits is filed.
    expect((await send(keys.small, batch('quota-a', 3)).expect(200)).body).toEqual(first.body);
    await send(keys.small, batch('quota-c', 2)).expect(201);
    await send(keys.small, batch('quota-d', 1)).expect(429);
    const { rows } = await db.query(`SELECT urls FROM bulk_usage WHERE api_key_id = $1`, [keyIds.small]);
    expect(rows).toEqual([{ urls: 5 }]);
    const { rows: refused } = await db.query(`SELECT count(*)::int AS n FROM bulk_batch WHERE batch_id = ANY($1::text[])`, [
      [`crawl-${tag}-quota-b`, `crawl-${tag}-quota-d`],
    ]);
    expect(refused[0].n).toBe(0);
  });
});
