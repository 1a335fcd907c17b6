import { dedupKey } from '@hotline/domain';
import { reviewQueueRepository, SqlRunner } from '@hotline/persistence';
import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { queuesVerifyCounts } from '../../apps/cli/src/commands/queues-verify-counts';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');

/**
 * The count of waiting cases kept per review queue (review_queue_waiting, maintained by triggers
 * on "case", ADR 0012) against a real count, through every way a case enters or leaves a queue:
 * triage placing a new case, its hosting trace re-routing it, a removed case reappearing, claims,
 * releases, lapsed leases, assessments, deletes and rollbacks. Other test files write cases at the
 * same time; the comparison is one statement, so it holds whatever they do.
 */
describe('review queue counts', () => {
  let dns: LoopbackDnsServer;
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let rows: SqlRunner;
  let analyst: SignedInStaff;

  beforeAll(async () => {
    // No name resolves: every trace ends unresolved, which re-routes a case.
    dns = new LoopbackDnsServer({});
    const overrides = {
      REDIS_PREFIX: `{hotline-queue-counts-${tag}}`,
      OUTBOX_POLL_MS: '20',
      DNS_SERVERS: await dns.start(),
      DNS_TIMEOUT_MS: '300',
      LEASE_SWEEP_INTERVAL: '200ms',
      NODE_ENV: 'test',
    };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    rows = { query: async (sql: string, parameters?: unknown[]) => (await db.query(sql, parameters)).rows };
    analyst = await signIn(consoleApp, 'analyst');
  });

  afterAll(async () => {
    await consoleApp?.close();
    await worker?.close();
    await intake?.close();
    await db?.end();
    await dns?.stop();
  });

  /** Every queue's kept count equals a real count of its waiting cases. */
  async function expectCountsExact(): Promise<void> {
    expect((await reviewQueueRepository.verifyWaitingCounts(rows)).mismatches).toEqual([]);
  }

  /** The kept count and the real count of one queue, read in one statement. */
  async function countsOf(queue: string, client: Client = db): Promise<{ counted: number; waiting: number }> {
    const { rows: found } = await client.query(
      `SELECT (SELECT coalesce(sum(waiting), 0)::int FROM review_queue_waiting WHERE queue = $1) AS counted,
              (SELECT count(*)::int FROM "case" WHERE queue = $1 AND status = 'queued') AS waiting`,
      [queue],
    );
    return found[0];
  }

  async function ownQueue(name: string): Promise<string> {
    const queue = `counts-${name}-${tag}`;
    await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, 'queue counts e2e')`, [queue]);
    return queue;
  }

  /** `n` queued cases in `queue`, written by one statement, the first with the highest priority and the oldest. */
  async function queuedCases(queue: string, n: number, client: Client = db): Promise<string[]> {
    const ids = Array.from({ length: n }, () => uuidv7());
    await client.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, queue, priority, report_count, first_reported_at, last_reported_at, queued_at)
       SELECT id, encode(sha256(id::text::bytea), 'hex'), 'http://' || id || '.counts.example.com/', id || '.counts.example.com', 'queued', $2,
              50 - i, 1, now(), now(), now() - (600 - i) * interval '1 second'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, i)`,
      [ids, queue],
    );
    await recordFixtureCreated(client, ids);
    return ids;
  }

  const post = (path: string, body: object = {}) => request(consoleApp.getHttpServer()).post(path).set('authorization', analyst.bearer).send(body);

  async function overviewOf(queue: string): Promise<{ name: string; open: number; oldestAgeSeconds: number }> {
    const response = await request(consoleApp.getHttpServer()).get('/api/v1/queues').set('authorization', analyst.bearer);
    expect(response.status).toBe(200);
    return response.body.find((q: { name: string }) => q.name === queue);
  }

  const caseOf = (url: string, ready: (row: Record<string, any>) => boolean) =>
    waitFor(
      async () => {
        const { rows: found } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1 ORDER BY created_at DESC LIMIT 1`, [dedupKey(url)]);
        return found[0] && ready(found[0]) ? found[0] : undefined;
      },
      { what: `the case of ${url}` },
    );

  it('counts cases placed by triage, re-routed by their hosting trace, and back in a queue after removal', async () => {
    // A removed case whose URL is reported again reappears, back in a queue.
    const backUrl = `http://back-${tag}.example.com/again`;
    const removed = uuidv7();
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at, removed_at, verdict)
       VALUES ($1, $2, $3, $4, 'removed', now(), now(), now(), 'baseline')`,
      [removed, dedupKey(backUrl), backUrl, `back-${tag}.example.com`],
    );
    await recordFixtureCreated(db, removed);

    const newUrl = `http://gone-${tag}.example.com/x`;
    const submitted = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [newUrl, backUrl] });
    expect(submitted.status).toBe(201);

    // Placed in a queue at creation, then re-routed once its trace came back unresolved.
    const placed = await caseOf(newUrl, (row) => row.hosting_status === 'unresolved');
    expect(placed).toMatchObject({ status: 'queued', queue: 'unresolved-hosting' });
    const { rows: routed } = await db.query(`SELECT detail FROM case_event WHERE case_id = $1 AND kind = 'routed' ORDER BY id`, [placed.id]);
    expect(routed.at(-1).detail).toMatchObject({ to: 'unresolved-hosting' });
    expect(routed.at(-1).detail.from).not.toBe('unresolved-hosting');

    const back = await caseOf(backUrl, (row) => row.status === 'queued' && row.hosting_status !== 'pending');
    expect(back.id).toBe(removed);
    expect(back.queue).toBe('reappeared');
    await expectCountsExact();
    expect(await queuesVerifyCounts(rows)).toEqual({ ok: true, lines: expect.stringMatching(/^ok \d+ queues\n$/) });
  });

  it('counts claims, releases, lapsed leases and assessments, and the overview shows the count and the oldest case', async () => {
    const queue = await ownQueue('claims');
    const ids = await queuedCases(queue, 3);
    expect(await countsOf(queue)).toEqual({ counted: 3, waiting: 3 });
    const first = await overviewOf(queue);
    expect(first.open).toBe(3);
    expect(first.oldestAgeSeconds).toBeGreaterThanOrEqual(599);

    const claimed = await post(`/api/v1/queues/${queue}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(ids[0]);
    expect(await countsOf(queue)).toEqual({ counted: 2, waiting: 2 });
    // The oldest waiting case was the one claimed: the next oldest is a second younger.
    const afterClaim = await overviewOf(queue);
    expect(afterClaim.open).toBe(2);
    expect(afterClaim.oldestAgeSeconds).toBeLessThan(first.oldestAgeSeconds);

    expect((await post(`/api/v1/cases/${ids[0]}/release`)).status).toBeLessThan(300);
    expect(await countsOf(queue)).toEqual({ counted: 3, waiting: 3 });
    expect((await overviewOf(queue)).open).toBe(3);

    // A lease that lapses: the worker's sweep returns the case (LEASE_SWEEP_INTERVAL 200ms here).
    expect((await post(`/api/v1/queues/${queue}/claim`)).body.id).toBe(ids[0]);
    expect(await countsOf(queue)).toEqual({ counted: 2, waiting: 2 });
    await db.query(`UPDATE "case" SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [ids[0]]);
    await waitFor(async () => ((await db.query(`SELECT status FROM "case" WHERE id = $1`, [ids[0]])).rows[0].status === 'queued' ? true : undefined), {
      what: 'the lapsed case back in its queue',
    });
    expect(await countsOf(queue)).toEqual({ counted: 3, waiting: 3 });

    // Assessed: the case leaves its queue for good.
    expect((await post(`/api/v1/queues/${queue}/claim`)).body.id).toBe(ids[0]);
    const assessed = await post(`/api/v1/cases/${ids[0]}/assessment`, { verdict: 'not_illegal' });
    expect(assessed.status).toBe(200);
    expect(assessed.body.status).toBe('not_illegal');
    expect(await countsOf(queue)).toEqual({ counted: 2, waiting: 2 });
    expect((await overviewOf(queue)).open).toBe(2);
    await expectCountsExact();
  });

  it('counts a move between queues, a delete, and takes back what a rolled-back transaction counted', async () => {
    const from = await ownQueue('from');
    const to = await ownQueue('to');
    const ids = await queuedCases(from, 4);

    await db.query(`UPDATE "case" SET queue = $2 WHERE id = ANY($1::uuid[])`, [ids.slice(0, 3), to]);
    expect(await countsOf(from)).toEqual({ counted: 1, waiting: 1 });
    expect(await countsOf(to)).toEqual({ counted: 3, waiting: 3 });

    await db.query('BEGIN');
    try {
      await queuedCases(to, 5);
      await db.query(`DELETE FROM case_event WHERE case_id = $1`, [ids[0]]);
      await db.query(`DELETE FROM "case" WHERE id = $1`, [ids[0]]);
      expect(await countsOf(to)).toEqual({ counted: 7, waiting: 7 });
    } finally {
      await db.query('ROLLBACK');
    }
    expect(await countsOf(to)).toEqual({ counted: 3, waiting: 3 });
    await expectCountsExact();
  });

  it('queues:verify-counts names a queue whose count differs from its waiting cases', async () => {
    const queue = await ownQueue('drift');
    await queuedCases(queue, 2);
    await db.query('BEGIN');
    try {
      // What a write around the triggers would leave (a restore with triggers off, a hand edit).
      await db.query(`INSERT INTO review_queue_waiting (queue, waiting) VALUES ($1, 1)`, [queue]);
      const { ok, lines } = await queuesVerifyCounts(rows);
      expect(ok).toBe(false);
      expect(lines).toContain(`queue ${queue}: counted 3 waiting, but 2 cases wait in it\n`);
      expect(lines).toMatch(/\n1 of \d+ queues miscounted\n$/);
    } finally {
      await db.query('ROLLBACK');
    }
    expect((await queuesVerifyCounts(rows)).ok).toBe(true);
  });

  it('never makes a writer wait for a count another transaction holds, so a count cannot close a deadlock', async () => {
    const queue = await ownQueue('locks');
    const [x, y, z] = await queuedCases(queue, 3);
    const a = await connectDatabase();
    const b = await connectDatabase();
    try {
      // Within a second either would fail rather than wait, and no deadlock detection is needed.
      await a.query(`SET lock_timeout = '1s'`);
      await b.query(`SET lock_timeout = '1s'`);
      // A takes a case out of the queue (so it holds a share of the queue's count) and then needs
      // a case B holds; B, holding it, takes another case out of the same queue. With a count B
      // had to wait for, this would be a cycle: triage holding a count while it waits for a case
      // a claim has locked.
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query(`UPDATE "case" SET queue = NULL WHERE id = $1`, [x]);
      await b.query(`SELECT id FROM "case" WHERE id = $1 FOR UPDATE`, [y]);
      const aWaitsForB = a.query(`UPDATE "case" SET queue = NULL WHERE id = $1`, [y]);
      await b.query(`UPDATE "case" SET queue = NULL WHERE id = $1`, [z]);
      await b.query('COMMIT');
      await aWaitsForB;
      await a.query('COMMIT');
    } finally {
      await a.end();
      await b.end();
    }
    expect(await countsOf(queue)).toEqual({ counted: 0, waiting: 0 });
    await expectCountsExact();
  });
});
