import { dedupKey } from '@hotline/domain';
import { JOB_IDS, JobName, QueueName, QueueRegistry } from '@hotline/queue';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { caseRepository, knownUrlRepository } from '@hotline/persistence';
import { forceCaseStatus } from '../support/cases';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';
const host = (name: string) => `${name}-${tag}.example.com`;

/**
 * The triage pipeline end to end with real parts: intake, the worker (relay, dedup, hosting
 * traces against a DNS server on loopback and an IP-range table the test writes), and the staff
 * views of console-api.
 */
describe('triage pipeline', () => {
  const prefix = `{hotline-triage-${tag}}`;
  let dns: LoopbackDnsServer;
  let geoDir: string;
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let redis: Redis;
  let queues: QueueRegistry;

  beforeAll(async () => {
    dns = new LoopbackDnsServer({
      [host('domestic')]: { A: ['198.51.100.7'] },
      [host('foreign')]: { AAAA: ['2001:db8:1::7'] },
      [host('www.shop')]: { CNAME: host('edge.cdn') },
      [host('edge.cdn')]: { A: ['203.0.113.50'] },
      [host('gone')]: 'NXDOMAIN',
      [host('slow')]: 'SILENT',
    });
    const server = await dns.start();
    geoDir = mkdtempSync(join(tmpdir(), 'hotline-geo-'));
    const geo = join(geoDir, 'ranges.csv');
    writeFileSync(
      geo,
      [
        'start,end,country,asn,organisation',
        '198.51.100.0,198.51.100.255,NL,64500,Domestic Hosting',
        '203.0.113.0,203.0.113.255,DE,64501,CDN GmbH',
        '2001:db8:1::,2001:db8:1::ffff,US,64502,Foreign Inc',
      ].join('\n'),
    );
    const overrides = {
      REDIS_PREFIX: prefix,
      OUTBOX_POLL_MS: '20',
      HOTLINE_COUNTRY: 'NL',
      DNS_SERVERS: server,
      DNS_TIMEOUT_MS: '300',
      GEO_IP_TABLE: geo,
      NODE_ENV: 'test',
    };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig({ ...overrides, BULL_BOARD_ENABLED: 'true' }));
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    queues = new QueueRegistry(redis, prefix);
    analyst = await signIn(consoleApp, 'analyst');
    admin = await signIn(consoleApp, 'admin');
  });

  afterAll(async () => {
    await worker?.close();
    await intake?.close();
    await consoleApp?.close();
    await queues?.close();
    redis?.disconnect();
    await db?.end();
    await dns?.stop();
    rmSync(geoDir, { recursive: true, force: true });
  });

  let analyst: SignedInStaff;
  let admin: SignedInStaff;
  const staff = (path: string) => request(consoleApp.getHttpServer()).get(path).set('authorization', analyst.bearer);

  async function report(body: Record<string, unknown>): Promise<void> {
    const response = await request(intake.getHttpServer()).post('/api/v1/reports').send(body);
    expect(response.status).toBe(201);
  }

  /** The case of a URL once it satisfies `ready`. */
  async function caseOf(url: string, ready: (row: Record<string, any>) => boolean = () => true): Promise<Record<string, any>> {
    const key = dedupKey(url);
    return waitFor(
      async () => {
        const { rows } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [key]);
        return rows[0] && ready(rows[0]) ? rows[0] : undefined;
      },
      { what: `the case of ${url}` },
    );
  }

  it('traces hosting by DNS and the IP-range table, and routes by the result', async () => {
    await report({ urls: [`http://${host('domestic')}/a`, `http://${host('foreign')}/b`, `http://${host('www.shop')}/c`, `http://${ONION}/d`] });
    const traced = (row: Record<string, any>) => row.hosting_status !== 'pending';

    const domestic = await caseOf(`http://${host('domestic')}/a`, traced);
    expect(domestic.hosting_class).toBe('domestic');
    expect(domestic.hosting).toMatchObject({ ip: '198.51.100.7', country: 'NL', asn: 64500, organisation: 'Domestic Hosting', cnames: [] });

    const foreign = await caseOf(`http://${host('foreign')}/b`, traced);
    expect(foreign).toMatchObject({ hosting_class: 'foreign', hosting: { ip: '2001:db8:1::7', country: 'US', asn: 64502 } });

    const shop = await caseOf(`http://${host('www.shop')}/c`, traced);
    expect(shop.hosting).toMatchObject({ cnames: [host('edge.cdn')], ip: '203.0.113.50', country: 'DE', asn: 64501 });

    const onion = await caseOf(`http://${ONION}/d`, traced);
    expect(onion).toMatchObject({ hosting_status: 'onion', hosting_class: 'onion', hosting: { onion: true, country: null } });
    expect(dns.questions.some((q) => q.includes('.onion'))).toBe(false);

    // The staff view shows the trace, with the URL defanged.
    const view = await staff(`/api/v1/cases/${shop.id}`).expect(200);
    expect(view.body.url).toBe(`hxxp://${host('www.shop').replace(/\./g, '[.]')}/c`);
    expect(view.body.hosting).toMatchObject({ status: 'resolved', class: 'foreign', ip: '203.0.113.50', country: 'DE', asn: 64501 });
    expect(view.body.lease).toBeNull();
  });

  it('shows a failed lookup as unresolved with its reason, in the unresolved-hosting queue', async () => {
    await report({ urls: [`http://${host('gone')}/x`, `http://${host('slow')}/y`] });
    const gone = await caseOf(`http://${host('gone')}/x`, (row) => row.hosting_status === 'unresolved');
    expect(gone.hosting_error).toMatch(/^nxdomain/);
    expect(gone.queue).toBe('unresolved-hosting');
    // A timeout is transient: the case shows it while the job retries with backoff.
    const slow = await caseOf(`http://${host('slow')}/y`, (row) => row.hosting_status === 'unresolved');
    expect(slow.hosting_error).toMatch(/^timeout/);
    expect(slow.queue).toBe('unresolved-hosting');
    const job = await queues.get(QueueName.Hosting).getJob(`hosting-${slow.id}-0`);
    expect(await job?.getState()).toBe('delayed');
    const view = await staff(`/api/v1/cases/${slow.id}`).expect(200);
    expect(view.body.hosting).toMatchObject({ status: 'unresolved', class: 'unresolved' });
    expect(view.body.hosting.error).toMatch(/timeout/);
  });

  it('puts a child in danger first, and says why', async () => {
    await report({ urls: [`http://${host('domestic')}/danger`], contentType: 'livestream', victimIdentifiable: true });
    const urgent = await caseOf(`http://${host('domestic')}/danger`, (row) => row.queue === 'urgent');
    expect(urgent.priority).toBeGreaterThanOrEqual(70);
    expect(urgent.priority_factors.map((f: { factor: string }) => f.factor)).toEqual(expect.arrayContaining(['victim_identifiable', 'content_type']));
    const sum = urgent.priority_factors.reduce((total: number, f: { points: number }) => total + f.points, 0);
    expect(Math.min(100, sum)).toBe(urgent.priority);
  });

  it('makes removed content that is reported again reappear, with its history kept', async () => {
    const url = `http://${host('domestic')}/comes-back`;
    await report({ urls: [url], contentType: 'images' });
    const first = await caseOf(url, (row) => row.queue !== null);
    // The case was confirmed, acted on and the content removed (the workspace issue does this).
    await forceCaseStatus(db, first.id, 'removed', 'queue = NULL');
    await report({ urls: [`${url}#again`] });
    const back = await caseOf(url, (row) => row.reappeared_count === 1 && row.queue === 'reappeared');
    expect(back).toMatchObject({ id: first.id, status: 'queued', report_count: 2 });
    const { rows: events } = await db.query(`SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 ORDER BY id`, [first.id]);
    expect(events.filter((e) => e.kind === 'transition' && !e.detail.fixture).map(({ detail, ...e }) => e)).toEqual([
      { kind: 'transition', from_status: 'removed', to_status: 'reappeared' },
      { kind: 'transition', from_status: 'reappeared', to_status: 'queued' },
    ]);
    expect(events[0]).toMatchObject({ kind: 'created', to_status: 'queued' });
  });

  it('settles a URL on the known list without anyone viewing it', async () => {
    const url = `http://${host('known')}/listed`;
    const [{ id: knownId }] = (
      await db.query(`INSERT INTO known_url (id, dedup_key, canonical_url, verdict, list_name) VALUES ($1, $2, $3, 'baseline', 'partner-x') RETURNING id`, [
        randomUUID(),
        dedupKey(url),
        url,
      ])
    ).rows;
    await report({ urls: [`${url}?utm_source=feed`] });
    // Confirmed at triage, then acted on like any confirmed case: its police referral makes it actioned.
    const settled = await caseOf(url, (row) => row.status === 'actioned');
    expect(settled).toMatchObject({ queue: null, settled_by: 'known_url', known_url_id: knownId, verdict: 'baseline', assessed_by: null });
    const { rows: steps } = await db.query(`SELECT from_status, to_status FROM case_event WHERE case_id = $1 AND to_status IS NOT NULL ORDER BY id`, [settled.id]);
    expect(steps).toEqual([
      { from_status: null, to_status: 'confirmed' },
      { from_status: 'confirmed', to_status: 'actioned' },
    ]);
    const { rows: assessments } = await db.query(`SELECT 1 FROM assessment WHERE case_id = $1`, [settled.id]);
    expect(assessments).toEqual([]);
  });

  it('records a job that fails for good as a dead letter, and counts it', async () => {
    const caseId = randomUUID();
    await queues.get(QueueName.Hosting).add(JobName.ResolveHosting, { caseId }, { jobId: `hosting-${caseId}-0`, attempts: 3 });
    const dead = await waitFor(async () => (await db.query(`SELECT * FROM dead_letter WHERE job_id = $1`, [`hosting-${caseId}-0`])).rows[0], { what: 'the dead letter' });
    expect(dead).toMatchObject({ queue: 'hosting', job_name: JobName.ResolveHosting, payload: { caseId }, attempts: 1, redriven_at: null });
    expect(dead.error).toMatch(/UnrecoverableError: case .* does not exist/);
    const metrics = await request(worker.getHttpServer()).get('/metrics').expect(200);
    expect(Number(/^hotline_dead_letters\{queue="hosting"[^}]*\} (\d+)/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('passes an item a batch could not do on as a job of its own, which becomes a dead letter', async () => {
    const url = `http://${host('domestic')}/in-a-batch`;
    await report({ urls: [url] });
    const placed = await caseOf(url, (row) => row.hosting_status === 'resolved');
    const [{ id: reportedUrlId }] = (await db.query(`SELECT id FROM reported_url WHERE case_id = $1`, [placed.id])).rows;
    const missingUrl = randomUUID();
    const missingCase = randomUUID();
    const urlBatch = [reportedUrlId, missingUrl];
    const caseBatch = [placed.id, missingCase];
    await queues.get(QueueName.ReportedUrls).add(JobName.TriageReportedUrls, { reportedUrlIds: urlBatch }, { jobId: JOB_IDS.triageReportedUrls(urlBatch) });
    await queues.get(QueueName.Hosting).add(JobName.TraceHosting, { caseIds: caseBatch }, { jobId: JOB_IDS.traceHosting(caseBatch) });

    const deadLetter = (jobId: string) =>
      waitFor(async () => (await db.query(`SELECT * FROM dead_letter WHERE job_id = $1`, [jobId])).rows[0], { what: `the dead letter ${jobId}` });
    expect(await deadLetter(JOB_IDS.attachReportedUrl(missingUrl))).toMatchObject({ job_name: JobName.AttachReportedUrl, payload: { reportedUrlId: missingUrl } });
    expect(await deadLetter(JOB_IDS.resolveHosting(missingCase, 0))).toMatchObject({ job_name: JobName.ResolveHosting, payload: { caseId: missingCase } });
    // The batches themselves completed; the item they could do was already done and stayed so.
    expect(await (await queues.get(QueueName.ReportedUrls).getJob(JOB_IDS.triageReportedUrls(urlBatch)))?.getState()).toBe('completed');
    expect(await (await queues.get(QueueName.Hosting).getJob(JOB_IDS.traceHosting(caseBatch)))?.getState()).toBe('completed');
    expect((await caseOf(url)).report_count).toBe(1);
  });

  it('finds the case of a dedup key through its index, not by scanning every case', async () => {
    // dedup_key is char(64): compared with a text[] parameter, PostgreSQL casts the column and
    // cannot use the index, so every triage group read the whole table (it happened).
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL enable_seqscan = off');
      // The statements triage runs, as the repositories write them.
      const statements: string[] = [];
      const recorder = { query: async (sql: string) => (statements.push(sql), []) };
      const keys = [dedupKey(`http://${host('any')}/`)];
      await caseRepository.openOfKeys(recorder, keys);
      await caseRepository.latestClosedOfKeys(recorder, keys);
      await knownUrlRepository.ofKeys(recorder, keys);
      expect(statements).toHaveLength(3);
      for (const sql of statements) {
        const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, [[dedupKey(`http://${host('any')}/`)]]);
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        expect({ sql, usesIndex: /"Index Name"/.test(plan), scansTable: /"Seq Scan"/.test(plan) }).toEqual({ sql, usesIndex: true, scansTable: false });
      }
    } finally {
      await db.query('ROLLBACK');
    }
  });

  describe('staff views', () => {
    it('are closed without a valid token', async () => {
      for (const path of ['/api/v1/cases', '/api/v1/queues', '/api/v1/routing-rules']) {
        const response = await request(consoleApp.getHttpServer()).get(path).set('authorization', 'Bearer wrong');
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });

    it('list review queues with open counts and the oldest age', async () => {
      const { body } = await staff('/api/v1/queues').expect(200);
      expect(body.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['urgent', 'standard', 'partner-inbound', 'reappeared', 'unresolved-hosting']));
      const unresolved = body.find((q: { name: string }) => q.name === 'unresolved-hosting');
      expect(unresolved.open).toBeGreaterThanOrEqual(2);
      expect(unresolved.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    });

    it('page through a queue by priority then age', async () => {
      const first = await staff('/api/v1/cases?status=queued&limit=2').expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await staff(`/api/v1/cases?status=queued&limit=2&cursor=${first.body.nextCursor}`).expect(200);
      const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      const priorities = [...first.body.items, ...second.body.items].map((c: { priority: number }) => c.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
      for (const item of first.body.items) expect(item.url.startsWith('hxxp')).toBe(true);
    });

    it('refuse bad filters with a problem naming the field', async () => {
      const response = await staff('/api/v1/cases?status=lost&limit=0&cursor=zzz').expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['status', 'limit', 'cursor']);
    });

    it('mount the queue dashboard for admins only', async () => {
      const closed = await request(consoleApp.getHttpServer()).get('/admin/queues/api/queues');
      expect(closed.status).toBe(401);
      const page = await request(consoleApp.getHttpServer()).get('/admin/queues');
      expect(page.status).toBe(401);
      const analystTry = await request(consoleApp.getHttpServer()).get('/admin/queues/api/queues').set('authorization', analyst.bearer);
      expect(analystTry.status).toBe(403);
      const open = await request(consoleApp.getHttpServer()).get('/admin/queues/api/queues').set('authorization', admin.bearer).expect(200);
      expect(open.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    });

    it('validate routing rules on save and apply them', async () => {
      const before = (await request(consoleApp.getHttpServer()).get('/api/v1/routing-rules').set('authorization', admin.bearer).expect(200)).body;
      const bad = await request(consoleApp.getHttpServer())
        .put('/api/v1/routing-rules')
        .set('authorization', admin.bearer)
        .send([{ name: 'x', match: { minPriority: 101 }, queue: 'nowhere' }])
        .expect(400);
      expect(bad.body.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/minPriority/);
      const saved = await request(consoleApp.getHttpServer()).put('/api/v1/routing-rules').set('authorization', admin.bearer).send(before.rules).expect(200);
      expect(saved.body.version).toBe(before.version + 1);
      expect(saved.body.rules).toEqual(before.rules);
      expect(saved.body.updatedBy).toBe(admin.email);
    });
  });
});
