export * from './url/canonicalize';
export * from './url/dedup-key';
export * from './url/reportable';
export * from './case/case-status';
export * from './triage/priority';
export * from './triage/routing';
export * from './url/defang';
export * from './assessment';
