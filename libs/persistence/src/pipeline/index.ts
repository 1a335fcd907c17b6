export * from './pipeline-status.repository';
