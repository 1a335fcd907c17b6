import { MetricsRegistry } from '@hotline/observability';
import { FeedbackRepository, type GapSighting, gapPassage, nextGapSighting } from '@hotline/persistence';
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
 * A gap in the case_event ids is passed as soon as no transaction that could hold it still runs
 * (libs/persistence/src/case-event-scan/event-gaps.ts). When that cannot be known (a session whose transaction start is hidden, a
 * prepared transaction, one left open for ever), the gap is passed after this long, with a
 * warning and hotline_feedback_gaps_skipped_total: a transaction that wrote a case event and is
 * still open after ten minutes is broken, and feedback must not stop for everyone because of it.
 */
export const FEEDBACK_GAP_BOUND_MS = 600_000;

/**
 * Reporter feedback, first half: follows case events and, for each report with a live contact
 * whose public status moved on to one its reporter was not told yet, records that status and
 * queues one mail (outbox `mail.send`, key `feedback:<id>`), in the same transaction. The second
 * half is FeedbackMail, run by the mail queue. Several workers may run this: the cursor row is
 * locked by whoever scans, and the others skip that round. Each remembers when it first saw the
 * gap that holds the scan up (a restart only sees it again, later: a delay, never a loss).
 */
@Injectable()
export class FeedbackScannerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(FeedbackScannerService.name);
  private readonly mails;
  private readonly gapsSkipped;
  /** The gaps that held the last scan up, and when they were first seen. */
  private sighting: GapSighting | null = null;
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
    this.gapsSkipped = metrics.counter(
      'hotline_feedback_gaps_skipped_total',
      'Gaps in the case event ids the feedback scan passed after FEEDBACK_GAP_BOUND_MS without knowing no transaction held them',
    );
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
      if (!batch.more || this.schedule.stopping) break;
    }
    if (queued > 0) this.log.log(`${queued} reporter feedback mails queued`);
    return queued;
  }

  private async scanBatch(): Promise<{ queued: number; more: boolean } | null> {
    const result = await this.dataSource.transaction(async (tx) => {
      // First in the transaction: pg_stat_activity is read once per transaction, and before the scan's snapshot.
      const passage = gapPassage(this.sighting, await this.feedback.otherTransactions(tx), FEEDBACK_GAP_BOUND_MS);
      const batch = await this.feedback.scanBatch(tx, { limit: BATCH, passGapsThrough: passage.pass ? passage.through : null });
      // Another worker is scanning: next round.
      if (!batch) return null;
      const sighting = nextGapSighting(passage.pass ? null : this.sighting, batch);
      const skipped = passage.pass && passage.by === 'bound' ? batch.gapsPassed : 0;
      // Nothing can be passed yet (a gap a transaction may still hold): next round.
      if (batch.through === null) return { told: [], more: false, sighting, skipped };
      const tell = statusesToTell(batch.reportIds, batch.cases).map((t) => ({ id: uuidv7(), ...t }));
      const told = await this.feedback.recordAndAdvance(tx, batch.through, tell, OutboxTopic.Mail);
      return { told, more: batch.read === BATCH, sighting, skipped };
    });
    if (!result) return null;
    // Committed: remembered and counted now.
    this.sighting = result.sighting;
    if (result.skipped > 0) {
      this.log.warn(`feedback scan passed ${result.skipped} case event id gap(s) after ${FEEDBACK_GAP_BOUND_MS} ms without knowing no transaction held them`);
      this.gapsSkipped.inc(result.skipped);
    }
    for (const row of result.told) this.mails.inc({ status: row.public_status, outcome: 'queued' });
    return { queued: result.told.length, more: result.more };
  }
}
