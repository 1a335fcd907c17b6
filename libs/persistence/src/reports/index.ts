export * from './report.row';
export * from './report.repository';
export * from './reported-url.row';
export * from './reported-url.repository';
