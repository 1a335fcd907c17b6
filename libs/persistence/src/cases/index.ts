export * from './case.row';
export type { CaseChanges, ManyTransition, Transition } from './case-transitions';
export { CaseStatusChangedError, dbNow, DbNow } from './case-transitions';
export * from './case.repository';
export * from './case-lease.repository';
export * from './assessment.repository';
export * from './action.repository';
