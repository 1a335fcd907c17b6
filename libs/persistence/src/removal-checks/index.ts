export * from './removal-check.repository';
