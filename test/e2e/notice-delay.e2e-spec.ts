import { JOB_IDS, QueueName, QueueRegistry } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackSmtpServer, startSmtpServer } from '../support/smtp-server';
import { signIn, SignedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
const DELAY_MS = 3000;

/**
 * NOTICE_DELAY: a new notice waits before it goes to the host, so police, who see the referral at
 * once, can hold it while they preserve evidence. A hold placed in that window keeps the host
 * untold until it is lifted; without one the notice goes when the window closes.
 */
describe('the notice delay', () => {
  const prefix = `{hotline-notice-delay-${tag}}`;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let smtp: LoopbackSmtpServer;
  let db: Client;
  let redis: Redis;
  let queues: QueueRegistry;
  let liaison: SignedInStaff;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const overrides = {
      REDIS_PREFIX: prefix,
      OUTBOX_POLL_MS: '20',
      HOTLINE_COUNTRY: 'NL',
      NODE_ENV: 'test',
      SMTP_URL: smtp.url,
      MAIL_BACKOFF: '100ms',
      NOTICE_DELAY: `${DELAY_MS}ms`,
      NOTICE_REMINDER_INTERVAL: '1h',
    };
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    queues = new QueueRegistry(redis, prefix);
    liaison = await signIn(consoleApp, 'le_liaison', { agency: 'National Police' });
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await queues?.close();
    redis?.disconnect();
    await db?.end();
    await smtp?.stop();
  });

  const api = (method: 'get' | 'post' | 'delete', path: string, body?: object) =>
    request(consoleApp.getHttpServer())[method](path).set('authorization', liaison.bearer).send(body);

  /** A confirmed case hosted at home with its host's abuse desk known, acted on as a review would. */
  async function confirmedCase(name: string): Promise<string> {
    const caseId = uuidv7();
    const domain = `${name}-${tag}.example.com`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at,
                           hosting_status, hosting_class, hosting, verdict, classification, source, assessed_at, reviewed_at)
       VALUES ($1, $2, $3, $4, $4, 'confirmed', 1, now(), now(), 'resolved', 'domestic', $5, 'baseline', $6, 'public', now(), now())`,
      [
        caseId,
        randomBytes(32).toString('hex'),
        `https://${domain}/p`,
        domain,
        JSON.stringify({ ip: '192.0.2.10', country: 'NL', asn: 64496, organisation: 'Host BV', cnames: [] }),
        JSON.stringify(CLASSIFICATION),
      ],
    );
    await recordFixtureCreated(db, caseId);
    await db.query(`INSERT INTO abuse_contact (id, organisation, email, language, domain, source) VALUES ($1, 'Host BV', $2, 'en', $3, 'manual')`, [
      uuidv7(),
      `abuse@${domain}`,
      domain,
    ]);
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('case.act', $1, '{}')`, [caseId]);
    return caseId;
  }

  const noticeOf = (caseId: string) =>
    waitFor(async () => (await db.query(`SELECT * FROM action WHERE case_id = $1 AND kind = 'notice'`, [caseId])).rows[0], { what: `the notice of ${caseId}` });
  const mailsAbout = (caseId: string) => smtp.messages.filter((mail) => mail.text.includes(caseId));
  /** The server took the mail: the action says so once the worker has recorded it. */
  const sentRecorded = (actionId: string) =>
    waitFor(async () => ((await db.query(`SELECT status FROM action WHERE id = $1`, [actionId])).rows[0].status === 'sent' ? true : undefined), {
      what: 'the notice recorded as sent',
    });

  it('holds a notice placed on hold within the window until the hold is lifted', async () => {
    const caseId = await confirmedCase('held');
    const notice = await noticeOf(caseId);
    const inbox = await waitFor(async () => ((await api('get', '/api/v1/escalations')).body.items ?? []).find((item: { caseId: string }) => item.caseId === caseId), {
      what: 'the referral in the inbox',
    });
    // The notice's job waits out the window.
    const job = await waitFor(async () => (await queues.get(QueueName.Mail).getJob(JOB_IDS.sendMail(`notice:${notice.id}`))) ?? undefined, { what: 'the send job' });
    expect(job.opts.delay).toBe(DELAY_MS);
    expect(await job.getState()).toBe('delayed');
    expect((await api('post', `/api/v1/escalations/${inbox.id}/hold`, { reason: 'Evidence is being preserved with the host first' })).status).toBe(200);

    // The window closes under the hold: nothing goes, and the case says why.
    await waitFor(async () => (await db.query(`SELECT 1 FROM case_event WHERE case_id = $1 AND kind = 'notice_skipped'`, [caseId])).rows[0], {
      what: 'the held notice skipped',
      stallMs: 20_000,
    });
    expect(mailsAbout(caseId)).toEqual([]);
    expect((await db.query(`SELECT status FROM action WHERE id = $1`, [notice.id])).rows[0].status).toBe('pending');

    // Lifted: it goes at once (no second window).
    expect((await api('delete', `/api/v1/escalations/${inbox.id}/hold`)).status).toBe(200);
    const [mail] = await waitFor(async () => (mailsAbout(caseId).length > 0 ? mailsAbout(caseId) : undefined), { what: 'the released notice', stallMs: 20_000 });
    expect(mail.to).toEqual([`abuse@held-${tag}.example.com`]);
    await sentRecorded(notice.id);
  });

  it('sends a notice nobody holds when the window closes', async () => {
    const caseId = await confirmedCase('unheld');
    const notice = await noticeOf(caseId);
    const job = await waitFor(async () => (await queues.get(QueueName.Mail).getJob(JOB_IDS.sendMail(`notice:${notice.id}`))) ?? undefined, { what: 'the send job' });
    expect(job.opts.delay).toBe(DELAY_MS);
    await waitFor(async () => (mailsAbout(caseId).length > 0 ? true : undefined), { what: 'the notice', stallMs: 20_000 });
    await sentRecorded(notice.id);
  });
});
