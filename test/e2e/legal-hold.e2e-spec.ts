import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');
const REASON = 'Court order 2031/17: preserve everything of this case';

/**
 * Legal holds through the console API: placed and lifted by senior analysts, admins and the
 * liaisons of an agency the case was referred to (any other case is 404 to a liaison), refused to
 * other roles; one at a time (409 both ways), a reason of 10..500 characters (400), an unknown case
 * 404, every answer a problem in the caller's language; each placing and lifting audited with its
 * reason (no case event: not a status change); the case view and page show the hold in force.
 */
describe('legal hold', () => {
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let senior: SignedInStaff;
  let analyst: SignedInStaff;
  let admin: SignedInStaff;
  let regulator: SignedInStaff;
  let national: SignedInStaff;
  let interpol: SignedInStaff;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-legal-hold-${tag}}` }));
    db = await connectDatabase();
    senior = await signIn(consoleApp, 'senior_analyst', { label: 'hold-senior' });
    analyst = await signIn(consoleApp, 'analyst', { label: 'hold-analyst' });
    admin = await signIn(consoleApp, 'admin', { label: 'hold-admin' });
    regulator = await signIn(consoleApp, 'regulator', { label: 'hold-regulator' });
    national = await signIn(consoleApp, 'le_liaison', { label: 'hold-national', agency: `National Police ${tag}` });
    interpol = await signIn(consoleApp, 'le_liaison', { label: 'hold-interpol', agency: `INTERPOL ${tag}` });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
  });

  const server = () => consoleApp.getHttpServer();
  const path = (caseId: string) => `/api/v1/cases/${caseId}/legal-hold`;
  const place = (who: SignedInStaff, caseId: string, body: unknown = { reason: REASON }) =>
    request(server())
      .post(path(caseId))
      .set('authorization', who.bearer)
      .send(body as object);
  const lift = (who: SignedInStaff, caseId: string, body: unknown = { reason: 'The order was discharged today' }) =>
    request(server())
      .delete(path(caseId))
      .set('authorization', who.bearer)
      .send(body as object);
  const auditOf = async (caseId: string) =>
    (await db.query(`SELECT actor_id, action, detail FROM audit_event WHERE target_id = $1 AND action LIKE 'case.legal_hold%' ORDER BY seq`, [caseId])).rows;

  /** A case settled not illegal; with `agency`, referred to that agency's police too. */
  async function fixtureCase(name: string, agency?: string): Promise<string> {
    const id = uuidv7();
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, report_count, first_reported_at, last_reported_at) VALUES ($1, $2, $3, $4, 'not_illegal', 1, now(), now())`,
      [id, randomBytes(32).toString('hex'), `http://${name}-${tag}.example.com/a`, `${name}-${tag}.example.com`],
    );
    await recordFixtureCreated(db, id);
    if (agency) {
      await db.query(
        `INSERT INTO action (id, case_id, kind, channel, status, reason, agency, escalation, sent_at) VALUES ($1, $2, 'police_referral', 'national_police', 'sent', 'fixture', $3, 'confirmed', now())`,
        [uuidv7(), id, agency],
      );
    }
    return id;
  }

  it('places a hold once, shows it on the case, lifts it once, and audits both with their reasons', async () => {
    const caseId = await fixtureCase('placed');
    const placed = await place(senior, caseId).expect(201);
    expect(placed.body).toMatchObject({ caseId, reason: REASON, placedBy: senior.id, liftedAt: null, liftedBy: null, liftedReason: null });

    const again = await place(senior, caseId).set('accept-language', 'fr').expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, type: '/problems/legal-hold-in-force', title: 'Le dossier est déjà sous conservation légale' });

    const view = await request(server()).get(`/api/v1/cases/${caseId}`).set('authorization', analyst.bearer).expect(200);
    expect(view.body.legalHold).toMatchObject({ id: placed.body.id, reason: REASON, placedAt: placed.body.placedAt, liftedAt: null });
    const page = await request(server()).get(`/cases/${caseId}`).set('authorization', analyst.bearer).expect(200);
    expect(page.text).toContain(`On legal hold since`);
    expect(page.text).toContain(`reason: <span dir="auto">${REASON}</span>`);
    expect((await request(server()).get(path(caseId)).set('authorization', admin.bearer).expect(200)).body).toMatchObject({
      active: { id: placed.body.id },
      history: [{ id: placed.body.id }],
    });

    const lifted = await lift(senior, caseId).expect(200);
    expect(lifted.body).toMatchObject({ id: placed.body.id, liftedBy: senior.id, liftedReason: 'The order was discharged today' });
    expect(lifted.body.liftedAt).not.toBeNull();
    expect((await lift(senior, caseId).set('accept-language', 'ar').expect(409)).body).toMatchObject({
      type: '/problems/no-legal-hold',
      title: 'لا يوجد حفظ قانوني لرفعه',
    });
    expect((await request(server()).get(`/api/v1/cases/${caseId}`).set('authorization', analyst.bearer).expect(200)).body.legalHold).toBeNull();

    // A new hold after the lift; the history keeps both.
    await place(admin, caseId, { reason: 'A second order, for the appeal' }).expect(201);
    expect((await request(server()).get(path(caseId)).set('authorization', senior.bearer).expect(200)).body.history).toHaveLength(2);

    expect(await auditOf(caseId)).toEqual([
      { actor_id: senior.id, action: 'case.legal_hold_placed', detail: { holdId: placed.body.id, reason: REASON } },
      {
        actor_id: senior.id,
        action: 'case.legal_hold_lifted',
        detail: { holdId: placed.body.id, reason: 'The order was discharged today', placedAt: placed.body.placedAt },
      },
      { actor_id: admin.id, action: 'case.legal_hold_placed', detail: expect.objectContaining({ reason: 'A second order, for the appeal' }) },
    ]);
    // Not a status change: no case event.
    expect((await db.query(`SELECT kind FROM case_event WHERE case_id = $1 ORDER BY id`, [caseId])).rows.map((row) => row.kind)).toEqual(['created']);
  });

  it('refuses a bad reason with a field error, and an unknown case with 404', async () => {
    const caseId = await fixtureCase('refused');
    for (const body of [{}, { reason: 'too short' }, { reason: 'x'.repeat(501) }, { reason: 42 }, { reason: 'a reason long enough', extra: true }]) {
      const response = await place(senior, caseId, body).expect(400);
      expect(response.body).toMatchObject({ status: 400, type: '/problems/invalid-request' });
    }
    const french = await place(senior, caseId, { reason: 'court' }).set('accept-language', 'fr').expect(400);
    expect(french.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(french.headers['content-language']).toBe('fr');
    await lift(senior, caseId, {}).expect(400);
    expect((await place(senior, uuidv7()).expect(404)).body).toMatchObject({ type: '/problems/resource-not-found' });
    await place(senior, 'not-a-case').expect(404);
    await lift(senior, uuidv7()).expect(404);
    expect(await auditOf(caseId)).toEqual([]);
  });

  it('lets senior analysts, admins and the liaisons of a referred agency hold, nobody else', async () => {
    const referred = await fixtureCase('referred', `National Police ${tag}`);
    await place(analyst, referred).expect(403);
    await place(regulator, referred).expect(403);
    await request(server()).get(path(referred)).set('authorization', analyst.bearer).expect(403);
    // Another agency's liaison learns nothing of the case: as unknown as one that does not exist.
    await place(interpol, referred).expect(404);
    await request(server()).get(path(referred)).set('authorization', interpol.bearer).expect(404);
    const placed = await place(national, referred).expect(201);
    expect(placed.body.placedBy).toBe(national.id);
    await lift(interpol, referred).expect(404);
    await lift(national, referred).expect(200);
    // A case never referred to police is not a liaison's to hold.
    await place(national, await fixtureCase('unreferred')).expect(404);
    await request(server()).post(path(referred)).send({ reason: REASON }).expect(401);
  });
});
