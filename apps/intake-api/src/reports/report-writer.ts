import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { OutboxTopic } from '@hotline/queue';
import { DataSource } from 'typeorm';
import { type NewReport, ReportRepository, WorkGroups } from '@hotline/persistence';

export type { NewReport };

/** Thrown when the reports could not be committed; nothing of them was stored. */
export class ReportStorageError extends Error {}

/**
 * Group commit for intake. Concurrent submissions queue here; whenever a write slot is free, all
 * that waited (up to a maximum) are written by one statement. Under light load a report is
 * written alone at once; under heavy load each commit carries many reports, which is what lets
 * durable intake outrun one INSERT per request. A caller's promise settles only after the commit.
 */
@Injectable()
export class ReportWriter implements BeforeApplicationShutdown {
  private readonly log = new Logger(ReportWriter.name);
  private readonly groups: WorkGroups<NewReport>;
  private readonly batchSize;
  private readonly writeSeconds;
  private readonly written;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.batchSize = metrics.histogram('hotline_intake_commit_group_size', 'Reports written per commit', [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    this.writeSeconds = metrics.histogram(
      'hotline_intake_commit_seconds',
      'Time to write and commit one group',
      ['outcome'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    );
    this.written = metrics.counter('hotline_intake_reports_stored_total', 'Reports committed to the database', ['source']);
    this.groups = new WorkGroups((reports) => this.writeGroup(reports), {
      maxGroup: config.intakeBatchMax,
      // Two statements in flight: one commits (waits on fsync) while the next is being built and sent.
      maxInFlight: 2,
      onSplit: (size, error) => this.log.warn(`group of ${size} reports failed (${error.message}); writing them one by one`),
    });
  }

  /** Settles after the report is committed; rejects with ReportStorageError when it was not. */
  async write(report: NewReport): Promise<void> {
    try {
      await this.groups.submit(report);
    } catch (error) {
      throw new ReportStorageError((error as Error).message);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.groups.drained();
  }

  private async writeGroup(reports: NewReport[]): Promise<Map<NewReport, Error>> {
    const started = process.hrtime.bigint();
    try {
      await this.insert(reports);
    } catch (error) {
      this.observe(started, 'failed', []);
      this.log.error({ err: error }, `could not store ${reports.length === 1 ? 'a report' : `a group of ${reports.length} reports`}`);
      throw error;
    }
    this.observe(started, 'committed', reports);
    return new Map();
  }

  private observe(started: bigint, outcome: 'committed' | 'failed', reports: NewReport[]): void {
    this.writeSeconds.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    if (outcome === 'committed') {
      this.batchSize.observe(reports.length);
      for (const report of reports) this.written.inc({ source: report.source });
    }
  }

  private async insert(reports: NewReport[]): Promise<void> {
    // On the DataSource: one autocommit statement straight on the driver's pool (see insertGroup).
    await this.reports.insertGroup(this.dataSource, reports, OutboxTopic.ReportedUrlReceived);
  }
}
