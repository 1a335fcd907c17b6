export * from './field-encryption';
export * from './report-secrets';
export * from './random-pool';
export * from './staff';
export * from './api-keys';
