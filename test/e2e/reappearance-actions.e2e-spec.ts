import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { forceCaseStatus, recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { signIn, SignedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };

/**
 * Content that comes back after removal and is confirmed again is acted on again: a new police
 * referral and a new notice, as for its first appearance (the earlier actions were for that one).
 * The second confirmation goes through the real claim, assessment and four-eyes review.
 */
describe('a reappeared case confirmed again', () => {
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let analyst: SignedInStaff;
  let senior: SignedInStaff;

  beforeAll(async () => {
    const overrides = { REDIS_PREFIX: `{hotline-reappear-act-${tag}}`, OUTBOX_POLL_MS: '20', HOTLINE_COUNTRY: 'NL', NODE_ENV: 'test' };
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    analyst = await signIn(consoleApp, 'analyst');
    senior = await signIn(consoleApp, 'senior_analyst');
  });

  afterAll(async () => {
    await consoleApp?.close();
    await worker?.close();
    await db?.end();
  });

  const post = (who: SignedInStaff, path: string, body: object = {}) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);
  const actionsOf = async (caseId: string) =>
    (await db.query(`SELECT kind, channel, status, created_at FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId])).rows as {
      kind: string;
      channel: string;
      status: string;
    }[];

  it('gets a new referral and a new notice', async () => {
    const caseId = uuidv7();
    const domain = `back-${tag}.example.com`;
    const queue = `reappear-${tag}`;
    await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, 'reappearance test') ON CONFLICT DO NOTHING`, [queue]);
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at,
                           hosting_status, hosting_class, hosting, verdict, classification, source, assessed_at, reviewed_at)
       VALUES ($1, $2, $3, $4, $4, 'confirmed', 1, now(), now(), 'resolved', 'domestic', $5, 'baseline', $6, 'public', now(), now())`,
      [
        caseId,
        randomBytes(32).toString('hex'),
        `http://${domain}/a`,
        domain,
        JSON.stringify({ ip: '192.0.2.10', country: 'NL', asn: 64496, organisation: 'Host BV', cnames: [] }),
        JSON.stringify(CLASSIFICATION),
      ],
    );
    await recordFixtureCreated(db, caseId);
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('case.act', $1, '{}')`, [caseId]);
    const first = await waitFor(async () => ((await actionsOf(caseId)).length >= 2 ? actionsOf(caseId) : undefined), { what: 'the first actions' });
    expect(first.map((a) => a.kind).sort()).toEqual(['notice', 'police_referral']);
    // The notice's mail job locks the case while it composes (no abuse contact here: it fails for
    // good). Claims skip locked cases, so the test lets it finish before the case goes back to a queue.
    await waitFor(async () => ((await actionsOf(caseId)).some((a) => a.kind === 'notice' && a.status !== 'pending') ? true : undefined), {
      what: 'the first notice settled',
    });

    // Removed, then back online: reported again, it reappears and waits in a queue.
    await forceCaseStatus(db, caseId, 'removed', 'removed_at = now()');
    await forceCaseStatus(db, caseId, 'reappeared', 'reappeared_count = 1');
    await forceCaseStatus(db, caseId, 'queued', `queue = '${queue}', priority = 100, queued_at = now() - interval '10 years'`);

    expect((await post(analyst, `/api/v1/queues/${queue}/claim`)).body.id).toBe(caseId);
    expect((await post(analyst, `/api/v1/cases/${caseId}/assessment`, { verdict: 'baseline', classification: CLASSIFICATION })).body.status).toBe('pending_review');
    const reviewed = await post(senior, `/api/v1/cases/${caseId}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(reviewed.body.status).toBe('confirmed');

    const all = await waitFor(async () => ((await actionsOf(caseId)).length >= 4 ? actionsOf(caseId) : undefined), { what: 'the actions of the second appearance' });
    expect(
      all
        .slice(2)
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['notice', 'police_referral']);
    const { rows: decided } = await db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND kind = 'actions_decided'`, [caseId]);
    expect(decided[0].n).toBe(2);
    // Referred again, so actioned again.
    const { rows } = await db.query(`SELECT status FROM "case" WHERE id = $1`, [caseId]);
    expect(rows[0].status).toBe('actioned');
  });
});
