export * from './removal-check';
