import { dedupKey, IllegalTransitionError } from '@hotline/domain';
import { caseRepository, CaseStatusChangedError, SqlRunner } from '@hotline/persistence';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { casesVerifyEvents } from '../../apps/cli/src/commands/cases-verify-events';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'pubescent', gender: 'unknown', contentType: 'video', siteType: 'file_host', commercial: true, legalCategory: 'A' };

/**
 * The life of a case through the real apps, and what the reporter sees of it: the public status
 * follows the cases (received -> in review -> action taken -> closed), and a removed case closes
 * once it has stayed quiet for CASE_CLOSE_AFTER. Also the one transition path's refusals.
 */
describe('case life and the public status', () => {
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let rows: SqlRunner;
  let analyst: SignedInStaff;
  let senior: SignedInStaff;

  beforeAll(async () => {
    const overrides = { REDIS_PREFIX: `{hotline-case-life-${tag}}`, CASE_CLOSE_AFTER: '2s', OUTBOX_POLL_MS: '20', LEGAL_CATEGORIES: 'A,B,C' };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    rows = { query: async (sql: string, parameters?: unknown[]) => (await db.query(sql, parameters)).rows };
    analyst = await signIn(consoleApp, 'analyst');
    senior = await signIn(consoleApp, 'senior_analyst');
  });

  afterAll(async () => {
    await consoleApp?.close();
    await worker?.close();
    await intake?.close();
    await db?.end();
  });

  const staff = (who: SignedInStaff, path: string, body: object = {}) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);

  async function publicStatus(receipt: { reference: string; statusToken: string }): Promise<{ status: string; updatedAt: string }> {
    const response = await request(intake.getHttpServer()).get(`/api/v1/reports/${receipt.reference}/status`).set('x-status-token', receipt.statusToken);
    expect(response.status).toBe(200);
    return response.body;
  }

  const statusBecomes = (receipt: { reference: string; statusToken: string }, status: string) =>
    waitFor(async () => ((await publicStatus(receipt)).status === status ? true : undefined), { what: `public status ${status}` });

  const caseOf = (url: string, ready: (row: Record<string, any>) => boolean = () => true) =>
    waitFor(
      async () => {
        const { rows: found } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1 ORDER BY created_at DESC LIMIT 1`, [dedupKey(url)]);
        return found[0] && ready(found[0]) ? found[0] : undefined;
      },
      { what: `the case of ${url}` },
    );

  it('moves a report through all four public statuses as its case is assessed, acted on, removed and closed', async () => {
    const url = `http://life-${tag}.example.com/gallery`;
    const submitted = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [url], contentType: 'videos' });
    expect(submitted.status).toBe(201);
    const receipt = submitted.body;
    expect(await publicStatus(receipt)).toMatchObject({ status: 'received' });

    const placed = await caseOf(url, (row) => row.queue !== null && row.hosting_status !== 'pending');
    // Ahead of whatever else waits in its queue, so the claim below takes it.
    await db.query(`UPDATE "case" SET priority = 100, queued_at = now() - interval '10 years' WHERE id = $1`, [placed.id]);
    expect(await publicStatus(receipt)).toMatchObject({ status: 'received' });

    const claimed = await staff(analyst, `/api/v1/queues/${placed.queue}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(placed.id);
    expect(await publicStatus(receipt)).toMatchObject({ status: 'in_review' });

    const assessed = await staff(analyst, `/api/v1/cases/${placed.id}/assessment`, { verdict: 'baseline', classification: CLASSIFICATION });
    expect(assessed.status).toBe(200);
    expect(assessed.body.status).toBe('pending_review');
    expect(await publicStatus(receipt)).toMatchObject({ status: 'in_review' });

    const reviewed = await staff(senior, `/api/v1/cases/${placed.id}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('confirmed');
    // The worker decides its actions (hosting unknown: INTERPOL), and from then on action is taken.
    await statusBecomes(receipt, 'action_taken');

    const removed = await staff(analyst, `/api/v1/cases/${placed.id}/removal`, {});
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('removed');
    expect(await publicStatus(receipt)).toMatchObject({ status: 'action_taken' });

    // CASE_CLOSE_AFTER is 2 s here: the worker closes it, and the report is closed with it.
    await statusBecomes(receipt, 'closed');
    const closed = await caseOf(url);
    expect(closed.status).toBe('closed');
    const { rows: events } = await db.query(`SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 AND to_status IS NOT NULL ORDER BY id`, [
      placed.id,
    ]);
    expect(events.map((e) => `${e.from_status ?? '-'}>${e.to_status}`)).toEqual([
      '->queued',
      'queued>in_assessment',
      'in_assessment>pending_review',
      'pending_review>confirmed',
      'confirmed>actioned',
      'actioned>removed',
      'removed>closed',
    ]);
    expect(events[events.length - 1].detail).toMatchObject({ reason: 'quiet after removal', quietMs: 2000 });
    const status = await publicStatus(receipt);
    expect(Date.parse(status.updatedAt)).toBeGreaterThan(Date.parse(submitted.body.receivedAt));

    // The URL comes back: the closed case reappears, queued again; a new report of it starts at received.
    const again = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [`${url}?utm_source=x`] });
    expect(again.status).toBe(201);
    const back = await caseOf(url, (row) => row.status === 'queued');
    expect(back).toMatchObject({ id: placed.id, reappeared_count: 1 });
    expect(await publicStatus(again.body)).toMatchObject({ status: 'received' });
  });

  it('keeps a removed case open while its quiet period runs', async () => {
    const id = await fixtureCase('removed', `now() - interval '1 second'`);
    // Closed only after 2 s: look again before that, then after.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await db.query(`SELECT status FROM "case" WHERE id = $1`, [id])).rows[0].status).toBe('removed');
    await waitFor(async () => ((await db.query(`SELECT status FROM "case" WHERE id = $1`, [id])).rows[0].status === 'closed' ? true : undefined), {
      what: 'the quiet case closed',
    });
  });

  describe('the one transition path', () => {
    it('changes the status and writes its event in one statement', async () => {
      const id = await fixtureCase('queued');
      const row = await caseRepository.transition(rows, {
        caseId: id,
        from: 'queued',
        to: 'in_assessment',
        detail: { by: 'test' },
        set: { lease_holder: analyst.id, lease_expires_at: new Date(Date.now() + 60_000) },
      });
      expect(row).toMatchObject({ id, status: 'in_assessment', lease_holder: analyst.id });
      const { rows: events } = await db.query(`SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 ORDER BY id`, [id]);
      expect(events[events.length - 1]).toEqual({ kind: 'transition', from_status: 'queued', to_status: 'in_assessment', detail: { by: 'test' } });
    });

    it('refuses what the state machine does not allow, writing nothing', async () => {
      const id = await fixtureCase('queued');
      await expect(caseRepository.transition(rows, { caseId: id, from: 'queued', to: 'confirmed' })).rejects.toBeInstanceOf(IllegalTransitionError);
      expect(await eventCount(id)).toBe(1);
      expect((await db.query(`SELECT status FROM "case" WHERE id = $1`, [id])).rows[0].status).toBe('queued');
    });

    it('refuses a case that is no longer where the caller read it, writing nothing', async () => {
      const id = await fixtureCase('pending_review');
      await expect(
        caseRepository.transition(rows, { caseId: id, from: 'in_assessment', to: 'queued', set: { lease_holder: null, lease_expires_at: null } }),
      ).rejects.toBeInstanceOf(CaseStatusChangedError);
      expect(await eventCount(id)).toBe(1);
    });

    it('moves many cases at once, or none of them', async () => {
      const [a, b] = [await fixtureCase('reappeared'), await fixtureCase('reappeared')];
      const c = await fixtureCase('queued');
      await db.query('BEGIN');
      try {
        await expect(
          caseRepository.transitionMany(rows, { to: 'queued', cases: [a, b, c].map((caseId) => ({ caseId, from: 'reappeared' as const })) }),
        ).rejects.toBeInstanceOf(CaseStatusChangedError);
      } finally {
        await db.query('ROLLBACK');
      }
      expect((await db.query(`SELECT count(*)::int AS n FROM "case" WHERE id = ANY($1) AND status = 'reappeared'`, [[a, b]])).rows[0].n).toBe(2);
      expect(
        await caseRepository.transitionMany(rows, { to: 'queued', cases: [a, b].map((caseId) => ({ caseId, from: 'reappeared' as const, detail: { n: 1 } })) }),
      ).toHaveLength(2);
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = ANY($1) AND from_status = 'reappeared' AND to_status = 'queued'`, [[a, b]])).rows[0].n,
      ).toBe(2);
    });
  });

  describe('cases:verify-events', () => {
    it('names each case whose status its events do not explain, and one with no created event', async () => {
      await db.query('BEGIN');
      try {
        const unexplained = await fixtureCase('queued');
        await db.query(`UPDATE "case" SET status = 'confirmed', verdict = 'baseline' WHERE id = $1`, [unexplained]);
        const unborn = crypto.randomUUID();
        await db.query(
          `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at) VALUES ($1, $2, 'http://unborn.example.com/', 'unborn.example.com', 'queued', now(), now())`,
          [unborn, randomBytes(32).toString('hex')],
        );
        const { ok, lines } = await casesVerifyEvents(rows, [unexplained, unborn]);
        expect(ok).toBe(false);
        expect(lines).toContain(`case ${unexplained}: status confirmed, but its latest status event says queued`);
        expect(lines).toContain(`case ${unborn}: no created event (status queued)`);
        expect(lines).toMatch(/2 of 2 cases not explained by their events\n$/);
      } finally {
        await db.query('ROLLBACK');
      }
      const fine = await fixtureCase('queued');
      expect(await casesVerifyEvents(rows, [fine])).toEqual({ ok: true, lines: 'ok 1 cases\n' });
    });
  });

  async function fixtureCase(status: string, removedAt = 'NULL'): Promise<string> {
    const id = crypto.randomUUID();
    const host = `fixture-${randomBytes(4).toString('hex')}.example.com`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at, removed_at)
       VALUES ($1, $2, $3, $4, $5, now(), now(), ${removedAt})`,
      [id, randomBytes(32).toString('hex'), `http://${host}/`, host, status],
    );
    await recordFixtureCreated(db, id);
    return id;
  }

  async function eventCount(id: string): Promise<number> {
    return (await db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1`, [id])).rows[0].n;
  }
});
