import { HotlineConfig } from '@hotline/config';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QueueRegistry } from './queue-registry';
import { createRedis } from './redis-connection';

/** The app's fail-fast producer connection (rate limiting, adding jobs, health). */
export const PRODUCER_REDIS = Symbol('PRODUCER_REDIS');

@Global()
@Module({
  providers: [
    {
      provide: PRODUCER_REDIS,
      inject: [HotlineConfig],
      useFactory: (config: HotlineConfig) => {
        const redis = createRedis(config.redisUrl, 'producer');
        // Outages are reported by health, metrics and the callers; the emitter must not crash us.
        redis.on('error', () => undefined);
        return redis;
      },
    },
    {
      provide: QueueRegistry,
      inject: [PRODUCER_REDIS, HotlineConfig],
      useFactory: (redis: Redis, config: HotlineConfig) => new QueueRegistry(redis, config.redisPrefix),
    },
  ],
  exports: [PRODUCER_REDIS, QueueRegistry],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
    private readonly queues: QueueRegistry,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.redis.disconnect();
  }
}
