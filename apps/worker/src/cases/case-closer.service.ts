import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { CaseRepository } from '@hotline/persistence';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';

// Cases closed per transaction; a larger backlog takes several rounds of the same run.
const BATCH = 500;

/**
 * How often to look: a thirtieth of the quiet period, so a case closes at most ~3% late, but
 * never more often than every second nor less often than hourly.
 */
export function closeCheckIntervalMs(quietMs: number): number {
  return Math.min(3_600_000, Math.max(1_000, Math.floor(quietMs / 30)));
}

/**
 * Closes removed cases that stayed quiet for CASE_CLOSE_AFTER: the content was removed and nobody
 * reported it again (a new report would have made the case reappear). Closing is a transition
 * like any other, with its event; a closed case still reappears if its URL comes back. Several
 * workers may run this at once: each takes the cases no other has locked.
 */
@Injectable()
export class CaseCloserService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(CaseCloserService.name);
  private readonly closed;
  private readonly schedule = new PeriodicRun(
    () => this.closeQuiet(),
    (error) => this.log.warn(`closing quiet cases failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.closed = metrics.counter('hotline_cases_closed_total', 'Removed cases closed after their quiet period');
  }

  onApplicationBootstrap(): void {
    this.schedule.start(closeCheckIntervalMs(this.config.caseCloseAfterMs));
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Closes every removed case quiet for long enough by now; how many. */
  async closeQuiet(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.closeBatch();
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) this.log.log(`${total} removed cases closed after ${this.config.caseCloseAfterMs / 1000} s without a new report`);
    return total;
  }

  private closeBatch(): Promise<number> {
    const quietMs = this.config.caseCloseAfterMs;
    return this.dataSource.transaction(async (tx) => {
      const rows = await this.cases.lockQuietRemoved(tx, quietMs, BATCH);
      await this.cases.transitionMany(tx, {
        to: 'closed',
        cases: rows.map((row) => ({
          caseId: row.id,
          from: 'removed',
          detail: { reason: 'quiet after removal', quietMs, removedAt: row.removed_at?.toISOString() ?? null },
        })),
      });
      this.closed.inc(rows.length);
      return rows.length;
    });
  }
}
