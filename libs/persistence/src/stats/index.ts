export * from './stats.repository';
export * from './stats.row';
export * from './stats-events';
export * from './stats-rebuild';
