export * from './bulk.row';
export * from './bulk.repository';
export * from './known-hash.repository';
