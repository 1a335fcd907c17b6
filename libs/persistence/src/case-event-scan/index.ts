export * from './event-gaps';
export * from './other-transactions';
