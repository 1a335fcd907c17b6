import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { createRedis, DeadLetters, JobHandlers, JobName, QueueName, QueueWorkers } from '@hotline/queue';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CaseActionsService } from '../actions/case-actions.service';
import { ExchangeDispatchService } from '../exchange/exchange-dispatch.service';
import { MailDispatchService } from '../mail/mail-dispatch.service';
import { SendMailService } from '../mail/send-mail.service';
import { CaseTriageService } from './case-triage.service';
import { HostingTraceService } from './hosting-trace.service';

const ACTIONS_CONCURRENCY = 4;
/** Mails in flight at once: the SMTP pool keeps a few connections, and notices are few. */
const MAIL_CONCURRENCY = 4;

/**
 * Runs the BullMQ workers of this process: one handler per job name (checked at start-up), job
 * timings and failures as metrics, dead letters for jobs that fail for good. On shutdown it stops
 * taking jobs and lets the active ones finish before the connections close.
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workers: QueueWorkers;

  constructor(
    triage: CaseTriageService,
    hosting: HostingTraceService,
    actions: CaseActionsService,
    exchange: ExchangeDispatchService,
    mailDispatch: MailDispatchService,
    sendMail: SendMailService,
    deadLetters: DeadLetters,
    config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    const handlers: JobHandlers = {
      [JobName.TriageReportedUrls]: ({ reportedUrlIds }) => triage.attachBatch(reportedUrlIds),
      [JobName.AttachReportedUrl]: ({ reportedUrlId }) => triage.attach(reportedUrlId),
      [JobName.TraceHosting]: ({ caseIds }) => hosting.traceBatch(caseIds),
      [JobName.ResolveHosting]: ({ caseId }) => hosting.trace(caseId),
      [JobName.ActOnCases]: ({ caseIds }) => actions.actOnCases(caseIds),
      [JobName.DispatchExchangeMessages]: ({ messageIds }) => exchange.dispatch(messageIds),
      [JobName.DispatchMail]: ({ mailKeys }) => mailDispatch.dispatch(mailKeys),
      [JobName.SendMail]: ({ mailKey }, job) => sendMail.send(mailKey, job),
    };
    const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    const processing = metrics.histogram('hotline_job_processing_seconds', 'Time a job took to process', ['queue'], seconds);
    const waiting = metrics.histogram('hotline_job_wait_seconds', 'Time from a job being added to being processed', ['queue'], seconds);
    const failures = metrics.counter('hotline_job_failures_total', 'Failed job attempts; final=true when it became a dead letter', ['queue', 'final']);
    this.workers = new QueueWorkers(
      handlers,
      {
        prefix: config.redisPrefix,
        connect: () => createRedis(config.redisUrl, 'worker'),
        concurrency: {
          [QueueName.ReportedUrls]: config.pipelineConcurrency,
          [QueueName.Hosting]: config.hostingConcurrency,
          // Small batches of database work (one transaction per case); deliveries run in the partner queues.
          [QueueName.Actions]: ACTIONS_CONCURRENCY,
          [QueueName.ExchangeDispatch]: ACTIONS_CONCURRENCY,
          [QueueName.Mail]: MAIL_CONCURRENCY,
        },
        lockMs: config.jobLockMs,
      },
      deadLetters,
      {
        completed: (queue, job) => {
          if (job.processedOn && job.finishedOn) processing.observe({ queue }, (job.finishedOn - job.processedOn) / 1000);
          if (job.processedOn) waiting.observe({ queue }, Math.max(0, job.processedOn - job.timestamp) / 1000);
        },
        failed: (queue, _job, _error, final) => failures.inc({ queue, final: String(final) }),
      },
    );
  }

  onApplicationBootstrap(): void {
    this.workers.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.workers.stop();
  }
}
