export * from './bulk-limits';
export * from './content-hashes';
export * from './quota-day';
