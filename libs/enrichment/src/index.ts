export { registrableDomain } from './registrable-domain';
export { splitCsvLine } from './csv-line';
export type { CsvLine } from './csv-line';
export { IpRangeTable } from './ip-range-table';
export type { IpRangeInfo } from './ip-range-table';
export { HostingResolver } from './hosting-resolver';
export type { HostingResolverOptions, HostingTrace } from './hosting-resolver';
export { HostingLookupError } from './hosting-lookup-error';
export type { HostingFailureReason } from './hosting-lookup-error';
