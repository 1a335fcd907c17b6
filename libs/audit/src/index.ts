export * from './audit-chain';
export * from './audit-log';
export * from './canonical-json';
