import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { recordFixtureCreated } from '../support/cases';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };

/**
 * Assessment, four-eyes review, blind review, appeals and reveals through console-api against a
 * real database. Cases are put under an analyst's lease directly in SQL, as a claim would. Review
 * is blind (the default), so reviewers give their own verdict; a second app shows review without it.
 */
describe('assessment and review', () => {
  let consoleApp: NestFastifyApplication;
  let sightedApp: NestFastifyApplication;
  let db: Client;
  let analyst: SignedInStaff;
  let otherAnalyst: SignedInStaff;
  let seniorA: SignedInStaff;
  let seniorB: SignedInStaff;
  let seniorC: SignedInStaff;
  let seniorD: SignedInStaff;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-assessment-${tag}}`, NODE_ENV: 'test', LEGAL_CATEGORIES: 'A,B,C' }));
    sightedApp = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-assessment-${tag}}`, NODE_ENV: 'test', LEGAL_CATEGORIES: 'A,B,C', REVIEW_BLIND: 'false' }));
    db = await connectDatabase();
    analyst = await signIn(consoleApp, 'analyst');
    otherAnalyst = await signIn(consoleApp, 'analyst');
    [seniorA, seniorB, seniorC, seniorD] = await Promise.all([1, 2, 3, 4].map(() => signIn(consoleApp, 'senior_analyst')));
  });

  afterAll(async () => {
    await consoleApp?.close();
    await sightedApp?.close();
    await db?.end();
  });

  const post = (who: SignedInStaff, path: string, body: object) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);
  const postSighted = (who: SignedInStaff, path: string, body: object) => request(sightedApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);
  const get = (who: SignedInStaff, path: string) => request(consoleApp.getHttpServer()).get(path).set('authorization', who.bearer);

  /** A case held by `holder` under an open lease, with one public report of its URL. */
  async function leasedCase(holder: SignedInStaff, name: string, domain = `shared-${tag}.example.com`): Promise<{ id: string; url: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.com`;
    const url = `http://${host}/gallery/${name}`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at, lease_holder, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, 'in_assessment', 1, now(), now(), $6, now() + interval '15 minutes')`,
      [id, randomBytes(32).toString('hex'), url, host, domain, holder.id],
    );
    await recordFixtureCreated(db, id);
    await db.query(`INSERT INTO case_lease (case_id, staff_user_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes')`, [id, holder.id]);
    const reportId = uuidv7();
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, content_type, victim_identifiable, url_count)
       VALUES ($1, $2, $3, 'public_web', now(), 'fr', 'images', true, 1)`,
      [reportId, `REF-${randomBytes(6).toString('hex')}`, randomBytes(32)],
    );
    await db.query(
      `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id)
       VALUES ($1, $2, 0, $3, $3, $4, $5, now(), $6)`,
      [uuidv7(), reportId, url, randomBytes(32).toString('hex'), host, id],
    );
    return { id, url };
  }

  /** A case assessed by `assessor` and now waiting for review (on its own domain, out of the shared history). */
  async function pendingCase(assessor: SignedInStaff, name: string, verdict: 'baseline' | 'national' = 'national'): Promise<{ id: string; url: string }> {
    const held = await leasedCase(assessor, name, `${name}-${tag}.example.com`);
    await post(assessor, `/api/v1/cases/${held.id}/assessment`, { verdict, classification: CLASSIFICATION }).expect(200);
    return held;
  }

  async function auditEvents(caseId: string, action: string): Promise<Record<string, any>[]> {
    const { rows } = await db.query(`SELECT * FROM audit_event WHERE target_id = $1 AND action = $2 ORDER BY seq`, [caseId, action]);
    return rows;
  }

  async function caseRow(id: string): Promise<Record<string, any>> {
    const { rows } = await db.query(`SELECT * FROM "case" WHERE id = $1`, [id]);
    return rows[0];
  }

  async function assessmentRows(id: string): Promise<Record<string, any>[]> {
    const { rows } = await db.query(`SELECT kind, staff_user_id, verdict, decision, notes FROM assessment WHERE case_id = $1 ORDER BY created_at, id`, [id]);
    return rows;
  }

  let confirmedCaseId: string;

  it('lets only the lease holder assess', async () => {
    const held = await leasedCase(analyst, 'held');
    const response = await post(otherAnalyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'not_illegal' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/lease/);
    expect((await caseRow(held.id)).status).toBe('in_assessment');
  });

  it('answers 400 with field errors for a classification outside the vocabulary', async () => {
    const held = await leasedCase(analyst, 'invalid');
    const wrong = await post(analyst, `/api/v1/cases/${held.id}/assessment`, {
      verdict: 'baseline',
      classification: { ...CLASSIFICATION, ageGroup: 'adult', legalCategory: 'Z' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.body.errors.map((error: { field: string }) => error.field)).toEqual(['classification.ageGroup', 'classification.legalCategory']);
    expect(wrong.body.errors[1].message).toBe('must be one of: A, B, C');

    const missing = await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'national' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'classification', message: 'required for a national verdict' }]);

    const refused = await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'out_of_remit', classification: CLASSIFICATION });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('classification');

    const unknownVerdict = await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'illegal', extra: true });
    expect(unknownVerdict.status).toBe(400);
    expect(unknownVerdict.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['extra', 'verdict']);

    // a non-illegal verdict is final at once, without review
    const settled = await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'out_of_remit' });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ status: 'out_of_remit', verdict: 'out_of_remit', classification: null, queue: null });
  });

  it('sends an illegal verdict to review, which only a different senior analyst can decide', async () => {
    const held = await leasedCase(seniorA, 'illegal');
    const assessed = await post(seniorA, `/api/v1/cases/${held.id}/assessment`, { verdict: 'baseline', classification: CLASSIFICATION, notes: 'secret working notes' });
    expect(assessed.status).toBe(200);
    expect(assessed.body).toMatchObject({ id: held.id, status: 'pending_review', verdict: 'baseline', classification: CLASSIFICATION, blindReview: false });

    const row = await caseRow(held.id);
    expect(row).toMatchObject({ status: 'pending_review', verdict: 'baseline', assessed_by: seniorA.id, lease_holder: null, lease_expires_at: null, queue: null });
    const { rows: leases } = await db.query(`SELECT ended_at, end_reason FROM case_lease WHERE case_id = $1`, [held.id]);
    expect(leases).toEqual([{ ended_at: expect.any(Date), end_reason: 'assessed' }]);
    const { rows: events } = await db.query(`SELECT kind, from_status, to_status FROM case_event WHERE case_id = $1 AND kind = 'transition'`, [held.id]);
    expect(events).toEqual([{ kind: 'transition', from_status: 'in_assessment', to_status: 'pending_review' }]);
    const [audit] = await auditEvents(held.id, 'case.assessed');
    expect(audit).toMatchObject({ actor_id: seniorA.id, detail: { verdict: 'baseline' } });
    expect(JSON.stringify(audit.detail)).not.toContain('secret');

    // the assessor, though senior, and an analyst may not decide it
    const own = await post(seniorA, `/api/v1/cases/${held.id}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(own.status).toBe(403);
    // The assessor is told why (they have the role; they took part), not that their role forbids it.
    expect(own.body).toMatchObject({ type: '/problems/took-part', detail: expect.stringContaining('took part in the verdict under review') });
    expect(await auditEvents(held.id, 'case.review_refused')).toHaveLength(1);
    expect((await post(analyst, `/api/v1/cases/${held.id}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION })).status).toBe(403);
    expect((await caseRow(held.id)).status).toBe('pending_review');

    // a blind reviewer gives their own verdict, whatever the decision
    const noVerdict = await post(seniorB, `/api/v1/cases/${held.id}/review`, { decision: 'confirm' });
    expect(noVerdict.status).toBe(400);
    expect(noVerdict.body.errors.map((error: { field: string }) => error.field)).toEqual(['verdict']);
    expect(JSON.stringify(noVerdict.body)).not.toContain('baseline');

    const confirmed = await post(seniorB, `/api/v1/cases/${held.id}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', verdict: 'baseline', classification: CLASSIFICATION });
    expect(await caseRow(held.id)).toMatchObject({ status: 'confirmed', reviewed_by: seniorB.id });
    expect(await assessmentRows(held.id)).toEqual([
      { kind: 'assessment', staff_user_id: seniorA.id, verdict: 'baseline', decision: null, notes: 'secret working notes' },
      { kind: 'review', staff_user_id: seniorB.id, verdict: 'baseline', decision: 'confirm', notes: null },
    ]);
    expect((await auditEvents(held.id, 'case.reviewed'))[0].detail).toEqual({ kind: 'review', decision: 'confirm', agreed: true });
    confirmedCaseId = held.id;
  });

  it('hides the verdict under review from the reviewer (blind review)', async () => {
    const held = await leasedCase(analyst, 'blind');
    await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'national', classification: CLASSIFICATION, notes: 'looked twice' }).expect(200);

    const reviewerView = await get(seniorB, `/api/v1/cases/${held.id}`);
    expect(reviewerView.status).toBe(200);
    expect(reviewerView.body).toMatchObject({ status: 'pending_review', verdict: null, classification: null, blindReview: true });
    expect(reviewerView.body.assessments).toEqual([
      expect.objectContaining({ kind: 'assessment', staffUserId: analyst.id, verdict: null, classification: null, notes: null }),
    ]);
    expect(JSON.stringify(reviewerView.body)).not.toContain('national');

    const assessorView = await get(analyst, `/api/v1/cases/${held.id}`);
    expect(assessorView.body).toMatchObject({ verdict: 'national', blindReview: false });
    expect(assessorView.body.assessments[0]).toMatchObject({ verdict: 'national', notes: 'looked twice' });
  });

  it('records an overturn as disagreement', async () => {
    const held = await leasedCase(analyst, 'overturn');
    await post(analyst, `/api/v1/cases/${held.id}/assessment`, { verdict: 'national', classification: CLASSIFICATION }).expect(200);

    const noVerdict = await post(seniorB, `/api/v1/cases/${held.id}/review`, { decision: 'overturn' });
    expect(noVerdict.status).toBe(400);
    expect(noVerdict.body.errors[0].field).toBe('verdict');
    expect(JSON.stringify(noVerdict.body)).not.toContain('national');
    const noClassification = await post(seniorB, `/api/v1/cases/${held.id}/review`, { decision: 'overturn', verdict: 'baseline' });
    expect(noClassification.status).toBe(400);

    const overturned = await post(seniorB, `/api/v1/cases/${held.id}/review`, { decision: 'overturn', verdict: 'harmful_not_illegal' });
    expect(overturned.status).toBe(200);
    expect(overturned.body).toMatchObject({ status: 'harmful_not_illegal', verdict: 'harmful_not_illegal', classification: null });
    expect((await assessmentRows(held.id))[1]).toMatchObject({ kind: 'review', verdict: 'harmful_not_illegal', decision: 'overturn' });
    expect((await auditEvents(held.id, 'case.reviewed'))[0].detail).toEqual({ kind: 'review', decision: 'overturn', agreed: false });

    // once decided, it is no longer waiting for review
    const again = await post(seniorC, `/api/v1/cases/${held.id}/review`, { decision: 'confirm', verdict: 'not_illegal' });
    expect(again.status).toBe(409);
  });

  it('decides a blind review by the verdicts, not by the decision the reviewer sent', async () => {
    const disagreed = await pendingCase(analyst, 'blind-disagree');
    const claimedConfirm = await post(seniorB, `/api/v1/cases/${disagreed.id}/review`, {
      decision: 'confirm',
      verdict: 'baseline',
      classification: { ...CLASSIFICATION, legalCategory: 'A' },
    });
    expect(claimedConfirm.status).toBe(200);
    expect(claimedConfirm.body).toMatchObject({ status: 'confirmed', verdict: 'baseline', classification: { ...CLASSIFICATION, legalCategory: 'A' } });
    expect((await assessmentRows(disagreed.id))[1]).toMatchObject({ kind: 'review', staff_user_id: seniorB.id, verdict: 'baseline', decision: 'overturn' });
    expect((await auditEvents(disagreed.id, 'case.reviewed'))[0].detail).toEqual({ kind: 'review', decision: 'overturn', agreed: false });

    // an "overturn" to the same verdict agrees: the case keeps the assessor's classification, the
    // review row keeps the reviewer's own
    const agreed = await pendingCase(analyst, 'blind-agree');
    const reviewerClassification = { ...CLASSIFICATION, legalCategory: 'C' };
    const claimedOverturn = await post(seniorB, `/api/v1/cases/${agreed.id}/review`, {
      decision: 'overturn',
      verdict: 'national',
      classification: reviewerClassification,
    });
    expect(claimedOverturn.status).toBe(200);
    expect(claimedOverturn.body).toMatchObject({ status: 'confirmed', verdict: 'national', classification: CLASSIFICATION });
    const { rows } = await db.query(`SELECT verdict, decision, classification FROM assessment WHERE case_id = $1 AND kind = 'review'`, [agreed.id]);
    expect(rows).toEqual([{ verdict: 'national', decision: 'confirm', classification: reviewerClassification }]);
    expect((await auditEvents(agreed.id, 'case.reviewed'))[0].detail).toEqual({ kind: 'review', decision: 'confirm', agreed: true });
  });

  it('takes the decision as sent when review is not blind', async () => {
    const confirmedCase = await pendingCase(analyst, 'sighted-confirm');
    expect((await postSighted(seniorB, `/api/v1/cases/${confirmedCase.id}/review`, { decision: 'confirm', verdict: 'national' })).status).toBe(400);
    const confirmed = await postSighted(seniorB, `/api/v1/cases/${confirmedCase.id}/review`, { decision: 'confirm' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', verdict: 'national', classification: CLASSIFICATION });
    expect((await assessmentRows(confirmedCase.id))[1]).toMatchObject({ kind: 'review', verdict: 'national', decision: 'confirm' });

    const overturnedCase = await pendingCase(analyst, 'sighted-overturn');
    expect((await postSighted(seniorB, `/api/v1/cases/${overturnedCase.id}/review`, { decision: 'overturn' })).status).toBe(400);
    const overturned = await postSighted(seniorB, `/api/v1/cases/${overturnedCase.id}/review`, { decision: 'overturn', verdict: 'not_illegal' });
    expect(overturned.status).toBe(200);
    expect(overturned.body).toMatchObject({ status: 'not_illegal', verdict: 'not_illegal', classification: null });
    expect((await auditEvents(overturnedCase.id, 'case.reviewed'))[0].detail).toEqual({ kind: 'review', decision: 'overturn', agreed: false });
  });

  it('sends an appeal to a senior analyst who took no part', async () => {
    const notFinal = await leasedCase(analyst, 'not-final');
    expect((await post(seniorC, `/api/v1/cases/${notFinal.id}/appeal`, { reason: 'the classification looks wrong' })).status).toBe(409);
    expect((await post(analyst, `/api/v1/cases/${confirmedCaseId}/appeal`, { reason: 'the classification looks wrong' })).status).toBe(403);

    const opened = await post(seniorC, `/api/v1/cases/${confirmedCaseId}/appeal`, { reason: 'the site is a parody archive' });
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('pending_review');
    expect((await auditEvents(confirmedCaseId, 'case.appeal_opened'))[0].detail).toEqual({ fromStatus: 'confirmed', verdict: 'baseline' });

    // assessor, earlier reviewer and appellant are all out
    for (const participant of [seniorA, seniorB, seniorC]) {
      expect(
        (await post(participant, `/api/v1/cases/${confirmedCaseId}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION })).status,
      ).toBe(403);
    }
    expect((await get(seniorD, `/api/v1/cases/${confirmedCaseId}`)).body).toMatchObject({ verdict: null, blindReview: true });

    const decided = await post(seniorD, `/api/v1/cases/${confirmedCaseId}/review`, { decision: 'overturn', verdict: 'not_illegal', notes: 'parody, no real child' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'not_illegal', verdict: 'not_illegal', classification: null });
    expect((await assessmentRows(confirmedCaseId)).map((row) => [row.kind, row.decision])).toEqual([
      ['assessment', null],
      ['review', 'confirm'],
      ['appeal', null],
      ['appeal_review', 'overturn'],
    ]);
    expect((await auditEvents(confirmedCaseId, 'case.reviewed'))[1].detail).toEqual({ kind: 'appeal_review', decision: 'overturn', agreed: false });
    const { rows: events } = await db.query(`SELECT from_status, to_status FROM case_event WHERE case_id = $1 AND kind = 'transition' ORDER BY id`, [confirmedCaseId]);
    expect(events.map((e) => `${e.from_status}->${e.to_status}`)).toEqual([
      'in_assessment->pending_review',
      'pending_review->confirmed',
      'confirmed->pending_review',
      'pending_review->not_illegal',
    ]);
  });

  it('lets a senior analyst decide the appeal of a verdict settled from the known-URL list', async () => {
    const id = uuidv7();
    const host = `known-${tag}.example.com`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at, settled_by, verdict)
       VALUES ($1, $2, $3, $4, $4, 'confirmed', 1, now(), now(), 'known_url', 'baseline')`,
      [id, randomBytes(32).toString('hex'), `http://${host}/listed`, host],
    );
    await recordFixtureCreated(db, id);
    const opened = await post(seniorC, `/api/v1/cases/${id}/appeal`, { reason: 'the listed page has changed hands' });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ status: 'pending_review', settledBy: 'known_url' });

    // the appellant is still out; nobody else took part
    expect((await post(seniorC, `/api/v1/cases/${id}/review`, { decision: 'overturn', verdict: 'not_illegal' })).status).toBe(403);
    expect((await get(seniorD, `/api/v1/cases/${id}`)).body).toMatchObject({ verdict: null, blindReview: true });
    const decided = await post(seniorD, `/api/v1/cases/${id}/review`, { decision: 'overturn', verdict: 'not_illegal' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'not_illegal', verdict: 'not_illegal' });
    expect((await assessmentRows(id)).map((row) => [row.kind, row.staff_user_id, row.decision])).toEqual([
      ['appeal', seniorC.id, null],
      ['appeal_review', seniorD.id, 'overturn'],
    ]);
    expect((await auditEvents(id, 'case.reviewed'))[0].detail).toEqual({ kind: 'appeal_review', decision: 'overturn', agreed: false });
  });

  it('reveals the raw URL only with a reason, and audits it', async () => {
    const held = await leasedCase(analyst, 'reveal');
    const short = await post(analyst, `/api/v1/cases/${held.id}/reveal`, { reason: 'need' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].field).toBe('reason');
    expect((await post(await signIn(consoleApp, 'regulator'), `/api/v1/cases/${held.id}/reveal`, { reason: 'checking the live page' })).status).toBe(403);

    // only the lease holder, while the lease is live
    for (const other of [otherAnalyst, seniorD]) {
      const refused = await post(other, `/api/v1/cases/${held.id}/reveal`, { reason: 'checking the live page' });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/lease/);
    }

    const revealed = await post(analyst, `/api/v1/cases/${held.id}/reveal`, { reason: 'checking the live page' });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ url: held.url });
    const events = await auditEvents(held.id, 'case.revealed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: analyst.id, detail: { reason: 'checking the live page' } });
    // the interceptor's generic event is not written on top of it
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1 AND action LIKE 'POST %'`, [held.id]);
    expect(rows[0].n).toBe(0);

    await db.query(`UPDATE "case" SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    expect((await post(analyst, `/api/v1/cases/${held.id}/reveal`, { reason: 'checking the live page' })).status).toBe(409);
    expect(await auditEvents(held.id, 'case.revealed')).toHaveLength(1);
  });

  it('reveals a URL waiting for review only to a senior analyst who may decide it', async () => {
    const pending = await pendingCase(seniorA, 'reveal-review');
    const reason = { reason: 'judging the live page for review' };
    expect((await post(seniorA, `/api/v1/cases/${pending.id}/reveal`, reason)).status).toBe(409);
    const analystRefused = await post(otherAnalyst, `/api/v1/cases/${pending.id}/reveal`, reason);
    expect(analystRefused.status).toBe(409);
    expect(analystRefused.body.detail).toMatch(/senior analyst/);
    expect(await auditEvents(pending.id, 'case.revealed')).toEqual([]);

    const revealed = await post(seniorB, `/api/v1/cases/${pending.id}/reveal`, reason);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ url: pending.url });
    expect(await auditEvents(pending.id, 'case.revealed')).toEqual([expect.objectContaining({ actor_id: seniorB.id, detail: reason })]);

    // once settled, nobody needs the live URL
    await post(seniorB, `/api/v1/cases/${pending.id}/review`, { decision: 'confirm', verdict: 'national', classification: CLASSIFICATION }).expect(200);
    const settled = await post(seniorC, `/api/v1/cases/${pending.id}/reveal`, reason);
    expect(settled.status).toBe(409);
    expect(settled.body.detail).toMatch(/confirmed/);
  });

  it('shows reports (defanged, no reporter data) and the domain’s history in the case view', async () => {
    const held = await leasedCase(analyst, 'history');
    const view = await get(analyst, `/api/v1/cases/${held.id}`);
    expect(view.status).toBe(200);
    expect(view.body.url).not.toContain('http://');
    expect(view.body.reports).toEqual([
      { receivedAt: expect.any(String), source: 'public_web', language: 'fr', contentType: 'images', victimIdentifiable: true, url: expect.stringContaining('hxxp://') },
    ]);
    expect(JSON.stringify(view.body.reports)).not.toContain('REF-');
    // earlier cases on the shared domain: settled ones only (not those waiting for review)
    expect(view.body.domainHistory.counts).toMatchObject({ not_illegal: 1, harmful_not_illegal: 1, out_of_remit: 1 });
    expect(view.body.domainHistory.counts.national).toBeUndefined();
    expect(view.body.domainHistory.latest[0]).toEqual({ caseId: expect.any(String), verdict: expect.any(String), assessedAt: expect.any(String) });
    expect(view.body).toMatchObject({ verdict: null, classification: null, assessments: [] });

    // a resolver's message names the host: defanged like the host itself
    const host = `history-${tag}.example.com`;
    await db.query(`UPDATE "case" SET hosting_status = 'unresolved', hosting_class = 'unresolved', hosting_error = $2 WHERE id = $1`, [
      held.id,
      `${host} has no A or AAAA record`,
    ]);
    const unresolved = await get(analyst, `/api/v1/cases/${held.id}`);
    expect(unresolved.body.hosting.error).toBe(`history-${tag}[.]example[.]com has no A or AAAA record`);
    expect(JSON.stringify(unresolved.body)).not.toContain(host);
  });
});
