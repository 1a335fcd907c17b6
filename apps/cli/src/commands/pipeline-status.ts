import { QueueName, QueueRegistry } from '@hotline/queue';
import { DataSource } from 'typeorm';

export interface PipelineStatus {
  reports: number;
  urls: number;
  outboxPending: number;
  jobsWaiting: number;
  jobsActive: number;
  jobsDelayed: number;
  jobsFailed: number;
  jobsCompleted: number;
  jobsByQueue: Record<string, Record<string, number>>;
  cases: number;
  casesByStatus: Record<string, number>;
  casesByQueue: Record<string, number>;
  redis: 'ok' | string;
}

/** Where everything is right now: database counts and queue counts in one object. */
export async function pipelineStatus(dataSource: DataSource, queues: QueueRegistry): Promise<PipelineStatus> {
  const [[counts], byStatus, byQueue] = await Promise.all([
    dataSource.query(`SELECT (SELECT count(*) FROM report)::int AS reports,
                             (SELECT count(*) FROM reported_url)::int AS urls,
                             (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS outbox_pending,
                             (SELECT count(*) FROM "case")::int AS cases`),
    dataSource.query(`SELECT status, count(*)::int AS n FROM "case" GROUP BY status ORDER BY status`),
    dataSource.query(`SELECT coalesce(queue, '(none)') AS queue, count(*)::int AS n FROM "case" GROUP BY 1 ORDER BY 1`),
  ]);
  const status: PipelineStatus = {
    reports: counts.reports,
    urls: counts.urls,
    outboxPending: counts.outbox_pending,
    jobsWaiting: 0,
    jobsActive: 0,
    jobsDelayed: 0,
    jobsFailed: 0,
    jobsCompleted: 0,
    jobsByQueue: {},
    cases: counts.cases,
    casesByStatus: Object.fromEntries(byStatus.map((row: { status: string; n: number }) => [row.status, row.n])),
    casesByQueue: Object.fromEntries(byQueue.map((row: { queue: string; n: number }) => [row.queue, row.n])),
    redis: 'ok',
  };
  try {
    for (const name of Object.values(QueueName)) {
      const jobs = await queues.get(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
      status.jobsByQueue[name] = jobs;
      status.jobsWaiting += (jobs.waiting ?? 0) + (jobs.prioritized ?? 0);
      status.jobsActive += jobs.active ?? 0;
      status.jobsDelayed += jobs.delayed ?? 0;
      status.jobsFailed += jobs.failed ?? 0;
      status.jobsCompleted += jobs.completed ?? 0;
    }
  } catch (error) {
    status.redis = `unavailable: ${(error as Error).message}`;
  }
  return status;
}
