export * from './decide-actions';
export * from './actions';
