import { ConfigModule, HotlineConfig } from '@hotline/config';
import { HealthModule, MetricsModule } from '@hotline/observability';
import { PersistenceModule } from '@hotline/persistence';
import { PRODUCER_REDIS, RedisModule } from '@hotline/queue';
import { DynamicModule, Module } from '@nestjs/common';
import { BulkReportIntakeService } from './bulk-reports/bulk-report-intake.service';
import { BulkReportsRoute } from './bulk-reports/bulk-reports.route';
import { ReportRateLimiter } from './rate-limit/report-rate-limiter';
import { ReportPageController } from './report-page/report-page.controller';
import { IntakeOutcomeMetrics } from './reports/intake-outcomes';
import { ReportIntakeService } from './reports/report-intake.service';
import { ReportSubmissionRoute } from './reports/report-submission.route';
import { ReportWriter } from './reports/report-writer';
import { ReportsController } from './reports/reports.controller';

/** The public, anonymous surface: report API and report page. Holds no staff code. */
@Module({})
export class IntakeModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forApp('intake-api'), PersistenceModule, RedisModule, HealthModule.forRedis(PRODUCER_REDIS)],
      controllers: [ReportsController, ReportPageController],
      providers: [ReportWriter, ReportIntakeService, ReportRateLimiter, ReportSubmissionRoute, BulkReportIntakeService, BulkReportsRoute, IntakeOutcomeMetrics],
    };
  }
}
