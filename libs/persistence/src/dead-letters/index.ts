export * from './dead-letter.row';
export * from './dead-letter.repository';
