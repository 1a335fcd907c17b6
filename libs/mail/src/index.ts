export * from './feedback-templates';
export * from './mail-sender';
export * from './notice-templates';
export * from './outgoing-mail';
