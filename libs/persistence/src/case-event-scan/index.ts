export * from './event-gaps';
export * from './other-transactions';
export * from './event-scan-sql';
