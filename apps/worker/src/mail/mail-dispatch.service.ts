import { HotlineConfig } from '@hotline/config';
import { JOB_IDS, JOB_OPTIONS, JobName, JOBS, QueueRegistry } from '@hotline/queue';
import { Injectable } from '@nestjs/common';
import { Job, JobsOptions } from 'bullmq';
import { mailKeyOf } from './mail-key';

/**
 * The options of one send-mail job: MAIL_ATTEMPTS attempts, exponential backoff from MAIL_BACKOFF
 * with jitter (a recovering SMTP server is not hit by every retry at once), kept when failed so
 * its dead letter can be redriven.
 */
export function sendMailOptions(mail: HotlineConfig['mail']): JobsOptions {
  return { ...JOB_OPTIONS.lookup, attempts: mail.attempts, backoff: { type: 'exponential', delay: mail.backoffMs, jitter: 0.2 }, removeOnFail: false };
}

/**
 * The DispatchMail job: each mail key of a relayed outbox batch becomes one send-mail job (id
 * `mail-<kind>-<uuid>`, so dispatching twice is one job), with its own attempts and dead letter.
 * A key published again after its job completed (a notice held by police, then released) is sent
 * again: the finished job is removed first, and the kind's compose decides whether anything is
 * still to send (it skips what was sent).
 */
@Injectable()
export class MailDispatchService {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: HotlineConfig,
  ) {}

  async dispatch(mailKeys: string[]): Promise<void> {
    const queue = this.queues.get(JOBS[JobName.SendMail].queue);
    const options = sendMailOptions(this.config.mail);
    const jobs = [];
    for (const raw of new Set(mailKeys)) {
      // A key no kind can read still goes on, so it fails visibly as a dead letter rather than vanishing.
      const key = mailKeyOf(raw);
      const mailKey = key?.key ?? raw.replace(/[^a-z0-9-]/gi, '-').slice(0, 120);
      const jobId = JOB_IDS.sendMail(mailKey);
      const existing = await Job.fromId(queue, jobId);
      if (existing && (await existing.isCompleted())) await existing.remove();
      jobs.push({ name: JobName.SendMail, data: { mailKey }, opts: { ...options, jobId, delay: this.delayOf(raw, key?.kind) } });
    }
    if (jobs.length > 0) await queue.addBulk(jobs);
  }

  /**
   * A new notice waits NOTICE_DELAY, the window in which police can hold it (a hold placed
   * meanwhile makes its compose skip it). Released from a hold, or anything else, it goes at once.
   */
  private delayOf(raw: string, kind: string | undefined): number {
    return kind === 'notice' && raw.split(':').length === 2 ? this.config.notices.delayMs : 0;
  }
}
