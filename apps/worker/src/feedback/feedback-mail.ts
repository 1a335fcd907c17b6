import { HotlineConfig } from '@hotline/config';
import { MailDeliveryError, renderFeedbackMail, type OutgoingMail } from '@hotline/mail';
import { MetricsRegistry } from '@hotline/observability';
import { FeedbackRepository, type SqlRunner } from '@hotline/persistence';
import { FieldDecryptionError, FieldEncryption } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import type { MailKind } from '../mail/mail-kind';
import { feedbackMailsCounter, type FeedbackOutcome } from './feedback-metrics';

/**
 * Reporter feedback, second half: the mail for one report_feedback row (key `feedback:<id>`).
 * The reporter's address is decrypted here and only here, for the one send, and is neither
 * logged, stored nor queued: the job and the outbox carry the feedback id, the row its state.
 * A contact erased (or past its erasure date) meanwhile means there is nobody to tell: the row is
 * `skipped` and nothing is sent.
 */
@Injectable()
export class FeedbackMail implements MailKind {
  readonly kind = 'feedback' as const;
  private readonly encryption: FieldEncryption;
  private readonly mails;

  constructor(
    private readonly feedback: FeedbackRepository,
    config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.encryption = new FieldEncryption(config.fieldEncryptionKeys);
    this.mails = feedbackMailsCounter(metrics);
  }

  async compose(db: SqlRunner, id: string): Promise<OutgoingMail | null> {
    const row = await this.feedback.findForMail(db, id);
    // Deleted with its report, or told already (a job run again after the send).
    if (!row || row.state === 'sent' || row.state === 'skipped') return null;
    const live = row.contact_encrypted !== null && row.contact_delete_after !== null && row.contact_delete_after.getTime() > Date.now();
    if (!live) {
      this.count(await this.feedback.markSkipped(db, id, 'no_contact'), 'skipped');
      return null;
    }
    const email = this.emailOf(row.report_id, row.contact_encrypted!);
    const mail = renderFeedbackMail({ status: row.public_status, reference: row.reference, language: row.language, deleteOn: row.contact_delete_after! });
    return { to: email, ...mail };
  }

  async sent(db: SqlRunner, id: string, result: { messageId: string; attempts: number }): Promise<void> {
    this.count(await this.feedback.markSent(db, id, result.attempts), 'sent');
  }

  async attemptFailed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void> {
    this.count(await this.feedback.markAttemptFailed(db, id, error.code, attempts), 'retried');
  }

  async failed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void> {
    this.count(await this.feedback.markFailed(db, id, error.code, attempts), 'failed');
  }

  /** Counts what happened to a row that changed (status null: none did, e.g. it was sent already). */
  private count(status: string | null, outcome: FeedbackOutcome): void {
    if (status) this.mails.inc({ status, outcome });
  }

  /** The address, from the envelope written at intake (AAD `<report id>:contact`). A contact that cannot be read never will be. */
  private emailOf(reportId: string, envelope: Buffer): string {
    let email: unknown;
    try {
      email = (JSON.parse(this.encryption.decrypt(envelope, `${reportId}:contact`)) as { email?: unknown }).email;
    } catch (error) {
      if (error instanceof FieldDecryptionError || error instanceof SyntaxError) throw new MailDeliveryError('no_contact', true, 'the reporter contact cannot be read');
      throw error;
    }
    if (typeof email !== 'string' || email === '') throw new MailDeliveryError('no_contact', true, 'the reporter contact has no address');
    return email;
  }
}
