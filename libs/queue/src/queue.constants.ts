import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue of the platform. */
export enum QueueName {
  /** Reported URLs waiting to be deduplicated into cases. */
  ReportedUrls = 'reported-urls',
}

export enum JobName {
  AttachReportedUrl = 'attach-reported-url',
}

/** Typed payloads: ids only, never report content. The database is the truth. */
export interface JobPayloads {
  [JobName.AttachReportedUrl]: { reportedUrlId: string };
}

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
    jobId: (reportedUrlId) => `reported-url-${reportedUrlId}`,
  },
};

/** Option presets: retries with exponential backoff; failed jobs kept for the dead-letter step. */
export const JOB_OPTIONS: Record<'standard', JobsOptions> = {
  standard: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    // Completed jobs are kept a day so a duplicate publish within that time is recognised by id.
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: false,
  },
};
