import { ReportRepository } from '@hotline/persistence';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

const EVERY_MS = 15 * 60 * 1000;

/**
 * Erases reporter contact details when their retention ends (CONTACT_RETENTION_DAYS). Idempotent,
 * so several workers may run it.
 */
@Injectable()
export class ContactRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ContactRetentionService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.eraseExpired().catch((error) => this.log.warn(`contact erasure failed: ${error.message}`)), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async eraseExpired(now = new Date()): Promise<number> {
    const count = await this.reports.eraseExpiredContacts(this.dataSource, now);
    if (count > 0) this.log.log(`erased ${count} expired reporter contacts`);
    return count;
  }
}
