import { pipelineStatusRepository } from '@hotline/persistence';
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
  const counts = await pipelineStatusRepository.counts(dataSource);
  const status: PipelineStatus = {
    reports: counts.reports,
    urls: counts.urls,
    outboxPending: counts.outboxPending,
    jobsWaiting: 0,
    jobsActive: 0,
    jobsDelayed: 0,
    jobsFailed: 0,
    jobsCompleted: 0,
    jobsByQueue: {},
    cases: counts.cases,
    casesByStatus: counts.casesByStatus,
    casesByQueue: counts.casesByQueue,
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
