export * from './decide-actions';
