import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue of the platform. Machine work only: analyst review queues are PostgreSQL rows. */
export enum QueueName {
  /** Reported URLs waiting to be deduplicated into cases, prioritised and routed. */
  ReportedUrls = 'reported-urls',
  /** Cases waiting for their hosting trace (DNS -> IP -> country, ASN). */
  Hosting = 'hosting',
}

export enum JobName {
  AttachReportedUrl = 'attach-reported-url',
  ResolveHosting = 'resolve-hosting',
}

/** Typed payloads: ids only, never report content. The database is the truth. */
export interface JobPayloads {
  [JobName.AttachReportedUrl]: { reportedUrlId: string };
  [JobName.ResolveHosting]: { caseId: string };
}

/** The queue that carries each job, and its options. */
export const JOBS: Record<JobName, { queue: QueueName; options: () => JobsOptions }> = {
  [JobName.AttachReportedUrl]: { queue: QueueName.ReportedUrls, options: () => JOB_OPTIONS.standard },
  [JobName.ResolveHosting]: { queue: QueueName.Hosting, options: () => JOB_OPTIONS.lookup },
};

/** Job ids derive from business keys (no ':'), so a second add of the same work is a no-op. */
export const JOB_IDS = {
  attachReportedUrl: (reportedUrlId: string) => `reported-url-${reportedUrlId}`,
  /** One trace per appearance: a case that reappears is traced again (it may have moved). */
  resolveHosting: (caseId: string, appearance: number) => `hosting-${caseId}-${appearance}`,
};

/** Outbox topics (what happened) and where each is published. */
export enum OutboxTopic {
  ReportedUrlReceived = 'reported-url.received',
}

export interface Publication {
  queue: QueueName;
  job: JobName;
  /** Deterministic job id from the business key; BullMQ ignores a second add with the same id. */
  jobId: (messageKey: string) => string;
}

export const PUBLICATIONS: Record<OutboxTopic, Publication> = {
  [OutboxTopic.ReportedUrlReceived]: {
    queue: QueueName.ReportedUrls,
    job: JobName.AttachReportedUrl,
    jobId: JOB_IDS.attachReportedUrl,
  },
};

// Completed jobs are kept a day so a duplicate publish within that time is recognised by id.
const KEEP_COMPLETED = { age: 24 * 3600, count: 100_000 };

/**
 * Option presets. Retries back off exponentially with jitter (so a recovering dependency is not
 * hit by every retry at once); failed jobs are kept (removeOnFail: false) so a dead letter can be
 * redriven from them.
 */
export const JOB_OPTIONS: Record<'standard' | 'lookup', JobsOptions> = {
  /** Database work: a failure is an outage, retried for about four minutes. */
  standard: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  },
  /** Lookups on the internet (DNS): slow to recover, retried for about an hour and a half. */
  lookup: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  },
};
