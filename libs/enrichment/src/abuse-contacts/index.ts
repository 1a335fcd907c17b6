export * from './abuse-contact';
export * from './abuse-contact-csv';
export * from './rdap';
