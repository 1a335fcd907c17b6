export * from './feedback.row';
export * from './feedback.repository';
