export * from './escalation.row';
export * from './escalation.repository';
