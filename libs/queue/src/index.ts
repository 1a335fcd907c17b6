export * from './outbox-relay';
export * from './queue-registry';
export * from './queue.constants';
export * from './redis-connection';
export * from './redis.module';
