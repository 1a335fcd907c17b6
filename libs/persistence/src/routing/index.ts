export * from './review-queue.row';
export * from './review-queue.repository';
export * from './routing-rules.row';
export * from './routing-rules.repository';
