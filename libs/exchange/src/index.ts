export * from './request-signing';
export * from './messages';
export * from './partner-directory';
export * from './outgoing-messages';
export * from './content-removal';
