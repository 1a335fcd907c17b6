import { ConfigModule, HotlineConfig } from '@hotline/config';
import { HealthModule, MetricsModule } from '@hotline/observability';
import { PersistenceModule, RoutingRulesRepository } from '@hotline/persistence';
import { PRODUCER_REDIS, RedisModule } from '@hotline/queue';
import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesController } from './cases/cases.controller';
import { QueueDashboard } from './queue-dashboard/queue-dashboard';
import { QueuesController } from './queues/queues.controller';
import { RoutingRulesController } from './routing/routing-rules.controller';
import { InterimStaffGuard } from './staff-access/interim-staff.guard';

/**
 * The staff surface (analysts, LE liaisons, regulators, admins, partner exchange). Until staff
 * login exists (analyst-workspace issue) its case, queue and routing views are closed to all but
 * the test-only token (InterimStaffGuard).
 */
@Module({})
export class ConsoleModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forApp('console-api'),
        PersistenceModule,
        RedisModule,
        HealthModule.forRedis(PRODUCER_REDIS),
      ],
      controllers: [CasesController, QueuesController, RoutingRulesController],
      providers: [
        InterimStaffGuard,
        QueueDashboard,
        // Staff edits must be seen at once by the next read here; workers cache for two seconds.
        { provide: RoutingRulesRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new RoutingRulesRepository(dataSource, 0) },
      ],
    };
  }
}
