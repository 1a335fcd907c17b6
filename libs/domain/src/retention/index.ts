export * from './retention';
export * from './legal-hold';
