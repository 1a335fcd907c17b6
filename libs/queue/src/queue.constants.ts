import type { JobsOptions } from 'bullmq';
import { hash } from 'node:crypto';

/** Every BullMQ queue of the platform. Machine work only: analyst review queues are PostgreSQL rows. */
export enum QueueName {
  /** Reported URLs waiting to be deduplicated into cases, prioritised and routed. */
  ReportedUrls = 'reported-urls',
  /** Cases waiting for their hosting trace (DNS -> IP -> country, ASN). */
  Hosting = 'hosting',
  /** Confirmed cases (and re-routed ones) waiting for their actions to be decided. */
  Actions = 'actions',
  /** Outgoing exchange messages, handed on to the delivery queue of their partner. */
  ExchangeDispatch = 'exchange-dispatch',
  /** Mail to send (notices and reminders to hosts, reporter feedback), handed on one job per mail. */
  Mail = 'mail',
}

/**
 * Each partner has a delivery queue of its own (its own rate limit, and one partner being down
 * holds up no other): `exchange-out-<partner id>`, job `deliver-exchange-message`.
 */
export const partnerDeliveryQueue = (partnerId: string) => `exchange-out-${partnerId}`;
export const DELIVER_EXCHANGE_MESSAGE = 'deliver-exchange-message';

/**
 * Work flows in batches (one job for the URLs of a relayed outbox batch, one for the new cases of
 * a triage group): BullMQ's cost is per job, and at intake speed one job per URL cost more than
 * the work itself (ADR 0006). What a batch could not do goes on as one job per item, with its
 * own retries and dead letter.
 */
export enum JobName {
  TriageReportedUrls = 'triage-reported-urls',
  AttachReportedUrl = 'attach-reported-url',
  TraceHosting = 'trace-hosting',
  ResolveHosting = 'resolve-hosting',
  ActOnCases = 'act-on-cases',
  DispatchExchangeMessages = 'dispatch-exchange-messages',
  DispatchMail = 'dispatch-mail',
  SendMail = 'send-mail',
}

/**
 * What a job published from the outbox also carries: the correlation ids of the requests (or
 * jobs) that wrote its rows, sorted (docs/adr/0017). Random tokens, not personal data.
 */
export interface Correlated {
  correlationIds?: string[];
}

/** Typed payloads: ids only, never report content. The database is the truth. */
export interface JobPayloads {
  [JobName.TriageReportedUrls]: { reportedUrlIds: string[] };
  [JobName.AttachReportedUrl]: { reportedUrlId: string };
  [JobName.TraceHosting]: { caseIds: string[] };
  [JobName.ResolveHosting]: { caseId: string };
  [JobName.ActOnCases]: { caseIds: string[] };
  [JobName.DispatchExchangeMessages]: { messageIds: string[] };
  /** Mail keys `<kind>:<uuid>` (kind: notice | reminder | feedback). */
  [JobName.DispatchMail]: { mailKeys: string[] };
  [JobName.SendMail]: { mailKey: string };
}

/** The queue that carries each job, and its options. */
export const JOBS: Record<JobName, { queue: QueueName; options: () => JobsOptions }> = {
  [JobName.TriageReportedUrls]: { queue: QueueName.ReportedUrls, options: () => JOB_OPTIONS.standard },
  [JobName.AttachReportedUrl]: { queue: QueueName.ReportedUrls, options: () => JOB_OPTIONS.standard },
  [JobName.TraceHosting]: { queue: QueueName.Hosting, options: () => JOB_OPTIONS.standard },
  [JobName.ResolveHosting]: { queue: QueueName.Hosting, options: () => JOB_OPTIONS.lookup },
  [JobName.ActOnCases]: { queue: QueueName.Actions, options: () => JOB_OPTIONS.standard },
  [JobName.DispatchExchangeMessages]: { queue: QueueName.ExchangeDispatch, options: () => JOB_OPTIONS.standard },
  [JobName.DispatchMail]: { queue: QueueName.Mail, options: () => JOB_OPTIONS.standard },
  // Attempts and backoff of one mail come from the mail settings (MAIL_ATTEMPTS, MAIL_BACKOFF): see the mail processor.
  [JobName.SendMail]: { queue: QueueName.Mail, options: () => JOB_OPTIONS.lookup },
};

/** A batch's id is a digest of its items' keys: the same batch added twice is one job. */
const digest = (keys: readonly string[]) => hash('sha256', keys.join(',')).slice(0, 32);

/** Job ids derive from business keys (no ':'), so a second add of the same work is a no-op. */
export const JOB_IDS = {
  triageReportedUrls: (reportedUrlIds: readonly string[]) => `reported-urls-${digest(reportedUrlIds)}`,
  attachReportedUrl: (reportedUrlId: string) => `reported-url-${reportedUrlId}`,
  /** Keys are `caseId-appearance`, as for resolveHosting. */
  traceHosting: (traceKeys: readonly string[]) => `hosting-batch-${digest(traceKeys)}`,
  /** One trace per appearance: a case that reappears is traced again (it may have moved). */
  resolveHosting: (caseId: string, appearance: number) => `hosting-${caseId}-${appearance}`,
  actOnCases: (outboxKeys: readonly string[]) => `actions-${digest(outboxKeys)}`,
  dispatchExchangeMessages: (messageIds: readonly string[]) => `exchange-dispatch-${digest(messageIds)}`,
  dispatchMail: (mailKeys: readonly string[]) => `mail-batch-${digest(mailKeys)}`,
  /** One job per mail: `mail-<kind>-<uuid>` from its key `<kind>:<uuid>`. */
  sendMail: (mailKey: string) => `mail-${mailKey.replace(':', '-')}`,
  /** One delivery job per outgoing message (its exchange_message row id). */
  deliverExchangeMessage: (messageRowId: string) => `exchange-message-${messageRowId}`,
};

/** Outbox topics (what happened) and where each is published. */
export enum OutboxTopic {
  ReportedUrlReceived = 'reported-url.received',
  /** A case was confirmed, or must be re-routed: decide and create its actions. Key: the case id. */
  CaseAct = 'case.act',
  /** An exchange message was stored for sending. Key: the exchange_message row id. */
  ExchangeMessage = 'exchange.message',
  /** A mail to send. Key: `<kind>:<uuid>` (notice, reminder: the action id; feedback: the report_feedback id). */
  Mail = 'mail.send',
}

/** How the rows of one topic in a relayed batch become one job. */
export interface Publication {
  queue: QueueName;
  job: JobName;
  data: (messageKeys: string[]) => Record<string, unknown>;
  /** Deterministic job id from the business keys; BullMQ ignores a second add with the same id. */
  jobId: (messageKeys: string[]) => string;
}

export const PUBLICATIONS: Record<OutboxTopic, Publication> = {
  [OutboxTopic.ReportedUrlReceived]: {
    queue: QueueName.ReportedUrls,
    job: JobName.TriageReportedUrls,
    data: (reportedUrlIds) => ({ reportedUrlIds }) satisfies JobPayloads[JobName.TriageReportedUrls],
    jobId: JOB_IDS.triageReportedUrls,
  },
  // The same case may be published twice (confirmed, later re-routed): the key carries the outbox
  // row's reason, see the writers; the handler is idempotent per case either way.
  [OutboxTopic.CaseAct]: {
    queue: QueueName.Actions,
    job: JobName.ActOnCases,
    data: (caseIds) => ({ caseIds }) satisfies JobPayloads[JobName.ActOnCases],
    jobId: JOB_IDS.actOnCases,
  },
  [OutboxTopic.ExchangeMessage]: {
    queue: QueueName.ExchangeDispatch,
    job: JobName.DispatchExchangeMessages,
    data: (messageIds) => ({ messageIds }) satisfies JobPayloads[JobName.DispatchExchangeMessages],
    jobId: JOB_IDS.dispatchExchangeMessages,
  },
  [OutboxTopic.Mail]: {
    queue: QueueName.Mail,
    job: JobName.DispatchMail,
    data: (mailKeys) => ({ mailKeys }) satisfies JobPayloads[JobName.DispatchMail],
    jobId: JOB_IDS.dispatchMail,
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
