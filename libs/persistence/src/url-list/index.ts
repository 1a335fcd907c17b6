export * from './url-list.row';
export * from './url-list.repository';
