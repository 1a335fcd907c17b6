import { HotlineConfig } from '@hotline/config';
import { Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActionRepository, AssessmentRepository, CaseLeaseRepository, CaseRepository } from './cases';
import { dataSourceOptions, runMigrations } from './data-source';
import { ExchangeMessageRepository, ExchangeNonceRepository, PartnerRepository } from './exchange';
import { AuditEventRepository } from './audit';
import { DeadLetterRepository } from './dead-letters';
import { KnownUrlRepository } from './known-urls';
import { OutboxRepository } from './outbox';
import { PipelineStatusRepository } from './pipeline';
import { ReportedUrlRepository, ReportRepository } from './reports';
import { ReviewQueueRepository } from './routing';
import { StaffRepository, StaffSessionRepository } from './staff';

// Repositories are stateless (each call takes the SQL runner, so the caller picks the
// transaction): one instance each, injectable anywhere.
const REPOSITORIES: Provider[] = [
  CaseRepository,
  CaseLeaseRepository,
  AssessmentRepository,
  ActionRepository,
  ExchangeMessageRepository,
  PartnerRepository,
  ReportRepository,
  ReportedUrlRepository,
  OutboxRepository,
  DeadLetterRepository,
  KnownUrlRepository,
  PipelineStatusRepository,
  ReviewQueueRepository,
  StaffRepository,
  StaffSessionRepository,
  AuditEventRepository,
  ExchangeNonceRepository,
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
