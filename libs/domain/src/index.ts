export * from './url/canonicalize';
export * from './url/dedup-key';
export * from './url/reportable';
