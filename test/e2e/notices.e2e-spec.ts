import { DeadLetters, JOB_IDS } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { forceCaseStatus, recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackSmtpServer, ReceivedMail, startSmtpServer } from '../support/smtp-server';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
const REMINDER_INTERVAL_MS = 1500;
const ATTEMPTS = 6;

/**
 * Notices to hosting providers with real parts: the worker (outbox relay, case actions, the mail
 * queue, the reminder scheduler) against an SMTP server on loopback. Cases are confirmed fixtures
 * published to `case.act` as a review would, so the notice is made by the real action decision.
 */
describe('notices to hosting providers', () => {
  let worker: NestFastifyApplication;
  let db: Client;
  let smtp: LoopbackSmtpServer;
  let smtpPort: number;
  /** Every mail received, across SMTP restarts. */
  const received: ReceivedMail[] = [];
  let liaisonId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    smtpPort = smtp.port;
    worker = await createWorkerApp(
      testConfig({
        REDIS_PREFIX: `{hotline-notices-${tag}}`,
        OUTBOX_POLL_MS: '20',
        HOTLINE_COUNTRY: 'NL',
        NODE_ENV: 'test',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Test Hotline <abuse-desk@hotline.test>',
        MAIL_ATTEMPTS: String(ATTEMPTS),
        MAIL_BACKOFF: '100ms',
        MAIL_TIMEOUT: '2s',
        NOTICE_REMINDER_INTERVAL: `${REMINDER_INTERVAL_MS}ms`,
        NOTICE_REMINDERS_BEFORE_POLICE: '2',
      }),
    );
    db = await connectDatabase();
    liaisonId = uuidv7();
    // A liaison to place holds (a fixture: no password anyone knows, never signs in).
    await db.query(
      `INSERT INTO staff_user (id, email, role, agency, password_hash, totp_secret_encrypted) VALUES ($1, $2, 'le_liaison', 'National Police', '!', '\\x00')`,
      [liaisonId, `liaison-${tag}@hotline.test`],
    );
  });

  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await db?.end();
  });

  /** Mails received (this server and earlier ones) about a case. */
  const mailsOf = (caseId: string) => [...received, ...smtp.messages.filter((m) => !received.includes(m))].filter((m) => m.text.includes(caseId));
  const waitForMails = (caseId: string, n: number) =>
    waitFor(async () => (mailsOf(caseId).length >= n ? mailsOf(caseId) : undefined), { what: `${n} mail(s) about ${caseId}`, stallMs: 20_000 });

  /** A confirmed case hosted at home, reported once (the report's reference must never reach the host). */
  async function confirmedCase(name: string): Promise<{ caseId: string; url: string; domain: string; reportReference: string }> {
    const caseId = uuidv7();
    const domain = `${name}-${tag}.example.test`;
    const url = `https://${domain}/gallery/${name}?id=7`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at,
                           hosting_status, hosting_class, hosting, verdict, classification, source, assessed_at, reviewed_at)
       VALUES ($1, $2, $3, $4, $4, 'confirmed', 1, now(), now(), 'resolved', 'domestic', $5, 'baseline', $6, 'public', now(), now())`,
      [
        caseId,
        randomBytes(32).toString('hex'),
        url,
        domain,
        JSON.stringify({ ip: '192.0.2.10', country: 'NL', asn: 64496, organisation: 'Host BV', cnames: [] }),
        JSON.stringify(CLASSIFICATION),
      ],
    );
    await recordFixtureCreated(db, caseId);
    const reportId = uuidv7();
    const reportReference = `REF-${randomBytes(6).toString('hex')}`;
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, content_type, victim_identifiable, url_count)
       VALUES ($1, $2, $3, 'public_web', now(), 'fr', 'images', false, 1)`,
      [reportId, reportReference, randomBytes(32)],
    );
    await db.query(
      `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id) VALUES ($1, $2, 0, $3, $3, $4, $5, now(), $6)`,
      [uuidv7(), reportId, url, randomBytes(32).toString('hex'), domain, caseId],
    );
    return { caseId, url, domain, reportReference };
  }

  const abuseContact = async (domain: string, email: string, language = 'en') => {
    const id = uuidv7();
    await db.query(`INSERT INTO abuse_contact (id, organisation, email, language, domain, source) VALUES ($1, $2, $3, $4, $5, 'manual')`, [
      id,
      `Host of ${domain}`,
      email,
      language,
      domain,
    ]);
    return id;
  };
  /** As a review does on confirming: the case.act outbox row (the action decision makes the notice). */
  const act = (caseId: string) => db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('case.act', $1, '{}')`, [caseId]);
  const actionsOf = async (caseId: string, kind: string) =>
    (await db.query(`SELECT * FROM action WHERE case_id = $1 AND kind = $2 ORDER BY created_at, id`, [caseId, kind])).rows;
  const noticeOf = async (caseId: string) => (await actionsOf(caseId, 'notice'))[0];
  const eventsOf = async (caseId: string, kind: string) => (await db.query(`SELECT * FROM case_event WHERE case_id = $1 AND kind = $2 ORDER BY id`, [caseId, kind])).rows;
  const caseStatus = async (caseId: string) => (await db.query(`SELECT status FROM "case" WHERE id = $1`, [caseId])).rows[0].status;
  const metricsText = async () => (await request(worker.getHttpServer()).get('/metrics').expect(200)).text;
  const counterValue = (text: string, name: string, labels: Record<string, string>) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const noticeIn = (caseId: string, status: string) =>
    waitFor(
      async () => {
        const notice = await noticeOf(caseId);
        return notice?.status === status ? notice : undefined;
      },
      { what: `notice of ${caseId} ${status}`, stallMs: 20_000 },
    );
  /** Stops the reminders of a case whose test is done: its content is gone. */
  const removed = (caseId: string) => forceCaseStatus(db, caseId, 'removed', 'removed_at = now()');

  it('sends the notice to the host abuse desk, then two reminders, then escalates the case to police an interval after the second', async () => {
    const { caseId, url, domain, reportReference } = await confirmedCase('notice');
    const contactId = await abuseContact(domain, `abuse@${domain}`);
    await act(caseId);

    const [notice] = await waitForMails(caseId, 1);
    expect(notice.to).toEqual([`abuse@${domain}`]);
    expect(notice.from).toBe('abuse-desk@hotline.test');
    expect(notice.subject).toBe(`Notice of child sexual abuse material on your service (our reference ${caseId})`);
    expect(notice.headers['content-language']).toBe('en');
    // The exact URL, in plain text: the host must find it to remove it.
    expect(notice.text.split('\n')).toContain(url);
    expect(notice.text).toContain('illegal in any country');
    // Nothing about the report or its reporter.
    expect(notice.raw).not.toContain(reportReference);
    expect(notice.raw).not.toMatch(/report(ed|er)? (by|from)/i);

    const sent = await noticeIn(caseId, 'sent');
    expect(sent).toMatchObject({ channel: 'hosting_provider', recipient: `abuse@${domain}`, abuse_contact_id: contactId, language: 'en', attempts: 1, last_error: null });
    expect(sent.external_ref).toBeTruthy();
    expect(sent.sent_at).toBeTruthy();
    expect(await caseStatus(caseId)).toBe('actioned');
    const [event] = await eventsOf(caseId, 'notice_sent');
    expect(event.detail).toMatchObject({ actionId: sent.id, attempts: 1, organisation: `Host of ${domain}`, abuseContactId: contactId });
    expect(JSON.stringify(event.detail)).not.toContain('@');

    const mails = await waitForMails(caseId, 3);
    expect(mails[1].subject).toBe(`Reminder 1: child sexual abuse material on your service (our reference ${caseId})`);
    expect(mails[2].subject).toMatch(/^Reminder 2: /);
    for (const reminder of mails.slice(1, 3)) {
      expect(reminder.to).toEqual([`abuse@${domain}`]);
      expect(reminder.text.split('\n')).toContain(url);
      expect(reminder.text).toMatch(/This is reminder [12] about our notice of /);
    }
    const reminders = await waitFor(async () => {
      const rows = await actionsOf(caseId, 'reminder');
      return rows.length >= 2 && rows.slice(0, 2).every((r) => r.status === 'sent') ? rows : undefined;
    });
    expect(reminders[0]).toMatchObject({ parent_action_id: sent.id, channel: 'hosting_provider', recipient: `abuse@${domain}` });
    expect(reminders[0].reason).toMatch(/^Reminder 1: content still online \d+ hours? after the notice\.$/);
    expect(reminders[1].reason).toMatch(/^Reminder 2: /);
    expect((await eventsOf(caseId, 'reminder_sent')).length).toBeGreaterThanOrEqual(2);

    // Two reminders sent and a further interval without removal (NOTICE_REMINDERS_BEFORE_POLICE=2): the case goes to police, once.
    const escalation = await waitFor(async () => (await actionsOf(caseId, 'police_referral')).find((a) => a.escalation === 'notice_unanswered'));
    expect(escalation).toMatchObject({ channel: 'national_police', agency: 'National Police', status: 'sent', parent_action_id: sent.id });
    expect(escalation.sent_at).toBeTruthy();
    expect(escalation.reason).toMatch(/^Notice unanswered: the host was reminded 2 times/);
    const [escalated] = await eventsOf(caseId, 'escalated_to_police');
    expect(escalated.detail).toMatchObject({ actionId: escalation.id, noticeId: sent.id, agency: 'National Police', channel: 'national_police', reminders: 2 });
    // Only after the second reminder was in the host's mailbox, never with it.
    const secondSent = (await eventsOf(caseId, 'reminder_sent')).find((e) => e.detail.reminder === 2);
    expect(BigInt(escalated.id)).toBeGreaterThan(BigInt(secondSent.id));
    // Made with the third reminder, in the same transaction (one transaction start: one `at`), which goes out too.
    const third = (await eventsOf(caseId, 'reminder_due')).find((e) => e.detail.reminder === 3);
    expect(third).toBeDefined();
    expect(new Date(third.at).getTime()).toBe(new Date(escalated.at).getTime());
    // Reminders go on until removal; the escalation is not repeated.
    const [, , , reminder3] = await waitForMails(caseId, 4);
    expect(reminder3.subject).toMatch(/^Reminder 3: /);
    expect((await actionsOf(caseId, 'police_referral')).filter((a) => a.escalation === 'notice_unanswered')).toHaveLength(1);
    const metrics = await metricsText();
    expect(counterValue(metrics, 'hotline_mail_sent_total', { kind: 'notice' })).toBeGreaterThanOrEqual(1);
    expect(counterValue(metrics, 'hotline_mail_sent_total', { kind: 'reminder' })).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/hotline_notice_reminders_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/hotline_notice_escalations_total\{[^}]*\} [1-9]/);

    // Removed: no reminder is made any more.
    await removed(caseId);
    const count = (await actionsOf(caseId, 'reminder')).length;
    const other = await confirmedCase('after-removal');
    await abuseContact(other.domain, `abuse@${other.domain}`);
    await act(other.caseId);
    // Two reminder intervals pass (measured by another case's reminders), and this case got none.
    await waitForMails(other.caseId, 3);
    expect((await actionsOf(caseId, 'reminder')).length).toBeLessThanOrEqual(count + 1);
    const settled = (await actionsOf(caseId, 'notice'))[0];
    expect(settled.next_reminder_at).toBeNull();
    await removed(other.caseId);
  });

  it('counts only reminders the host was sent: one refused does not bring police sooner', async () => {
    const { caseId, domain } = await confirmedCase('refused-reminder');
    await abuseContact(domain, `abuse@${domain}`);
    await act(caseId);
    await waitForMails(caseId, 1);
    const notice = await noticeIn(caseId, 'sent');
    // The next mail this server sees is the first reminder (the other cases are removed): refused for good.
    smtp.refuseNext(1, 550);
    const [first] = await waitFor(async () => {
      const rows = await actionsOf(caseId, 'reminder');
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(first.last_error).toBe('rejected');
    // Reminders 2 and 3 reach the host: two sent, the escalation comes an interval after the third.
    const mails = await waitForMails(caseId, 3);
    expect(mails.map((m) => m.subject.split(':')[0])).toEqual([expect.stringMatching(/^Notice/), 'Reminder 2', 'Reminder 3']);
    const escalation = await waitFor(async () => (await actionsOf(caseId, 'police_referral')).find((a) => a.escalation === 'notice_unanswered'));
    expect(escalation).toMatchObject({ parent_action_id: notice.id, status: 'sent' });
    expect(escalation.reason).toMatch(/^Notice unanswered: the host was reminded 2 times/);
    const [escalated] = await eventsOf(caseId, 'escalated_to_police');
    const thirdSent = (await eventsOf(caseId, 'reminder_sent')).find((e) => e.detail.reminder === 3);
    expect(BigInt(escalated.id)).toBeGreaterThan(BigInt(thirdSent.id));
    const fourth = (await eventsOf(caseId, 'reminder_due')).find((e) => e.detail.reminder === 4);
    expect(new Date(fourth.at).getTime()).toBe(new Date(escalated.at).getTime());
    const settled = await noticeOf(caseId);
    expect(settled.reminders_sent).toBeGreaterThanOrEqual(2);
    await removed(caseId);
  });

  it('writes the notice in the language of the abuse desk', async () => {
    const { caseId, url, domain } = await confirmedCase('arabic');
    await abuseContact(domain, `abuse@${domain}`, 'ar');
    await act(caseId);
    const [mail] = await waitForMails(caseId, 1);
    expect(mail.headers['content-language']).toBe('ar');
    expect(mail.subject).toMatch(/[\u0600-\u06FF]/);
    expect(mail.text).toMatch(/([\u0600-\u06FF]+[\s،]+){10}/);
    expect(mail.text.split('\n')).toContain(url);
    await noticeIn(caseId, 'sent');
    await removed(caseId);
  });

  it('sends nothing while police hold the notices, and says why on the case', async () => {
    const { caseId, domain } = await confirmedCase('held');
    await abuseContact(domain, `abuse@${domain}`);
    await db.query(`INSERT INTO notice_hold (id, case_id, agency, reason, placed_by) VALUES ($1, $2, 'National Police', 'preserving evidence', $3)`, [
      uuidv7(),
      caseId,
      liaisonId,
    ]);
    await act(caseId);
    const [skipped] = await waitFor(async () => {
      const rows = await eventsOf(caseId, 'notice_skipped');
      return rows.length ? rows : undefined;
    });
    const notice = await noticeOf(caseId);
    expect(skipped.detail).toMatchObject({ actionId: notice.id, kind: 'notice', reason: 'police_hold' });
    expect(notice.status).toBe('pending');
    expect(mailsOf(caseId)).toHaveLength(0);

    // Lifted: the notice is published again and goes.
    await db.query(`UPDATE notice_hold SET lifted_at = now(), lifted_by = $2 WHERE case_id = $1`, [caseId, liaisonId]);
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('mail.send', $1, '{}')`, [`notice:${notice.id}:lifted`]);
    await waitForMails(caseId, 1);
    await noticeIn(caseId, 'sent');
    await removed(caseId);
  });

  it('fails a notice the SMTP server refuses (5xx) at once: failed action, case event, metric and a dead letter', async () => {
    const { caseId, domain } = await confirmedCase('refused');
    await abuseContact(domain, `abuse@${domain}`);
    const before = counterValue(await metricsText(), 'hotline_mail_failures_total', { kind: 'notice', code: 'rejected', final: 'true' });
    smtp.setRefusing(550);
    try {
      await act(caseId);
      const failed = await noticeIn(caseId, 'failed');
      expect(failed).toMatchObject({ last_error: 'rejected', attempts: 1 });
      const [event] = await eventsOf(caseId, 'notice_failed');
      expect(event.detail).toMatchObject({ actionId: failed.id, kind: 'notice', code: 'rejected', permanent: true, attempts: 1 });
      const deadLetter = await waitFor(async () => (await worker.get(DeadLetters).list()).find((d) => d.jobId === JOB_IDS.sendMail(`notice:${failed.id}`)));
      expect(deadLetter).toMatchObject({ queue: 'mail', jobName: 'send-mail', payload: { mailKey: `notice:${failed.id}` } });
      expect(deadLetter.error).not.toContain(domain);
      expect(counterValue(await metricsText(), 'hotline_mail_failures_total', { kind: 'notice', code: 'rejected', final: 'true' })).toBe(before + 1);
      expect(mailsOf(caseId)).toHaveLength(0);
    } finally {
      smtp.setRefusing(false);
    }
  });

  it('retries a notice while the SMTP server defers (4xx) or is down, and delivers it once it is back', async () => {
    const deferred = await confirmedCase('deferred');
    await abuseContact(deferred.domain, `abuse@${deferred.domain}`);
    smtp.refuseNext(2, 451);
    await act(deferred.caseId);
    await waitForMails(deferred.caseId, 1);
    const sent = await noticeIn(deferred.caseId, 'sent');
    expect(sent).toMatchObject({ attempts: 3, last_error: null });
    expect(counterValue(await metricsText(), 'hotline_mail_failures_total', { kind: 'notice', code: 'smtp_error', final: 'false' })).toBeGreaterThanOrEqual(2);
    await removed(deferred.caseId);

    // The server goes away: nothing listens on its port until it is started again.
    received.push(...smtp.messages);
    await smtp.stop();
    const down = await confirmedCase('down');
    await abuseContact(down.domain, `abuse@${down.domain}`);
    await act(down.caseId);
    const failing = await waitFor(async () => {
      const notice = await noticeOf(down.caseId);
      return notice?.last_error === 'smtp_unreachable' ? notice : undefined;
    });
    expect(failing.status).toBe('pending');
    smtp = await startSmtpServer({ port: smtpPort });
    await waitForMails(down.caseId, 1);
    const delivered = await noticeIn(down.caseId, 'sent');
    expect(delivered.attempts).toBeGreaterThan(1);
    expect(delivered.last_error).toBeNull();
    expect((await eventsOf(down.caseId, 'notice_failed')).length).toBe(0);
    await removed(down.caseId);
  });

  it('fails a notice with no abuse contact known, visibly, and a redrive delivers it once a contact is added', async () => {
    const { caseId, domain } = await confirmedCase('no-contact');
    await act(caseId);
    const failed = await noticeIn(caseId, 'failed');
    expect(failed.last_error).toBe('no_abuse_contact');
    const [event] = await eventsOf(caseId, 'notice_failed');
    expect(event.detail).toMatchObject({ actionId: failed.id, code: 'no_abuse_contact', permanent: true });
    expect(counterValue(await metricsText(), 'hotline_mail_failures_total', { kind: 'notice', code: 'no_abuse_contact', final: 'true' })).toBeGreaterThanOrEqual(1);
    const deadLetters = worker.get(DeadLetters);
    const deadLetter = await waitFor(async () => (await deadLetters.list()).find((d) => d.jobId === JOB_IDS.sendMail(`notice:${failed.id}`)));

    await abuseContact(domain, `abuse@${domain}`, 'fr');
    expect(await deadLetters.redrive({ id: deadLetter.id })).toEqual({ redriven: [deadLetter.id], notOpen: [] });
    const [mail] = await waitForMails(caseId, 1);
    expect(mail.to).toEqual([`abuse@${domain}`]);
    expect(mail.headers['content-language']).toBe('fr');
    expect(mail.subject).toMatch(/^Signalement /);
    const sent = await noticeIn(caseId, 'sent');
    expect(sent.last_error).toBeNull();
    await removed(caseId);
  });
});
