export * from './verdicts';
export * from './classification';
export * from './review-rules';
