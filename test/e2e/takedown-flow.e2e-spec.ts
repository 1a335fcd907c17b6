import { dedupKey } from '@hotline/domain';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { unzipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { casesVerifyEvents } from '../../apps/cli/src/commands/cases-verify-events';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { LoopbackSmtpServer, startSmtpServer } from '../support/smtp-server';
import { signIn, SignedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
const REMINDER_INTERVAL_MS = 1500;

/**
 * Issue 12's whole road, with real parts only: a public report of content hosted at home is
 * confirmed by two analysts; the worker refers it to the national police and sends the notice to
 * the host's abuse desk (a real SMTP server on loopback), then reminders, then escalates it to
 * police as unanswered; the liaison acknowledges and exports the package and its manifest holds;
 * the removal monitor (DNS and the "host" on loopback) sees the content gone and the case is removed.
 */
describe('from confirmation to removal', () => {
  const host = `images-${tag}.example.com`;
  let dns: LoopbackDnsServer;
  let geoDir: string;
  let smtp: LoopbackSmtpServer;
  let site: Server;
  /** What the "host" answers for the reported page: the content is online until the test takes it down. */
  let online = true;
  const requests: { method: string; path: string }[] = [];
  let intake: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: Client;
  let admin: SignedInStaff;
  let analyst: SignedInStaff;
  let senior: SignedInStaff;
  let liaison: SignedInStaff;
  let otherLiaison: SignedInStaff;

  beforeAll(async () => {
    site = createServer((req, res) => {
      requests.push({ method: req.method!, path: req.url! });
      res.writeHead(online ? 200 : 404, { 'content-type': 'text/html' });
      res.end(req.method === 'HEAD' ? undefined : 'a page the monitor must never read');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    dns = new LoopbackDnsServer({ [host]: { A: ['127.0.0.1'] } });
    const dnsServer = await dns.start();
    geoDir = mkdtempSync(join(tmpdir(), 'hotline-takedown-geo-'));
    const geo = join(geoDir, 'ranges.csv');
    writeFileSync(geo, ['start,end,country,asn,organisation', '127.0.0.0,127.255.255.255,NL,64500,Loopback Hosting BV'].join('\n'));
    smtp = await startSmtpServer();
    // A database of its own: the removal monitor checks every confirmed case it can see, and the
    // other files' cases (names this DNS server does not know) would look gone.
    scratch = await createScratchDatabase('takedown');

    const overrides = {
      DATABASE_URL: scratch.url,
      REDIS_PREFIX: `{hotline-takedown-${tag}}`,
      OUTBOX_POLL_MS: '20',
      HOTLINE_COUNTRY: 'NL',
      NODE_ENV: 'test',
      DNS_SERVERS: dnsServer,
      DNS_TIMEOUT_MS: '300',
      GEO_IP_TABLE: geo,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Test Hotline <abuse-desk@hotline.test>',
      MAIL_BACKOFF: '100ms',
      NOTICE_REMINDER_INTERVAL: `${REMINDER_INTERVAL_MS}ms`,
      NOTICE_REMINDERS_BEFORE_POLICE: '2',
      REMOVAL_CHECK_ENABLED: 'true',
      REMOVAL_CHECK_INTERVAL: '1s',
      REMOVAL_CHECK_ALLOW: host,
    };
    intake = await createIntakeApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = new Client({ connectionString: scratch.url });
    await db.connect();
    admin = await signIn(consoleApp, 'admin');
    analyst = await signIn(consoleApp, 'analyst');
    senior = await signIn(consoleApp, 'senior_analyst');
    liaison = await signIn(consoleApp, 'le_liaison', { agency: 'National Police' });
    otherLiaison = await signIn(consoleApp, 'le_liaison', { agency: 'INTERPOL' });
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await intake?.close();
    await db?.end();
    await scratch?.drop();
    await smtp?.stop();
    await dns?.stop();
    await new Promise((resolve) => site?.close(resolve));
    if (geoDir) rmSync(geoDir, { recursive: true, force: true });
  });

  const post = (who: SignedInStaff, path: string, body: object = {}) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);
  const get = (who: SignedInStaff, path: string) => request(consoleApp.getHttpServer()).get(path).set('authorization', who.bearer);
  const mailsAbout = (caseId: string) => smtp.messages.filter((mail) => mail.text.includes(caseId));

  it('takes a confirmed case from notice, reminders and escalation to police to its removal, and the liaison exports it intact', async () => {
    const contact = await post(admin, '/api/v1/abuse-contacts', { organisation: 'Loopback Hosting BV', email: `abuse@${host}`, language: 'en', domain: 'example.com' });
    expect(contact.status).toBe(201);

    const url = `http://${host}:${(site.address() as AddressInfo).port}/gallery/7`;
    const email = `reporter-${tag}@example.org`;
    const description = `seen on a forum ${tag}`;
    const submitted = await request(intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [url], contact: { email }, description, language: 'en' });
    expect(submitted.status).toBe(201);

    // Triage places it and traces it at home (the loopback range is NL here).
    const placed = await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [dedupKey(url)]);
        return rows[0]?.queue && rows[0].hosting_status === 'resolved' ? rows[0] : undefined;
      },
      { what: 'the case placed and traced' },
    );
    expect(placed.hosting_class).toBe('domestic');
    await db.query(`UPDATE "case" SET priority = 100, queued_at = now() - interval '10 years' WHERE id = $1`, [placed.id]);

    // Four eyes: an analyst assesses, a senior analyst confirms.
    expect((await post(analyst, `/api/v1/queues/${placed.queue}/claim`)).body.id).toBe(placed.id);
    expect((await post(analyst, `/api/v1/cases/${placed.id}/assessment`, { verdict: 'baseline', classification: CLASSIFICATION })).body.status).toBe('pending_review');
    const reviewed = await post(senior, `/api/v1/cases/${placed.id}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(reviewed.body.status).toBe('confirmed');

    // The notice reaches the host's abuse desk, then two reminders, REMINDER_INTERVAL_MS apart.
    const [notice, ...reminders] = await waitFor(async () => (mailsAbout(placed.id).length >= 3 ? mailsAbout(placed.id) : undefined), {
      what: 'the notice and two reminders',
      stallMs: 30_000,
    });
    for (const mail of [notice, ...reminders]) {
      expect(mail.to).toEqual([`abuse@${host}`]);
      expect(mail.text).toContain(url);
      expect(mail.text).not.toContain(email);
      expect(mail.text).not.toContain(description);
    }
    expect(reminders.map((mail) => mail.subject)).toEqual([expect.stringMatching(/reminder/i), expect.stringMatching(/reminder/i)]);

    // After the second reminder the case is escalated to police as unanswered, most urgent first.
    const inbox = await waitFor(
      async () => {
        const response = await get(liaison, '/api/v1/escalations');
        const ours = (response.body.items ?? []).filter((item: { caseId: string }) => item.caseId === placed.id);
        return ours.length === 2 ? ours : undefined;
      },
      { what: 'two escalations of the case in the national inbox', stallMs: 30_000 },
    );
    expect(inbox.map((item: { reason: string }) => item.reason)).toEqual(['notice_unanswered', 'confirmed']);
    const { rows: actions } = await db.query(`SELECT kind, status, agency, escalation FROM action WHERE case_id = $1 AND kind = 'police_referral' ORDER BY created_at`, [
      placed.id,
    ]);
    expect(actions).toEqual([
      { kind: 'police_referral', status: 'sent', agency: 'National Police', escalation: 'confirmed' },
      { kind: 'police_referral', status: 'sent', agency: 'National Police', escalation: 'notice_unanswered' },
    ]);

    // Another agency's liaison cannot see it at all.
    const escalationId = inbox[0].id;
    expect((await get(otherLiaison, `/api/v1/escalations/${escalationId}`)).status).toBe(404);
    expect((await get(otherLiaison, '/api/v1/escalations')).body.items.some((item: { caseId: string }) => item.caseId === placed.id)).toBe(false);

    // The liaison acknowledges and exports; every file of the package matches its manifest.
    expect((await post(liaison, `/api/v1/escalations/${escalationId}/acknowledgement`)).status).toBe(200);
    const exported = await get(liaison, `/api/v1/escalations/${escalationId}/export`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(exported.status).toBe(200);
    const files = unzipSync(new Uint8Array(exported.body as Buffer));
    const manifestBytes = files['manifest.json'];
    expect(createHash('sha256').update(manifestBytes).digest('hex')).toBe(exported.headers['x-manifest-sha256']);
    const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
    const listed = manifest.files as { name: string; bytes: number; sha256: string }[];
    expect(listed.map((file) => file.name).sort()).toEqual(
      Object.keys(files)
        .filter((name) => name !== 'manifest.json')
        .sort(),
    );
    for (const file of listed) {
      expect(files[file.name].byteLength).toBe(file.bytes);
      expect(createHash('sha256').update(files[file.name]).digest('hex')).toBe(file.sha256);
    }
    const everything = Object.values(files)
      .map((bytes) => Buffer.from(bytes).toString('utf8'))
      .join('\n');
    expect(everything).toContain(placed.id);
    expect(everything).not.toContain(email);
    expect(everything).not.toContain(description);
    expect(everything).not.toContain(submitted.body.reference);
    const { rows: audited } = await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 AND action LIKE '%export%' ORDER BY seq DESC LIMIT 1`, [liaison.id]);
    expect(JSON.stringify(audited[0].detail)).toContain(exported.headers['x-manifest-sha256']);

    // The host takes it down: the monitor sees 404 and the case is removed, with its time.
    expect(await caseStatus(placed.id)).toBe('actioned');
    online = false;
    const removed = await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT status, removed_at FROM "case" WHERE id = $1`, [placed.id]);
        return rows[0].status === 'removed' ? rows[0] : undefined;
      },
      { what: 'the monitor to see the content gone', stallMs: 30_000 },
    );
    expect(removed.removed_at).toBeInstanceOf(Date);
    const shown = await get(analyst, `/api/v1/cases/${placed.id}`);
    expect(shown.body.removalCheck).toEqual({ checkedAt: removed.removed_at.toISOString(), outcome: 'gone', httpStatus: 404 });
    const { rows: steps } = await db.query(`SELECT from_status, to_status FROM case_event WHERE case_id = $1 AND to_status IS NOT NULL ORDER BY id`, [placed.id]);
    expect(steps.map((step) => `${step.from_status}>${step.to_status}`)).toEqual([
      'null>queued',
      'queued>in_assessment',
      'in_assessment>pending_review',
      'pending_review>confirmed',
      'confirmed>actioned',
      'actioned>removed',
    ]);
    // The monitor only ever asked for the status line and headers.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.method === 'HEAD')).toBe(true);
    // This database's every status change has its event (the run's teardown checks only its own).
    const rows = { query: async (sql: string, parameters?: unknown[]) => (await db.query(sql, parameters)).rows };
    expect(await casesVerifyEvents(rows)).toEqual({ ok: true, lines: 'ok 1 cases\n' });
  });

  async function caseStatus(id: string): Promise<string> {
    const { rows } = await db.query(`SELECT status FROM "case" WHERE id = $1`, [id]);
    return rows[0].status;
  }
});
