export * from './content-types';
export * from './sources';
export * from './report-status';
export * from './limits';
export * from './public-status';
