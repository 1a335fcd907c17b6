export * from './config';
export * from './config.module';
export * from './duration';
export * from './hotline-config';
export * from './working-calendar';
