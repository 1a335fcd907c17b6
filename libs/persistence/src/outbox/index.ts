export * from './outbox.row';
export * from './outbox.repository';
