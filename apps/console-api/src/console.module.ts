import { ConfigModule, HotlineConfig } from '@hotline/config';
import { HealthModule, MetricsModule } from '@hotline/observability';
import { PersistenceModule } from '@hotline/persistence';
import { PRODUCER_REDIS, RedisModule } from '@hotline/queue';
import { DynamicModule, Module } from '@nestjs/common';

/**
 * The staff surface (analysts, LE liaisons, regulators, admins, partner exchange). Staff routes
 * arrive with the analyst-workspace issue; until then it serves health, metrics and docs only.
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
    };
  }
}
