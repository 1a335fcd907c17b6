import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { purgeSummary, RETENTION_CLASSES } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';
import { PurgeReport, RetentionPurge } from './retention-purge';

/**
 * The worker's retention schedule: every RETENTION_PURGE_INTERVAL one purge over every class
 * (RetentionPurge), one line logged with the counts, `hotline_retention_purged_total{class}`
 * counted. Several workers may run it: a run finding another under way does nothing.
 */
@Injectable()
export class RetentionPurgeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RetentionPurgeService.name);
  private readonly purge: RetentionPurge;
  private readonly purged;
  private readonly schedule = new PeriodicRun(
    () => this.runOnce(),
    (error) => this.log.error(`retention purge failed: ${error.message}`),
  );

  constructor(
    dataSource: DataSource,
    audit: AuditLog,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.purge = new RetentionPurge(dataSource, audit, config.retention);
    this.purged = metrics.counter('hotline_retention_purged_total', 'Rows the retention purge took, by data class', ['class']);
    // Every class from the start, so a dashboard sees zeros rather than nothing.
    for (const kind of RETENTION_CLASSES) this.purged.inc({ class: kind }, 0);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.config.retention.purgeIntervalMs);
  }

  /** Before the database closes: no new run, and the one under way stops after its statement. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** One run now (null: another worker is purging). */
  async runOnce(now = new Date()): Promise<PurgeReport | null> {
    const report = await this.purge.run({ now, actor: { id: null, role: 'system' }, stopping: () => this.schedule.stopping });
    if (!report) return null;
    for (const kind of RETENTION_CLASSES) this.purged.inc({ class: kind }, report.counts[kind]);
    this.log.log(purgeSummary(report.counts) + (report.interrupted ? ' - stopped early for shutdown' : ''));
    return report;
  }
}
