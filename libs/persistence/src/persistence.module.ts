import { HotlineConfig } from '@hotline/config';
import { Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  actionRepository,
  ActionRepository,
  assessmentRepository,
  AssessmentRepository,
  caseLeaseRepository,
  CaseLeaseRepository,
  caseRepository,
  CaseRepository,
} from './cases';
import { dataSourceOptions, runMigrations } from './data-source';
import { feedbackRepository, FeedbackRepository } from './feedback';
import { statsRepository, StatsRepository } from './stats';
import { exchangeMessageRepository, ExchangeMessageRepository, exchangeNonceRepository, ExchangeNonceRepository, partnerRepository, PartnerRepository } from './exchange';
import { abuseContactRepository, AbuseContactRepository } from './abuse-contacts';
import { apiKeyRepository, ApiKeyRepository } from './api-keys';
import { auditEventRepository, AuditEventRepository } from './audit';
import { bulkRepository, BulkRepository, knownHashRepository, KnownHashRepository } from './bulk';
import { escalationRepository, EscalationRepository } from './escalations';
import { deadLetterRepository, DeadLetterRepository } from './dead-letters';
import { knownUrlRepository, KnownUrlRepository } from './known-urls';
import { noticeRepository, NoticeRepository } from './notices';
import { outboxRepository, OutboxRepository } from './outbox';
import { pipelineStatusRepository, PipelineStatusRepository } from './pipeline';
import { reportedUrlRepository, ReportedUrlRepository, reportRepository, ReportRepository } from './reports';
import { removalCheckRepository, RemovalCheckRepository } from './removal-checks';
import { reviewQueueRepository, ReviewQueueRepository } from './routing';
import { legalHoldRepository, LegalHoldRepository, retentionRepository, RetentionRepository } from './retention';
import { staffRepository, StaffRepository, staffSessionRepository, StaffSessionRepository } from './staff';
import { urlListRepository, UrlListRepository } from './url-list';

// Repositories are stateless (each call takes the SQL runner, so the caller picks the
// transaction): one instance each, the same whether injected or imported (the CLI and the libs
// use the exported instances).
const REPOSITORIES: Provider[] = [
  { provide: CaseRepository, useValue: caseRepository },
  { provide: CaseLeaseRepository, useValue: caseLeaseRepository },
  { provide: AssessmentRepository, useValue: assessmentRepository },
  { provide: ActionRepository, useValue: actionRepository },
  { provide: ExchangeMessageRepository, useValue: exchangeMessageRepository },
  { provide: PartnerRepository, useValue: partnerRepository },
  { provide: ExchangeNonceRepository, useValue: exchangeNonceRepository },
  { provide: ReportRepository, useValue: reportRepository },
  { provide: ReportedUrlRepository, useValue: reportedUrlRepository },
  { provide: OutboxRepository, useValue: outboxRepository },
  { provide: DeadLetterRepository, useValue: deadLetterRepository },
  { provide: KnownUrlRepository, useValue: knownUrlRepository },
  { provide: PipelineStatusRepository, useValue: pipelineStatusRepository },
  { provide: ReviewQueueRepository, useValue: reviewQueueRepository },
  { provide: StaffRepository, useValue: staffRepository },
  { provide: StaffSessionRepository, useValue: staffSessionRepository },
  { provide: AuditEventRepository, useValue: auditEventRepository },
  { provide: FeedbackRepository, useValue: feedbackRepository },
  { provide: StatsRepository, useValue: statsRepository },
  { provide: ApiKeyRepository, useValue: apiKeyRepository },
  { provide: UrlListRepository, useValue: urlListRepository },
  { provide: EscalationRepository, useValue: escalationRepository },
  { provide: AbuseContactRepository, useValue: abuseContactRepository },
  { provide: NoticeRepository, useValue: noticeRepository },
  { provide: BulkRepository, useValue: bulkRepository },
  { provide: KnownHashRepository, useValue: knownHashRepository },
  { provide: RemovalCheckRepository, useValue: removalCheckRepository },
  { provide: LegalHoldRepository, useValue: legalHoldRepository },
  { provide: RetentionRepository, useValue: retentionRepository },
];

/** The PostgreSQL connection of an app and the repositories. Pending migrations are applied at start-up, under a lock. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HotlineConfig],
      useFactory: (config: HotlineConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
