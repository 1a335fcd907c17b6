import { dedupKey } from '@hotline/domain';
import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { strFromU8, unzipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { forceCaseStatus, recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
const REPORTER_EMAIL = `reporter-${tag}@example.org`;
const REPORTER_DESCRIPTION = `seen while searching ${tag} the page of a forum`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Police referrals and the law-enforcement liaison inbox through the real apps: a report made
 * through intake, hosted at home (loopback DNS and a geo table), confirmed and acted on by the
 * worker, lands in the National Police inbox; another agency's liaison gets 404 and never lists it;
 * other roles 403; acknowledgement; a hold and its lift (the held notices queued again); the
 * export package, its manifest checked file by file, without any reporter data, and audited.
 */
describe('escalations', () => {
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let dns: LoopbackDnsServer;
  let geoDir: string;
  let db: Client;
  let national: SignedInStaff;
  let interpol: SignedInStaff;
  let analyst: SignedInStaff;
  let admin: SignedInStaff;

  beforeAll(async () => {
    dns = new LoopbackDnsServer({ [`esc-${tag}.example.com`]: { A: ['203.0.113.40'] } });
    const dnsServer = await dns.start();
    geoDir = mkdtempSync(join(tmpdir(), 'hotline-escalations-geo-'));
    const geo = join(geoDir, 'ranges.csv');
    writeFileSync(geo, ['start,end,country,asn,organisation', '203.0.113.0,203.0.113.255,NL,64530,NL Hosting BV'].join('\n'));
    const overrides = {
      DNS_SERVERS: dnsServer,
      DNS_TIMEOUT_MS: '500',
      GEO_IP_TABLE: geo,
      HOTLINE_COUNTRY: 'NL',
      REDIS_PREFIX: `{hotline-escalations-${tag}}`,
      OUTBOX_POLL_MS: '20',
      NODE_ENV: 'test',
    };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    [national, interpol, analyst, admin] = await Promise.all([
      signIn(consoleApp, 'le_liaison', { agency: 'National Police', label: 'np' }),
      signIn(consoleApp, 'le_liaison', { agency: 'INTERPOL', label: 'ip' }),
      signIn(consoleApp, 'analyst'),
      signIn(consoleApp, 'admin'),
    ]);
  });

  afterAll(async () => {
    await consoleApp?.close();
    await worker?.close();
    await intake?.close();
    await dns?.stop();
    await db?.end();
    if (geoDir) rmSync(geoDir, { recursive: true, force: true });
  });

  const server = () => consoleApp.getHttpServer();
  const get = (who: SignedInStaff, path: string) => request(server()).get(path).set('authorization', who.bearer);
  const post = (who: SignedInStaff, path: string, body: object = {}) => request(server()).post(path).set('authorization', who.bearer).send(body);
  const del = (who: SignedInStaff, path: string) => request(server()).delete(path).set('authorization', who.bearer);
  const actionsOf = async (caseId: string) => (await db.query(`SELECT * FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId])).rows;

  let receipt: { reference: string; statusToken: string };
  let caseId: string;
  let escalationId: string;
  let noticeId: string;
  const url = `http://esc-${tag}.example.com/board/thread?id=7`;

  it('refers a domestic confirmed case to the National Police: sent to its inbox at once, the case actioned, the notice queued as mail', async () => {
    const submitted = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [url], contentType: 'images', description: REPORTER_DESCRIPTION, contact: { email: REPORTER_EMAIL }, country: 'UG', victimIdentifiable: true });
    expect(submitted.status).toBe(201);
    receipt = submitted.body;
    const placed = await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [dedupKey(url)]);
        return rows[0] && rows[0].hosting_status === 'resolved' && rows[0].queue !== null ? rows[0] : undefined;
      },
      { what: 'the traced case' },
    );
    expect(placed).toMatchObject({ hosting_class: 'domestic' });
    caseId = placed.id;
    // Confirmed as a review would leave it (the assessment itself is other tests' subject), then acted on.
    await db.query(`UPDATE "case" SET verdict = 'baseline', classification = $2 WHERE id = $1`, [caseId, JSON.stringify(CLASSIFICATION)]);
    await forceCaseStatus(db, caseId, 'confirmed');
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('case.act', $1, '{}')`, [caseId]);

    const actions = await waitFor(async () => ((await actionsOf(caseId)).length >= 2 ? actionsOf(caseId) : undefined), { what: 'the actions' });
    const referral = actions.find((a) => a.kind === 'police_referral');
    const notice = actions.find((a) => a.kind === 'notice');
    expect(referral).toMatchObject({ channel: 'national_police', agency: 'National Police', escalation: 'confirmed', status: 'sent', sent_at: expect.any(Date) });
    expect(notice).toMatchObject({ channel: 'hosting_provider', agency: null });
    escalationId = referral.id;
    noticeId = notice.id;
    const { rows: mail } = await db.query(`SELECT message_key FROM outbox WHERE topic = 'mail.send' AND message_key = $1`, [`notice:${noticeId}`]);
    expect(mail).toHaveLength(1);
    const { rows: moved } = await db.query(`SELECT from_status, to_status, detail FROM case_event WHERE case_id = $1 AND to_status = 'actioned'`, [caseId]);
    expect(moved).toEqual([{ from_status: 'confirmed', to_status: 'actioned', detail: { step: 'police_referral', agency: 'National Police' } }]);

    const inbox = await get(national, '/api/v1/escalations').expect(200);
    const item = inbox.body.items.find((i: { id: string }) => i.id === escalationId);
    expect(item).toMatchObject({
      caseId,
      agency: 'National Police',
      reason: 'confirmed',
      status: 'sent',
      acknowledgedAt: null,
      url: `hxxp://esc-${tag}[.]example[.]com/board/thread?id=7`,
      victimIdentifiable: true,
      hosting: { class: 'domestic', country: 'NL', asn: 64530, organisation: 'NL Hosting BV' },
      onHold: false,
    });
    expect(inbox.body.unacknowledged).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(inbox.body)).not.toContain(url);
    const detail = await get(national, `/api/v1/escalations/${escalationId}`).expect(200);
    expect(detail.body).toMatchObject({ id: escalationId, verdict: 'baseline', classification: CLASSIFICATION, hold: null, reportCount: 1 });
    expect(detail.body.actions.map((a: { kind: string }) => a.kind)).toEqual(['police_referral', 'notice']);
    expect(JSON.stringify(detail.body)).not.toContain(REPORTER_EMAIL);
  });

  it('is not found for another agency’s liaison, nor listed; other roles are refused; liaisons get no case routes', async () => {
    for (const call of [
      get(interpol, `/api/v1/escalations/${escalationId}`),
      post(interpol, `/api/v1/escalations/${escalationId}/acknowledgement`),
      post(interpol, `/api/v1/escalations/${escalationId}/hold`, { reason: 'preserving evidence at the host' }),
      del(interpol, `/api/v1/escalations/${escalationId}/hold`),
      get(interpol, `/api/v1/escalations/${escalationId}/export`),
      get(interpol, `/escalations/${escalationId}`),
    ]) {
      expect((await call).status).toBe(404);
    }
    const theirs = await get(interpol, '/api/v1/escalations').expect(200);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(escalationId);
    for (const who of [analyst, admin]) {
      expect((await get(who, '/api/v1/escalations')).status).toBe(403);
      expect((await get(who, `/api/v1/escalations/${escalationId}`)).status).toBe(403);
      expect((await post(who, `/api/v1/escalations/${escalationId}/acknowledgement`)).status).toBe(403);
      expect((await get(who, `/api/v1/escalations/${escalationId}/export`)).status).toBe(403);
    }
    expect((await get(national, `/api/v1/cases/${caseId}`)).status).toBe(403);
    expect((await get(national, '/api/v1/cases')).status).toBe(403);
    // Nothing was changed by the refused calls.
    const [referral] = (await actionsOf(caseId)).filter((a) => a.kind === 'police_referral');
    expect(referral.acknowledged_at).toBeNull();
  });

  it('acknowledges once (again changes nothing), and the analyst sees it on the case', async () => {
    const first = await post(national, `/api/v1/escalations/${escalationId}/acknowledgement`).expect(200);
    expect(first.body).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });
    const again = await post(national, `/api/v1/escalations/${escalationId}/acknowledgement`).expect(200);
    expect(again.body.acknowledgedAt).toBe(first.body.acknowledgedAt);
    const [referral] = (await actionsOf(caseId)).filter((a) => a.kind === 'police_referral');
    expect(referral).toMatchObject({ status: 'acknowledged', acknowledged_by: national.id });
    const { rows: events } = await db.query(`SELECT * FROM case_event WHERE case_id = $1 AND kind = 'escalation_acknowledged'`, [caseId]);
    expect(events).toHaveLength(1);
    const caseView = await get(analyst, `/api/v1/cases/${caseId}`).expect(200);
    expect(caseView.body.actions.find((a: { kind: string }) => a.kind === 'police_referral')).toMatchObject({
      agency: 'National Police',
      escalation: 'confirmed',
      acknowledgedAt: first.body.acknowledgedAt,
      sentAt: expect.any(String),
    });
  });

  it('holds the notices of a case and lifts the hold, queueing again the notices still waiting', async () => {
    // A case of its own whose notice waits unsent (no mail job of it exists), so the lift's effect is exact.
    const held = await fixtureEscalation('hold', { agency: 'National Police', priority: 40 });
    const short = await post(national, `/api/v1/escalations/${held.escalationId}/hold`, { reason: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0]).toMatchObject({ field: 'reason' });
    const reason = 'Evidence is being preserved with the host’s data centre';
    const placed = await post(national, `/api/v1/escalations/${held.escalationId}/hold`, { reason }).expect(200);
    expect(placed.body).toMatchObject({ onHold: true, hold: { agency: 'National Police', reason, liftedAt: null } });
    expect((await post(national, `/api/v1/escalations/${held.escalationId}/hold`, { reason })).body).toMatchObject({
      status: 409,
      type: '/problems/notice-hold-in-force',
    });
    // The analyst sees why nothing goes to the host.
    const caseView = await get(analyst, `/api/v1/cases/${held.caseId}`).expect(200);
    expect(caseView.body.hold).toMatchObject({ agency: 'National Police', reason });
    const casePage = await get(analyst, `/cases/${held.caseId}`).expect(200);
    expect(casePage.text).toContain(`Police hold: <span dir="auto">${reason.replace('’', '’')}</span>`);

    // A reminder that came due during the hold was skipped and waits too (sent notices have reminders).
    const reminderId = uuidv7();
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason, parent_action_id) VALUES ($1, $2, 'reminder', 'hosting_provider', 'pending', 'fixture', $3)`,
      [reminderId, held.caseId, held.noticeId],
    );
    const { rows: before } = await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM outbox`);
    const lifted = await del(national, `/api/v1/escalations/${held.escalationId}/hold`).expect(200);
    expect(lifted.body).toMatchObject({ onHold: false, hold: null, holds: [{ reason, liftedAt: expect.any(String) }] });
    const { rows: queued } = await db.query(`SELECT message_key FROM outbox WHERE topic = 'mail.send' AND id > $1 ORDER BY id`, [before[0].id]);
    // Tagged with the hold, so the relay publishes it as a new batch (a bare key's batch was published already).
    const [{ id: holdId }] = (await db.query(`SELECT id FROM notice_hold WHERE case_id = $1`, [held.caseId])).rows;
    expect(queued.map((r) => r.message_key)).toEqual([`notice:${held.noticeId}:lift-${holdId}`, `reminder:${reminderId}:lift-${holdId}`]);
    expect((await del(national, `/api/v1/escalations/${held.escalationId}/hold`)).body).toMatchObject({ status: 409, type: '/problems/no-notice-hold' });
    const { rows: audit } = await db.query(`SELECT action, detail FROM audit_event WHERE target_id = $1 AND action LIKE 'escalation.hold%' ORDER BY seq`, [
      held.escalationId,
    ]);
    expect(audit.map((a) => a.action)).toEqual(['escalation.hold_placed', 'escalation.hold_lifted']);
    expect(audit[1].detail).toMatchObject({ noticesReleased: [held.noticeId], remindersReleased: [reminderId] });
    const { rows: liftEvents } = await db.query(`SELECT detail FROM case_event WHERE case_id = $1 AND kind = 'notice_hold_lifted'`, [held.caseId]);
    expect(liftEvents).toEqual([{ detail: expect.objectContaining({ noticesReleased: 1, remindersReleased: 1 }) }]);
  });

  it('exports a package whose manifest matches every file, without reporter data, and audits it with the digest', async () => {
    const response = await get(national, `/api/v1/escalations/${escalationId}/export`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="escalation-[0-9a-f-]+-\d{8}T\d{6}Z\.zip"$/);
    const digest = response.headers['x-manifest-sha256'];
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const files = unzipSync(new Uint8Array(response.body as Buffer));
    expect(Object.keys(files).sort()).toEqual(['audit.csv', 'case.csv', 'case.json', 'manifest.json', 'timeline.csv']);
    expect(sha256(files['manifest.json'])).toBe(digest);
    const manifest = JSON.parse(strFromU8(files['manifest.json']));
    expect(manifest).toMatchObject({ escalationId, createdAt: expect.any(String) });
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(['audit.csv', 'case.csv', 'case.json', 'timeline.csv']);
    for (const entry of manifest.files) {
      expect({ name: entry.name, bytes: files[entry.name].length, sha256: sha256(files[entry.name]) }).toEqual(entry);
    }

    const caseJson = JSON.parse(strFromU8(files['case.json']));
    expect(caseJson.case).toMatchObject({
      id: caseId,
      url,
      urlDefanged: `hxxp://esc-${tag}[.]example[.]com/board/thread?id=7`,
      status: 'actioned',
      verdict: 'baseline',
      classification: CLASSIFICATION,
      reportCount: 1,
      hosting: { class: 'domestic', country: 'NL', asn: 64530, organisation: 'NL Hosting BV', ip: '203.0.113.40' },
    });
    expect(caseJson.escalation).toMatchObject({ id: escalationId, agency: 'National Police', reason: 'confirmed', status: 'acknowledged' });
    expect(caseJson.actions.map((a: { kind: string }) => a.kind)).toEqual(['police_referral', 'notice']);
    expect(strFromU8(files['timeline.csv'])).toContain('"escalation_acknowledged"');
    expect(strFromU8(files['audit.csv'])).toContain('"escalation.acknowledged"');
    expect(strFromU8(files['case.csv'])).toContain(`"${url}"`);

    // Nothing of the reporter anywhere in the package.
    const { rows: report } = await db.query(`SELECT r.id FROM report r JOIN reported_url ru ON ru.report_id = r.id WHERE ru.case_id = $1`, [caseId]);
    const everything = Object.values(files)
      .map((bytes) => strFromU8(bytes))
      .join('\n');
    for (const secret of [REPORTER_EMAIL, REPORTER_DESCRIPTION, receipt.reference, receipt.statusToken, report[0].id, '"UG"', 'reporter']) {
      expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
    }

    const { rows: audit } = await db.query(`SELECT actor_id, target_type, detail FROM audit_event WHERE action = 'escalation.exported' AND target_id = $1`, [
      escalationId,
    ]);
    expect(audit).toEqual([
      {
        actor_id: national.id,
        target_type: 'escalation',
        detail: expect.objectContaining({ caseId, manifestSha256: digest, files: manifest.files, createdAt: manifest.createdAt }),
      },
    ]);
  });

  it('keeps each agency’s referral, acknowledgement, hold reason and audit trail from the other on a case referred to both', async () => {
    const shared = await fixtureEscalation('shared', { agency: 'National Police', priority: 50 });
    const interpolId = uuidv7();
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason, agency, escalation, sent_at) VALUES ($1, $2, 'police_referral', 'interpol', 'sent', 'fixture', 'INTERPOL', 'confirmed', now())`,
      [interpolId, shared.caseId],
    );
    const npReason = `National Police preserve evidence ${tag} at the data centre`;
    const ipReason = `INTERPOL coordinate ${tag} with a partner country first`;

    // National Police: views, acknowledges, holds and lifts, exports.
    await get(national, `/api/v1/escalations/${shared.escalationId}`).expect(200);
    await post(national, `/api/v1/escalations/${shared.escalationId}/acknowledgement`).expect(200);
    await post(national, `/api/v1/escalations/${shared.escalationId}/hold`, { reason: npReason }).expect(200);
    // INTERPOL sees that the notices are held, not why nor by whom, and cannot lift it.
    const whileHeld = await get(interpol, `/api/v1/escalations/${interpolId}`).expect(200);
    expect(whileHeld.body).toMatchObject({ onHold: true, hold: { ours: false, agency: null, reason: null, liftedAt: null } });
    expect((await del(interpol, `/api/v1/escalations/${interpolId}/hold`)).body).toMatchObject({ status: 409, type: '/problems/no-notice-hold' });
    const heldPage = await get(interpol, `/escalations/${interpolId}`).expect(200);
    expect(heldPage.text).toContain('Police hold by another agency');
    expect(heldPage.text).toContain('A hold by another agency is in force; only that agency can lift it.');
    await del(national, `/api/v1/escalations/${shared.escalationId}/hold`).expect(200);
    const npZip = await exportOf(national, shared.escalationId);

    // INTERPOL: views, acknowledges, holds (left in force), exports.
    await post(interpol, `/api/v1/escalations/${interpolId}/acknowledgement`).expect(200);
    await post(interpol, `/api/v1/escalations/${interpolId}/hold`, { reason: ipReason }).expect(200);
    const ipZip = await exportOf(interpol, interpolId);
    const npExportAgain = await exportOf(national, shared.escalationId);

    const npView = await get(national, `/api/v1/escalations/${shared.escalationId}`).expect(200);
    const ipView = await get(interpol, `/api/v1/escalations/${interpolId}`).expect(200);
    const npPage = await get(national, `/escalations/${shared.escalationId}`).expect(200);
    const ipPage = await get(interpol, `/escalations/${interpolId}`).expect(200);

    // Each sees its own referral only, its own hold in full, the other's as being there.
    expect(npView.body.actions.map((a: { id: string }) => a.id)).toEqual([shared.escalationId, shared.noticeId]);
    expect(ipView.body.actions.map((a: { id: string }) => a.id)).toEqual([shared.noticeId, interpolId]);
    expect(npView.body.holds).toEqual([
      expect.objectContaining({ ours: true, agency: 'National Police', reason: npReason, liftedAt: expect.any(String) }),
      expect.objectContaining({ ours: false, agency: null, reason: null, liftedAt: null }),
    ]);
    expect(npView.body).toMatchObject({ onHold: true, hold: { ours: false, reason: null } });
    expect(ipView.body.holds).toEqual([
      expect.objectContaining({ ours: false, agency: null, reason: null, liftedAt: expect.any(String) }),
      expect.objectContaining({ ours: true, agency: 'INTERPOL', reason: ipReason, liftedAt: null }),
    ]);
    const kinds = (view: request.Response) => view.body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds(npView).filter((k: string) => k === 'escalation_acknowledged')).toHaveLength(1);
    expect(kinds(ipView).filter((k: string) => k === 'escalation_acknowledged')).toHaveLength(1);
    expect(ipView.body.timeline.filter((e: { kind: string }) => e.kind.startsWith('notice_hold_'))).toEqual([
      expect.objectContaining({ kind: 'notice_hold_placed', actorId: null, detail: { byAnotherAgency: true } }),
      expect.objectContaining({ kind: 'notice_hold_lifted', actorId: null, detail: { byAnotherAgency: true } }),
      expect.objectContaining({ kind: 'notice_hold_placed', actorId: interpol.id }),
    ]);

    const { rows: holds } = await db.query(`SELECT id, agency FROM notice_hold WHERE case_id = $1 ORDER BY placed_at`, [shared.caseId]);
    const npSecrets = [npReason, national.id, shared.escalationId, holds[0].id];
    const ipSecrets = [ipReason, interpol.id, interpolId, holds[1].id];
    const leaks = (text: string, secrets: string[]) => secrets.filter((secret) => text.includes(secret));
    expect(leaks(JSON.stringify(ipView.body) + ipPage.text + ipZip.text, npSecrets)).toEqual([]);
    expect(leaks(JSON.stringify(npView.body) + npPage.text + npZip.text + npExportAgain.text, ipSecrets)).toEqual([]);
    // ...while each package has its own agency's record.
    for (const [zip, own] of [
      [npExportAgain, npSecrets],
      [ipZip, ipSecrets],
    ] as const) {
      expect(leaks(zip.text, own)).toEqual(own);
      const audit = zip.files['audit.csv'];
      expect(audit).toContain('"escalation.acknowledged"');
      expect(audit).toContain('"escalation.hold_placed"');
    }
    expect(npExportAgain.files['audit.csv']).toContain('"escalation.hold_lifted"');
    expect(JSON.parse(ipZip.files['case.json']).holds).toEqual([
      { byAnotherAgency: true, placedAt: expect.any(String), liftedAt: expect.any(String) },
      expect.objectContaining({ agency: 'INTERPOL', reason: ipReason, placedBy: interpol.id, liftedAt: null }),
    ]);
    expect(JSON.parse(ipZip.files['case.json']).actions.map((a: { id: string }) => a.id)).toEqual([shared.noticeId, interpolId]);
  });

  it('lists an agency’s inbox most urgent first, page by page', async () => {
    const agency = `Order Police ${tag}`;
    const liaison = await signIn(consoleApp, 'le_liaison', { agency, label: 'order' });
    const low = await fixtureEscalation('low', { agency, priority: 10 });
    const high = await fixtureEscalation('high', { agency, priority: 90 });
    const victim = await fixtureEscalation('victim', { agency, priority: 10, victimIdentifiable: true });
    const unanswered = await fixtureEscalation('unanswered', { agency, priority: 5, escalation: 'notice_unanswered' });
    const acknowledged = await fixtureEscalation('acknowledged', { agency, priority: 100, acknowledged: liaison.id });
    const acknowledgedEarlier = await fixtureEscalation('acknowledged-earlier', { agency, priority: 100, acknowledged: liaison.id, createdAgo: '2 hours' });
    const acknowledgedLow = await fixtureEscalation('acknowledged-low', { agency, priority: 1, acknowledged: liaison.id, createdAgo: '1 hour' });
    const older = await fixtureEscalation('older', { agency, priority: 10, createdAgo: '1 hour' });
    // What waits, most urgent first; then what was acknowledged, newest first (whatever its priority).
    const expected = [unanswered, high, victim, older, low, acknowledged, acknowledgedLow, acknowledgedEarlier].map((e) => e.escalationId);

    const all = await get(liaison, '/api/v1/escalations').expect(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual(expected);
    expect(all.body.unacknowledged).toBe(5);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await get(liaison, `/api/v1/escalations?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      walked.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(expected);
    for (const page of [1, 2, 5, 6, 7]) {
      // Each page size puts the seam between the unacknowledged and acknowledged parts elsewhere.
      const ids: string[] = [];
      let next: string | null = null;
      do {
        const response: request.Response = await get(liaison, `/api/v1/escalations?limit=${page}${next ? `&cursor=${next}` : ''}`).expect(200);
        ids.push(...response.body.items.map((i: { id: string }) => i.id));
        next = response.body.nextCursor;
      } while (next);
      expect({ page, ids }).toEqual({ page, ids: expected });
    }
    expect((await get(liaison, '/api/v1/escalations?cursor=nonsense')).status).toBe(400);
    // A cursor of the right shape whose time PostgreSQL cannot read is a bad request too, not a failed query.
    for (const at of ['2026-13-45 25:99:99+00', '2026-02-30 10:00:00+00']) {
      for (const acknowledgedFlag of [0, 1]) {
        const forged = Buffer.from(JSON.stringify([acknowledgedFlag, 1, -10, 1, at, low.escalationId])).toString('base64url');
        const refused = await get(liaison, `/api/v1/escalations?cursor=${forged}`);
        expect({ at, status: refused.status, field: refused.body.errors?.[0]?.field }).toEqual({ at, status: 400, field: 'cursor' });
        expect(refused.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect((await get(liaison, '/api/v1/escalations?limit=0')).status).toBe(400);

    // The console: the start page is the inbox, in that order, unacknowledged ones marked.
    const home = await get(liaison, '/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/escalations');
    const page = await get(liaison, '/escalations').expect(200);
    const order = [...page.text.matchAll(/data-escalation-id="([0-9a-f-]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(expected);
    expect([...page.text.matchAll(/data-escalation-id="[0-9a-f-]+"\s+data-unacknowledged/g)]).toHaveLength(5);
    expect(page.text).toContain('href="/escalations"');
  });

  /** An export package's files as text, and all of them together. */
  async function exportOf(who: SignedInStaff, id: string): Promise<{ files: Record<string, string>; text: string }> {
    const response = await get(who, `/api/v1/escalations/${id}/export`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(response.body as Buffer))).map(([name, bytes]) => [name, strFromU8(bytes)]));
    return { files, text: Object.values(files).join('\n') };
  }

  /** A confirmed, actioned case hosted at home with a police referral to `agency` and a pending notice (no mail queued). */
  async function fixtureEscalation(
    name: string,
    options: {
      agency: string;
      priority: number;
      victimIdentifiable?: boolean;
      escalation?: 'confirmed' | 'notice_unanswered';
      acknowledged?: string;
      createdAgo?: string;
    },
  ): Promise<{ caseId: string; escalationId: string; noticeId: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.net`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at, priority, victim_identifiable,
                           hosting_status, hosting_class, hosting, verdict, classification, source)
       VALUES ($1, $2, $3, $4, $4, 'actioned', 1, now(), now(), $5, $6, 'resolved', 'domestic', $7, 'baseline', $8, 'public')`,
      [
        id,
        randomBytes(32).toString('hex'),
        `http://${host}/p`,
        host,
        options.priority,
        options.victimIdentifiable ?? false,
        JSON.stringify({ ip: '203.0.113.41', country: 'NL', asn: 64530, organisation: 'NL Hosting BV', cnames: [] }),
        JSON.stringify(CLASSIFICATION),
      ],
    );
    await recordFixtureCreated(db, id);
    const escalationId = uuidv7();
    const noticeId = uuidv7();
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason, agency, escalation, sent_at, acknowledged_at, acknowledged_by, created_at)
       VALUES ($1, $2, 'police_referral', 'national_police', $5, 'fixture', $3, $4, now(), CASE WHEN $6::uuid IS NULL THEN NULL ELSE now() END, $6,
               now() - $7::interval)`,
      [
        escalationId,
        id,
        options.agency,
        options.escalation ?? 'confirmed',
        options.acknowledged ? 'acknowledged' : 'sent',
        options.acknowledged ?? null,
        options.createdAgo ?? '0',
      ],
    );
    await db.query(`INSERT INTO action (id, case_id, kind, channel, status, reason) VALUES ($1, $2, 'notice', 'hosting_provider', 'pending', 'fixture')`, [noticeId, id]);
    return { caseId: id, escalationId, noticeId };
  }
});
