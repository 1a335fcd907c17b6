export * from './notice.repository';
