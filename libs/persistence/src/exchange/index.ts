export * from './exchange-message.row';
export * from './exchange-message.repository';
export * from './exchange-nonce.row';
export * from './exchange-nonce.repository';
export * from './partner.row';
export * from './partner.repository';
