import { AuditLog } from '@hotline/audit';
import { MetricsRegistry } from '@hotline/observability';
import { dataSourceOptions, legalHoldRepository } from '@hotline/persistence';
import { uuidv7 } from '@hotline/security';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { retentionPurge } from '../../apps/cli/src/commands/retention-purge';
import { RetentionPurge } from '../../apps/worker/src/retention/retention-purge';
import { RetentionPurgeService } from '../../apps/worker/src/retention/retention-purge.service';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';

const DAY = 24 * 3600 * 1000;
const tag = randomBytes(3).toString('hex');

/**
 * The retention purge against a database of its own (it purges whatever is due, so the run's
 * other files must not share its rows): fixtures of every class, old and recent, one case on
 * legal hold; what was due is gone from the rows themselves, the rest kept, a second run removes
 * nothing, each run is audited with its counts; lifting the hold lets the next run take it.
 */
describe('retention purge', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataSource: DataSource;
  let db: Client;
  let purge: RetentionPurge;
  const config = () => testConfig({ DATABASE_URL: scratch.url });
  const ago = (days: number) => new Date(Date.now() - days * DAY);

  beforeAll(async () => {
    scratch = await createScratchDatabase('retention');
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: scratch.url, databasePoolSize: 4 })).initialize();
    db = new Client({ connectionString: scratch.url });
    await db.connect();
    purge = new RetentionPurge(dataSource, new AuditLog(dataSource), config().retention);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await scratch?.drop();
  });

  async function staffUser(role = 'senior_analyst'): Promise<string> {
    const id = uuidv7();
    await db.query(`INSERT INTO staff_user (id, email, role, password_hash, totp_secret_encrypted) VALUES ($1, $2, $3, 'x', '\\x00')`, [
      id,
      `retention-${randomBytes(4).toString('hex')}@hotline.test`,
      role,
    ]);
    return id;
  }

  /** A case in `status` since `settledDaysAgo` (its only status event says so). */
  async function fixtureCase(name: string, status: string, settledDaysAgo: number): Promise<string> {
    const id = uuidv7();
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, report_count, first_reported_at, last_reported_at)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $6)`,
      [id, randomBytes(32).toString('hex'), `http://${name}-${tag}.example.com/a`, `${name}-${tag}.example.com`, status, ago(settledDaysAgo)],
    );
    await db.query(`INSERT INTO case_event (case_id, at, kind, from_status, to_status, detail) VALUES ($1, $2, 'created', NULL, $3, '{"fixture": true}')`, [
      id,
      ago(settledDaysAgo),
      status,
    ]);
    return id;
  }

  interface Fixture {
    reportId: string;
    urlId: string;
    contact: string;
    description: string;
    rawMark: string;
    canonical: string;
    dedupKey: string;
  }

  /** A report received `daysAgo` with a contact, a description and one URL of `caseId`, each a marker to look for in the rows. */
  async function fixtureReport(caseId: string, name: string, daysAgo: number, contactDeleteAfter?: Date): Promise<Fixture> {
    const reportId = uuidv7();
    const urlId = uuidv7();
    const contact = randomBytes(24);
    const description = randomBytes(40);
    const rawMark = `reporter-${name}-${tag}`;
    const canonical = `http://${name}-${tag}.example.com/a`;
    const dedupKey = randomBytes(32).toString('hex');
    const receivedAt = ago(daysAgo);
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, victim_identifiable, url_count, contact_encrypted, description_encrypted, contact_delete_after)
       VALUES ($1, $2, $3, 'public_web', $4, 'en', false, 1, $5, $6, $7)`,
      [
        reportId,
        `REF-${randomBytes(6).toString('hex')}`,
        randomBytes(32),
        receivedAt,
        contact,
        description,
        contactDeleteAfter ?? new Date(receivedAt.getTime() + 180 * DAY),
      ],
    );
    await db.query(
      `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id) VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8)`,
      [urlId, reportId, `HTTP://${name}-${tag}.EXAMPLE.com/a#${rawMark}`, canonical, dedupKey, `${name}-${tag}.example.com`, receivedAt, caseId],
    );
    return { reportId, urlId, contact: contact.toString('hex'), description: description.toString('hex'), rawMark, canonical, dedupKey };
  }

  /** What is left of a fixture, read as whole rows: the purged bytes must not be anywhere in them. */
  async function remains(f: Fixture): Promise<{ contact: boolean; description: boolean; rawUrl: boolean; canonical: string; dedupKey: string }> {
    const report = (await db.query(`SELECT r::text AS text, contact_encrypted, description_encrypted, contact_delete_after FROM report r WHERE id = $1`, [f.reportId]))
      .rows[0];
    const url = (await db.query(`SELECT ru::text AS text, raw_url, canonical_url, dedup_key FROM reported_url ru WHERE id = $1`, [f.urlId])).rows[0];
    // A column is gone when it is null and its bytes are nowhere in the row.
    expect(report.contact_encrypted === null).toBe(!report.text.includes(f.contact));
    expect(report.description_encrypted === null).toBe(!report.text.includes(f.description));
    expect(url.raw_url === null).toBe(!url.text.includes(f.rawMark));
    if (report.contact_encrypted === null) expect(report.contact_delete_after).toBeNull();
    return {
      contact: report.contact_encrypted !== null,
      description: report.description_encrypted !== null,
      rawUrl: url.raw_url !== null,
      canonical: url.canonical_url,
      dedupKey: url.dedup_key.trim(),
    };
  }

  async function session(staffId: string, expiresAt: Date, maxExpiresAt: Date, revokedAt: Date | null = null): Promise<string> {
    const id = uuidv7();
    await db.query(`INSERT INTO staff_session (id, staff_user_id, token_hash, created_at, expires_at, max_expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id,
      staffId,
      randomBytes(32),
      new Date(Math.min(expiresAt.getTime(), maxExpiresAt.getTime()) - DAY),
      expiresAt,
      maxExpiresAt,
      revokedAt,
    ]);
    return id;
  }

  const sessionExists = async (id: string) => (await db.query(`SELECT 1 FROM staff_session WHERE id = $1`, [id])).rowCount === 1;
  const purgeEvents = async () => (await db.query(`SELECT actor_id, actor_role, detail FROM audit_event WHERE action = 'retention.purged' ORDER BY seq`)).rows;

  it('takes what is due in every class, keeps what is held or recent, removes nothing the second time, and audits each run', async () => {
    const senior = await staffUser();
    // Settled not illegal 40 days ago (RAW_URL_RETENTION 30d), reported 200 days ago (contacts 180 days, descriptions 90d): all due.
    const old = await fixtureReport(await fixtureCase('old', 'not_illegal', 40), 'old', 200);
    // The same, but on legal hold: all kept.
    const heldCase = await fixtureCase('held', 'harmful_not_illegal', 40);
    const held = await fixtureReport(heldCase, 'held', 200);
    await legalHoldRepository.place(dataSource, { id: uuidv7(), caseId: heldCase, reason: 'Court order 2031/17: preserve', placedBy: senior });
    // Recent: nothing due.
    const recent = await fixtureReport(await fixtureCase('recent', 'not_illegal', 5), 'recent', 5);
    // Illegal material keeps its raw URLs (evidence); its reporter's data goes like any other.
    const confirmed = await fixtureReport(await fixtureCase('confirmed', 'confirmed', 200), 'confirmed', 200);
    // Confirmed in an earlier appearance, settled not illegal 40 days ago since: its raw URLs are still evidence.
    const onceConfirmedCase = await fixtureCase('once-confirmed', 'not_illegal', 40);
    await db.query(`INSERT INTO case_event (case_id, at, kind, from_status, to_status) VALUES ($1, $2, 'transition', 'in_assessment', 'confirmed')`, [
      onceConfirmedCase,
      ago(200),
    ]);
    await db.query(`INSERT INTO case_event (case_id, at, kind, from_status, to_status) VALUES ($1, $2, 'transition', 'reappeared', 'not_illegal')`, [
      onceConfirmedCase,
      ago(40),
    ]);
    const onceConfirmed = await fixtureReport(onceConfirmedCase, 'once-confirmed', 200);
    // A contact whose own erasure date passed (told to the reporter at intake), though received lately.
    const erasureDate = await fixtureReport(await fixtureCase('erasure', 'queued', 10), 'erasure', 10, ago(1));
    // Sessions: ended 40 days ago (due), ended yesterday, revoked 31 days ago (due), live.
    const endedLongAgo = await session(senior, ago(40), ago(39));
    const endedLately = await session(senior, ago(1), ago(1));
    const revokedLongAgo = await session(senior, new Date(Date.now() + DAY), new Date(Date.now() + DAY), ago(31));
    const live = await session(senior, new Date(Date.now() + 600_000), new Date(Date.now() + 3600_000));

    const expected = { reporter_contact: 4, report_description: 3, raw_url: 1, staff_session: 2 };
    const dry = await purge.run({ dryRun: true, actor: { id: null, role: 'cli' } });
    expect(dry).toMatchObject({ dryRun: true, counts: expected, total: 10, notStored: ['export_package'], neverPurged: ['audit_log'] });
    // A dry run changes nothing, and is not an audited change.
    expect(await remains(old)).toMatchObject({ contact: true, description: true, rawUrl: true });
    expect(await sessionExists(endedLongAgo)).toBe(true);
    expect(await purgeEvents()).toEqual([]);

    const first = await purge.run({ actor: { id: null, role: 'system' } });
    expect(first).toMatchObject({ dryRun: false, counts: expected, total: 10, interrupted: false });

    expect(await remains(old)).toEqual({ contact: false, description: false, rawUrl: false, canonical: old.canonical, dedupKey: old.dedupKey });
    expect(await remains(held)).toEqual({ contact: true, description: true, rawUrl: true, canonical: held.canonical, dedupKey: held.dedupKey });
    expect(await remains(recent)).toMatchObject({ contact: true, description: true, rawUrl: true });
    expect(await remains(confirmed)).toMatchObject({ contact: false, description: false, rawUrl: true });
    expect(await remains(onceConfirmed)).toMatchObject({ contact: false, description: false, rawUrl: true });
    expect(await remains(erasureDate)).toMatchObject({ contact: false, description: true, rawUrl: true });
    expect([await sessionExists(endedLongAgo), await sessionExists(endedLately), await sessionExists(revokedLongAgo), await sessionExists(live)]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    // The report itself and its URL stay: reference, times, canonical form, dedup key.
    expect((await db.query(`SELECT count(*)::int AS n FROM report WHERE id = ANY($1::uuid[])`, [[old.reportId, confirmed.reportId]])).rows[0].n).toBe(2);

    const second = await purge.run({ actor: { id: null, role: 'system' } });
    expect(second).toMatchObject({ counts: { reporter_contact: 0, report_description: 0, raw_url: 0, staff_session: 0 }, total: 0 });

    const events = await purgeEvents();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      actor_id: null,
      actor_role: 'system',
      detail: { removed: expected, notStored: ['export_package'], neverPurged: ['audit_log'], interrupted: false },
    });
    expect(events[1].detail.removed).toEqual({ reporter_contact: 0, report_description: 0, raw_url: 0, staff_session: 0 });
    expect(new Date(events[0].detail.cutoffs.rawUrlSettledBy).getTime()).toBeCloseTo(Date.now() - 30 * DAY, -5);

    // Lifted, the held case is taken by the next run like any other.
    expect(await legalHoldRepository.lift(dataSource, heldCase, senior, 'The order was discharged')).not.toBeNull();
    const afterLift = await purge.run({ actor: { id: null, role: 'system' } });
    expect(afterLift?.counts).toEqual({ reporter_contact: 1, report_description: 1, raw_url: 1, staff_session: 0 });
    expect(await remains(held)).toEqual({ contact: false, description: false, rawUrl: false, canonical: held.canonical, dedupKey: held.dedupKey });
  });

  it('never runs twice at once: a run finding another under way does nothing', async () => {
    const holder = new Client({ connectionString: scratch.url });
    await holder.connect();
    try {
      expect((await holder.query(`SELECT pg_try_advisory_lock($1) AS locked`, [0x52_45_54_4e])).rows[0].locked).toBe(true);
      const before = (await purgeEvents()).length;
      expect(await purge.run({ actor: { id: null, role: 'system' } })).toBeNull();
      expect(await retentionPurge(dataSource, config(), { dryRun: false, json: false })).toBe('another retention purge is running; nothing done\n');
      expect((await purgeEvents()).length).toBe(before);
    } finally {
      await holder.end();
    }
    expect(await purge.run({ actor: { id: null, role: 'system' } })).not.toBeNull();
  });

  it('runs on the worker’s schedule code with one log line and the counter per class, and from the CLI with the same code', async () => {
    const kept = await fixtureReport(await fixtureCase('worker', 'out_of_remit', 45), 'worker', 100);
    const metrics = new MetricsRegistry('worker');
    const service = new RetentionPurgeService(dataSource, new AuditLog(dataSource), config(), metrics);
    const before = await metrics.registry.metrics();
    for (const kind of ['reporter_contact', 'report_description', 'raw_url', 'staff_session']) {
      expect(before).toMatch(new RegExp(`hotline_retention_purged_total\\{class="${kind}",app="worker"\\} 0`));
    }
    // Contact not yet due (100 < 180 days), description and raw URL due.
    expect(JSON.parse(await retentionPurge(dataSource, config(), { dryRun: true, json: true })).counts).toEqual({
      reporter_contact: 0,
      report_description: 1,
      raw_url: 1,
      staff_session: 0,
    });
    const report = await service.runOnce();
    expect(report?.counts).toEqual({ reporter_contact: 0, report_description: 1, raw_url: 1, staff_session: 0 });
    const after = await metrics.registry.metrics();
    expect(after).toMatch(/hotline_retention_purged_total\{class="raw_url",app="worker"\} 1/);
    expect(after).toMatch(/hotline_retention_purged_total\{class="report_description",app="worker"\} 1/);
    expect(await remains(kept)).toMatchObject({ contact: true, description: false, rawUrl: false });

    expect(await retentionPurge(dataSource, config(), { dryRun: false, json: false })).toBe(
      'retention purge removed reporter_contact=0 report_description=0 raw_url=0 staff_session=0 (export packages are never stored; the audit log is never purged)\n',
    );
    const [last] = (await db.query(`SELECT actor_role FROM audit_event WHERE action = 'retention.purged' ORDER BY seq DESC LIMIT 1`)).rows;
    expect(last.actor_role).toBe('cli');
    // The purge never breaks the audit chain it writes to.
    expect(await new AuditLog(dataSource).verify()).toMatchObject({ ok: true });
  });
});
