import { AuditLog } from '@hotline/audit';
import { ConfigModule, HotlineConfig } from '@hotline/config';
import { MailSender } from '@hotline/mail';
import { HealthModule, MetricsModule } from '@hotline/observability';
import { PersistenceModule, RoutingRulesRepository } from '@hotline/persistence';
import { DeadLetters, PRODUCER_REDIS, QueueRegistry, RedisModule } from '@hotline/queue';
import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseActionsService } from './actions/case-actions.service';
import { ExchangeDeliveryService } from './exchange/exchange-delivery.service';
import { FeedbackMail } from './feedback/feedback-mail';
import { FeedbackScannerService } from './feedback/feedback-scanner.service';
import { StatsRollupService } from './stats/stats-rollup.service';
import { ExchangeDispatchService } from './exchange/exchange-dispatch.service';
import { PartnerDeliveryWorkers } from './exchange/partner-delivery-workers.service';
import { CaseCloserService } from './cases/case-closer.service';
import { LeaseSweeperService } from './leases/lease-sweeper.service';
import { MailDispatchService } from './mail/mail-dispatch.service';
import { MAIL_KINDS, type MailKind } from './mail/mail-kind';
import { SendMailService } from './mail/send-mail.service';
import { NoticeMail, ReminderMail } from './notices/host-notice-mails';
import { ReminderSchedulerService } from './notices/reminder-scheduler.service';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { RemovalMonitorService } from './removal/removal-monitor.service';
import { RetentionPurgeService } from './retention/retention-purge.service';
import { CasePlacement } from './triage/case-placement';
import { CaseTriageService } from './triage/case-triage.service';
import { HostingTraceService } from './triage/hosting-trace.service';
import { PipelineMetricsService } from './triage/pipeline-metrics.service';
import { QueueWorkersService } from './triage/queue-workers.service';

/** Machine work: the outbox relay, queue processors and schedules. HTTP only for health and metrics. */
@Module({})
export class WorkerModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forApp('worker'), PersistenceModule, RedisModule, HealthModule.forRedis(PRODUCER_REDIS)],
      providers: [
        OutboxRelayService,
        RetentionPurgeService,
        { provide: RoutingRulesRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new RoutingRulesRepository(dataSource) },
        {
          provide: DeadLetters,
          inject: [DataSource, QueueRegistry],
          useFactory: (dataSource: DataSource, queues: QueueRegistry) => new DeadLetters(dataSource, queues, config.exchange),
        },
        CasePlacement,
        CaseTriageService,
        HostingTraceService,
        CaseActionsService,
        ExchangeDeliveryService,
        PartnerDeliveryWorkers,
        ExchangeDispatchService,
        QueueWorkersService,
        PipelineMetricsService,
        { provide: AuditLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new AuditLog(dataSource) },
        LeaseSweeperService,
        CaseCloserService,
        RemovalMonitorService,
        // Outgoing mail: one MailKind per key prefix (notice, reminder, feedback).
        MailSender,
        MailDispatchService,
        SendMailService,
        NoticeMail,
        ReminderMail,
        ReminderSchedulerService,
        FeedbackMail,
        FeedbackScannerService,
        StatsRollupService,
        {
          provide: MAIL_KINDS,
          useFactory: (...kinds: MailKind[]) => kinds,
          // Each kind's class here, and in the providers above (feedback: FeedbackMail).
          inject: [NoticeMail, ReminderMail, FeedbackMail],
        },
      ],
    };
  }
}
