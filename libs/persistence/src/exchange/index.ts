export * from './exchange-message.row';
export * from './exchange-message.repository';
export * from './partner.row';
export * from './partner.repository';
