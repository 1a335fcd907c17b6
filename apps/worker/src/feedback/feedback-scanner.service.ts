import { MetricsRegistry } from '@hotline/observability';
import { FeedbackRepository } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';
import { feedbackMailsCounter } from './feedback-metrics';
import { statusesToTell } from './feedback-status';

/**
 * How often the scan looks for new case events. Each look is one indexed range read past the
 * cursor (nothing when nothing moved), so every second costs next to nothing and a reporter hears
 * of a change within seconds, in production as in tests.
 */
export const FEEDBACK_SCAN_EVERY_MS = 1_000;
// Case events read per transaction; a larger backlog (after downtime) takes several rounds.
const BATCH = 1_000;
/**
 * A gap in the case_event ids that stays this long is a rolled-back insert, not a transaction
 * still to commit, and the scan passes it. Case-event transactions take milliseconds; this leaves
 * them a wide margin (they must finish within half of it) and delays feedback only after a rollback.
 */
export const FEEDBACK_GAP_GRACE_MS = 30_000;

/**
 * Reporter feedback, first half: follows case events and, for each report with a live contact
 * whose public status moved on to one its reporter was not told yet, records that status and
 * queues one mail (outbox `mail.send`, key `feedback:<id>`), in the same transaction. The second
 * half is FeedbackMail, run by the mail queue. Several workers may run this: the cursor row is
 * locked by whoever scans, and the others skip that round.
 */
@Injectable()
export class FeedbackScannerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(FeedbackScannerService.name);
  private readonly mails;
  private readonly schedule = new PeriodicRun(
    () => this.scan(),
    (error) => this.log.warn(`feedback scan failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly feedback: FeedbackRepository,
    metrics: MetricsRegistry,
  ) {
    this.mails = feedbackMailsCounter(metrics);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(FEEDBACK_SCAN_EVERY_MS);
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Reads every case event that can be passed by now; how many feedback mails it queued. */
  async scan(): Promise<number> {
    let queued = 0;
    for (;;) {
      const batch = await this.scanBatch();
      if (!batch) break;
      queued += batch.queued;
      if (!batch.more) break;
    }
    if (queued > 0) this.log.log(`${queued} reporter feedback mails queued`);
    return queued;
  }

  private async scanBatch(): Promise<{ queued: number; more: boolean } | null> {
    const result = await this.dataSource.transaction(async (tx) => {
      const batch = await this.feedback.scanBatch(tx, { limit: BATCH, gapGraceMs: FEEDBACK_GAP_GRACE_MS });
      // Another worker is scanning, or nothing can be passed yet (a recent gap): next round.
      if (!batch || batch.through === null) return null;
      const tell = statusesToTell(batch.reportIds, batch.cases).map((t) => ({ id: uuidv7(), ...t }));
      const told = await this.feedback.recordAndAdvance(tx, batch.through, tell, OutboxTopic.Mail);
      return { told, more: batch.read === BATCH };
    });
    if (!result) return null;
    // Counted once committed.
    for (const row of result.told) this.mails.inc({ status: row.public_status, outcome: 'queued' });
    return { queued: result.told.length, more: result.more };
  }
}
