import { ConfigModule, HotlineConfig } from '@hotline/config';
import { HealthModule, MetricsModule } from '@hotline/observability';
import { PersistenceModule } from '@hotline/persistence';
import { PRODUCER_REDIS, RedisModule } from '@hotline/queue';
import { DynamicModule, Module } from '@nestjs/common';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { ContactRetentionService } from './retention/contact-retention.service';

/** Machine work: the outbox relay, queue processors and schedules. HTTP only for health and metrics. */
@Module({})
export class WorkerModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forApp('worker'),
        PersistenceModule,
        RedisModule,
        HealthModule.forRedis(PRODUCER_REDIS),
      ],
      providers: [OutboxRelayService, ContactRetentionService],
    };
  }
}
