export * from './known-url.row';
export * from './known-url.repository';
