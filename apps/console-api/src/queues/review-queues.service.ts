import { ReviewQueueRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReviewQueueView } from './queues.controller';

/** Analyst review queues: PostgreSQL rows, not BullMQ. */
@Injectable()
export class ReviewQueuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: ReviewQueueRepository,
  ) {}

  async overview(): Promise<ReviewQueueView[]> {
    const rows = await this.queues.listWithOpenCases(this.dataSource);
    return rows.map((row) => ({ name: row.name, description: row.description, open: row.open, oldestAgeSeconds: Math.max(0, Math.floor(row.oldest_seconds ?? 0)) }));
  }
}
