import { dataSourceOptions, NewReport, reportRepository, staffRepository, staffSessionRepository } from '@hotline/persistence';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxTopic } from '@hotline/queue';

/**
 * What the repositories do beyond passing SQL through: the intake group commit runs on the pool
 * when given the DataSource and in the caller's transaction when given one; UPDATE ... RETURNING
 * gives the changed row (TypeORM answers it with [rows, count]).
 */
describe('repositories', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions({ databaseUrl: process.env.DATABASE_URL!, databasePoolSize: 2 })).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const newReport = (): NewReport => {
    const id = randomUUID();
    return {
      id,
      reference: `RT-${randomBytes(6).toString('hex')}`,
      statusTokenHash: randomBytes(32),
      source: 'public_api',
      receivedAt: new Date('2026-01-02T03:04:05.678Z'),
      language: 'fr',
      reporterCountry: 'UG',
      contentType: 'images',
      victimIdentifiable: true,
      contactEncrypted: randomBytes(40),
      descriptionEncrypted: null,
      contactDeleteAfter: new Date('2026-07-01T00:00:00.000Z'),
      urls: ['a', 'b'].map((path) => ({
        id: randomUUID(),
        raw: `example.com/${path}`,
        canonical: `http://example.com/${path}`,
        dedupKey: randomBytes(32).toString('hex'),
        host: 'example.com',
      })),
    };
  };

  const stored = async (report: NewReport) => {
    const [row] = await dataSource.query(`SELECT * FROM report WHERE id = $1`, [report.id]);
    const urls = await dataSource.query(`SELECT * FROM reported_url WHERE report_id = $1 ORDER BY position`, [report.id]);
    const outbox = await dataSource.query(`SELECT topic, message_key, payload FROM outbox WHERE message_key = ANY($1::text[]) ORDER BY id`, [
      report.urls.map((url) => url.id),
    ]);
    return { row, urls, outbox };
  };

  it.each(['the DataSource (pool, named statement)', 'a transaction'])('writes a report group given %s', async (runner) => {
    const report = newReport();
    if (runner === 'a transaction') await dataSource.transaction((tx) => reportRepository.insertGroup(tx, [report], OutboxTopic.ReportedUrlReceived));
    else await reportRepository.insertGroup(dataSource, [report], OutboxTopic.ReportedUrlReceived);
    const { row, urls, outbox } = await stored(report);
    expect(row).toMatchObject({
      reference: report.reference,
      source: 'public_api',
      language: 'fr',
      reporter_country: 'UG',
      content_type: 'images',
      victim_identifiable: true,
      url_count: 2,
      description_encrypted: null,
    });
    expect(row.status_token_hash.equals(report.statusTokenHash)).toBe(true);
    expect(row.contact_encrypted.equals(report.contactEncrypted!)).toBe(true);
    expect(row.received_at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(urls.map((url: { position: number; canonical_url: string; case_id: string | null }) => [url.position, url.canonical_url, url.case_id])).toEqual([
      [0, 'http://example.com/a', null],
      [1, 'http://example.com/b', null],
    ]);
    expect(outbox).toEqual(report.urls.map((url) => ({ topic: OutboxTopic.ReportedUrlReceived, message_key: url.id, payload: { reportedUrlId: url.id } })));
  });

  it('writes nothing of a group when the caller rolls its transaction back', async () => {
    const report = newReport();
    await expect(
      dataSource.transaction(async (tx) => {
        await reportRepository.insertGroup(tx, [report], OutboxTopic.ReportedUrlReceived);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const { row, urls, outbox } = await stored(report);
    expect({ row, urls, outbox }).toEqual({ row: undefined, urls: [], outbox: [] });
  });

  it('returns the changed staff user, found by id or by email in any case, and counts the sessions it revokes', async () => {
    const id = randomUUID();
    const email = `Repo-${randomBytes(4).toString('hex')}@Hotline.test`;
    await staffRepository.insert(dataSource, {
      id,
      email,
      role: 'analyst',
      agency: null,
      password_hash: 'x',
      totp_secret_encrypted: randomBytes(16),
      totpEnrolled: true,
      passwordChangeRequired: false,
    });
    const expiresAt = new Date(Date.now() + 60_000);
    for (let i = 0; i < 2; i++) {
      await staffSessionRepository.insert(dataSource, {
        id: randomUUID(),
        staff_user_id: id,
        token_hash: randomBytes(32),
        expires_at: expiresAt,
        max_expires_at: expiresAt,
      });
    }
    await dataSource.transaction(async (tx) => {
      expect(await staffRepository.lockByIdOrEmail(tx, id)).toEqual({ id, role: 'analyst' });
      expect(await staffRepository.lockByIdOrEmail(tx, email.toLowerCase())).toEqual({ id, role: 'analyst' });
      expect(await staffRepository.lockByIdOrEmail(tx, `nobody-${email}`)).toBeUndefined();
      expect(await staffRepository.setRole(tx, id, 'le_liaison', 'National Police')).toMatchObject({ id, email, role: 'le_liaison', agency: 'National Police' });
      expect(await staffRepository.setTotpSecret(tx, id, randomBytes(16), false)).toMatchObject({ id, email, totp_last_step: null, totp_enrolled_at: null });
      expect(await staffRepository.disable(tx, id)).toMatchObject({ id, email, disabled_at: expect.any(Date) });
      expect(await staffSessionRepository.revokeAllOf(tx, id, 'test')).toBe(2);
      expect(await staffSessionRepository.revokeAllOf(tx, id, 'test')).toBe(0);
    });
  });

  it('says an email is taken (not an error) when the unique index refuses it, and revokes sessions by token or all but one', async () => {
    const id = randomUUID();
    const email = `repo-pw-${randomBytes(4).toString('hex')}@hotline.test`;
    const user = { id, email, role: 'analyst' as const, agency: null, password_hash: 'x', totp_secret_encrypted: randomBytes(16), totpEnrolled: false };
    expect(await staffRepository.insert(dataSource, { ...user, passwordChangeRequired: true })).toMatchObject({ id, email });
    expect(await staffRepository.insert(dataSource, { ...user, id: randomUUID(), email: email.toUpperCase(), passwordChangeRequired: false })).toBeUndefined();
    expect((await staffRepository.findById(dataSource, id))?.password_change_required).toBe(true);
    const expiresAt = new Date(Date.now() + 60_000);
    const sessions = [randomUUID(), randomUUID(), randomUUID()].map((sessionId) => ({ id: sessionId, token_hash: randomBytes(32) }));
    for (const session of sessions) {
      await staffSessionRepository.insert(dataSource, { ...session, staff_user_id: id, expires_at: expiresAt, max_expires_at: expiresAt });
    }
    expect(await staffSessionRepository.findLive(dataSource, sessions[0].token_hash)).toMatchObject({ session_id: sessions[0].id, password_change_required: true });
    await dataSource.transaction(async (tx) => {
      expect(await staffSessionRepository.revokeByTokenHash(tx, sessions[2].token_hash, 'test')).toEqual({ id: sessions[2].id, staff_user_id: id, role: 'analyst' });
      expect(await staffSessionRepository.revokeByTokenHash(tx, sessions[2].token_hash, 'test')).toBeUndefined();
      await staffRepository.setPassword(tx, id, 'y');
      expect(await staffSessionRepository.revokeAllOfExcept(tx, id, sessions[0].id, 'test')).toBe(1);
    });
    expect(await staffSessionRepository.findLive(dataSource, sessions[0].token_hash)).toMatchObject({ password_change_required: false });
    expect(await staffSessionRepository.findLive(dataSource, sessions[1].token_hash)).toBeUndefined();
    expect((await staffRepository.findById(dataSource, id))?.password_hash).toBe('y');
  });
});
