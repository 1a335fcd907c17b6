import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedbackRepository, type FeedbackScanBatch, type SqlRunner } from '@hotline/persistence';
import { FEEDBACK_GAP_BOUND_MS } from '../../apps/worker/src/feedback/feedback-scanner.service';
import { gapPassage } from '@hotline/persistence';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { forceCaseStatus } from '../support/cases';
import { testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt, freePort } from '../support/processes';
import { LoopbackSmtpServer, ReceivedMail, startSmtpServer } from '../support/smtp-server';
import { waitFor } from '../support/wait';

// A gap in the case-event ids (a rolled-back insert elsewhere in the run) holds the scan up until
// no transaction older than the gap runs (any long one in the run): waits allow for one.
const MAIL_WAIT_MS = 60_000;
const VERDICT_WORDS = /illegal|illégal|illicite|confirm|police|شرطة|قانون|مؤكد|verdict|removed|retiré/i;

/**
 * Reporter feedback from the outside: reports made through the built intake in French and in
 * Arabic with an email address, their cases moved on (each move a case event), a real worker and
 * a real SMTP server on loopback. The reporter hears of each new public status once, in their
 * language, with the reference and nothing of the content; a report without an address gets
 * nothing; an address erased before the mail goes out is not written to; the address is never
 * in the database, Redis or the logs in clear.
 */
describe('reporter feedback', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `{hotline-feedback-${run}}`;
  const emails = { fr: `signaleur-${run}@example.net`, ar: `mubaligh-${run}@example.net`, erased: `erased-${run}@example.net`, late: `late-${run}@example.net` };
  let smtp: LoopbackSmtpServer;
  let intake: AppProcess;
  let worker: AppProcess;
  let intakeUrl: string;
  let workerUrl: string;
  let env: NodeJS.ProcessEnv;
  let db: Client;
  // Case events before this test's own (the scan is replayed from here below).
  let firstEventId: string;
  const logs: string[] = [];
  // The fixture analyst who holds the cases taken into assessment.
  const analystId = randomUUID();

  beforeAll(async () => {
    ensureBuilt();
    smtp = await startSmtpServer();
    const [intakePort, workerPort] = [await freePort(), await freePort()];
    env = testEnv({
      NODE_ENV: 'development',
      LOG_LEVEL: 'debug',
      REDIS_PREFIX: prefix,
      INTAKE_PORT: String(intakePort),
      WORKER_PORT: String(workerPort),
      OUTBOX_POLL_MS: '20',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Hotline <feedback@hotline.test>',
      MAIL_ATTEMPTS: '20',
      MAIL_BACKOFF: '100ms',
      MAIL_TIMEOUT: '5s',
      SECRETS_FILE: join(mkdtempSync(join(tmpdir(), 'hotline-secrets-')), 'secrets.json'),
    });
    intakeUrl = `http://127.0.0.1:${intakePort}`;
    workerUrl = `http://127.0.0.1:${workerPort}`;
    db = await connectDatabase();
    await db.query(`INSERT INTO staff_user (id, email, role, password_hash, totp_secret_encrypted) VALUES ($1, $2, 'analyst', '!', '\\x00')`, [
      analystId,
      `analyst-${run}@hotline.test`,
    ]);
    firstEventId = (await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM case_event`)).rows[0].id;
    [intake, worker] = await Promise.all([
      AppProcess.start('intake-api', env, `${intakeUrl}/health/ready`),
      AppProcess.start('worker', env, `${workerUrl}/health/ready`),
    ]);
  }, 240_000);

  afterAll(async () => {
    logs.push(intake?.output ?? '', worker?.output ?? '');
    await Promise.all([intake?.stop(), worker?.stop()]);
    await db?.end();
    await smtp?.stop();
  });

  /** A report through the public API; its id and reference once its URL is placed in a case. */
  async function report(body: Record<string, unknown>, acceptLanguage: string): Promise<{ id: string; reference: string; caseId: string }> {
    const response = await fetch(`${intakeUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    const { reference } = (await response.json()) as { reference: string };
    const { id } = (await db.query(`SELECT id FROM report WHERE reference = $1`, [reference])).rows[0];
    const caseId = await waitFor(
      async () => (await db.query(`SELECT case_id FROM reported_url WHERE report_id = $1 AND case_id IS NOT NULL`, [id])).rows[0]?.case_id as string | undefined,
      { what: 'triage to place the report' },
    );
    return { id, reference, caseId };
  }

  const feedbackOf = async (reportId: string) =>
    (await db.query(`SELECT public_status, state, attempts, last_error FROM report_feedback WHERE report_id = $1 ORDER BY created_at`, [reportId])).rows;
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const waitForMailsTo = (address: string, n: number) =>
    waitFor(async () => (mailsTo(address).length >= n ? mailsTo(address) : undefined), { stallMs: MAIL_WAIT_MS, what: `${n} mail(s) to a reporter` });
  const scanPassed = (eventId: string) =>
    waitFor(async () => ((await db.query(`SELECT last_event_id >= $1::bigint AS passed FROM feedback_cursor`, [eventId])).rows[0].passed ? true : undefined), {
      stallMs: MAIL_WAIT_MS,
      what: 'the feedback scan to pass the latest case event',
    });
  /** An analyst takes the case (a fixture lease) or it moves on from assessment (the lease ends). */
  const move = (caseId: string, status: string) =>
    forceCaseStatus(
      db,
      caseId,
      status,
      status === 'in_assessment' ? `lease_holder = '${analystId}', lease_expires_at = now() + interval '1 hour'` : 'lease_holder = NULL, lease_expires_at = NULL',
    );
  /** A pg client as a repository's SqlRunner (rows only). */
  const rowsOf = (client: Client): SqlRunner => ({ query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows });
  /** One scan batch as the worker would read it, in a transaction rolled back after (the cursor stays where the worker left it). */
  async function scanInTransaction(passGapsThrough: string | null): Promise<FeedbackScanBatch> {
    const scanner = await connectDatabase();
    try {
      // The worker may hold the cursor for its own scan at that moment: then try again.
      return await waitFor(
        async () => {
          await scanner.query('BEGIN');
          try {
            return (await feedbackRepository.scanBatch(rowsOf(scanner), { limit: 1000, passGapsThrough })) ?? undefined;
          } finally {
            await scanner.query('ROLLBACK');
          }
        },
        { what: 'the feedback cursor to be free' },
      );
    } finally {
      await scanner.end();
    }
  }
  /** The other transactions as a scan would see them (read first in a transaction of its own, as the worker does). */
  async function otherTransactions() {
    const reader = await connectDatabase();
    try {
      await reader.query('BEGIN');
      const others = await feedbackRepository.otherTransactions(rowsOf(reader));
      await reader.query('ROLLBACK');
      return others;
    } finally {
      await reader.end();
    }
  }
  const latestEventId = async () => (await db.query(`SELECT max(id)::text AS id FROM case_event`)).rows[0].id as string;

  function expectNeutral(mail: ReceivedMail, reference: string, url: string): void {
    expect(mail.subject).toContain(reference);
    expect(mail.text).toContain(reference);
    for (const part of [mail.subject, mail.text]) {
      expect(part).not.toMatch(/https?:|www\./i);
      expect(part).not.toContain(new URL(url).host);
      expect(part).not.toMatch(VERDICT_WORDS);
    }
    expect(mail.headers['from']).toContain('feedback@hotline.test');
  }

  let fr: { id: string; reference: string; caseId: string };
  let ar: { id: string; reference: string; caseId: string };
  let silent: { id: string; reference: string; caseId: string };
  const urls = { fr: `http://feedback-fr-${run}.example.com/a`, ar: `http://feedback-ar-${run}.example.com/b`, silent: `http://feedback-none-${run}.example.com/c` };

  it('tells a French reporter in French and an Arabic reporter in Arabic, once per public status; a report without an address gets nothing', async () => {
    fr = await report({ urls: [urls.fr], language: 'fr', contact: { email: emails.fr }, description: `vu sur un forum ${run}` }, 'fr-FR,fr;q=0.9');
    ar = await report({ urls: [urls.ar], language: 'ar', contact: { email: emails.ar } }, 'ar');
    silent = await report({ urls: [urls.silent], language: 'fr' }, 'fr');

    // An analyst takes each case: the public status is now "in review".
    await move(silent.caseId, 'in_assessment');
    await move(fr.caseId, 'in_assessment');
    await move(ar.caseId, 'in_assessment');

    const [frFirst] = await waitForMailsTo(emails.fr, 1);
    expect(frFirst.headers['content-language']).toBe('fr');
    expect(frFirst.subject).toBe(`Votre signalement ${fr.reference} : En cours d’examen`);
    expect(frFirst.text).toMatch(/^Bonjour,/);
    expect(frFirst.text).toContain('Vous n’avez pas besoin de répondre');
    expect(frFirst.text).toContain('Nous supprimerons votre adresse e-mail le');
    expectNeutral(frFirst, fr.reference, urls.fr);

    const [arFirst] = await waitForMailsTo(emails.ar, 1);
    expect(arFirst.headers['content-language']).toBe('ar');
    expect(arFirst.subject).toBe(`بلاغك ${ar.reference}: قيد المراجعة`);
    expect(arFirst.text).toContain('شكرًا لك على بلاغك');
    const letters = arFirst.text.replace(/[\s\p{P}\p{N}A-Z]/gu, '');
    expect((letters.match(/[\u0600-\u06FF]/g) ?? []).length / letters.length).toBeGreaterThan(0.95);
    expectNeutral(arFirst, ar.reference, urls.ar);

    // Acted on, then closed: one more mail each time.
    await move(fr.caseId, 'confirmed');
    await move(fr.caseId, 'actioned');
    const frSecond = (await waitForMailsTo(emails.fr, 2))[1];
    expect(frSecond.subject).toBe(`Votre signalement ${fr.reference} : Mesures prises`);
    expectNeutral(frSecond, fr.reference, urls.fr);
    await move(fr.caseId, 'closed');
    const frThird = (await waitForMailsTo(emails.fr, 3))[2];
    expect(frThird.subject).toBe(`Votre signalement ${fr.reference} : Clôturé`);
    expectNeutral(frThird, fr.reference, urls.fr);
    await move(ar.caseId, 'not_illegal');
    const arSecond = (await waitForMailsTo(emails.ar, 2))[1];
    // Judged not illegal reads "closed": never the verdict.
    expect(arSecond.subject).toBe(`بلاغك ${ar.reference}: مغلق`);
    expectNeutral(arSecond, ar.reference, urls.ar);

    await scanPassed(await latestEventId());
    // The server has the mails; the worker records each as sent just after: wait for that, not the mail.
    for (const id of [fr.id, ar.id]) {
      await waitFor(async () => ((await feedbackOf(id)).every((f) => f.state === 'sent') ? true : undefined), {
        stallMs: MAIL_WAIT_MS,
        what: 'the mails recorded as sent',
      });
    }
    expect(await feedbackOf(fr.id)).toEqual([
      { public_status: 'in_review', state: 'sent', attempts: 1, last_error: null },
      { public_status: 'action_taken', state: 'sent', attempts: 1, last_error: null },
      { public_status: 'closed', state: 'sent', attempts: 1, last_error: null },
    ]);
    expect((await feedbackOf(ar.id)).map((f) => [f.public_status, f.state])).toEqual([
      ['in_review', 'sent'],
      ['closed', 'sent'],
    ]);
    // No address, no feedback row, no mail (its case moved before the others').
    expect(await feedbackOf(silent.id)).toEqual([]);
    expect(smtp.messages.filter((m) => !m.to.includes(emails.fr) && !m.to.includes(emails.ar))).toEqual([]);

    const metrics = await (await fetch(`${workerUrl}/metrics`)).text();
    expect(metrics).toMatch(/hotline_feedback_mails_total\{[^}]*status="in_review"[^}]*outcome="sent"[^}]*\} 2/);
    expect(metrics).toMatch(/hotline_feedback_mails_total\{[^}]*status="closed"[^}]*outcome="sent"[^}]*\} 2/);
    expect(metrics).toMatch(/hotline_feedback_mails_total\{[^}]*status="action_taken"[^}]*outcome="queued"[^}]*\} 1/);
  }, 240_000);

  it('never tells the same status twice, even when a restarted worker reads the events again', async () => {
    const before = smtp.messages.length;
    const rows = (await db.query(`SELECT count(*)::int AS n FROM report_feedback WHERE report_id = ANY($1::uuid[])`, [[fr.id, ar.id]])).rows[0].n;
    logs.push(worker.output);
    await worker.stop();
    // Back to before this test's first event, as if nothing had been scanned.
    await db.query(`UPDATE feedback_cursor SET last_event_id = $1`, [firstEventId]);
    worker = await AppProcess.start('worker', env, `${workerUrl}/health/ready`);
    // A move that leaves the public status as it was (closed) is read too.
    await move(ar.caseId, 'closed');
    await scanPassed(await latestEventId());
    // Whatever the replay queued would be in the outbox now; everything published is sent by now.
    await waitFor(async () => ((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n === 0 ? true : undefined), {
      what: 'the relay to publish',
    });
    expect((await db.query(`SELECT count(*)::int AS n FROM report_feedback WHERE report_id = ANY($1::uuid[])`, [[fr.id, ar.id]])).rows[0].n).toBe(rows);
    expect(smtp.messages.length).toBe(before);
  }, 240_000);

  it('skips a mail whose address was erased before it could be sent', async () => {
    // The SMTP server defers every mail, so the first attempt fails and the mail waits for its retry.
    smtp.setRefusing(451);
    const erased = await report({ urls: [`http://feedback-erased-${run}.example.com/d`], language: 'es', contact: { email: emails.erased } }, 'es');
    await move(erased.caseId, 'in_assessment');
    await waitFor(async () => ((await feedbackOf(erased.id))[0]?.attempts >= 1 ? true : undefined), { stallMs: MAIL_WAIT_MS, what: 'a failed first attempt' });
    expect((await feedbackOf(erased.id))[0]).toMatchObject({ public_status: 'in_review', state: 'pending', last_error: 'smtp_error' });
    // The retention erases the contact (as the retention purge does: libs/persistence/src/retention).
    await db.query(`UPDATE report SET contact_delete_after = now() - interval '1 second' WHERE id = $1`, [erased.id]);
    await db.query(
      `UPDATE report SET contact_encrypted = NULL, contact_delete_after = NULL WHERE contact_encrypted IS NOT NULL AND contact_delete_after <= now() AND id = $1`,
      [erased.id],
    );
    smtp.setRefusing(false);
    await waitFor(async () => ((await feedbackOf(erased.id))[0]?.state === 'skipped' ? true : undefined), { stallMs: MAIL_WAIT_MS, what: 'the mail to be skipped' });
    expect((await feedbackOf(erased.id))[0]).toMatchObject({ state: 'skipped', last_error: 'no_contact' });
    expect(mailsTo(emails.erased)).toEqual([]);
    // Any later move tells nothing either: there is nobody to tell.
    await move(erased.caseId, 'not_illegal');
    await scanPassed(await latestEventId());
    expect((await feedbackOf(erased.id)).map((f) => f.public_status)).toEqual(['in_review']);
  }, 240_000);

  it('does not lose a status change whose transaction commits after a later one', async () => {
    const late = await report({ urls: [`http://feedback-late-${run}.example.com/e`], language: 'en-GB', contact: { email: emails.late } }, 'en');
    const holder = await connectDatabase();
    try {
      // The analyst's claim is in a transaction still open when a later case event commits.
      await holder.query('BEGIN');
      await forceCaseStatus(holder, late.caseId, 'in_assessment', `lease_holder = '${analystId}', lease_expires_at = now() + interval '1 hour'`);
      const held = (await holder.query(`SELECT max(id)::text AS id FROM case_event WHERE case_id = $1`, [late.caseId])).rows[0].id as string;
      await move(silent.caseId, 'closed');
      expect(BigInt(await latestEventId())).toBeGreaterThan(BigInt(held));
      // The scan reads up to the uncommitted event and stops there, and the transaction holding
      // it, older than the scan that saw the gap, keeps it from being passed.
      await scanPassed((BigInt(held) - 1n).toString());
      const batch = await scanInTransaction(null);
      expect(batch.through === null || BigInt(batch.through) < BigInt(held)).toBe(true);
      expect(BigInt(batch.blockedAt!)).toBeGreaterThan(BigInt(held));
      const sighting = { through: batch.lastRead!, seenAt: batch.seenAt };
      const others = await otherTransactions();
      expect(others.oldestStart!.getTime()).toBeLessThan(sighting.seenAt.getTime());
      expect(gapPassage(sighting, others, FEEDBACK_GAP_BOUND_MS)).toEqual({ pass: false });
      expect(BigInt(await feedbackRepository.cursor(rowsOf(db)))).toBeLessThan(BigInt(held));
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    const [mail] = await waitForMailsTo(emails.late, 1);
    expect(mail.headers['content-language']).toBe('en');
    expect(mail.subject).toBe(`Your report ${late.reference}: Being reviewed`);
    expectNeutral(mail, late.reference, `http://feedback-late-${run}.example.com/e`);
  }, 240_000);

  it('passes a gap left by a rolled-back case event as soon as no transaction older than the gap runs', async () => {
    // A transaction older than the gap, open meanwhile (it might have been the one holding it).
    const bystander = await connectDatabase();
    const rolledBack = await connectDatabase();
    let gap: string;
    try {
      await bystander.query('BEGIN');
      await bystander.query('SELECT 1');
      try {
        await rolledBack.query('BEGIN');
        await forceCaseStatus(rolledBack, silent.caseId, 'closed');
        gap = (await rolledBack.query(`SELECT max(id)::text AS id FROM case_event WHERE case_id = $1`, [silent.caseId])).rows[0].id;
        await rolledBack.query('ROLLBACK');
      } finally {
        await rolledBack.end();
      }
      await move(silent.caseId, 'closed');
      const after = await latestEventId();
      expect(BigInt(after)).toBeGreaterThan(BigInt(gap));
      await scanPassed((BigInt(gap) - 1n).toString());
      // The scan stops at the gap; while an older transaction runs, it may not pass it.
      const seen = await scanInTransaction(null);
      expect(seen.through === null || BigInt(seen.through) < BigInt(gap)).toBe(true);
      expect(BigInt(seen.blockedAt!)).toBeGreaterThan(BigInt(gap));
      const sighting = { through: seen.lastRead!, seenAt: seen.seenAt };
      expect(gapPassage(sighting, await otherTransactions(), FEEDBACK_GAP_BOUND_MS)).toEqual({ pass: false });
      expect(BigInt(await feedbackRepository.cursor(rowsOf(db)))).toBeLessThan(BigInt(gap));

      // The older transaction ends: no transaction that could hold the gap runs, it is passed.
      await bystander.query('COMMIT');
      const passage = await waitFor(async () => {
        const decided = gapPassage(sighting, await otherTransactions(), FEEDBACK_GAP_BOUND_MS);
        return decided.pass ? decided : undefined;
      });
      expect(passage).toEqual({ pass: true, through: sighting.through, by: 'exact' });
      const passed = await scanInTransaction(passage.pass ? passage.through : null);
      expect(passed.through === null || BigInt(passed.through) >= BigInt(after)).toBe(true);
      // And the worker passes it on its own, long before any bound: nothing skipped blindly.
      await scanPassed(after);
      expect(await (await fetch(`${workerUrl}/metrics`)).text()).not.toMatch(/hotline_feedback_gaps_skipped_total(\{[^}]*\})? [1-9]/);
    } finally {
      await bystander.end();
    }
  }, 240_000);

  it('never holds an address in clear: not in the database, Redis or the logs', async () => {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', process.env.DATABASE_URL!], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
    const redisText = await dumpRedis(prefix);
    const printed = logs.join('\n') + intake.output + worker.output;
    // The checks below would pass on empty sources; make sure each holds what it should.
    expect(dump).toContain(fr.reference);
    expect(dump).toMatch(/feedback:[0-9a-f-]{36}/);
    expect(redisText).toContain('mail-feedback-');
    expect(printed.length).toBeGreaterThan(0);
    for (const secret of [...Object.values(emails), `vu sur un forum ${run}`]) {
      expect({ where: 'database', found: dump.includes(secret), secret }).toEqual({ where: 'database', found: false, secret });
      expect({ where: 'redis', found: redisText.includes(secret), secret }).toEqual({ where: 'redis', found: false, secret });
      expect({ where: 'logs', found: printed.includes(secret), secret }).toEqual({ where: 'logs', found: false, secret });
    }
  }, 120_000);
});

async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(process.env.REDIS_URL!);
  const parts: string[] = [];
  try {
    for (const key of await redis.keys(`${prefix}*`)) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}
