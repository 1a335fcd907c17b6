export * from './i18n';
export * from './problem';
export * from './hostile-body';
export * from './problem.filter';
export * from './http-app';
export * from './run-app';
export * from './html';
