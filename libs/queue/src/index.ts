export * from './dead-letters';
export * from './job-handlers';
export * from './outbox-relay';
export * from './queue-registry';
export * from './queue-workers';
export * from './queue.constants';
export * from './redis-connection';
export * from './redis.module';
