import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';

/** Row counts across the pipeline's tables, as `pipeline:status` shows them. */
export interface PipelineCounts {
  reports: number;
  /** reported URLs */
  urls: number;
  outboxPending: number;
  cases: number;
  casesByStatus: Record<string, number>;
  /** `(none)` for cases in no queue */
  casesByQueue: Record<string, number>;
}

/** Read-only: where everything is in the database right now (report, reported_url, outbox, case). */
@Injectable()
export class PipelineStatusRepository {
  /** Three statements at once: given a DataSource, they run on three connections in parallel. */
  async counts(db: SqlRunner): Promise<PipelineCounts> {
    const [[counts], byStatus, byQueue]: [
      { reports: number; urls: number; outbox_pending: number; cases: number }[],
      { status: string; n: number }[],
      { queue: string; n: number }[],
    ] = await Promise.all([
      db.query(`SELECT (SELECT count(*) FROM report)::int AS reports,
                       (SELECT count(*) FROM reported_url)::int AS urls,
                       (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS outbox_pending,
                       (SELECT count(*) FROM "case")::int AS cases`),
      db.query(`SELECT status, count(*)::int AS n FROM "case" GROUP BY status ORDER BY status`),
      db.query(`SELECT coalesce(queue, '(none)') AS queue, count(*)::int AS n FROM "case" GROUP BY 1 ORDER BY 1`),
    ]);
    return {
      reports: counts.reports,
      urls: counts.urls,
      outboxPending: counts.outbox_pending,
      cases: counts.cases,
      casesByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.n])),
      casesByQueue: Object.fromEntries(byQueue.map((row) => [row.queue, row.n])),
    };
  }
}

export const pipelineStatusRepository = new PipelineStatusRepository();
