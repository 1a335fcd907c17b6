import { AuditLog } from '@hotline/audit';
import { ConfigModule, HotlineConfig } from '@hotline/config';
import { PartnerDirectory } from '@hotline/exchange';
import { HealthModule, MetricsModule, MetricsRegistry } from '@hotline/observability';
import { PersistenceModule, RoutingRulesRepository } from '@hotline/persistence';
import { DeadLetters, PRODUCER_REDIS, QueueRegistry, RedisModule } from '@hotline/queue';
import { FieldEncryption, StaffDirectory } from '@hotline/security';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AbuseContactDirectory } from './abuse-contacts/abuse-contact-directory';
import { AbuseContactsController } from './abuse-contacts/abuse-contacts.controller';
import { CsvBodyParser } from './abuse-contacts/csv-body';
import { ApiKeyDesk } from './api-keys/api-key-desk';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { CaseContentService } from './actions/case-content.service';
import { RemovalController } from './actions/removal.controller';
import { AssessmentController } from './assessment/assessment.controller';
import { AssessmentService } from './assessment/assessment.service';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { EscalationsPages } from './console-web/pages/escalations.pages';
import { LegalHoldController } from './legal-hold/legal-hold.controller';
import { LegalHoldService } from './legal-hold/legal-hold.service';
import { ClaimsModule } from './claims/claims.module';
import { DeadLetterDesk } from './dead-letters/dead-letter-desk';
import { ConsoleAssetsController } from './console-web/assets';
import { PageExceptionFilter } from './console-web/page-exception.filter';
import { AbuseContactsPages } from './console-web/pages/abuse-contacts.pages';
import { AccountPages } from './console-web/pages/account.pages';
import { ApiKeysPages } from './console-web/pages/api-keys.pages';
import { CasePages } from './console-web/pages/case.pages';
import { DeadLettersPages } from './console-web/pages/dead-letters.pages';
import { PartnersPages } from './console-web/pages/partners.pages';
import { QueuesPages } from './console-web/pages/queues.pages';
import { ReviewPages } from './console-web/pages/review.pages';
import { SignInPages } from './console-web/pages/sign-in.pages';
import { UsersPages } from './console-web/pages/users.pages';
import { ExchangeInboundController } from './exchange/exchange-inbound.controller';
import { ExchangeInboundService } from './exchange/exchange-inbound.service';
import { ExchangeRawBody } from './exchange/raw-body';
import { PartnersController } from './partners/partners.controller';
import { QueueDashboard } from './queue-dashboard/queue-dashboard';
import { QueuesController } from './queues/queues.controller';
import { ReviewQueuesService } from './queues/review-queues.service';
import { ReviewOverviewService } from './review/review-overview.service';
import { RoutingPages } from './console-web/pages/routing.pages';
import { RoutingRulesController } from './routing/routing-rules.controller';
import { AuditTrailInterceptor } from './staff-access/audit-trail.interceptor';
import { BodyValidationPipe } from './staff-access/body-validation.pipe';
import { StaffAccessGuard } from './staff-access/staff-access.guard';
import { StaffSessions } from './staff-access/staff-sessions.service';
import { UrlListController } from './url-list/url-list.controller';
import { StatsController } from './stats/stats.controller';
import { StatsPages } from './console-web/pages/stats.pages';
import { StatsService } from './stats/stats.service';
import { UrlListService } from './url-list/url-list.service';

/**
 * The staff surface (analysts, LE liaisons, regulators, admins, partner exchange). Every route is
 * denied unless it is public or names a permission the caller's role holds (StaffAccessGuard,
 * PERMISSIONS), and every staff request is audited (AuditTrailInterceptor).
 */
@Module({})
export class ConsoleModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forApp('console-api'), PersistenceModule, RedisModule, HealthModule.forRedis(PRODUCER_REDIS), ClaimsModule],
      controllers: [
        AssessmentController,
        AuditController,
        AuthController,
        CasesController,
        QueuesController,
        RoutingRulesController,
        RemovalController,
        PartnersController,
        ExchangeInboundController,
        EscalationsController,
        UrlListController,
        AbuseContactsController,
        ApiKeysController,
        LegalHoldController,
        StatsController,
        // The staff console's pages (HTML) and its two static files.
        ConsoleAssetsController,
        SignInPages,
        QueuesPages,
        CasePages,
        RoutingPages,
        PartnersPages,
        DeadLettersPages,
        ReviewPages,
        UsersPages,
        AccountPages,
        AbuseContactsPages,
        ApiKeysPages,
        EscalationsPages,
        StatsPages,
      ],
      providers: [
        { provide: AuditLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new AuditLog(dataSource) },
        {
          provide: StaffDirectory,
          inject: [DataSource, AuditLog],
          useFactory: (dataSource: DataSource, audit: AuditLog) => new StaffDirectory(dataSource, new FieldEncryption(config.fieldEncryptionKeys), audit),
        },
        StaffSessions,
        CasesService,
        CaseContentService,
        EscalationsService,
        LegalHoldService,
        AssessmentService,
        ReviewQueuesService,
        ReviewOverviewService,
        {
          provide: PartnerDirectory,
          inject: [DataSource, AuditLog, MetricsRegistry],
          useFactory: (dataSource: DataSource, audit: AuditLog, metrics: MetricsRegistry) =>
            new PartnerDirectory(dataSource, new FieldEncryption(config.fieldEncryptionKeys), audit, metrics),
        },
        {
          provide: AbuseContactDirectory,
          inject: [DataSource, AuditLog],
          useFactory: (dataSource: DataSource, audit: AuditLog) => new AbuseContactDirectory(dataSource, audit),
        },
        { provide: ApiKeyDesk, inject: [DataSource, AuditLog], useFactory: (dataSource: DataSource, audit: AuditLog) => new ApiKeyDesk(dataSource, audit) },
        CsvBodyParser,
        ExchangeRawBody,
        ExchangeInboundService,
        UrlListService,
        StatsService,
        { provide: APP_GUARD, useClass: StaffAccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditTrailInterceptor },
        { provide: APP_PIPE, useClass: BodyValidationPipe },
        QueueDashboard,
        {
          provide: DeadLetterDesk,
          inject: [DataSource, QueueRegistry],
          useFactory: (dataSource: DataSource, queues: QueueRegistry) => new DeadLetterDesk(new DeadLetters(dataSource, queues, config.exchange)),
        },
        PageExceptionFilter,
        // Staff edits must be seen at once by the next read here; workers cache for two seconds.
        { provide: RoutingRulesRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new RoutingRulesRepository(dataSource, 0) },
      ],
    };
  }
}
