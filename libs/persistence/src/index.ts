export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './repositories/routing-rules.repository';
export * from './sql';
export * from './work-groups';
export * from './storable-text';
