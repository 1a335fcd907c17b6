export * from './abuse-contact.row';
export * from './abuse-contact.repository';
