import { MailDeliveryError, MailSender } from '@hotline/mail';
import { MetricsRegistry } from '@hotline/observability';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { mailKeyOf } from './mail-key';
import { MAIL_KINDS, type MailKind } from './mail-kind';

/**
 * The send-mail job: one mail, by its key `<kind>:<uuid>`. The kind composes it in a transaction
 * (null: nothing to send any more, the job is done), the MailSender sends it, and the kind records
 * the outcome: `sent`, or `attemptFailed` and a retry with backoff. A permanent failure (the
 * server refused it, nobody to send to) or the last attempt calls `failed`, which makes it visible
 * on its case, and the job becomes a dead letter (QueueWorkers) that `dlq:redrive` sends again.
 * Metrics count sends and failures by kind and code. Neither the recipient nor the body is logged.
 */
@Injectable()
export class SendMailService {
  private readonly log = new Logger(SendMailService.name);
  private readonly kinds: Map<string, MailKind>;
  private readonly sentTotal;
  private readonly failuresTotal;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: MailSender,
    @Inject(MAIL_KINDS) kinds: MailKind[],
    metrics: MetricsRegistry,
  ) {
    this.kinds = new Map(kinds.map((kind) => [kind.kind, kind]));
    this.sentTotal = metrics.counter('hotline_mail_sent_total', 'Mails the SMTP server accepted, by kind', ['kind']);
    this.failuresTotal = metrics.counter('hotline_mail_failures_total', 'Failed mail attempts by kind and code; final=true when the mail failed for good', [
      'kind',
      'code',
      'final',
    ]);
  }

  async send(rawKey: string, job: Pick<Job, 'attemptsMade' | 'opts'>): Promise<void> {
    const key = mailKeyOf(rawKey);
    const kind = key && this.kinds.get(key.kind);
    if (!key || !kind) throw new UnrecoverableError(`no mail kind for key ${rawKey.slice(0, 60)}`);
    const attempts = job.attemptsMade + 1;
    const last = attempts >= (job.opts.attempts ?? 1);

    let result: { messageId: string };
    try {
      const mail = await this.dataSource.transaction((tx) => kind.compose(tx, key.id));
      if (!mail) return;
      result = await this.sender.send(mail);
    } catch (error) {
      // Database trouble is an outage: the job retries (and at the end is a dead letter) as any other.
      if (!(error instanceof MailDeliveryError)) throw error;
      throw await this.failure(kind, key.id, error, attempts, last);
    }
    this.sentTotal.inc({ kind: kind.kind });
    await this.dataSource.transaction((tx) => kind.sent(tx, key.id, { messageId: result.messageId, attempts }));
  }

  /** Records the failed attempt (or the final failure) and returns what the job throws. */
  private async failure(kind: MailKind, id: string, error: MailDeliveryError, attempts: number, last: boolean): Promise<Error> {
    const final = error.permanent || last;
    this.failuresTotal.inc({ kind: kind.kind, code: error.code, final: String(final) });
    if (!final) {
      await kind.attemptFailed(this.dataSource, id, error, attempts);
      return error;
    }
    await this.dataSource.transaction((tx) => kind.failed(tx, id, error, attempts));
    this.log.warn(`${kind.kind} mail ${id} failed for good after ${attempts} attempt(s): ${error.code}`);
    // Permanent: no retry can help, straight to the dead letters (a redrive tries again, e.g. once a contact is known).
    return error.permanent ? new UnrecoverableError(`${kind.kind} mail ${id}: ${error.code}`) : error;
  }
}
