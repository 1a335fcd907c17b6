import type { HotlineConfig } from '@hotline/config';
import { MailDeliveryError } from '@hotline/mail';
import { MetricsRegistry } from '@hotline/observability';
import type { FeedbackMailRow, FeedbackRepository, SqlRunner } from '@hotline/persistence';
import { FieldEncryption } from '@hotline/security';
import { randomBytes } from 'node:crypto';
import { FeedbackMail } from './feedback-mail';

const keys = [{ id: 'k1', key: randomBytes(32) }];
const encryption = new FieldEncryption(keys);
const db = {} as SqlRunner;
const REPORT = '0190f0c2-6a1b-7c3d-8e4f-5a6b7c8d9e0f';

function row(overrides: Partial<FeedbackMailRow> = {}): FeedbackMailRow {
  return {
    id: 'f1',
    public_status: 'in_review',
    state: 'pending',
    report_id: REPORT,
    reference: '7K2M-9QXD-4HRT-B3NW',
    language: 'fr-CA',
    contact_encrypted: encryption.encrypt(JSON.stringify({ email: 'someone@example.net' }), `${REPORT}:contact`),
    contact_delete_after: new Date(Date.now() + 86_400_000),
    ...overrides,
  };
}

function setup(found: FeedbackMailRow | undefined) {
  const repository = {
    findForMail: jest.fn(async () => found),
    markSkipped: jest.fn(async () => found?.public_status ?? null),
    markSent: jest.fn(async () => found?.public_status ?? null),
    markAttemptFailed: jest.fn(async () => found?.public_status ?? null),
    markFailed: jest.fn(async () => found?.public_status ?? null),
  };
  const metrics = new MetricsRegistry('worker-test');
  const mail = new FeedbackMail(repository as unknown as FeedbackRepository, { fieldEncryptionKeys: keys } as unknown as HotlineConfig, metrics);
  return { mail, repository, metrics };
}

describe('FeedbackMail', () => {
  it('decrypts the contact and writes the mail in the report’s language', async () => {
    const { mail, repository } = setup(row());
    const out = await mail.compose(db, 'f1');
    expect(out).toMatchObject({ to: 'someone@example.net', language: 'fr', subject: 'Votre signalement 7K2M-9QXD-4HRT-B3NW : En cours d’examen' });
    expect(repository.markSkipped).not.toHaveBeenCalled();
  });

  it.each([
    ['erased', { contact_encrypted: null, contact_delete_after: null }],
    ['past its erasure date', { contact_delete_after: new Date(Date.now() - 1000) }],
  ])('skips a mail whose contact is %s', async (_what, overrides) => {
    const { mail, repository, metrics } = setup(row(overrides));
    expect(await mail.compose(db, 'f1')).toBeNull();
    expect(repository.markSkipped).toHaveBeenCalledWith(db, 'f1', 'no_contact');
    expect(await metrics.registry.getSingleMetricAsString('hotline_feedback_mails_total')).toMatch(/status="in_review",outcome="skipped",app="worker-test"\} 1/);
  });

  it('sends nothing again once sent or skipped, or when the row is gone', async () => {
    for (const found of [row({ state: 'sent' }), row({ state: 'skipped' }), undefined]) {
      const { mail, repository } = setup(found);
      expect(await mail.compose(db, 'f1')).toBeNull();
      expect(repository.markSkipped).not.toHaveBeenCalled();
    }
  });

  it('fails for good, without saying the address, when the contact cannot be read', async () => {
    const { mail } = setup(row({ contact_encrypted: encryption.encrypt(JSON.stringify({ email: 'x@example.net' }), 'another-report:contact') }));
    const error = await mail.compose(db, 'f1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ code: 'no_contact', permanent: true });
    expect(String((error as Error).message)).not.toContain('example.net');
  });

  it('records each outcome on the row and in the metric', async () => {
    const { mail, repository, metrics } = setup(row());
    await mail.sent(db, 'f1', { messageId: '<m@x>', attempts: 2 });
    await mail.attemptFailed(db, 'f1', new MailDeliveryError('smtp_error', false), 1);
    await mail.failed(db, 'f1', new MailDeliveryError('rejected', true), 3);
    expect(repository.markSent).toHaveBeenCalledWith(db, 'f1', 2);
    expect(repository.markAttemptFailed).toHaveBeenCalledWith(db, 'f1', 'smtp_error', 1);
    expect(repository.markFailed).toHaveBeenCalledWith(db, 'f1', 'rejected', 3);
    const text = await metrics.registry.getSingleMetricAsString('hotline_feedback_mails_total');
    for (const outcome of ['sent', 'retried', 'failed']) expect(text).toMatch(new RegExp(`status="in_review",outcome="${outcome}",app="worker-test"\\} 1`));
  });
});
