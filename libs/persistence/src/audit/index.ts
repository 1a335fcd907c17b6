export * from './audit-event.row';
export * from './audit-event.repository';
