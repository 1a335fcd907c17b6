export * from './synthetic-history';
