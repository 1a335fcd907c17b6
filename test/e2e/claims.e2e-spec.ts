import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';
import { recordFixtureCreated } from '../support/cases';

const tag = randomBytes(3).toString('hex');

/** console-api and the worker in this process, with the lease settings of one describe. */
function useApps(name: string, overrides: Record<string, string> = {}) {
  const apps = {} as { console: NestFastifyApplication; worker: NestFastifyApplication; db: Client };
  beforeAll(async () => {
    const config = { REDIS_PREFIX: `{hotline-claims-${name}-${tag}}`, NODE_ENV: 'test', ...overrides };
    apps.worker = await createWorkerApp(testConfig(config));
    apps.console = await createConsoleApp(testConfig(config));
    apps.db = await connectDatabase();
  });
  afterAll(async () => {
    await apps.worker?.close();
    await apps.console?.close();
    await apps.db?.end();
  });
  return apps;
}

/** A review queue of its own, holding `n` queued cases, highest priority first; their ids. */
async function queueWithCases(db: Client, name: string, n: number): Promise<{ queue: string; ids: string[] }> {
  const queue = `claims-${name}-${tag}`;
  await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, 'claims e2e')`, [queue]);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = uuidv7();
    const host = `c${i}-${name}-${tag}.example.com`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, queue, priority, report_count, first_reported_at, last_reported_at, queued_at)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6, 1, now(), now(), now() - $7 * interval '1 second')`,
      [id, randomBytes(32).toString('hex'), `http://${host}/a`, host, queue, 50 - i, n - i],
    );
    await recordFixtureCreated(db, id);
    ids.push(id);
  }
  return { queue, ids };
}

const post = (app: NestFastifyApplication, path: string, who: SignedInStaff) => request(app.getHttpServer()).post(path).set('authorization', who.bearer);
const get = (app: NestFastifyApplication, path: string, who: SignedInStaff) => request(app.getHttpServer()).get(path).set('authorization', who.bearer);

describe('claims: parallel', () => {
  const apps = useApps('parallel');

  it('hands out each case exactly once when 10 analysts claim 20 times at once', async () => {
    const { queue, ids } = await queueWithCases(apps.db, 'parallel', 10);
    const analysts = await Promise.all(Array.from({ length: 10 }, () => signIn(apps.console, 'analyst')));
    const responses = await Promise.all([...analysts, ...analysts].map((analyst) => post(apps.console, `/api/v1/queues/${queue}/claim`, analyst)));

    const claimed = responses.filter((r) => r.status === 200);
    expect(claimed).toHaveLength(10);
    expect(responses.filter((r) => r.status === 204)).toHaveLength(10);
    for (const r of responses.filter((r) => r.status === 204)) expect(r.text).toBe('');
    const claimedIds = claimed.map((r) => r.body.id as string);
    expect(new Set(claimedIds).size).toBe(10);
    expect([...claimedIds].sort()).toEqual([...ids].sort());
    for (const r of claimed) {
      expect(r.body.status).toBe('in_assessment');
      expect(r.body.lease).toEqual({ assignee: expect.any(String), expiresAt: expect.any(String) });
    }

    // Every case has one open lease, held by the analyst the answer named, and one transition.
    const { rows } = await apps.db.query(
      `SELECT c.id, c.lease_holder, count(cl.id)::int AS leases,
              (SELECT count(*)::int FROM case_event e WHERE e.case_id = c.id AND e.kind = 'transition' AND e.to_status = 'in_assessment') AS events
         FROM "case" c JOIN case_lease cl ON cl.case_id = c.id AND cl.ended_at IS NULL
        WHERE c.queue = $1 GROUP BY c.id`,
      [queue],
    );
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.leases).toBe(1);
      expect(row.events).toBe(1);
      expect(row.lease_holder).toBe(claimed.find((r) => r.body.id === row.id)!.body.lease.assignee);
    }
    const { rows: audits } = await apps.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'case.claimed' AND target_id = ANY($1)`, [ids]);
    expect(audits[0].n).toBe(10);
  });

  it('answers 404 for a queue that does not exist', async () => {
    const analyst = await signIn(apps.console, 'analyst');
    const response = await post(apps.console, `/api/v1/queues/no-such-queue-${tag}/claim`, analyst);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses roles without cases.claim', async () => {
    const admin = await signIn(apps.console, 'admin');
    expect((await post(apps.console, `/api/v1/queues/standard/claim`, admin)).status).toBe(403);
  });
});

describe('claims: lapse', () => {
  const apps = useApps('lapse', { LEASE_DURATION: '1s', LEASE_SWEEP_INTERVAL: '200ms' });

  it('returns a case whose lease lapsed to its queue without anyone acting', async () => {
    const { queue, ids } = await queueWithCases(apps.db, 'lapse', 1);
    const analyst = await signIn(apps.console, 'analyst');
    const claimed = await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst);
    expect(claimed.status).toBe(200);
    const { rows: before } = await apps.db.query(`SELECT queued_at FROM "case" WHERE id = $1`, [ids[0]]);

    const back = await waitFor(
      async () => {
        const { rows } = await apps.db.query(`SELECT status, lease_holder, lease_expires_at, queued_at FROM "case" WHERE id = $1`, [ids[0]]);
        return rows[0].status === 'queued' ? rows[0] : undefined;
      },
      { what: 'the lapsed case back in its queue' },
    );
    expect(back.lease_holder).toBeNull();
    expect(back.lease_expires_at).toBeNull();
    expect(back.queued_at).toEqual(before[0].queued_at);

    const { rows: leases } = await apps.db.query(`SELECT ended_at, expires_at, end_reason FROM case_lease WHERE case_id = $1`, [ids[0]]);
    expect(leases).toHaveLength(1);
    expect(leases[0].end_reason).toBe('lapsed');
    expect(leases[0].ended_at).toEqual(leases[0].expires_at);
    const { rows: events } = await apps.db.query(`SELECT from_status, to_status, detail FROM case_event WHERE case_id = $1 AND kind = 'transition' ORDER BY id`, [
      ids[0],
    ]);
    expect(events.map((e) => [e.from_status, e.to_status])).toEqual([
      ['queued', 'in_assessment'],
      ['in_assessment', 'queued'],
    ]);
    expect(events[1].detail.reason).toBe('lease lapsed');
    const { rows: audits } = await apps.db.query(`SELECT actor_id, actor_role FROM audit_event WHERE action = 'case.lease_lapsed' AND target_id = $1`, [ids[0]]);
    expect(audits).toEqual([{ actor_id: null, actor_role: 'system' }]);

    const metrics = await request(apps.worker.getHttpServer()).get('/metrics');
    expect(metrics.text).toMatch(/hotline_leases_lapsed_total(\{[^}]*\})? [1-9]/);

    // A heartbeat comes too late, and the case can be claimed again.
    expect((await post(apps.console, `/api/v1/cases/${ids[0]}/heartbeat`, analyst)).status).toBe(409);
    expect((await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst)).status).toBe(200);
  });
});

describe('claims: limits', () => {
  const apps = useApps('limits', { MAX_LEASES: '2' });

  it('refuses a claim beyond MAX_LEASES with lease_limit', async () => {
    const { queue } = await queueWithCases(apps.db, 'limits', 3);
    const analyst = await signIn(apps.console, 'analyst');
    expect((await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst)).status).toBe(200);
    expect((await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst)).status).toBe(200);
    const refused = await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/lease-limit', status: 409 });
    expect(refused.body.detail).toContain('2');
    const exposure = await get(apps.console, '/api/v1/me/exposure', analyst);
    expect(exposure.body.openLeases).toBe(2);
  });
});

describe('claims: exposure', () => {
  const apps = useApps('exposure', { EXPOSURE_DAILY_LIMIT: '1s' });

  it('refuses claims once the analyst held cases for the daily limit', async () => {
    const { queue } = await queueWithCases(apps.db, 'exposure', 2);
    const analyst = await signIn(apps.console, 'analyst');
    expect((await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst)).status).toBe(200);

    const exposure = await waitFor(
      async () => {
        const response = await get(apps.console, '/api/v1/me/exposure', analyst);
        expect(response.status).toBe(200);
        return response.body.heldSeconds >= 1 ? response.body : undefined;
      },
      { what: 'a second of exposure' },
    );
    expect(exposure).toMatchObject({ date: new Date().toISOString().slice(0, 10), limitSeconds: 1, remainingSeconds: 0, openLeases: 1 });

    const refused = await post(apps.console, `/api/v1/queues/${queue}/claim`, analyst);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/exposure-limit', status: 403, title: 'Daily limit reached' });
    expect(refused.body.detail).toMatch(/Daily limit: 1 second\b.*after 00:00 UTC/);

    // Another analyst is not affected.
    const other = await signIn(apps.console, 'analyst');
    expect((await post(apps.console, `/api/v1/queues/${queue}/claim`, other)).status).toBe(200);
  });
});

describe('claims: heartbeat and release', () => {
  const apps = useApps('hold');

  it('extends the lease on heartbeat, and release returns the case to its place', async () => {
    const { queue, ids } = await queueWithCases(apps.db, 'hold', 2);
    const holder = await signIn(apps.console, 'analyst');
    const other = await signIn(apps.console, 'analyst');
    const claimed = await post(apps.console, `/api/v1/queues/${queue}/claim`, holder);
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(ids[0]);
    expect(claimed.body.lease.assignee).toBe(holder.id);
    const seen = await get(apps.console, `/api/v1/cases/${ids[0]}`, holder);
    expect(seen.body.lease).toEqual(claimed.body.lease);

    await new Promise((resolve) => setTimeout(resolve, 20)); // the clock must move for the lease to grow
    const beat = await post(apps.console, `/api/v1/cases/${ids[0]}/heartbeat`, holder);
    expect(beat.status).toBe(200);
    expect(Date.parse(beat.body.expiresAt)).toBeGreaterThan(Date.parse(claimed.body.lease.expiresAt));
    const { rows: lease } = await apps.db.query(`SELECT expires_at FROM case_lease WHERE case_id = $1 AND ended_at IS NULL`, [ids[0]]);
    expect(lease[0].expires_at.toISOString()).toBe(beat.body.expiresAt);

    for (const action of ['heartbeat', 'release']) {
      const refused = await post(apps.console, `/api/v1/cases/${ids[0]}/${action}`, other);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ type: '/problems/lease-not-held', detail: 'You do not hold a lease on this case: claim it from its queue first.' });
    }

    const { rows: before } = await apps.db.query(`SELECT queued_at FROM "case" WHERE id = $1`, [ids[0]]);
    const released = await post(apps.console, `/api/v1/cases/${ids[0]}/release`, holder);
    expect(released.status).toBe(204);
    const { rows: after } = await apps.db.query(`SELECT status, queue, queued_at, lease_holder FROM "case" WHERE id = $1`, [ids[0]]);
    expect(after[0]).toEqual({ status: 'queued', queue, queued_at: before[0].queued_at, lease_holder: null });
    const { rows: ended } = await apps.db.query(`SELECT end_reason FROM case_lease WHERE case_id = $1`, [ids[0]]);
    expect(ended).toEqual([{ end_reason: 'released' }]);
    const { rows: audits } = await apps.db.query(`SELECT actor_id FROM audit_event WHERE action = 'case.released' AND target_id = $1`, [ids[0]]);
    expect(audits).toEqual([{ actor_id: holder.id }]);

    // Released, it is no longer the holder's; the next claim gets it first again (it kept its place).
    expect((await post(apps.console, `/api/v1/cases/${ids[0]}/release`, holder)).status).toBe(409);
    const again = await post(apps.console, `/api/v1/queues/${queue}/claim`, other);
    expect(again.body.id).toBe(ids[0]);
    expect(again.body.lease.assignee).toBe(other.id);
  });

  it('answers 404 for a case that does not exist', async () => {
    const analyst = await signIn(apps.console, 'analyst');
    expect((await post(apps.console, `/api/v1/cases/${uuidv7()}/heartbeat`, analyst)).status).toBe(404);
  });
});
