export * from './field-encryption';
export * from './report-secrets';
