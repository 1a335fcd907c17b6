export * from './legal-hold.row';
export * from './legal-hold.repository';
export * from './retention.repository';
