import { ReportRepository } from '@hotline/persistence';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';

const EVERY_MS = 15 * 60 * 1000;

/**
 * Erases reporter contact details when their retention ends (CONTACT_RETENTION_DAYS). Idempotent,
 * so several workers may run it.
 */
@Injectable()
export class ContactRetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(ContactRetentionService.name);
  private readonly schedule = new PeriodicRun(
    () => this.eraseExpired(),
    (error) => this.log.warn(`contact erasure failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(EVERY_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  async eraseExpired(now = new Date()): Promise<number> {
    const count = await this.reports.eraseExpiredContacts(this.dataSource, now);
    if (count > 0) this.log.log(`erased ${count} expired reporter contacts`);
    return count;
  }
}
